"""Build speed and memory at N models, against Hugo + Pagefind and Pelican on the same Markdown.

For each corpus size (default 1,000 and 10,000 models, 10 % as many localities; `--models 1000` or
BENCH_MODELS=1000 for one size) it prints medians of `--runs` runs (default 3) of:
- cold build (no site/, no .cache/; `--cold-runs` of them, default --runs), split into render (everything before search) and search index;
- no-change rebuild and rebuild after one model's body was edited (each in a new process, as the CLI);
- peak memory of the whole process tree (PSS, so pages shared by forked workers count once) and output size;
- Hugo then the Pagefind CLI, and Pelican, on the same bodies; the ratios to the targets of issue 12.
Every build runs in its own process; the corpus lives in a temporary folder (bench/corpus.py).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, edit_model, make_corpus  # noqa: E402

BENCH = Path(__file__).resolve().parent
PY = sys.executable
TIMEOUT = 3600


def tree_pss(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
    return total


def run(command: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Run a command; return its wall time, the peak PSS of its process tree and its stdout."""
    started = time.perf_counter()
    # Python's compiled modules are used as on a user's machine (this sandbox turns them off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_pss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate(timeout=TIMEOUT)
    elapsed = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{err[-3000:]}")
    return elapsed, peak[0], out


def ours(root: Path, out: Path) -> dict[str, float]:
    """One build in a fresh process, as `showcase build` runs it; stage timings from the build itself."""
    elapsed, peak, stdout = run([PY, str(BENCH / "build_bench.py"), "--child", str(root), str(out)])
    timings = json.loads(stdout)
    return {"total": elapsed, "search": timings.get("search", 0.0), "render": elapsed - timings.get("search", 0.0),
            "peak": peak, "written": timings["written"]}


def child(root: Path, out: Path) -> None:
    sys.path.insert(0, str(REPO))
    from generator.build import build
    from generator.content.config import load_config
    from generator.core.memo import DiskMemo
    from generator.core.parallel import default_workers

    result = build(load_config(root), out, memo=DiskMemo(root), workers=default_workers())  # as the CLI
    if not result.ok:
        raise SystemExit(f"build failed: {[d.code for d in result.diagnostics.errors][:5]}")
    print(json.dumps({**result.timings, "written": result.report.written if result.report else 0}))


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def hugo_site(corpus: Path, dest: Path) -> Path:
    shutil.copytree(BENCH / "hugo", dest)
    for kind in ("models", "localities"):
        shutil.copytree(corpus / "content" / kind, dest / "content" / kind)
    return dest


