"""Build invariants: golden output, nothing rewritten without change, pruning, determinism."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path


from conftest import MODEL, REPO, photo, run_cli, snapshot
from generator.publish.write import MANIFEST

GOLDEN = Path(__file__).parent / "golden" / "minimal"
VENDORED = {"vendor/qrcode-generator/qrcode.js": "qrcode-generator/dist/qrcode.js"}
THEME_STATIC = REPO / "themes" / "default" / "static"


def build(root: Path, out: Path, *args: str) -> str:
    result = run_cli(root, "build", "--out", str(out), *args)
    assert result.code == 0, result.err
    return result.err


# The search index is gzip (its bytes follow the zlib version): the golden tree leaves it out, and
# tests/test_search_index.py checks that two builds write it byte for byte the same.
NO_SEARCH = "--no-search"


def test_tiny_site_matches_golden_output(make_site, tmp_path, request):
    out = tmp_path / "out"
    build(make_site(), out, NO_SEARCH)
    actual = {k: v for k, v in snapshot(out).items() if k != MANIFEST}
    # Theme assets are published as they are: compare them with their source, not with a golden copy.
    static = snapshot(THEME_STATIC)
    for rel, data in static.items():
        assert actual.pop(rel) == data, f"{rel} is not published as themes/default/static/{rel}"
    for rel, source in VENDORED.items():          # copied from node_modules, not made by us
        assert actual.pop(rel) == (REPO / "node_modules" / source).read_bytes(), rel
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = snapshot(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel] == expected[rel], f"{rel} differs from tests/golden/minimal (pytest --update-golden)"


def test_second_build_writes_nothing(make_site, tmp_path):
    root, out = make_site(), tmp_path / "out"
    build(root, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run_cli(root, "build", "--out", str(out))
    assert result.code == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_edit_rewrites_only_changed_files_and_deleted_source_is_pruned(make_site, tmp_path):
    extra = MODEL.replace("Trồng hồng ở xã Lộc Yên", "Nuôi gà ở xã Lộc Yên")
    root = make_site({"content/models/nuoi-ga.md": extra})
    out = tmp_path / "out"
    build(root, out)
    assert (out / "mo-hinh/nuoi-ga/index.html").is_file()
    (out / "ghi-chu.txt").write_text("tệp của người dùng", "utf-8")

    (root / "content/models/nuoi-ga.md").unlink()
    build(root, out)

    assert not (out / "mo-hinh/nuoi-ga").exists()
    assert (out / "mo-hinh/trong-hong/index.html").is_file()
    assert (out / "ghi-chu.txt").read_text("utf-8") == "tệp của người dùng"  # never ours to delete
    assert "nuoi-ga" not in (out / "sitemap.xml").read_text("utf-8")


def test_same_inputs_give_byte_identical_output(make_site, tmp_path):
    root = make_site()
    build(root, tmp_path / "a", NO_SEARCH)
    build(root, tmp_path / "b", NO_SEARCH)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_bom_crlf_and_nfd_sources_build_like_clean_ones(make_site, tmp_path):
    clean = make_site()
    build(clean, tmp_path / "clean", NO_SEARCH)
    messy_model = "\ufeff" + unicodedata.normalize("NFD", MODEL).replace("\n", "\r\n")
    (clean / "content/models/trong-hong.md").write_bytes(messy_model.encode("utf-8"))
    build(clean, tmp_path / "messy", NO_SEARCH)
    assert snapshot(tmp_path / "messy") == snapshot(tmp_path / "clean")
    page = (tmp_path / "messy/mo-hinh/trong-hong/index.html").read_text("utf-8")
    assert "Trồng hồng ở xã Lộc Yên" in page and unicodedata.is_normalized("NFC", page)


def test_draft_is_left_out_of_the_build_and_listed_by_check(make_site, tmp_path):
    draft = MODEL.replace("Trồng hồng ở xã Lộc Yên", "Bản nháp").replace("---\n## ", "draft: true\n---\n## ")
    root = make_site({"content/models/ban-nhap.md": draft})
    out = tmp_path / "out"
    build(root, out)
    assert not (out / "mo-hinh/ban-nhap").exists()
    assert "Bản nháp" not in (out / "mo-hinh/index.html").read_text("utf-8")
    check = run_cli(root, "check")
    assert check.code == 0
    assert "content/models/ban-nhap.md: bản nháp (draft: true), không xuất bản" in check.out.splitlines()


def test_pages_exist_link_each_other_and_use_clean_urls(sample_site):
    expected = ["index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt",
                "mo-hinh/index.html", "mo-hinh/trong-hong-loc-yen/index.html",
                "dia-phuong/index.html", "dia-phuong/loc-yen/index.html", "dia-phuong/lang-son/index.html",
                "vung/index.html", "vung/trung-du-mien-nui-phia-bac/index.html",
                "linh-vuc/index.html", "linh-vuc/trong-trot/index.html",
                "doi-tuong/index.html", "doi-tuong/ho-ngheo/index.html"]
    for rel in expected:
        assert (sample_site / rel).is_file(), rel
    for path in sample_site.rglob("*"):
        rel = path.relative_to(sample_site).as_posix()
        assert rel == rel.lower() and rel.isascii(), rel
    model = (sample_site / "mo-hinh/trong-hong-loc-yen/index.html").read_text("utf-8")
    assert '<html lang="vi">' in model
    for link in ('href="/dia-phuong/loc-yen/"', 'href="/dia-phuong/cao-loc/"', 'href="/dia-phuong/lang-son/"',
                 'href="/linh-vuc/trong-trot/"'):
        assert link in model, link
    locality = (sample_site / "dia-phuong/loc-yen/index.html").read_text("utf-8")
    assert 'href="/mo-hinh/trong-hong-loc-yen/"' in locality


def test_merged_province_names_its_successor(sample_site):
    page = (sample_site / "mo-hinh/chan-nuoi-gia-cam-lien-ho-hai-duong/index.html").read_text("utf-8")
    assert "thành phố Hải Phòng" in page and "tỉnh Hải Dương" in page
    successor = (sample_site / "dia-phuong/hai-phong/index.html").read_text("utf-8")
    assert 'href="/mo-hinh/chan-nuoi-gia-cam-lien-ho-hai-duong/"' in successor


def test_poverty_series_of_can_loc_is_shown_with_its_source(sample_site):
    page = (sample_site / "dia-phuong/can-loc/index.html").read_text("utf-8")
    for value in ("3,44%", "3,01%", "4,51%", "3,4%"):
        assert value in page, value
    assert 'href="#nguon-1"' in page


def test_sample_content_builds_strict_without_warnings(tmp_path):
    result = run_cli(REPO, "build", "--strict", "--out", str(tmp_path / "out"))
    assert result.code == 0
    assert result.err == ""


FULL_MODEL = """\
---
title: Nuôi gà đồi liên hộ
summary: Các hộ liên kết nuôi gà.
locality: loc-yen
sectors: [chan-nuoi, trong-trot]
target_groups: [ho-ngheo]
host: {name: Hội Nông dân xã Lộc Yên, type: hoi-nong-dan}
partners: [{name: Ngân hàng Chính sách xã hội, role: cho vay ưu đãi}]
started: 2018
status: pilot
participants: {households: 45, poor: 12, near_poor: 9}
figures:
  - {label: Hộ thoát nghèo, value: 1517, unit: hộ, year: 2023, source: 1}
