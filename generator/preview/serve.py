"""`showcase serve`: build, serve the output, rebuild on save and reload the open tabs.

The only module that imports livereload. livereload gives us the browser side (its script, injected
into HTML responses only here, and the websocket that tells tabs to reload); we do the rest:
- a watcher thread woken by the operating system's file events (watchfiles): it waits STEP_MS of
  calm after the first event, so a burst of saves (an editor saving 20 files, a `git checkout`) is
  one rebuild, then confirms the change with a stat scan (editors touch files without changing them).
  It also scans every SAFETY_MS, for what file events miss (a replaced site.yaml, a network drive).
  Builds run in that thread, never in the server's event loop, so pages keep being served meanwhile;
- a WSGI app serving only files under the output directory, with the error overlay laid over every
  HTML page while the last rebuild failed (the last good pages stay on disk and keep being served);
- the search index (generator/publish/search.py) updated by each rebuild with the pages, incrementally, so
  the preview never shows stale results and no background indexing competes with the next rebuild.
"""
from __future__ import annotations

import gc
import ipaddress
import json
import logging
import mimetypes
import re
import signal
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from generator.build import build
from generator.core.inputs import Snapshot, same_inputs, scan_inputs
from generator.core.memo import MemoryMemo
from generator.content.config import BUILTIN_THEMES, CONFIG_NAME, load_config
from generator.core.errors import ConfigError, Diagnostic
from generator.content.graph import URLS
from generator.content.load import CONTENT_DIRS
from generator.core.slugs import slug
from generator.preview.overlay import draft_html, draft_page, notice_html, overlay_html
from generator.editor.admin_app import PREFIX as ADMIN_PREFIX, make_admin_app

STEP_MS = 20
SAFETY_MS = 1000
STATUS_PATH = "/__showcase/status"
Log = Callable[[str], None]
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".json": "application/json; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml; charset=utf-8",
         ".wasm": "application/wasm", ".webp": "image/webp", ".woff2": "font/woff2"}
