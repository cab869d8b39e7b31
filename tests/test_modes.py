"""`showcase check`, `showcase build` and the preview run one build function: for the same broken
inputs they report the same problems, in the same order, and none of them writes a page."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, MODEL, photo, snapshot
from generator.build import build
from generator.content.config import load_config
from generator.core.memo import DiskMemo, MemoryMemo

BROKEN = {
    # A bad reference and a type error in one file: the preview once showed only one of them.
    "content/models/trong-hong.md": MODEL.replace("locality: loc-yen", "locality: noi-khac")
                                         .replace("[trong-trot]", "[trong-trott]")
                                         .replace("---\n## ", "started: năm xưa\nrelated: [khong-co]\n---\n## "),
    # Two files whose names give the same id.
    "content/models/trong_hong.md": MODEL,
    # A photo that is not a photo, and one that is missing.
    "content/models/anh.md": MODEL.replace("---\n## ", "images:\n  - {src: images/hong.jpg, alt: Vườn hồng}\n"
                                                      "  - {src: images/khong-co.jpg, alt: Không có}\n---\n## "),
    "content/images/hong.jpg": b"not a jpeg at all",
    # A locality with a parent that does not exist.
    "content/localities/xa-moi.md": "---\nname: xã Mới\nlevel: xa\nparent: khong-co\n---\n",
}
# site.yaml: a licence without a name, and a featured id that is not a model.
BROKEN_CONFIG = MINIMAL_CONFIG + "licence: {url: https://example.vn/giay-phep}\nfeatured: [khong-co]\n"


def problems(result) -> list[str]:
    return [d.format() for d in result.diagnostics.sorted()]


@pytest.fixture
def good_then_broken(make_site) -> tuple[Path, Path]:
    root = make_site({"content/images/ok.jpg": photo()})
    return root, root.parent / "out"


def break_site(root: Path) -> None:
    (root / "site.yaml").write_text(BROKEN_CONFIG, "utf-8")
    for rel, text in BROKEN.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, "utf-8")


def test_check_build_and_preview_report_the_same_problems(good_then_broken) -> None:
    root, out = good_then_broken
    preview = MemoryMemo()
    assert build(load_config(root), out, memo=preview, search=False).ok      # the preview's first build
    before = snapshot(out)
    break_site(root)
    config = load_config(root)
    checked = build(config, None)
    built = build(config, out, memo=DiskMemo(root), search=False)
    previewed = build(config, out, memo=preview, search=False)
    expected = problems(checked)
    codes = {d.code for d in checked.diagnostics.items}
    assert {"unknown_locality", "unknown_vocab_closest", "unknown_model", "duplicate_id", "config_field", "image_unreadable",
            "image_missing"} <= codes, codes
    assert problems(built) == expected
    assert problems(previewed) == expected
    assert snapshot(out) == before                     # nothing written by the failing builds


def test_problems_come_out_in_the_same_order_every_time(good_then_broken) -> None:
    root, _ = good_then_broken
    break_site(root)
    runs = {tuple(problems(build(load_config(root), None))) for _ in range(3)}
    assert len(runs) == 1


def test_check_writes_nothing_not_even_the_photo_cache(make_site) -> None:
    root = make_site({"content/images/ok.jpg": photo(),
                      "content/models/anh.md": MODEL.replace("---\n## ", "images:\n  - {src: images/ok.jpg, "
                                                                        "alt: Ảnh}\n---\n## ")})
    before = snapshot(root)
    assert build(load_config(root), None).ok
    assert snapshot(root) == before and not (root / ".cache").exists()


def test_a_template_reading_an_unknown_field_fails_at_its_line(make_site) -> None:
    root = make_site({"themes/default/templates/model.html":
                      '{% extends "default/model.html" %}\n{% block title %}{{ model.titel }}{% endblock %}\n'})
    result = build(load_config(root), root.parent / "out", search=False)
    errors = [d.format() for d in result.diagnostics.errors]
    assert errors and errors[0].startswith("themes/default/templates/model.html:2: lỗi:"), errors
    assert "titel" in errors[0]
    assert not (root.parent / "out").exists()
