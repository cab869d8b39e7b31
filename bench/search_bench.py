"""Search benchmark: the index the build writes, and the search page in Chromium, at three sizes.

Prints medians with the corpus size, against the targets of the search-index issue:
- first query on a phone (Chromium, phone profile, empty cache, every byte transferred including
  search.js): <= 40 KB at 1,000 models, <= 60 KB at 10,000;
- index build (the search stage, cold) <= 5 s at 10,000 models + 1,000 localities; a one-model edit
  updates it in <= 0.5 s; peak memory of the search stage <= 300 MB (Python allocations, tracemalloc);
- keystroke -> results, warm, desktop Chromium at 10,000 models: p90 <= 50 ms.

The sample site and the 1,000-model corpus are built whole; the 10,000-model corpus gets only what search
needs (the index, the search page, static files), since rendering 30,000 pages is not what is measured.
Files are served gzip-encoded where a host would (HTML, JS, CSS, JSON); the index files are gzip already.

    .venv/bin/python bench/search_bench.py [--models 1000,10000] [--runs 5]
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
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, make_corpus  # noqa: E402

from generator.build import build  # noqa: E402
from generator.core.parallel import default_workers  # noqa: E402
from generator.content.config import load_config  # noqa: E402
from generator.content.graph import build_graph  # noqa: E402
from generator.content.load import content_files, drop_duplicate_ids, read_source  # noqa: E402
from generator.content.validate import collect_entries, validate_source  # noqa: E402
from generator.core.inputs import scan_inputs  # noqa: E402
from generator.core.errors import Diagnostics  # noqa: E402
from generator.files.static import collect_static  # noqa: E402
from generator.pages.markup import render_bodies  # noqa: E402
from generator.pages.render import make_environment, plan_pages, render_pages  # noqa: E402
from generator.publish.search import SearchReport, search_outputs  # noqa: E402
from generator.publish.search_index import record_digest  # noqa: E402
from generator.pages.search_terms import SearchFields  # noqa: E402
from generator.publish.search_index import FOLDER  # noqa: E402
from generator.publish.write import stage_outputs  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 800}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TARGETS = {"first_kb": {1000: 40, 10000: 60}, "index_s": 5.0, "edit_s": 0.5, "peak_mb": 300, "warm_p90_ms": 50}
QUERIES = ["loc yen", "lợn", "Hải Dương", "dien bien", "nhà ở", "việc làm", "hồng", "Quảng Điền",
           "câu lạc bộ", "tín dụng", "hỗ trợ vốn", "Lạng Sơn", "nuôi bò", "trong che", "Phú Lộc"]
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
    """Static files as a production host serves them: text types gzip-encoded (the index files are gzip
    already), Last-Modified on every file and 304 to a revalidating browser, no Cache-Control.

    Every response is logged as (path, bytes sent) in `sent`: headers included, as on the wire.
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


def graph_and_bodies(root: Path):  # type: ignore[no-untyped-def]
    """The stages before search, as `build` runs them, without a memo."""
    config = load_config(root)
    diag = Diagnostics()
    snapshot = scan_inputs(config.root, config.input_roots(), None)
    sources = drop_duplicate_ids([source for rel, kind in content_files(snapshot, diag)
                                  if (source := read_source(config.root, rel, kind, diag)) is not None], diag)
    entries = collect_entries(sources, [validate_source(s, config.vocabularies, diag) for s in sources])
    graph = build_graph(entries, config, diag)
    texts = graph.models + graph.localities
    bodies = dict(zip([e.path for e in texts], render_bodies([e.body for e in texts], 2)))
    assert not diag.errors, [d.format() for d in diag.errors]
    return config, graph, bodies