def pelican_site(corpus: Path, dest: Path) -> Path:
    """Pelican reads `Key: value` metadata, not YAML: same title, summary and body, Pelican's header."""
    import yaml

    for kind in ("models", "localities"):
        (dest / kind).mkdir(parents=True)
        for path in sorted((corpus / "content" / kind).glob("*.md")):
            _, front, body = path.read_text("utf-8").split("---\n", 2)
            meta = yaml.load(front, Loader=yaml.CSafeLoader)
            title = meta.get("title") or meta["name"]
            (dest / kind / path.name).write_text(
                f"Title: {title}\nDate: 2024-01-01\nSlug: {path.stem}\nCategory: {kind}\n"
                f"Summary: {meta.get('summary', title)}\n\n{body}", "utf-8")
    return dest


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(models: int, runs: int, work: Path, cold_runs: int) -> dict[str, float]:
    corpus = make_corpus(work / "corpus", models)
    out = corpus / "site"
    cold, nochange, edit = [], [], []
    for n in range(runs):
        if n < cold_runs:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(corpus / ".cache", ignore_errors=True)
            cold.append(ours(corpus, out))
        nochange.append(ours(corpus, out))
        edit_model(corpus, 7 + n, models, f" Câu sửa thử lần {n + 1}.")
        edit.append(ours(corpus, out))
    size = folder_size(out)
    hugo, hugo_pf, pelican = [], [], []
    for n in range(cold_runs):
        site = hugo_site(corpus, work / f"hugo-{n}")
        hugo.append(run([str(Path(PY).parent / "hugo"), "--source", str(site), "--destination",
                         str(site / "public"), "--quiet"])[0])
        hugo_pf.append(run([*pagefind_cmd(), "--site", str(site / "public"), "--force-language", "vi"])[0])
        pel = pelican_site(corpus, work / f"pelican-{n}")
        pelican.append(run([str(Path(PY).parent / "pelican"), str(pel), "-o", str(work / f"pelican-out-{n}"),
                            "-s", str(BENCH / "pelican" / "pelicanconf.py"), "-q"])[0])
        shutil.rmtree(site)
        shutil.rmtree(pel)
        shutil.rmtree(work / f"pelican-out-{n}")
    return {
        "models": models, "localities": max(2, models // 10),
        "cold": median([r["total"] for r in cold]), "render": median([r["render"] for r in cold]),
        "search": median([r["search"] for r in cold]), "nochange": median([r["total"] for r in nochange]),
        "nochange_written": max(r["written"] for r in nochange),
        "edit": median([r["total"] for r in edit]), "edit_render": median([r["render"] for r in edit]),
        "edit_search": median([r["search"] for r in edit]),
        "peak": max(r["peak"] for r in cold + nochange + edit), "size": size,
        "hugo": median(hugo), "hugo_pagefind": median([h + p for h, p in zip(hugo, hugo_pf)]),
        "pagefind_on_hugo": median(hugo_pf), "pelican": median(pelican),
    }


def pagefind_cmd() -> list[str]:
    """The Pagefind CLI of the Hugo baseline, from the `bench` extra (the site has its own index)."""
    import pagefind_bin

    return [str(pagefind_bin.get_executable())]


def report(r: dict[str, float], runs: int, cold_runs: int) -> None:
    per_k = 1000 / r["models"]
    mark = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
    cold_ratio = r["cold"] / r["hugo_pagefind"]
    pelican_ratio = r["pelican"] / r["render"]
    print(f"\n{r['models']:,} models + {r['localities']:,} localities · medians of {runs} runs ({cold_runs} cold)")
    print(f"  cold build            {r['cold']:7.2f} s  (render {r['render']:.2f} s + search index {r['search']:.2f} s)"
          f"  · {r['cold'] * per_k:.2f} s per 1,000 models")
    print(f"  no-change rebuild     {r['nochange']:7.2f} s  ({r['nochange_written']} files written)"
          f"  [target ≤ 0.3 s: {mark(r['nochange'] <= 0.3)}]")
    print(f"  one-model edit        {r['edit']:7.2f} s  (render {r['edit_render']:.2f} s + search index "
          f"{r['edit_search']:.2f} s)  [render target ≤ 2 s: {mark(r['edit_render'] <= 2)}]")
    print(f"  peak memory (PSS)     {r['peak'] / 2**20:7.0f} MiB  [target ≤ 1024: {mark(r['peak'] <= 2**30)}]")
    print(f"  output size           {r['size'] / 1e6:7.1f} MB")
    print(f"  Hugo + Pagefind       {r['hugo_pagefind']:7.2f} s  (Hugo {r['hugo']:.2f} s + Pagefind "
          f"{r['pagefind_on_hugo']:.2f} s)")
    print(f"  Pelican               {r['pelican']:7.2f} s")
    print(f"  ours / (Hugo+Pagefind) {cold_ratio:6.2f}  [target ≤ 1.0: {mark(cold_ratio <= 1.0)}]")
    print(f"  Pelican / our render  {pelican_ratio:7.2f}  [target ≥ 4: {mark(pelican_ratio >= 4)}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=os.environ.get("BENCH_MODELS", "1000,10000"),
                        help="comma-separated corpus sizes (default 1000,10000; env BENCH_MODELS)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")))
    parser.add_argument("--cold-runs", type=int, default=int(os.environ.get("BENCH_COLD_RUNS", "0")),
                        help="cold builds (and Hugo, Pelican runs) per size; default --runs. Rebuilds are "
                             "measured --runs times either way (cold builds at 10,000 models take minutes)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    results = []
    for models in (int(m) for m in args.models.split(",")):
        with tempfile.TemporaryDirectory(prefix="showcase-build-bench-") as tmp:
            cold_runs = min(args.cold_runs or args.runs, args.runs)
            results.append(bench_size(models, args.runs, Path(tmp), cold_runs))
        report(results[-1], args.runs, cold_runs)
    if len(results) > 1:
        print("\nseconds per 1,000 models (cold build): "
              + ", ".join(f"{r['models']:,}: {r['cold'] * 1000 / r['models']:.2f} s" for r in results))


if __name__ == "__main__":
    main()