replication:
  suitable_when: [Vùng đồi thấp]
  prerequisites: [Vốn vay ưu đãi]
  risks: [Dịch cúm gia cầm]
  time_to_first_result: 6 tháng
visiting: {accepts_visits: true, best_months: [9, 10], season_note: Mùa thu hoạch, duration: nửa ngày,
           max_group: 30, notice_days: 7, arrange_via: UBND xã Lộc Yên, access: Đường ô tô tới thôn}
contact: {name: Nguyễn Văn Thử, role: Chủ tịch Hội, organisation: Hội Nông dân xã, phone: "0205 3000 000", email: hoi@example.vn}
images: [{src: images/ga.jpg, alt: Đàn gà trên đồi, caption: Gà đồi, credit: Hội Nông dân}]
sources: [{title: Bài báo gốc, publisher: Báo Thử, author: Phóng viên, date: 2023-10, url: https://example.vn/bai}]
related: [trong-hong]
published: 2024-01-05
updated: 2024-02-06
---
Nội dung.
"""


def test_model_page_shows_every_front_matter_field(make_site, tmp_path):
    root = make_site({"content/models/nuoi-ga.md": FULL_MODEL, "content/images/ga.jpg": photo()})
    build(root, tmp_path / "out")
    html = (tmp_path / "out/mo-hinh/nuoi-ga/index.html").read_text("utf-8")
    shown = ["Nuôi gà đồi liên hộ", "Các hộ liên kết nuôi gà.", "xã Lộc Yên", "tỉnh Lạng Sơn", "Chăn nuôi",
             "Trồng trọt", "Hộ nghèo", "Hội Nông dân xã Lộc Yên", "Ngân hàng Chính sách xã hội",
             "cho vay ưu đãi", "2018", "thí điểm", "45 hộ", "hộ nghèo: 12", "hộ cận nghèo: 9",
             "Hộ thoát nghèo", "1.517 hộ", "2023", "Vùng đồi thấp", "Vốn vay ưu đãi", "Dịch cúm gia cầm",
             "6 tháng", "tháng 9, tháng 10", "Mùa thu hoạch", "nửa ngày", "30 người", "7 ngày",
             "UBND xã Lộc Yên", "Đường ô tô tới thôn", "Nguyễn Văn Thử", "Chủ tịch Hội", "0205 3000 000",
             "hoi@example.vn", 'alt="Đàn gà trên đồi"', "Gà đồi", "Bài báo gốc", "Báo Thử", "Phóng viên",
             "10/2023", 'href="https://example.vn/bai"', 'href="/mo-hinh/trong-hong/"', "5/1/2024",
             "6/2/2024"]
    missing = [text for text in shown if text not in html]
    assert missing == []


def test_locality_page_shows_every_front_matter_field(make_site, tmp_path):
    locality = ("---\nname: huyện Cũ\nlevel: huyen\nparent: lang-son\ncoordinates: {lat: 21.9, lon: 106.8}\n"
                "former_names: [huyện Xưa]\nmerged_into: lang-son\nvalid_until: 2025-06-30\n"
                "poverty:\n  - {year: 2020, poor: 4.43, near_poor: 6.38, source: 1}\n"
                "sources: [{title: Báo cáo rà soát}]\n---\nGiới thiệu.\n")
    root = make_site({"content/localities/huyen-cu.md": locality})
    build(root, tmp_path / "out")
    html = (tmp_path / "out/dia-phuong/huyen-cu/index.html").read_text("utf-8")
    shown = ["huyện Cũ", "Huyện", 'href="/dia-phuong/lang-son/"', "21.9", "106.8", "huyện Xưa",
             "30/6/2025", "2020", "4,43%", "6,38%", "Báo cáo rà soát", "Giới thiệu.",
             "Trung du và miền núi phía Bắc"]
    assert [text for text in shown if text not in html] == []


def test_sitemap_lists_every_page_with_an_address_of_its_own(sample_site):
    import re

    listed = re.findall(r"<loc>([^<]+)</loc>", (sample_site / "sitemap.xml").read_text("utf-8"))
    base = "https://mohinhgiamngheo.example.vn/"
    personal = {"tim-kiem/", "tham-quan/"}     # the search page and the planner: nothing to index
    expected = {base + p.parent.relative_to(sample_site).as_posix().removeprefix(".") + "/"
                for p in sample_site.rglob("index.html")}
    expected = {url.replace(base + "/", base) for url in expected} - {base + p for p in personal}
    assert sorted(listed) == sorted(expected)