def stage_figures(root: Path, runs: int) -> dict:
    """The search stage alone: cold build, peak memory, and a one-model edit, each a median of `runs`."""
    _, graph, bodies = graph_and_bodies(root)

    def run(memo: dict, records: list | None = None, report: SearchReport | None = None) -> float:
        started = time.perf_counter()
        # Tokenised in as many workers as a build uses (peak memory below counts this process only).
        for _ in search_outputs(graph, bodies, {}, memo, report or SearchReport(), workers=default_workers(),
                                records=records):
            pass
        return time.perf_counter() - started

    cold = [run({}) for _ in range(runs)]
    tracemalloc.start()
    run({})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # An edit as the build and the preview make it: every other page's record (and its digest) is
    # remembered, the edited page's is made again (generator/build.py, _search_files).
    fields = SearchFields.from_graph(graph)
    records = [record_digest(r) for r in fields.records(bodies, {})]
    memo: dict = {}
    run(memo, records)
    edits = []
    at = len(graph.models) // 2
    model = graph.models[at]
    for n in range(runs):
        html = bodies[model.path].html + f"<p>Sửa lần {n}.</p>"
        started = time.perf_counter()
        records[at] = record_digest(fields.record(model, html, {}))
        report = SearchReport()
        run(memo, records, report)
        edits.append(time.perf_counter() - started)
        assert report.index and report.index.changed == 1
    return {"models": len(graph.models), "localities": len(graph.localities), "index_s": statistics.median(cold),
            "peak_mb": peak / 2**20, "edit_s": statistics.median(edits),
            "chunks": report.index.chunks, "encoded": report.index.chunks_encoded}


def search_only_site(root: Path, out: Path) -> None:
    """The index, the search page, its JSON and the static files: what a search needs, nothing else."""
    config, graph, bodies = graph_and_bodies(root)
    diag = Diagnostics()
    pages = [p for p in plan_pages(graph, bodies) if p.path.startswith("tim-kiem/") or p.path == "index.html"]
    outputs = chain(render_pages(pages, make_environment(config), config, diag), collect_static(config),
                    search_outputs(graph, bodies, {}, {}, SearchReport()))
    stage_outputs(outputs, out).commit()
    assert not diag.errors, [d.format() for d in diag.errors]


def browser_figures(browser, url: str, sent: list[tuple[str, int]], runs: int) -> dict:  # type: ignore[no-untyped-def]
    """Bytes of each of QUERIES as a first query on a phone, from a fresh context (empty cache): the
    reader is on the home page and submits the header box; counted is everything after submitting
    (search page, search.js and .css, manifest, chunks, cards). Warm keystroke timings: desktop."""
    first = []
    parts: dict[str, list[int]] = {}
    for run, query in enumerate(QUERIES):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")   # the home page and its favicon are not the query's
        sent.clear()
        page.locator(".search-box input[name=q]").fill(query)
        page.locator(".search-box input[name=q]").press("Enter")
        page.wait_for_selector("#tim-kiem[data-ready]:not([aria-busy])", state="attached")
        page.wait_for_load_state("networkidle")
        first.append(sum(size for _, size in sent))
        counted: dict[str, int] = {}
        for path, size in sent:
            counted[part(path)] = counted.get(part(path), 0) + size
        for key in set(parts) | set(counted):
            parts.setdefault(key, [0] * run).append(counted.get(key, 0))
        context.close()
    warm = []
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}tim-kiem/")
    page.wait_for_selector("#tim-kiem[data-ready]", state="attached")
    for query in QUERIES:            # warm: every chunk these queries need is loaded once
        type_query(page, query)
    for _ in range(runs):
        warm += [type_query(page, query) for query in QUERIES]
    context.close()
    return {"first_kb": statistics.median(first) / 1024, "first_max_kb": max(first) / 1024,
            "first_worst": QUERIES[first.index(max(first))],
            "each": [(query, size / 1024) for query, size in zip(QUERIES, first)],
            "warm_ms": statistics.median(warm), "warm_p90_ms": sorted(warm)[int(len(warm) * 0.9)],
            "parts": {key: statistics.median(sizes) / 1024 for key, sizes in sorted(parts.items())}}


def part(url: str) -> str:
    """Which part of the first query a response belongs to, for the breakdown."""
    path = url.split("?")[0]
    name = path.rsplit("/", 1)[-1]
    if FOLDER in path:
        return {"k-": "index chunks", "f-": "filters", "s-": "sorts", "ma": "manifest"}.get(name[:2], "cards")
    return name if name.endswith((".js", ".css", ".json")) else "page, other"


