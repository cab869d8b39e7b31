"""The search stage on disk: what the index holds, write-only-if-changed, pruning, failure, settings."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

from conftest import MINIMAL_CONFIG, MODEL, run_cli, snapshot

import generator.publish.search
from generator.build import build
from generator.content.config import load_config
from generator.pages.search_terms import COPIES_PER_OCCURRENCE

VISITED_MODEL = """\
---
title: Nuôi lợn ở xã Lộc Yên
summary: Hội Nông dân giúp hộ nghèo nuôi lợn.
locality: loc-yen
sectors: [chan-nuoi]
target_groups: [ho-ngheo]
host: {name: Hội Nông dân xã Lộc Yên, type: hoi-nong-dan}
visiting: {accepts_visits: true, best_months: [9, 10]}
updated: 2024-01-05
---
Nội dung.
"""
SYNONYMS = "search:\n  synonyms:\n    - [heo, lợn]\n    - [dứa, thơm]\n"
# Prose made of common accented words, as model pages are.
PROSE = ("Hội Nông dân xã hỗ trợ hộ nghèo vay vốn, hướng dẫn kỹ thuật chăn nuôi và tìm đầu ra cho sản phẩm "
         "để các hộ có việc làm, tăng thu nhập, thoát nghèo bền vững. ")


def hidden_spans(html: str) -> dict[str, list[str]]:
    """The Pagefind filters and sorts a page declares, by attribute."""
    found: dict[str, list[str]] = {}
    for attr, value in re.findall(r'<span hidden (data-pagefind-(?:filter|sort))="([^"]*)"', html):
        found.setdefault(attr, []).append(value)
    return found


def terms(html: str) -> list[str]:
    return re.search(r'data-terms="([^"]*)"', html).group(1).split()


def fragments(site: Path) -> list[dict]:
    """Every result record Pagefind wrote: gzip, after Pagefind's 12-byte signature, JSON."""
    return [json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
            for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))]


def test_sample_build_indexes_models_and_localities_only(sample_site: Path):
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["vi"]["page_count"] == 16 + 19
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    assert not (sample_site / "pagefind" / "pagefind-ui.js").exists()   # our page uses the JS API only
    page = (sample_site / "mo-hinh" / "chan-nuoi-gia-cam-lien-ho-hai-duong" / "index.html").read_text("utf-8")
    assert {"hải", "phòng"} <= set(terms(page))                       # now part of Hải Phòng
    assert 'data-pagefind-filter="tinh:hai-phong"' in page
    shop = (sample_site / "mo-hinh" / "cua-hang-rau-ma-quang-tho" / "index.html").read_text("utf-8")
    assert {"thừa", "thiên", "huế", "quảng", "điền", "dien", "htx"} <= set(terms(shop))
    names = json.loads((sample_site / "tim-kiem" / "goi-y.json").read_text("utf-8"))
    assert ["Điện Biên", "/dia-phuong/dien-bien/"] in names["places"]
    assert ["Thừa Thiên Huế", "/dia-phuong/hue/"] in names["places"]


def test_filters_and_sorts_from_front_matter(make_site, tmp_path):
    root = make_site({"content/models/trong-hong.md": VISITED_MODEL}, config=MINIMAL_CONFIG + SYNONYMS)
    out = tmp_path / "out"
    assert run_cli(root, "build", "--no-search", "--quiet", "--out", str(out)).code == 0
    assert not (out / "pagefind").exists()
    html = (out / "mo-hinh" / "trong-hong" / "index.html").read_text("utf-8")
    assert hidden_spans(html) == {
        "data-pagefind-filter": ["doi-tuong:ho-ngheo", "don-vi:hoi-nong-dan", "linh-vuc:chan-nuoi", "loai:mo-hinh",
                                 "tham-quan:co", "thang:10", "thang:9", "tinh:lang-son",
                                 "vung:trung-du-mien-nui-phia-bac"],
        "data-pagefind-sort": ["cap-nhat:2024-01-05", "ten:nuoi lon o xa loc yen"]}
    words = terms(html)
    assert "heo" in words and "thơm" not in words    # only groups with a word on the page
    # Chunk sizing: every accented word's unaccented key, repeated per occurrence on the page.
    counts = Counter(words)
    assert counts["loc"] == counts["yen"] >= 2 * COPIES_PER_OCCURRENCE            # "Lộc Yên", title and more
    assert all(counts[key] % COPIES_PER_OCCURRENCE == 0 for key in ("loc", "yen", "nuoi", "lon", "hoi"))
    assert counts["lợn"] == 1 and "lon" in words                                    # the synonym as written


