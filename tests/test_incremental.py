"""Incremental builds give exactly the bytes of a clean build: with the preview's memo kept in memory,
and with the CLI's memo on disk read again by each build as a new process would."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.core.memo import DiskMemo, Memo, MemoryMemo
from generator.content.config import load_config
from tests.conftest import copy_repo_site, snapshot

MODEL = "content/models/trong-hong-loc-yen.md"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _first_line_with(root: Path, rel: str, prefix: str) -> str:
    return next(line for line in (root / rel).read_text("utf-8").splitlines() if line.startswith(prefix))


# Each step edits the sources; after each, the incremental output must equal a clean build's.
STEPS = [
    ("no change", lambda r: None),
    ("body edit", lambda r: _edit(r, MODEL, "## ", "## Ghi chú thêm\n\nMột đoạn mới.\n\n## ")),
    ("title edit", lambda r: _edit(r, MODEL, _first_line_with(r, MODEL, "title:"), "title: Aaa mô hình đổi tên")),
    ("sectors edit", lambda r: _edit(r, MODEL, _first_line_with(r, MODEL, "sectors:"), "sectors: [nha-o, chan-nuoi]")),
    ("add models", lambda r: [(r / f"content/models/{name}.md").write_text(
        f"---\ntitle: Mô hình {name}\nsummary: Tóm tắt.\nlocality: loc-yen\nsectors: [chan-nuoi]\n"
        "related: [trong-hong-loc-yen]\npublished: 2030-01-01\n---\nNội dung.\n", "utf-8")
        for name in ("mo-hinh-moi", "mo-hinh-tam")]),
    ("rename model", lambda r: (r / "content/models/mo-hinh-moi.md").rename(r / "content/models/mo-hinh-doi-ten.md")),
    ("locality name edit", lambda r: _edit(r, "content/localities/loc-yen.md",
                                           _first_line_with(r, "content/localities/loc-yen.md", "name:"),
                                           "name: xã Lộc Yên Mới")),
    ("template edit", lambda r: _edit(r, "themes/default/templates/_macros.html", '<li class="card">',
                                      '<li class="card" data-the="1">')),
    ("base template edit", lambda r: _edit(r, "themes/default/templates/base.html", "</footer>",
                                           "<p>Chân trang mới.</p></footer>")),
    ("site theme override", lambda r: (r / "themes/default/templates/robots.txt").write_text(
        "User-agent: *\nDisallow: /\n", "utf-8")),
    # Read through site helpers (the tour's map links), not the graph directly.
    ("locality coordinates", lambda r: _edit(r, "content/localities/loc-yen.md", "level: xa",
                                             "level: xa\ncoordinates: {lat: 21.9, lon: 106.8}")),
    ("make draft", lambda r: _edit(r, "content/models/mo-hinh-doi-ten.md", "published:", "draft: true\npublished:")),
    ("delete model", lambda r: (r / "content/models/mo-hinh-tam.md").unlink()),
    ("static edit", lambda r: (r / "themes/default/static/style.css").write_text("body{color:#111}\n", "utf-8")),
    ("site.yaml edit", lambda r: _edit(r, "site.yaml", "feed_size: 20", "feed_size: 3")),
]


@pytest.fixture
def editable_site(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    return copy_repo_site(tmp_path / "src")


class FreshDiskMemo:
    """A new DiskMemo for every build, as each `showcase build` is a new process."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self) -> Memo:
        return DiskMemo(self.root)


# Builds here skip Pagefind: its filter chunks are not byte-stable (tests/test_search_index.py covers it).
@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_incremental_output_equals_clean_build_after_each_edit(editable_site: Path, tmp_path: Path,
                                                               backend: str) -> None:
    root, out = editable_site, tmp_path / "incremental"
    kept = MemoryMemo()
    memo = (lambda: kept) if backend == "memory" else FreshDiskMemo(root)
    assert build(load_config(root), out, search=False, memo=memo()).ok
    for name, step in STEPS:
        step(root)
        result = build(load_config(root), out, search=False, memo=memo())
        assert result.ok, (name, [d.format() for d in result.diagnostics.errors])
        clean = tmp_path / f"clean-{name.replace(' ', '-')}"
        assert build(load_config(root), clean, search=False).ok
        assert snapshot(out) == snapshot(clean), f"after {name!r} the incremental output differs"
        shutil.rmtree(clean)


