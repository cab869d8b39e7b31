"""Bodies: links between pages resolved to URLs (or a located error), HTML sanitised on an allowlist
(each removal a located warning), and a Content-Security-Policy the theme's own pages satisfy."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import COMMUNE, MINIMAL_CONFIG, MODEL, built, run_cli, serve_directory
from generator.content.links import resolve_link
from generator.core.security import CONTENT_SECURITY_POLICY

OTHER = MODEL.replace("title: Trồng hồng ở xã Lộc Yên", "title: Nuôi gà ở xã Lộc Yên")
LINKS = """\
Xem [mô hình trồng hồng](trong-hong.md), [xã Lộc Yên](../localities/loc-yen.md#dan-so),
[cùng mô hình](/mo-hinh/trong-hong/), [báo](https://example.vn/bai), [thư](mailto:vanphong@example.gov.vn)
và [mục dưới](#ket-qua).

[tham khảo]: trong-hong.md
Theo [bài gốc][tham khảo].
"""


def with_body(body: str, name: str = "nuoi-ga") -> dict[str, str]:
    return {f"content/models/{name}.md": OTHER.replace("Nội dung.", body + "\n\nTheo [bài gốc](https://example.vn).")}


def hrefs(page: Path) -> list[str]:
    text = page.read_text("utf-8")
    main = text[text.index('<div class="body">'):text.index("bài gốc</a>")]     # the body only
    return [html.unescape(h) for h in re.findall(r'<a href="([^"]*)">', main)]


def test_links_to_other_pages_by_file_or_path_become_their_urls(make_site) -> None:
    out = built(make_site(with_body(LINKS)), "--no-search")
    links = hrefs(out / "mo-hinh/nuoi-ga/index.html")
    for expected in ("/mo-hinh/trong-hong/", "/dia-phuong/loc-yen/#dan-so", "https://example.vn/bai",
                     "mailto:vanphong@example.gov.vn", "#ket-qua"):
        assert expected in links, links
    assert not any(link.endswith(".md") for link in links)


def test_links_follow_the_base_path_of_the_site(make_site) -> None:
    root = make_site(with_body(LINKS), config=MINIMAL_CONFIG.replace("https://example.vn/", "https://example.vn/sc/"))
    links = hrefs(built(root, "--no-search") / "mo-hinh/nuoi-ga/index.html")
    assert "/sc/mo-hinh/trong-hong/" in links and "/sc/dia-phuong/loc-yen/#dan-so" in links
    assert links.count("/sc/mo-hinh/trong-hong/") == 3      # by file, by site path and by reference


LINK_CASES = {
    "missing_model": ("[xem](trong-hongg.md)", "9:7: lỗi: liên kết 'trong-hongg.md': không có trang 'trong-hongg' "
                      "trong content/models/", "    gợi ý: có phải ý bạn là 'trong-hong'?"),
    "missing_locality": ("[xem](../localities/ha-noi.md)", "9:7: lỗi: liên kết '../localities/ha-noi.md': không có "
                         "trang 'ha-noi' trong content/localities/",
                         "    gợi ý: sửa tên tệp trong liên kết cho đúng, hoặc bỏ liên kết"),
    "missing_site_path": ("[xem](/dia-phuong/ha-noi/)", "9:7: lỗi: liên kết '/dia-phuong/ha-noi/': không có trang "
                          "'ha-noi' trong content/localities/",
                          "    gợi ý: sửa tên tệp trong liên kết cho đúng, hoặc bỏ liên kết"),
    "javascript": ("[bấm](javascript:alert(1))", "9:7: lỗi: liên kết 'javascript:alert(1' dùng loại địa chỉ không "
                   "được phép", "    gợi ý: chỉ dùng địa chỉ bắt đầu bằng https://, http://, mailto: hoặc tel:"),
    "relative_folder": ("[xem](trong-hong/)", "9:7: lỗi: liên kết 'trong-hong/' sẽ không mở được khi trang được "
                        "xuất bản", "    gợi ý: liên kết tới trang khác bằng tên tệp có đuôi .md, ví dụ "
                        "[xem](ten-mo-hinh.md), hoặc bằng địa chỉ đầy đủ https://…"),
    "outside_content": ("[xem](../../site.md)", "9:7: lỗi: liên kết '../../site.md' trỏ tới một tệp ngoài "
                        "content/models/ và content/localities/", "    gợi ý: liên kết tới trang khác bằng tên tệp "
                        "của nó: [xem](ten-mo-hinh.md) hoặc [xem](../localities/ten-dia-phuong.md)"),
    "draft": ("[xem](ban-nhap.md)", "9:7: lỗi: liên kết 'ban-nhap.md' trỏ tới 'ban-nhap', trang này chưa được "
              "xuất bản (bản nháp hoặc còn lỗi)", "    gợi ý: bỏ liên kết, hoặc xuất bản trang đó trước"),
    "raw_html_href": ('<a href="vbscript:x">a</a>', "9:10: lỗi: liên kết 'vbscript:x' dùng loại địa chỉ không được "
                      "phép", "    gợi ý: chỉ dùng địa chỉ bắt đầu bằng https://, http://, mailto: hoặc tel:"),
}


@pytest.mark.parametrize("name", sorted(LINK_CASES))
def test_a_link_that_would_break_is_a_located_error(make_site, tmp_path, name) -> None:
    body, where, hint = LINK_CASES[name]
    draft = MODEL.replace("title: Trồng hồng ở xã Lộc Yên", "title: Bản nháp\ndraft: true")
    root = make_site({**with_body(body), "content/models/ban-nhap.md": draft})
    result = run_cli(root, "build", "--out", str(tmp_path / "out"))
    assert result.code == 1
    lines = result.err.splitlines()
    first = "content/models/nuoi-ga.md:" + where
    assert first in lines, result.err
    assert next(line for line in lines[lines.index(first):] if line.startswith("    gợi ý")) == hint
    assert not (tmp_path / "out").exists()


def test_links_in_code_are_not_checked(make_site) -> None:
    root = make_site(with_body("Viết `[xem](ten.md)` hoặc:\n\n```\n[xem](khong-co.md)\n```\n"))
    assert run_cli(root, "check", "--strict").code == 0


def test_only_safe_schemes_pass() -> None:
    for url in ("https://a.vn", "http://a.vn", "mailto:a@b.vn", "tel:+84"):
        assert resolve_link(url, "model", "/").url == url
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "vbscript:x", "JaVaScRiPt:x"):
        assert resolve_link(url, "model", "/") .problem == "link_scheme"


UNSAFE = """\
Đoạn đầu.

<script>alert("x")</script>

<p onclick="steal()">Bấm vào đây</p>

<iframe src="https://example.vn/video"></iframe>

| Năm | Tỷ lệ |
|:----|------:|
| 2023 | 1,7 % |

Chú thích[^1].

[^1]: Theo báo cáo.
"""


def test_unsafe_html_is_removed_with_a_located_warning_and_markdown_is_kept(make_site, tmp_path) -> None:
    root = make_site(with_body(UNSAFE))
    relaxed = run_cli(root, "build", "--no-search", "--out", str(tmp_path / "out"))
    assert relaxed.code == 0, relaxed.err
    lines = relaxed.err.splitlines()
    hint = "    gợi ý: bỏ đoạn mã này; để nhúng bản đồ hay video, dán liên kết https://… thay vì mã nhúng"
    for where, what in (("11:1", "<script>"), ("13:4", "thuộc tính onclick="), ("15:1", "<iframe>")):
        first = f"content/models/nuoi-ga.md:{where}: cảnh báo: {what} trong bài sẽ bị bỏ khi xuất bản (không an toàn cho người đọc)"
        assert first in lines, relaxed.err
        assert lines[lines.index(first) + 3] == hint
    page = (tmp_path / "out/mo-hinh/nuoi-ga/index.html").read_text("utf-8")
    for removed in ("<script>alert", "onclick", "<iframe", "steal()"):
        assert removed not in page
    assert "<p>Bấm vào đây</p>" in page
    assert '<th align="left">Năm</th>' in page and '<td align="right">1,7 %</td>' in page
    assert 'class="footnote"' in page and 'href="#fn:1"' in page
    assert ' style="' not in page[page.index("Đoạn đầu."):]
    assert run_cli(root, "build", "--strict", "--out", str(tmp_path / "strict")).code == 1


def test_the_policy_is_one_constant_in_every_page(sample_site: Path) -> None:
    assert '"' not in CONTENT_SECURITY_POLICY and "<" not in CONTENT_SECURITY_POLICY
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    pages = sorted(sample_site.rglob("*.html"))
    assert pages and all(meta in page.read_text("utf-8") for page in pages)
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY and "'unsafe-inline'" not in \
        CONTENT_SECURITY_POLICY


WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations(page: object, url: str, act: str = "") -> list[str]:
    page.add_init_script(WATCH_CSP)  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    if act:
        page.evaluate(act)  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    return page.evaluate("window.__csp")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["", "mo-hinh/trong-hong-loc-yen/", "tim-kiem/?q=hong", "tham-quan/", "du-lieu/"])
def test_the_themes_own_pages_satisfy_the_policy_in_chromium(sample_url: str, page: object, path: str) -> None:
    assert violations(page, sample_url + path) == []


def test_the_map_with_leaflet_satisfies_the_policy(make_site, page: object) -> None:
    located = COMMUNE.replace("parent: lang-son\n", "parent: lang-son\ncoordinates: {lat: 21.9, lon: 106.8}\n")
    out = built(make_site({"content/localities/loc-yen.md": located}), "--no-search")
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())  # type: ignore[attr-defined]
    with serve_directory(out) as url:
        found = violations(page, url + "ban-do/")
        assert page.locator(".leaflet-container").count() == 1  # type: ignore[attr-defined]
    assert found == []


def test_the_guides_link_examples_point_at_real_pages() -> None:
    from conftest import REPO

    guide = (REPO / "docs/huong-dan-bien-tap.md").read_text("utf-8")
    examples = re.findall(r"^(?:Xem thêm|Về|Các) \[[^\]]+\]\(([^)]+\.md)\)", guide, re.M)
    assert len(examples) == 3
    for target in examples:
        link = resolve_link(target, "model", "/")
        assert link.kind and (REPO / "content" / {"model": "models", "locality": "localities"}[link.kind]
                              / f"{link.id}.md").is_file(), target
    assert ".venv/bin/showcase" in guide and ".venv\\Scripts\\showcase.exe" in guide
    assert (REPO / ".venv/bin/showcase").is_file()      # the exact path the guide gives for Linux and macOS


def test_every_tag_and_attribute_outside_the_allowlist_is_named(make_site) -> None:
    body = ('<center>Giữa</center> <div style="color:red" class="ghi-chu">Đỏ</div> '
            '<img src="https://example.vn/a.jpg" alt="Ảnh" onerror="x()"> <abbr title="Hội Liên hiệp Phụ nữ">Hội LHPN</abbr>\n'
            "<https://example.vn/tu-dong> <vanphong@example.gov.vn>")
    result = run_cli(make_site(with_body(body)), "check")
    named = [line.split(": cảnh báo: ")[1].split(" trong bài")[0] for line in result.err.splitlines()
             if ": cảnh báo: " in line]
    assert named == ["<center>", "thuộc tính style=", "thuộc tính onerror="], result.err
    assert "content/models/nuoi-ga.md:9:28: cảnh báo: thuộc tính style=" in result.err
