"""The preview never dies and always tells the truth: the `Preview` of `showcase serve` driven in-process
on real files (its watcher thread included), the pages read through its WSGI app."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

import generator.preview.serve as serve_module
from conftest import MODEL
from generator.core.inputs import scan_inputs
from generator.preview.serve import Preview, make_app, watch, watched_roots

MODEL_PATH = "content/models/trong-hong.md"
MODEL_URL = "/mo-hinh/trong-hong/"


def get(preview: Preview, path: str) -> tuple[str, str]:
    """GET `path` from the preview's WSGI app: (status, body)."""
    answer: dict[str, Any] = {}
    body = b"".join(make_app(preview)({"REQUEST_METHOD": "GET", "PATH_INFO": path},
                                      lambda status, headers: answer.update(status=status)))
    return answer["status"], body.decode("utf-8")


@pytest.fixture
def preview(make_site, tmp_path: Path) -> tuple[Preview, list[str]]:
    lines: list[str] = []
    root = make_site()
    return Preview(root, tmp_path / "preview", lines.append), lines


def test_an_internal_error_becomes_an_overlay_and_the_next_save_rebuilds(preview, monkeypatch) -> None:
    shown, lines = preview
    real_build = serve_module.build

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug in a stage")

    shown.rebuild()
    assert shown.overlay == ""
    monkeypatch.setattr(serve_module, "build", broken)
    shown.rebuild()                                     # must not raise: the watcher calls it
    status, body = get(shown, MODEL_URL)
    assert status == "200 OK" and "Trồng hồng ở xã Lộc Yên" in body      # the last good page, under the overlay
    assert "Không dựng lại được trang: lỗi nội bộ" in body
    assert "<details><summary>Chi tiết kỹ thuật (cho nhóm kỹ thuật)</summary>" in body
    assert "ZeroDivisionError: a bug in a stage" in body.split("<details>")[1]   # folded, not in the text above
    assert shown.status()["problems"][0]["code"] == "internal_error"
    assert lines[-1].startswith("Trạng thái: lỗi nội bộ của chương trình (không phải lỗi nội dung)")
    monkeypatch.setattr(serve_module, "build", real_build)
    shown.rebuild()
    assert shown.overlay == "" and shown.status()["ok"]
    assert lines[-1].startswith("Trạng thái: không có lỗi, 0 cảnh báo")


def test_the_watcher_outlives_a_crashing_rebuild(preview, monkeypatch) -> None:
    shown, lines = preview
    shown.rebuild()
    calls: list[int] = []

    def crash_once(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the rebuild itself broke")
        Preview.rebuild(shown, *args)

    monkeypatch.setattr(shown, "rebuild", crash_once)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(shown, stop, scan_inputs(shown.root, watched_roots(shown.root))),
                              daemon=True)
    thread.start()
    try:
        time.sleep(0.3)
        (shown.root / MODEL_PATH).write_text(MODEL.replace("Nội dung.", "Lần một."), "utf-8")
        deadline = time.monotonic() + 15
        while len(calls) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert thread.is_alive()
        (shown.root / MODEL_PATH).write_text(MODEL.replace("Nội dung.", "Lần hai, sau sự cố."), "utf-8")
        while "Lần hai, sau sự cố." not in get(shown, MODEL_URL)[1] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Lần hai, sau sự cố." in get(shown, MODEL_URL)[1]
        assert any("Lỗi nội bộ khi dựng lại: RuntimeError('the rebuild itself broke')" in line for line in lines)
    finally:
        stop.set()
        thread.join(timeout=5)


def test_warnings_are_listed_folded_in_the_page_and_in_the_terminal(preview) -> None:
    shown, lines = preview
    (shown.root / MODEL_PATH).write_text(MODEL.replace("summary:", "ghi_chu_rieng: x\nsummary:"), "utf-8")
    shown.rebuild()
    status, body = get(shown, MODEL_URL)
    assert status == "200 OK" and 'id="showcase-loi"' not in body
    notice = body[body.index('<details id="showcase-canh-bao"'):]
    assert "1 cảnh báo (bấm để xem)" in notice and "content/models/trong-hong.md:3:1" in notice
    assert "trường &#x27;ghi_chu_rieng&#x27; không có trong mô hình nội dung" in notice
    assert "<details id=\"showcase-canh-bao\" lang=\"vi\" style=\"position:fixed" in body   # no `open`: folded
    assert lines[-2].startswith("content/models/trong-hong.md:3:1: cảnh báo: trường 'ghi_chu_rieng'") \
        or any(line.startswith("content/models/trong-hong.md:3:1: cảnh báo:") for line in lines)
    assert lines[-1].startswith("Trạng thái: không có lỗi, 1 cảnh báo")


def test_the_terminal_ends_with_the_current_state_after_a_fix(preview) -> None:
    shown, lines = preview
    (shown.root / MODEL_PATH).write_text(MODEL.replace("[trong-trot]", "[trong-trott]"), "utf-8")
    shown.rebuild()
    assert lines[-1] == "Trạng thái: 1 lỗi, 0 cảnh báo; trang cũ vẫn được phục vụ, chi tiết hiện trên trình duyệt."
    (shown.root / MODEL_PATH).write_text(MODEL, "utf-8")
    shown.rebuild()
    assert lines[-1].startswith("Trạng thái: không có lỗi, 0 cảnh báo; kết xuất")


def test_the_overlay_caret_sits_on_its_own_line_under_the_column(preview) -> None:
    shown, _ = preview
    (shown.root / MODEL_PATH).write_text(MODEL.replace("[trong-trot]", "[trong-trott]"), "utf-8")
    shown.rebuild()
    rows = get(shown, MODEL_URL)[1].split("<pre")[1].split("\n")
    marked = next(i for i, row in enumerate(rows) if "<mark" in row)
    assert rows[marked].endswith("    5 | sectors: [trong-trott]</mark>")
    assert rows[marked + 1] == "      |           ^"


def test_the_preview_drops_the_published_policy_that_would_block_its_overlay(preview) -> None:
    shown, _ = preview
    shown.rebuild()
    on_disk = (shown.out_dir / "mo-hinh/trong-hong/index.html").read_text("utf-8")
    assert '<meta http-equiv="Content-Security-Policy"' in on_disk
    assert "Content-Security-Policy" not in get(shown, MODEL_URL)[1]
