"""Cached and parallel builds (as `showcase build` runs them) give the bytes of a clean serial build.

A generated corpus of 60 models (bench/corpus.py) is built again and again into one folder with the
.cache/ layers and two forked workers, through edits, additions and deletions; after each step the
result must equal a clean serial build of the same inputs into a fresh folder. The search bundle is
left out: Pagefind's filter chunks are not byte-stable (tests/test_search_index.py covers search).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from conftest import REPO, snapshot
from generator.build import build
from generator.content.config import load_config
from generator.core.memo import DiskMemo
from generator.publish.write import MANIFEST

sys.path.insert(0, str(REPO / "bench"))
from corpus import corpus_communes, edit_model, make_corpus, model_path, model_text  # noqa: E402

MODELS = 60


def age(root: Path, seconds: int = 60) -> None:
    """Date every content file in the past, so the caches trust their timestamps as they would a day later."""
    past = time.time() - seconds
    for path in (root / "content").rglob("*.md"):
        os.utime(path, (past, past))


def cached_build(root: Path, out: Path) -> int:
    result = build(load_config(root), out, search=False, memo=DiskMemo(root), workers=2)
    assert result.ok, [d.code for d in result.diagnostics.errors]
    return result.report.written if result.report else -1


def assert_same_as_clean(root: Path, out: Path, clean: Path) -> None:
    result = build(load_config(root), clean, search=False)
    assert result.ok
    expected = {k: v for k, v in snapshot(clean).items() if k != MANIFEST}
    actual = {k: v for k, v in snapshot(out).items() if k != MANIFEST}
    assert sorted(actual) == sorted(expected)
    assert [k for k in expected if actual[k] != expected[k]] == []


def unreferenced_model(root: Path) -> int:
    texts = "\n".join(p.read_text("utf-8") for p in (root / "content/models").glob("*.md"))
    return next(i for i in range(MODELS - 1, 0, -1) if model_path(root, i).stem not in texts)


def test_cached_parallel_builds_match_clean_serial_builds(tmp_path):
    root = make_corpus(tmp_path / "corpus", MODELS)
    age(root, 120)
    out = tmp_path / "site"
    assert cached_build(root, out) > 0
    assert (root / ".cache/build").is_dir()
    assert_same_as_clean(root, out, tmp_path / "clean-1")
    assert cached_build(root, out) == 0                           # nothing changed: nothing written

    # One body edited, one title changed (it shows on listings), one locality renamed.
    edit_model(root, 3, MODELS, " Một câu mới.")
    path = model_path(root, 4)
    path.write_text(path.read_text("utf-8").replace("(dữ liệu thử số 5)", "(dữ liệu thử số năm)"), "utf-8")
    locality = root / "content/localities" / f"{corpus_communes(root)[0]}.md"
    locality.write_text(locality.read_text("utf-8").replace("name: xã ", "name: phường "), "utf-8")
    age(root, 30)
    assert 0 < cached_build(root, out)
    assert_same_as_clean(root, out, tmp_path / "clean-2")

    # A model added and one nobody links to deleted, in the same step; the edit is fresh (racy mtime).
    model_path(root, MODELS).write_text(model_text(MODELS, MODELS, corpus_communes(root)), "utf-8")
    gone = unreferenced_model(root)
    model_path(root, gone).unlink()
    cached_build(root, out)
    assert not (out / f"mo-hinh/{model_path(root, gone).stem}").exists()
    assert (out / f"mo-hinh/{model_path(root, MODELS).stem}/index.html").is_file()
    assert_same_as_clean(root, out, tmp_path / "clean-3")

    # A file damaged by hand in the output is noticed even though no input changed.
    page = out / "mo-hinh/index.html"
    page.write_text("hỏng", "utf-8")
    assert cached_build(root, out) == 1
    assert_same_as_clean(root, out, tmp_path / "clean-4")


def test_files_saved_just_before_a_build_count_as_unchanged_once_their_timestamps_are_trusted(tmp_path, monkeypatch):
    root = make_corpus(tmp_path / "corpus", 5)                 # just written: too fresh to trust
    out = tmp_path / "site"
    cached_build(root, out)
    monkeypatch.setattr("generator.core.inputs.RACY_NS", 0)          # as if the 2 s window had passed
    result = build(load_config(root), out, search=False, memo=DiskMemo(root), workers=2)
    assert result.ok and result.unchanged                     # stopped after the scan: nothing rendered