def type_query(page, query: str) -> float:  # type: ignore[no-untyped-def]
    """Type `query` as a reader would; return ms from the last keystroke until its results are shown."""
    page.fill("#q", query[:-1])
    page.wait_for_selector("#tim-kiem[data-ready]:not([aria-busy])", state="attached")
    # From the input event (not from Playwright's call, whose round trip is not the page's) until the
    # search that it started has shown its results.
    page.evaluate("""() => { window.__shown = new Promise(resolve => {
        const root = document.getElementById('tim-kiem');
        let started = null;
        document.getElementById('q').addEventListener('input', () => { started = performance.now(); },
          {once: true, capture: true});
        new MutationObserver((_, observer) => { if (started !== null && !root.hasAttribute('aria-busy')) {
          observer.disconnect(); resolve(performance.now() - started); } })
          .observe(root, {attributes: true, attributeFilter: ['aria-busy']}); }); }""")
    page.locator("#q").press_sequentially(query[-1])
    return page.evaluate("() => window.__shown")


def index_size(out: Path) -> tuple[int, float]:
    files = [p for p in (out / FOLDER).rglob("*.gz")]
    return len(files), sum(p.stat().st_size for p in files) / 1024


def measure(name: str, root: Path, out: Path, runs: int, browser, whole: bool) -> dict:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    if whole:
        result = build(load_config(root), out)
        assert result.ok, [d.format() for d in result.diagnostics.errors]
    else:
        search_only_site(root, out)
    built = time.perf_counter() - started
    figures = stage_figures(root, runs)
    with serve(out) as (url, sent):
        figures |= browser_figures(browser, url, sent, runs)
    files, kb = index_size(out)
    print(f"{name}: {figures['models']} models + {figures['localities']} localities · "
          f"{'whole build' if whole else 'search-only build'} {built:.1f} s · index {files} files, {kb:.0f} KB "
          f"({figures['chunks']} chunks)\n"
          f"  search stage (median of {runs}): cold {figures['index_s']:.2f} s · one-model edit "
          f"{figures['edit_s'] * 1000:.0f} ms ({figures['encoded']} chunks re-encoded) · peak "
          f"{figures['peak_mb']:.0f} MB\n"
          f"  first query on a phone (median of {len(QUERIES)}, empty cache) {figures['first_kb']:.1f} KB, "
          f"max {figures['first_max_kb']:.1f} KB (\"{figures['first_worst']}\") · keystroke→results warm "
          f"median {figures['warm_ms']:.0f} ms, p90 {figures['warm_p90_ms']:.0f} ms ({len(QUERIES) * runs} keystrokes)\n"
          f"  each query (KB): " + " · ".join(f"{query} {kb:.0f}" for query, kb in figures["each"]) + "\n"
          "  by part (medians, KB): " + " · ".join(f"{key} {kb:.1f}" for key, kb in figures["parts"].items()))
    return figures


def check(size: int, figures: dict) -> list[str]:
    missed = []
    limit = TARGETS["first_kb"].get(size)
    if limit and figures["first_kb"] > limit:
        missed.append(f"{size}: first query {figures['first_kb']:.1f} KB > {limit} KB")
    if size >= 10000:
        for key, unit in (("index_s", "s"), ("edit_s", "s"), ("peak_mb", "MB"), ("warm_p90_ms", "ms")):
            if figures[key] > TARGETS[key]:
                missed.append(f"{size}: {key} {figures[key]:.2f} {unit} > {TARGETS[key]} {unit}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    missed = []
    with tempfile.TemporaryDirectory(prefix="showcase-bench-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        measure("sample site", REPO, Path(tmp) / "sample", args.runs, browser, whole=True)
        for size in (int(n) for n in args.models.split(",")):
            corpus = make_corpus(Path(tmp) / f"corpus-{size}", size)
            figures = measure("generated corpus", corpus, corpus / "site", args.runs, browser, whole=size <= 1000)
            missed += check(size, figures)
        browser.close()
    print("targets: " + ("met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