NOT_FOUND = ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không tìm thấy trang"
             "</title></head><body><h1>Không tìm thấy trang</h1></body></html>")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Preview:
    """What the watcher thread and the request handler share. Fields are replaced whole, never mutated."""

    root: Path
    out_dir: Path
    log: Log
    on_reload: Callable[[], None] = lambda: None
    memo: MemoryMemo = field(default_factory=MemoryMemo)
    builds: int = 0                      # builds that ran (a scan finding no change is not one)
    overlay: str = ""                    # non-empty while the last build failed
    notice: str = ""                     # the last good build's warnings, folded in a corner
    drafts: dict[str, str] = field(default_factory=dict)   # a draft's page path -> its own problems box
    problems: tuple[dict[str, Any], ...] = ()
    last_result: Any = None              # BuildResult of the last build, for the editor's panel (/admin/)
    last_ms: float = 0.0

    def rebuild(self, inputs: Snapshot | None = None) -> None:
        """Build once; never raises, so the watcher (and the server) outlive any content or theme bug.

        `inputs` is the watcher's scan of the input files, so the build need not scan them again.
        """
        started = time.perf_counter()
        changed = False
        try:
            config = load_config(self.root)
            # Drafts get no page here either (a page written would reload every tab, /admin/ included):
            # a draft's URL shows its own problems instead (see `_drafts` and `make_app`). The search
            # index is updated in the same build as the pages.
            result = build(config, self.out_dir, memo=self.memo, inputs=inputs)
            self.last_result = result
            problems = result.diagnostics.sorted()
            # A changed draft box or warning list alone does not reload the tabs: a reload also reloads
            # /admin/ in the middle of an edit. It shows on the next page load or the next page write.
            self.drafts = self._drafts(result.draft_paths, problems)
            if result.ok:
                report = result.report
                # A draft's problems are shown on its own page only (see `_drafts`).
                notice = notice_html([d for d in problems if d.severity == "warning"
                                      and d.location.path not in result.draft_paths], self._read_text)
                changed = bool(report and (report.written or report.removed)) or bool(self.overlay)
                self.overlay, self.notice = "", notice
                self.problems = tuple(d.as_dict() for d in problems)
            else:
                self._fail([d for d in problems if d.location.path not in result.draft_paths], "")
            self._log_result(result, problems, time.perf_counter() - started)
        except ConfigError as exc:
            self.last_result = None
            self._fail([exc.diagnostic], "")
            self.log(exc.diagnostic.format())
            self.log("Trạng thái: site.yaml có lỗi; trang cũ vẫn được phục vụ, chi tiết hiện trên trình duyệt.")
        except Exception:  # a bug of ours: the server and the watcher stay up and say so in the page
            crash = traceback.format_exc()
            self.last_result = None
            self.memo = MemoryMemo()           # it may be half-updated: the next save starts afresh
            self._fail([], crash)
            self.log(crash.rstrip())
            self.log("Trạng thái: lỗi nội bộ của chương trình (không phải lỗi nội dung); trang cũ vẫn được phục "
                     "vụ. Lưu lại tệp để thử dựng lại; nếu vẫn lỗi, gửi các dòng trên cho nhóm kỹ thuật.")
        self.builds += 1
        self.last_ms = (time.perf_counter() - started) * 1000
        if changed or self.overlay:
            self.on_reload()

    def _fail(self, diagnostics: list[Diagnostic], crash: str) -> None:
        self.problems = tuple(d.as_dict() for d in diagnostics) or (
            {"severity": "error", "code": "internal_error", "message": crash},)
        self.overlay, self.notice = overlay_html(diagnostics, self._read_text, crash), ""

    def _drafts(self, paths: frozenset[str], problems: list[Diagnostic]) -> dict[str, str]:
        """Each draft model's page path in the preview, with the box of its own problems."""
        boxes = {}
        for path in sorted(paths):
            if path.startswith(CONTENT_DIRS["model"] + "/"):
                url = "/" + URLS["model"][1].format(slug(path.rsplit("/", 1)[-1].removesuffix(".md")))
                boxes[url] = draft_html(path, [d for d in problems if d.location.path == path], self._read_text)
        return boxes

    def _read_text(self, path: str) -> str:
        for base in (self.root, BUILTIN_THEMES.parent):
            file = base / path
            if file.is_file():
                return file.read_text("utf-8", errors="replace")
        return ""

    def _log_result(self, result: Any, problems: list[Diagnostic], elapsed: float) -> None:
        """Problems first, then one line on the current state: the terminal's last line is always true."""
        for diagnostic in problems:
            self.log(diagnostic.format())
        errors, warnings = len(result.diagnostics.errors), len(result.diagnostics.warnings)
        if not result.ok:
            self.log(f"Trạng thái: {errors} lỗi, {warnings} cảnh báo; trang cũ vẫn được phục vụ, "
                     f"chi tiết hiện trên trình duyệt.")
            return
        written = ""
        if result.report and (result.report.written or result.report.removed):
            written = (f"; kết xuất {result.rendered} trang, dùng lại {result.pages - result.rendered}; "
                       f"ghi {result.report.written} tệp, xóa {result.report.removed} · {elapsed:.2f} giây")
        self.log(f"Trạng thái: không có lỗi, {warnings} cảnh báo{written}.")

    def status(self) -> dict[str, Any]:
        return {"builds": self.builds, "ok": not self.overlay, "problems": list(self.problems),
                "last_build_ms": round(self.last_ms, 1)}


def watched_roots(root: Path) -> list[Path]:
    """What a rebuild may read, whatever site.yaml says (it may be broken): a superset of the theme chain."""
    return [root / CONFIG_NAME, root / "content", root / "themes", BUILTIN_THEMES]


def watch(preview: Preview, stop: threading.Event, snapshot: Snapshot) -> None:
    """Rebuild once after each burst of changes to the inputs, until `stop` is set.

    Python's cyclic garbage collector is left to this loop (see `serve`): it runs when a second has
    passed without a change, never in the middle of a rebuild, where it cost up to 70 ms at 1,000
    models. A rebuild leaves only a few hundred objects in cycles, so waiting for a pause is cheap.
    """
    polling = False
    collected_at = -1
    while not stop.is_set():
        roots = [p for p in watched_roots(preview.root) if p.exists()]
        try:
            for changes in watchfiles.watch(*roots, step=STEP_MS, rust_timeout=SAFETY_MS, yield_on_timeout=True,
                                            stop_event=stop, force_polling=polling, raise_interrupt=False):
                if not changes and collected_at != preview.builds:
                    gc.collect()
                    collected_at = preview.builds
                current = scan_inputs(preview.root, watched_roots(preview.root), snapshot)
                if not same_inputs(snapshot, current):
                    snapshot = current
                    try:
                        preview.rebuild(current)
                    except Exception as exc:  # rebuild reports its own bugs; this keeps the watcher alive
                        preview.log(f"Lỗi nội bộ khi dựng lại: {exc!r}; vẫn tiếp tục theo dõi.")
                # A themes/ folder appeared or went, or site.yaml was replaced: watch the new files.
                if roots != [p for p in watched_roots(preview.root) if p.exists()] \
                        or any(path.endswith(CONFIG_NAME) for _, path in changes):
                    break
        except (OSError, RuntimeError) as exc:     # e.g. the system's limit of watched folders
            if polling:
                raise
            preview.log(f"Không theo dõi được sự kiện tệp ({exc}); chuyển sang quét định kỳ.")
            polling = True


