"""`showcase serve` in a subprocess on a free port: edits served, errors overlaid, bursts coalesced, files safe.

The tests of this module share one server and run in order; each leaves the site valid again.
"""
from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import COMMUNE, MINIMAL_CONFIG, MODEL, PROVINCE, REPO, run_cli

MODEL_PATH = "content/models/trong-hong.md"
MODEL_URL = "/mo-hinh/trong-hong/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    root: Path
    port: int
    log: Path
    out: Path

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
        """Send `path` exactly as given (no client-side normalisation) and return status, headers, body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def status(self) -> dict:
        return json.loads(self.get("/__showcase/status")[2])

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def wait_for(check: Callable[[], object], timeout: float = 15.0, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout}s waiting for {what or check}")


def start_server(root: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    log = root.parent / f"serve-{time.monotonic_ns()}.log"
    with log.open("wb") as stream:
        process = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", *args],
                                   cwd=REPO, stdout=stream, stderr=subprocess.STDOUT)
    return process, log


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve") / "src"
    for rel, text in {"site.yaml": MINIMAL_CONFIG, "content/localities/lang-son.md": PROVINCE,
                      "content/localities/loc-yen.md": COMMUNE, MODEL_PATH: MODEL}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    port = free_port()
    process, log = start_server(root, "--port", str(port))
    server = Served(root, port, log, root / ".cache" / "preview")
    try:
        wait_for(lambda: _answers(server), 30, "the server to answer")
        yield server
    finally:
        stop_server(process)


def _answers(server: Served) -> bool:
    try:
        return server.get("/__showcase/status")[0] == 200
    except OSError:
        return False


def test_serves_the_built_site_with_the_reload_script_injected_only_in_responses(served: Served) -> None:
    status, headers, body = served.get(MODEL_URL)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Trồng hồng ở xã Lộc Yên" in body and "livereload.js" in body
    on_disk = (served.out / "mo-hinh/trong-hong/index.html").read_text("utf-8")
    assert "livereload" not in on_disk


def test_an_edit_is_served(served: Served) -> None:
    served.write(MODEL_PATH, MODEL.replace("Nội dung.", "Nội dung đã sửa lần một."))
    wait_for(lambda: "Nội dung đã sửa lần một." in served.get(MODEL_URL)[2], what="the edit to be served")


def test_broken_edit_shows_the_overlay_over_the_last_good_pages_and_the_fix_clears_it(served: Served) -> None:
    served.write(MODEL_PATH, MODEL.replace("Nội dung.", "Bản tốt cuối cùng."))
    wait_for(lambda: "Bản tốt cuối cùng." in served.get(MODEL_URL)[2], what="the good edit")
    served.write(MODEL_PATH, MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trott]").replace(
        "Nội dung.", "Bản hỏng."))
    wait_for(lambda: not served.status()["ok"], what="the build to fail")
    status, _, body = served.get(MODEL_URL)
    assert status == 200 and "Bản tốt cuối cùng." in body and "Bản hỏng." not in body
    assert 'id="showcase-loi"' in body and "content/models/trong-hong.md:5:" in body
    assert "<mark" in body and "sectors: [trong-trott]" in body and "gợi ý" in body
    problem = served.status()["problems"][0]
    assert problem["path"] == MODEL_PATH and problem["line"] == 5 and problem["message"]
    assert 'id="showcase-loi"' in served.get("/")[2]           # every page, not only the broken one
    served.write(MODEL_PATH, MODEL.replace("Nội dung.", "Đã sửa lỗi."))
    wait_for(lambda: served.status()["ok"], what="the fix to build")
    body = served.get(MODEL_URL)[2]
    assert "Đã sửa lỗi." in body and 'id="showcase-loi"' not in body


def test_a_broken_template_keeps_the_server_up(served: Served) -> None:
    template = served.root / "themes/default/templates/model.html"
    template.parent.mkdir(parents=True)
    template.write_text("{% extends 'base.html' %}{% block content %}{{ model.title }{% endblock %}", "utf-8")
    wait_for(lambda: not served.status()["ok"], what="the template error")
    assert "themes/default/templates/model.html:1" in served.get(MODEL_URL)[2]
    template.unlink()
    wait_for(lambda: served.status()["ok"], what="the theme fix")


@pytest.mark.parametrize("path", [
    "/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/%2e%2e/etc/passwd", "/..%2fsite.yaml",
    "/mo-hinh/../../site.yaml", "/..\\site.yaml", "/%5c..%5csite.yaml", "//etc/passwd",
    "/C:/Windows/win.ini", "/ra-ngoai/site.yaml", "/.showcase-manifest.json", "/thu-muc-rong/",
    "/%00", "/mo-hinh/%2e%2e/%2e%2e/content/models/trong-hong.md",
])
def test_paths_outside_the_output_or_listings_get_404(served: Served, path: str) -> None:
    link = served.out / "ra-ngoai"
    if not link.is_symlink():
        link.symlink_to(served.root, target_is_directory=True)     # a symlink pointing out of the output
    (served.out / "thu-muc-rong").mkdir(exist_ok=True)               # a folder without index.html
    status, _, body = served.get(path)
    assert status == 404
    assert "base_url" not in body and "root:" not in body and "sectors:" not in body


def test_content_types_redirects_and_methods(served: Served) -> None:
    assert served.get("/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert served.get("/feed.xml")[1]["Content-Type"] == "application/xml; charset=utf-8"
    assert served.get("/robots.txt")[1]["Content-Type"] == "text/plain; charset=utf-8"
    status, headers, _ = served.get("/mo-hinh")
    assert status == 301 and headers["Location"].endswith("/mo-hinh/")
    assert served.get("/", method="POST")[0] == 405
    status, headers, body = served.get("/khong-co-trang-nay/")
    assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_burst_of_twenty_writes_is_one_rebuild(served: Served) -> None:
    before = served.status()["builds"]
    for index in range(20):
        served.write(f"content/models/loat-{index:02d}.md", MODEL.replace(
            "Trồng hồng ở xã Lộc Yên", f"Mô hình loạt {index}"))
    wait_for(lambda: served.status()["builds"] > before, what="the rebuild")
    time.sleep(1.0)                                     # ten polls: no second build may follow
    assert served.status()["builds"] == before + 1
    assert all("Mô hình loạt" in served.get(f"/mo-hinh/loat-{i:02d}/")[2] for i in (0, 19))


def test_live_reload_shows_and_clears_the_overlay_in_chromium(served: Served, page: object) -> None:
    page.goto(f"http://127.0.0.1:{served.port}{MODEL_URL}")  # type: ignore[attr-defined]
    page.wait_for_function("window.LiveReload !== undefined", timeout=10_000)  # type: ignore[attr-defined]
    time.sleep(0.3)                                     # let the websocket finish its handshake
    served.write(MODEL_PATH, MODEL.replace("locality: loc-yen", "locality: loc-yenn"))
    overlay = page.locator("#showcase-loi")  # type: ignore[attr-defined]
    overlay.wait_for(state="visible", timeout=15_000)
    assert "loc-yenn" in overlay.inner_text() and "loc-yen" in overlay.inner_text()
    served.write(MODEL_PATH, MODEL.replace("Nội dung.", "Trang đã tự tải lại."))
    page.get_by_text("Trang đã tự tải lại.").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    assert overlay.count() == 0


def test_build_output_never_contains_the_reload_script(served: Served, tmp_path: Path) -> None:
    result = run_cli(served.root, "build", "--quiet", "--out", str(tmp_path / "site"))
    assert result.code == 0, result.err
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages and not any("livereload" in p.read_text("utf-8") for p in pages)


def test_warns_in_vietnamese_when_bound_beyond_this_machine(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    (root / "site.yaml").write_text(MINIMAL_CONFIG, "utf-8")
    process, log = start_server(root, "--host", "0.0.0.0", "--port", str(free_port()))
    try:
        text = wait_for(lambda: "Xem trước tại" in log.read_text("utf-8") and log.read_text("utf-8"),
                        30, "the server to start")
    finally:
        stop_server(process)
    assert "Cảnh báo: máy chủ xem trước đang mở ở địa chỉ 0.0.0.0" in str(text)


def test_stopping_the_server_stops_its_background_pagefind_run(tmp_path: Path) -> None:
    """Pagefind runs for seconds on a large site; it must not outlive the server that started it."""
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import make_corpus

    from generator.preview.serve import Preview, index_preview

    root = make_corpus(tmp_path / "corpus", 60)
    preview = Preview(root, tmp_path / "out", lambda _: None, indexer=index_preview)
    preview.rebuild()
    page = next((tmp_path / "out" / "mo-hinh").glob("*/index.html"))
    for attempt in range(5):                    # a run that ends before it is seen is tried again
        page.write_text(page.read_text("utf-8").replace("</main>", f"<p>lần {attempt}</p></main>"), "utf-8")
        preview.index_later()
        deadline = time.monotonic() + 10
        while not preview._indexing and preview._index_running and time.monotonic() < deadline:
            time.sleep(0.001)
        running = list(preview._indexing)
        if running:
            preview.stop_indexing()
            assert running[0].wait(timeout=5) != 0           # killed, not finished
            wait_for(lambda: not preview._index_running, what="the indexing thread to give up")
            return
        wait_for(lambda: not preview._index_running, what="the indexing thread")
    pytest.fail("Pagefind finished five times before it could be seen running")
