"""Search benchmark: index build time, bytes per query and keystroke-to-results time, in Chromium.

Runs on the sample site and on a generated corpus (default 1,000 models), served with gzip as any
static host would. Prints medians with the corpus size and checks the budgets of issue 4:
first query <= 150 KB transferred on 1,000 models, results <= 300 ms on a warm page.

    .venv/bin/python bench/search_bench.py [--models 1000] [--runs 5]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, make_corpus  # noqa: E402

from generator.build import build  # noqa: E402
from generator.content.config import load_config  # noqa: E402
from generator.publish.search import BUNDLE, index_site  # noqa: E402
from generator.core.errors import Diagnostics  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIRST_QUERY_BUDGET = 150 * 1024
WARM_BUDGET_MS = 300
QUERIES = ["loc yen", "lợn", "Hải Dương", "dien bien", "nhà ở", "việc làm", "hồng", "Quảng Điền",
           "câu lạc bộ", "tín dụng", "hỗ trợ vốn", "Lạng Sơn"]
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".xml", ".txt")


class CountingWriter:
    """Counts the bytes a response puts on the wire (status line, headers and body)."""

    def __init__(self, raw) -> None:  # type: ignore[no-untyped-def]
        self.raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.raw, name)    # flush, close, closed


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as a production host serves them: text types gzip-encoded (Pagefind's own files are
    gzip already), Last-Modified on every file and 304 to a revalidating browser, no Cache-Control.

    Every response is logged as (path, bytes sent) in `sent`. Counting at the server, rather than in
    the page, also sees what Pagefind's shared worker fetches.
    """

    def __init__(self, *args, sent: list[tuple[str, int]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sent = sent
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle_one_request(self) -> None:
        self.wfile = writer = CountingWriter(getattr(self.wfile, "raw", self.wfile))
        super().handle_one_request()
        if writer.count:
            self.sent.append((self.path, writer.count))

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get(
                "Accept-Encoding", ""):
            return super().send_head()
        # Like a static host: Last-Modified, and 304 when the browser revalidates its cached copy.
        modified = self.date_time_string(int(path.stat().st_mtime))
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return None
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve `folder`; yield its URL and the live log of (path, bytes sent) per response."""
    sent: list[tuple[str, int]] = []
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(folder), sent=sent))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def index_times(out: Path, runs: int) -> list[float]:
    """Time Pagefind from scratch `runs` times (the stamp would otherwise skip an unchanged site)."""
    times = []
    for _ in range(runs):
        (out / BUNDLE / ".showcase-index").unlink(missing_ok=True)
        diag = Diagnostics()
        started = time.perf_counter()
        index_site(out, diag)
        times.append(time.perf_counter() - started)
        assert not diag.errors, diag.errors
    return times


def part(url: str) -> str:
    """Which part of the first query a response belongs to, for the breakdown."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    for suffix, label in ((".pf_index", "index chunks"), (".pf_fragment", "fragments"),
                          (".pf_filter", "filter chunks"), (".pf_meta", "pf_meta"), (".pagefind", "wasm")):
        if name.endswith(suffix):
            return label
    return name if name.startswith("pagefind") else "page, CSS, search.js, other"


def browser_figures(browser, url: str, sent: list[tuple[str, int]], runs: int) -> dict:  # type: ignore[no-untyped-def]
    """Bytes of each of QUERIES as a first query, two ways, each from a fresh context (empty cache):

    - from the header box: the reader is on the home page and submits the box; counted is everything
      after submitting (search page, search.js and .css, Pagefind, index, fragments). This is the
      figure checked against the budget: style.css and the favicon came with the home page.
    - typed on a cold /tim-kiem/: everything from opening the page, including style.css and the
      favicon, and the search run for the query without its last letter (bench before Nov 2026).

    Follow-up query and warm keystroke timings use the first `runs` contexts.
    """
    first, cold, follow, warm = [], [], [], []
    parts: dict[str, list[int]] = {}
    for run, query in enumerate(QUERIES):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")   # the home page and its favicon are not the query's
        sent.clear()
        page.locator(".search-box input[name=q]").fill(query)
        page.locator(".search-box input[name=q]").press("Enter")
        page.wait_for_selector("#tim-kiem[data-ready]:not([aria-busy])", state="attached")
        first.append(sum(size for _, size in sent))
        counted: dict[str, int] = {}
        for path, size in sent:
            counted[part(path)] = counted.get(part(path), 0) + size
        for key in set(parts) | set(counted):
            parts.setdefault(key, [0] * run).append(counted.get(key, 0))
        if run < runs:
            sent.clear()
            type_query(page, QUERIES[(run + 1) % len(QUERIES)])
            follow.append(sum(size for _, size in sent))
            for other in QUERIES:
                warm.append(type_query(page, other))
        context.close()
        context = browser.new_context()
        page = context.new_page()
        sent.clear()
        page.goto(f"{url}tim-kiem/")
        page.wait_for_selector("#tim-kiem[data-ready]", state="attached")
        type_query(page, query)
        cold.append(sum(size for _, size in sent))
        context.close()
    return {"first_kb": statistics.median(first) / 1024, "first_max_kb": max(first) / 1024,
            "first_worst": QUERIES[first.index(max(first))], "cold_kb": statistics.median(cold) / 1024,
            "each": [(query, size / 1024) for query, size in zip(QUERIES, first)],
            "follow_kb": statistics.median(follow) / 1024,
            "warm_ms": statistics.median(warm), "warm_p90_ms": sorted(warm)[int(len(warm) * 0.9)],
            "parts": {key: statistics.median(sizes) / 1024 for key, sizes in sorted(parts.items())}}


def type_query(page, query: str) -> float:  # type: ignore[no-untyped-def]
    """Type `query` as a reader would; return ms from the last keystroke until its results are shown."""
    page.fill("#q", query[:-1])
    page.wait_for_selector("#tim-kiem[data-ready]:not([aria-busy])", state="attached")
    page.evaluate("""() => { window.__shown = new Promise(resolve => {
        const root = document.getElementById('tim-kiem');
        const started = performance.now();
        new MutationObserver((_, observer) => { if (!root.hasAttribute('aria-busy')) {
          observer.disconnect(); resolve(performance.now() - started); } })
          .observe(root, {attributes: true, attributeFilter: ['aria-busy']}); }); }""")
    page.locator("#q").press_sequentially(query[-1])
    return page.evaluate("() => window.__shown")


def measure(name: str, root: Path, out: Path, runs: int, browser) -> dict:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = build(load_config(root), out)
    assert result.ok, [d.format() for d in result.diagnostics.errors]
    built = time.perf_counter() - started
    models = len(result.graph.models) if result.graph else 0
    figures = {"models": models, "build_s": built,
               "index_s": statistics.median(index_times(out, runs))}
    with serve(out) as (url, sent):
        figures |= browser_figures(browser, url, sent, runs)
    bundle = sum(p.stat().st_size for p in (out / BUNDLE).rglob("*") if p.is_file())
    figures["bundle_kb"] = bundle / 1024
    print(f"{name}: {models} models · whole build {built:.1f} s · Pagefind index (median of {runs}) "
          f"{figures['index_s']:.2f} s · bundle on disk {figures['bundle_kb']:.0f} KB\n"
          f"  first query from the header box (median of {len(QUERIES)} queries, fresh cache) "
          f"{figures['first_kb']:.1f} KB, max {figures['first_max_kb']:.1f} KB (\"{figures['first_worst']}\") · "
          f"typed on a cold /tim-kiem/ {figures['cold_kb']:.1f} KB · "
          f"follow-up query {figures['follow_kb']:.1f} KB · keystroke→results warm median "
          f"{figures['warm_ms']:.0f} ms (p90 {figures['warm_p90_ms']:.0f} ms, {len(QUERIES) * runs} queries)\n"
          f"  first query from the header box, each query (KB): "
          + " · ".join(f"{query} {kb:.0f}" for query, kb in figures["each"]) + "\n"
          "  first query by part (medians, KB): "
          + " · ".join(f"{key} {kb:.1f}" for key, kb in figures["parts"].items()))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="showcase-bench-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        measure("sample site", REPO, Path(tmp) / "sample", args.runs, browser)
        corpus = make_corpus(Path(tmp) / "corpus", args.models)
        big = measure("generated corpus", corpus, corpus / "site", args.runs, browser)
        browser.close()
    problems = []
    if args.models >= 1000 and big["first_kb"] * 1024 > FIRST_QUERY_BUDGET:
        problems.append(f"first query {big['first_kb']:.1f} KB > {FIRST_QUERY_BUDGET // 1024} KB")
    if big["warm_ms"] > WARM_BUDGET_MS:
        problems.append(f"warm results {big['warm_ms']:.0f} ms > {WARM_BUDGET_MS} ms")
    print("budgets: " + ("met" if not problems else "MISSED: " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