def resolve_path(out_dir: Path, raw: str) -> Path | str | None:
    """Map a request path to a file under `out_dir`: a Path, a str to redirect to, or None (404).

    `raw` is WSGI's PATH_INFO, already percent-decoded once (so %2e%2e arrives as ..), as latin-1.
    Refused: .. and . segments, hidden names, backslashes, drive letters, NUL, anything whose real
    path (after symlinks) leaves `out_dir`, and directories without an index.html (no listings).
    """
    try:
        path = raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") or ":" in p for p in parts):
        return None
    base = out_dir.resolve()
    try:
        real = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(base):
        return None
    if real.is_dir():
        if not path.endswith("/"):
            return quote(path + "/")
        real = (real / "index.html").resolve()
        if not real.is_relative_to(base):
            return None
    return real if real.is_file() else None


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


def make_app(preview: Preview) -> Callable[..., Iterable[bytes]]:
    """The WSGI app: files under the output directory only, the overlay while a build is failing.

    /admin/ is the editor in the browser (generator/editor/admin_app.py), which writes into content/.
    """
    admin = make_admin_app(preview.root, preview)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method, raw = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        headers = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
        if raw.startswith(ADMIN_PREFIX) or raw == ADMIN_PREFIX.rstrip("/"):
            return admin(environ, start_response)
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", headers + [("Allow", "GET, HEAD")])
            return [b""]
        if raw == STATUS_PATH:
            body = json.dumps(preview.status(), ensure_ascii=False).encode("utf-8")
            start_response("200 OK", headers + [("Content-Type", TYPES[".json"])])
            return [body if method == "GET" else b""]
        target = resolve_path(preview.out_dir, raw)
        if isinstance(target, str):
            start_response("301 Moved Permanently", headers + [("Location", target)])
            return [b""]
        status = "200 OK"
        draft = preview.drafts.get(raw)
        if target is None and draft:     # a draft too incomplete to render: its page lists what is missing
            data, kind = draft_page("").encode("utf-8"), TYPES[".html"]
        else:
            if target is None:
                status, fallback = "404 Not Found", resolve_path(preview.out_dir, "/404.html")
                target = fallback if isinstance(fallback, Path) else None
            data = target.read_bytes() if target else NOT_FOUND.encode("utf-8")
            kind = content_type(target) if target else TYPES[".html"]
        if kind.startswith("text/html"):
            # The published policy forbids inline styles and scripts; the preview's own overlay and
            # reload script need them, and the preview is never published.
            data = _CSP_META.sub(b"", data)
            boxes = preview.overlay or ((draft or "") + preview.notice)
            if boxes:
                data = _inject(data, boxes.encode("utf-8"))
        start_response(status, headers + [("Content-Type", kind)])
        return [data if method == "GET" else b""]

    return app


_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>', re.IGNORECASE)


def _inject(page: bytes, overlay: bytes) -> bytes:
    at = page.rfind(b"</body>")
    return page[:at] + overlay + page[at:] if at >= 0 else page + overlay


def serve(root: Path, out_dir: Path, *, host: str, port: int, open_browser: bool, log: Log) -> None:
    """Build, then serve until interrupted (Ctrl+C or SIGTERM). Raises OSError if the port is taken."""
    preview = Preview(root.resolve(), out_dir.resolve(), log)
    loop = IOLoop.current()
    preview.on_reload = lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*")
    snapshot = scan_inputs(preview.root, watched_roots(preview.root))   # before the build: no edit is missed
    gc.disable()                         # the watcher collects when idle
    preview.rebuild(snapshot)
    logging.getLogger("tornado.access").addHandler(logging.NullHandler())   # 404s are expected, not news
    logging.getLogger("tornado.access").propagate = False
    # debug=False: tornado's debug mode would restart the whole process when a Python file changes.
    Server(app=make_app(preview)).application(port, host, debug=False, live_css=False)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, stop, snapshot), name="watch", daemon=True)
    watcher.start()
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    log(f"Xem trước tại {url} (Ctrl+C để dừng). Đang theo dõi content/, themes/ và site.yaml.")
    if open_browser:
        webbrowser.open(url)
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.join(timeout=2)
        log("Đã dừng máy chủ xem trước.")