def test_body_edit_rerenders_only_the_model_page(editable_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(load_config(editable_site), out, search=False, memo=DiskMemo(editable_site))
    before = snapshot(out)
    _edit(editable_site, MODEL, "## ", "## Mục mới\n\nThêm.\n\n## ")
    # A new memo read from disk, as the next `showcase build` would.
    result = build(load_config(editable_site), out, search=False, memo=DiskMemo(editable_site))
    assert (first.rendered, result.rendered, result.pages) == (first.pages, 1, first.pages)
    after = snapshot(out)
    changed_pages = {p for p in after if p.endswith(".html") and after[p] != before.get(p)}
    assert changed_pages == {"mo-hinh/trong-hong-loc-yen/index.html"}


def test_title_edit_rerenders_its_listings_but_not_unrelated_model_pages(editable_site: Path,
                                                                         tmp_path: Path) -> None:
    memo, out = MemoryMemo(), tmp_path / "out"
    build(load_config(editable_site), out, search=False, memo=memo)
    before = snapshot(out)
    _edit(editable_site, MODEL, _first_line_with(editable_site, MODEL, "title:"), "title: Hồng đổi tên")
    result = build(load_config(editable_site), out, search=False, memo=memo)
    after = snapshot(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert {"mo-hinh/trong-hong-loc-yen/index.html", "mo-hinh/index.html", "feed.xml"} <= changed
    assert 0 < result.rendered < result.pages // 2


def test_no_change_rebuild_writes_nothing_and_renders_nothing(editable_site: Path, tmp_path: Path) -> None:
    memo, out = MemoryMemo(), tmp_path / "out"
    build(load_config(editable_site), out, search=False, memo=memo)
    result = build(load_config(editable_site), out, search=False, memo=memo)
    assert result.ok and result.report is not None
    assert (result.report.written, result.report.removed, result.rendered) == (0, 0, 0)


def test_broken_edit_fails_then_fix_builds_the_same_as_clean(editable_site: Path, tmp_path: Path) -> None:
    memo, out = MemoryMemo(), tmp_path / "out"
    build(load_config(editable_site), out, search=False, memo=memo)
    before = snapshot(out)
    _edit(editable_site, MODEL, "locality:", "locality: [")
    broken = build(load_config(editable_site), out, search=False, memo=memo)
    assert not broken.ok and snapshot(out) == before
    _edit(editable_site, MODEL, "locality: [", "locality:")
    assert build(load_config(editable_site), out, search=False, memo=memo).ok
    clean = tmp_path / "clean"
    build(load_config(editable_site), clean, search=False)
    assert snapshot(out) == snapshot(clean)


def test_same_size_rewrite_within_the_same_timestamp_is_seen(editable_site: Path, tmp_path: Path) -> None:
    """Coarse timestamps: a rewrite of equal size in the same clock tick as the last build's read."""
    memo, out, path = MemoryMemo(), tmp_path / "out", editable_site / MODEL
    path.write_bytes(path.read_bytes()[:-2] + b"a\n")
    first = path.stat()
    build(load_config(editable_site), out, search=False, memo=memo)
    path.write_bytes(path.read_bytes()[:-2] + b"b\n")
    os.utime(path, ns=(first.st_atime_ns, first.st_mtime_ns))     # the same tick, as a coarse clock gives
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (first.st_size, first.st_mtime_ns)
    build(load_config(editable_site), out, search=False, memo=memo)
    clean = tmp_path / "clean"
    build(load_config(editable_site), clean, search=False)
    assert snapshot(out) == snapshot(clean)
