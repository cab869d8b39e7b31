"""Benchmark `showcase serve` on a generated corpus: edit-to-served latency, no-change and template rebuilds.

Usage: python bench/serve_bench.py [--models 1000] [--edits 10]
Prints medians with the corpus size. The server runs in a subprocess, as an editor would use it; a
measurement is the time from writing a file until an HTTP GET returns the new content.
"""
from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve_corpus import corpus_localities, make_corpus, model_path, model_text  # noqa: E402
from generator.build import build  # noqa: E402
from generator.core.memo import MemoryMemo  # noqa: E402
from generator.content.config import load_config  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0


def get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()


def wait_until(check, timeout: float = TIMEOUT) -> float:
    """Poll `check` every 5 ms; return the monotonic time at which it first held.

    Not every millisecond: each request takes the server's interpreter lock from the rebuild it is
    waiting for (a browser asks once, after the reload message), which added ~20 ms to each rebuild.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError("the server did not serve the change in time")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def edit_latencies(root: Path, edits: int) -> tuple[list[float], list[float], list[float]]:
    """Body edits and template edits measured against a live server, and the server's own rebuild times."""
    port = free_port()
    log = (root.parent / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve",
                               "--port", str(port)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    localities = corpus_localities(root)
    try:
        wait_until(lambda: json.loads(get(port, "/__showcase/status"))["builds"] >= 1, 300)
        body, template, rebuilds = [], [], []
        for n in range(edits):
            index = (n * 97) % 1000
            marker = f"Lần sửa số {n}."
            started = time.monotonic()
            model_path(root, index).write_text(model_text(index, localities, " " + marker), "utf-8")
            body.append(wait_until(lambda: marker in get(port, f"/mo-hinh/mo-hinh-thu-{index:04d}/"))
                        - started)
            rebuilds.append(json.loads(get(port, "/__showcase/status"))["last_build_ms"] / 1000)
            time.sleep(0.3)
        base = root / "themes" / "default" / "templates" / "model.html"
        original = base.read_text("utf-8")
        for n in range(3):
            marker = f"<!-- mẫu {n} -->"
            started = time.monotonic()
            base.write_text(original.replace("{% block content %}", "{% block content %}" + marker, 1), "utf-8")
            # A template edit renders every model page again: minutes at 10,000 models.
            template.append(wait_until(lambda: marker in get(port, "/mo-hinh/mo-hinh-thu-0001/"), 900) - started)
            time.sleep(0.3)
        return body, template, rebuilds
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def no_change_rebuilds(root: Path, runs: int = 10) -> list[float]:
    config, memo = load_config(root), MemoryMemo()
    out = root.parent / "nochange-out"
    build(config, out, memo=memo)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = build(config, out, memo=memo)
        times.append(time.perf_counter() - started)
        assert result.report is not None and result.report.written == 0
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--serve-only", action="store_true",
                        help="only the live server's figures (skips the two in-process whole builds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        root = make_corpus(Path(tmp) / "site", args.models)
        # A site-local copy of the theme, so the template edit does not touch the repository.
        subprocess.run(["cp", "-r", str(REPO / "themes"), str(root / "themes")], check=True)
        full, quiet = None, []
        if not args.serve_only:
            started = time.perf_counter()
            build(load_config(root), Path(tmp) / "full-out")
            full = time.perf_counter() - started
            quiet = no_change_rebuilds(root)
        body, template, rebuilds = edit_latencies(root, args.edits)
    ms = lambda values: f"{statistics.median(values) * 1000:.0f} ms"  # noqa: E731
    print(f"serve bench · corpus: {args.models} models")
    if full is not None:
        print(f"  clean full build:                  {full:.2f} s")
        print(f"  no-change rebuild (median of 10):  {ms(quiet)}   target ≤ 100 ms")
    print(f"  edit → served (median of {len(body)}):      {ms(body)}   target ≤ 300 ms"
          f"   (min {min(body) * 1000:.0f}, max {max(body) * 1000:.0f}; of which the rebuild {ms(rebuilds)})")
    print(f"  template edit → served (median of {len(template)}): {ms(template)}")


if __name__ == "__main__":
    main()