def test_chunk_sizing_in_site_yaml_sets_the_repeats_and_a_bad_value_is_located(make_site, tmp_path):
    counts = {}
    for copies in (0, 2):
        root = make_site({"content/models/trong-hong.md": VISITED_MODEL},
                         config=MINIMAL_CONFIG + SYNONYMS + f"  chunk_sizing: {copies}\n")
        out = tmp_path / f"out-{copies}"
        assert run_cli(root, "build", "--no-search", "--quiet", "--out", str(out)).code == 0
        counts[copies] = Counter(terms((out / "mo-hinh" / "trong-hong" / "index.html").read_text("utf-8")))
        root.rename(tmp_path / f"src-{copies}")      # make_site builds in one folder
    assert counts[0]["loc"] == 0 and counts[0]["heo"] == 1     # no repeats; synonyms still there
    assert counts[2]["loc"] == counts[2]["yen"] > 0 and counts[2]["loc"] % 2 == 0
    root = make_site({"content/models/trong-hong.md": VISITED_MODEL},
                     config=MINIMAL_CONFIG + SYNONYMS + "  chunk_sizing: nhiều\n")
    result = run_cli(root, "build", "--no-search", "--quiet", "--out", str(tmp_path / "bad"))
    assert result.code == 1 and not (tmp_path / "bad").exists()
    assert "site.yaml:13:17: lỗi:" in result.err and "search.chunk_sizing" in result.err \
        and "số nguyên từ 0 đến 12" in result.err


def test_common_accented_words_get_index_chunks_of_their_own(make_site, tmp_path):
    """Pagefind counts only exact spellings when it cuts its index into chunks, so without the repeated
    keys in the terms, accented prose lands in one chunk that every first query downloads whole."""
    files = {f"content/models/mo-hinh-{i:02d}.md": MODEL.replace("Trồng hồng", f"Mô hình {i}").replace(
        "Nội dung.", PROSE * 40) for i in range(30)}
    root = make_site(files)
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    chunks = [path.stat().st_size for path in (out / "pagefind" / "index").glob("*.pf_index")]
    assert len(chunks) >= 4, chunks
    assert max(chunks) <= sum(chunks) / 3, chunks


def test_results_carry_no_qr_code_image(sample_site: Path):
    """Pagefind takes the first <img> in the body as a result's image unless the page names one; the
    print-only QR code would put its URL and alt text into the index of every model."""
    records = fragments(sample_site)
    assert len(records) == 16 + 19
    for record in records:
        assert "qr" not in record["meta"].get("image", "") and "image_alt" not in record["meta"], record["url"]
        assert "Mã QR" not in record["content"]


def test_second_build_writes_nothing_and_stale_index_files_are_pruned(make_site, tmp_path):
    root = make_site()
    out = tmp_path / "out"
    first = build(load_config(root), out)
    assert first.ok and first.search is not None and first.search.written > 0
    before = snapshot(out)
    second = build(load_config(root), out)
    assert (second.report.written, second.search.written, second.search.removed) == (0, 0, 0)
    assert snapshot(out) == before
    # a content change: new hashed index files come in, the old ones and strays in pagefind/ go
    stray = out / "pagefind" / "fragment" / "vi_old.pf_fragment"
    stray.write_bytes(b"old")
    (root / "content" / "models" / "trong-hong.md").write_text(MODEL.replace("Nội dung.", "Nội dung mới."), "utf-8")
    third = build(load_config(root), out)
    assert third.ok and third.search.removed >= 2 and not stray.exists()
    after = snapshot(out)
    assert after["pagefind/pagefind-entry.json"] != before["pagefind/pagefind-entry.json"]
    entry = json.loads(after["pagefind/pagefind-entry.json"])
    assert f"pagefind/pagefind.{entry['languages']['vi']['hash']}.pf_meta" in after


def test_a_failed_index_run_keeps_the_previous_index(make_site, tmp_path, monkeypatch):
    root = make_site()
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    index_before = {p: b for p, b in snapshot(out).items() if p.startswith("pagefind/")}
    # Pagefind itself is not ours: make it fail as a broken install would.
    monkeypatch.setattr(generator.publish.search, "pagefind_command", lambda: ["sh", "-c", "echo 'Error: hỏng' >&2; exit 3"])
    (root / "content" / "models" / "trong-hong.md").write_text(MODEL.replace("Nội dung.", "Khác."), "utf-8")
    result = run_cli(root, "build", "--quiet", "--out", str(out))
    assert result.code == 1
    assert "site.yaml: lỗi: Pagefind báo lỗi khi tạo chỉ mục tìm kiếm: Error: hỏng" in result.err
    assert "showcase build --no-search" in result.err
    assert {p: b for p, b in snapshot(out).items() if p.startswith("pagefind/")} == index_before
    assert not list(tmp_path.glob(".pagefind-*"))


def test_malformed_synonyms_are_located_in_site_yaml(make_site):
    root = make_site(config=MINIMAL_CONFIG + "search:\n  synonyms:\n    - [heo, lợn]\n    - heo\n")
    result = run_cli(root, "check")
    assert result.code == 1
    line = len(MINIMAL_CONFIG.splitlines()) + 4
    assert f"site.yaml:{line}:7: lỗi: site.yaml: 'search.synonyms[2]' phải là một nhóm ít nhất hai từ" in result.err
