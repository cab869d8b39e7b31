"""Drafts and new files never block: their problems are warnings on that file, they get no public page,
the rest of the site builds, and the preview shows a draft's problems on the draft's own page only."""
from __future__ import annotations

from pathlib import Path

from conftest import MODEL, run_cli
from test_robust_serve import get
from generator.preview.serve import Preview

INCOMPLETE = "---\ntitle: Nuôi ong\nsummary:\nlocality: loc-yenn\nsectors:\ndraft: true\n---\n## Cách làm\n"
BROKEN = "---\ntitle: Nuôi ong\nsummary: [a, b\ndraft: true\n---\n"
READY = MODEL.replace("title: Trồng hồng ở xã Lộc Yên", "title: Nuôi ong ở xã Lộc Yên\ndraft: true")


def test_a_drafts_problems_are_warnings_and_the_rest_builds_under_strict(make_site, tmp_path: Path) -> None:
    root = make_site({"content/models/nuoi-ong.md": INCOMPLETE, "content/models/hong-ngot.md": BROKEN})
    result = run_cli(root, "build", "--strict", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert "content/models/nuoi-ong.md:3:1: cảnh báo: trường bắt buộc 'summary' đang để trống" in lines
    assert "content/models/nuoi-ong.md:4:11: cảnh báo: không có địa phương 'loc-yenn' (trường 'locality')" in lines
    assert "content/models/hong-ngot.md:4:6: cảnh báo: YAML không hợp lệ: thiếu dấu ']' hoặc ',' trong danh sách [ … ]" \
        in lines
    assert not any(": lỗi:" in line for line in lines)
    assert (tmp_path / "out/mo-hinh/trong-hong/index.html").is_file()
    assert not (tmp_path / "out/mo-hinh/nuoi-ong").exists() and not (tmp_path / "out/mo-hinh/hong-ngot").exists()


def test_a_file_that_is_not_a_draft_still_blocks(make_site, tmp_path: Path) -> None:
    root = make_site({"content/models/nuoi-ong.md": INCOMPLETE.replace("draft: true", "draft: false")})
    assert run_cli(root, "build", "--out", str(tmp_path / "out")).code == 1


def test_the_preview_shows_a_drafts_problems_on_its_own_page_only(make_site, tmp_path: Path) -> None:
    root = make_site({"content/models/nuoi-ong.md": INCOMPLETE,
                      "content/models/trong-hong.md": MODEL.replace("summary:", "ghi_chu_rieng: x\nsummary:")})
    preview = Preview(root, tmp_path / "preview", [].append)
    preview.rebuild()
    assert preview.status()["ok"]
    status, page = get(preview, "/mo-hinh/nuoi-ong/")
    assert status == "200 OK" and 'id="showcase-loi"' not in page
    box = page[page.index('<details id="showcase-ban-nhap" lang="vi" open'):]
    assert "Bản nháp content/models/nuoi-ong.md: chỉ có trong bản xem trước, chưa xuất bản; " in box
    assert "trường bắt buộc &#x27;summary&#x27; đang để trống" in box
    home = get(preview, "/")[1]
    assert "showcase-ban-nhap" not in home and "nuoi-ong.md" not in home        # not on other pages
    assert "content/models/trong-hong.md:3:1" in home                            # the site's own warning is


def test_a_complete_draft_is_named_a_draft_at_its_address_in_the_preview(make_site, tmp_path: Path) -> None:
    root = make_site({"content/models/nuoi-ong.md": READY})
    preview = Preview(root, tmp_path / "preview", [].append)
    preview.rebuild()
    status, page = get(preview, "/mo-hinh/nuoi-ong/")
    assert status == "200 OK" and "<h1>Bản nháp: chưa có trang</h1>" in page
    assert "Bản nháp content/models/nuoi-ong.md: chỉ có trong bản xem trước, chưa xuất bản" in page
    assert not (tmp_path / "preview/mo-hinh/nuoi-ong").exists()     # no page written: no tab reloads
    built = run_cli(root, "build", "--strict", "--out", str(tmp_path / "out"))
    assert built.code == 0 and not (tmp_path / "out/mo-hinh/nuoi-ong").exists()


def test_a_new_scaffold_never_puts_the_overlay_over_the_site(make_site, tmp_path: Path) -> None:
    root = make_site()
    created = run_cli(root, "new", "model", "Nuôi ong")
    assert created.code == 0
    preview = Preview(root, tmp_path / "preview", [].append)
    preview.rebuild()
    assert preview.status()["ok"] and preview.overlay == ""
    for path in ("/", "/mo-hinh/trong-hong/"):
        page = get(preview, path)[1]
        assert 'id="showcase-loi"' not in page and "showcase-ban-nhap" not in page
    status, page = get(preview, "/mo-hinh/nuoi-ong/")          # the URL `showcase new` printed
    assert status == "200 OK" and "<h1>Bản nháp: chưa có trang</h1>" in page
    assert "trường bắt buộc &#x27;locality&#x27; đang để trống" in page
