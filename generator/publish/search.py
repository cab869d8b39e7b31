"""Index the written site with the Pagefind CLI and put the bundle in <out>/pagefind/.

Pagefind writes into a temporary folder first; only a complete bundle is copied over, file by file
and only where the bytes changed, so a failed run leaves the previous index as it was.
<out>/pagefind/ belongs to this stage alone: files in it that the new bundle does not have are removed.

Pagefind 1.5 writes its filter chunks in a different order on every run (same content, new bytes
and hashes), so rerunning it on an unchanged site would rewrite files. A stamp with the digest of
every HTML page and the Pagefind version lets an unchanged site skip indexing: a second build
writes nothing.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.core.errors import Diagnostics, Location
from generator.content.graph import URLS
from generator.publish.write import write_if_changed

BUNDLE = "pagefind"
ENTRY = "pagefind-entry.json"      # points at the hashed index files: written last
STAMP = ".showcase-index"          # digest of what was indexed, written after the bundle is complete
# The UI bundles Pagefind ships; our own search page uses only the JS API, so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 600
# Only model and locality pages carry `data-pagefind-body`; Pagefind need not parse the other pages
# (listings that repeat every title, the map, the data page), which at 10,000 models are most of the HTML.
INDEXED = tuple(URLS[kind][0].split("/")[0] for kind in ("model", "locality"))
GLOB = "{" + ",".join(INDEXED) + "}/*/index.html"


@dataclass(frozen=True, slots=True)
class SearchReport:
    written: int
    unchanged: int
    removed: int
    pages: int | None                # None: the site had not changed, Pagefind did not run


def pagefind_command() -> list[str]:
    """The Pagefind binary shipped by the `pagefind[bin]` wheel."""
    import pagefind_bin  # imported here so `check` and `--no-search` work without the wheel

    return [str(pagefind_bin.get_executable())]


def index_site(out_dir: Path, diag: Diagnostics,
               background: set[subprocess.Popen[str]] | None = None) -> SearchReport | None:
    """Run Pagefind over `out_dir`; on failure report it and leave <out>/pagefind untouched.

    `background`, for the preview's refresh after a reload: Pagefind runs at the lowest CPU priority
    (on a 2-core machine its threads would otherwise slow down the next rebuild) and is in this set
    while it runs, so the server can stop it when it stops.
    """
    try:
        command = pagefind_command()
    except (ImportError, FileNotFoundError) as exc:
        diag.error(Location("site.yaml"), "search_unavailable", detail=str(exc))
        return None
    target = out_dir / BUNDLE
    stamp = _site_digest(out_dir, command)
    if (target / ENTRY).is_file() and _read(target / STAMP) == stamp:
        return SearchReport(0, 0, 0, None)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=out_dir.parent) as tmp:
        bundle = Path(tmp) / BUNDLE
        arguments = ["--site", str(out_dir), "--output-path", str(bundle), "--force-language", "vi", "--glob", GLOB]
        try:
            code, stdout, stderr = _run([*command, *arguments], background)
        except (OSError, subprocess.TimeoutExpired) as exc:
            diag.error(Location("site.yaml"), "search_failed", detail=str(exc))
            return None
        if code != 0 or not (bundle / ENTRY).is_file():
            lines = (stderr or stdout).strip().splitlines()
            diag.error(Location("site.yaml"), "search_failed", detail=" ".join(lines[-3:]) or f"mã {code}")
            return None
        for name in UNUSED:
            (bundle / name).unlink(missing_ok=True)
        report = sync_bundle(bundle, target, _page_count(stdout))
    write_if_changed(target / STAMP, stamp.encode())
    return report


def _run(command: list[str], background: set[subprocess.Popen[str]] | None) -> tuple[int, str, str]:
    """Run to completion; in the background at the lowest priority, and in `background` meanwhile."""
    nice = shutil.which("nice") if background is not None else None
    process = subprocess.Popen([nice, "-n", "19", *command] if nice else command,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if background is not None:
        background.add(process)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    finally:
        if background is not None:
            background.discard(process)
    return process.returncode, stdout, stderr


def sync_bundle(source: Path, target: Path, pages: int = 0) -> SearchReport:
    """Copy `source` over `target` writing only changed files, the entry file last; prune the rest."""
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    files.sort(key=lambda rel: rel == ENTRY)
    written = unchanged = 0
    for rel in files:
        if write_if_changed(target / rel, (source / rel).read_bytes()):
            written += 1
        else:
            unchanged += 1
    keep = set(files)
    removed = 0
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return SearchReport(written, unchanged, removed, pages)


def search_bundle_present(out_dir: Path) -> bool:
    return (out_dir / BUNDLE / ENTRY).is_file()


def _indexed_pages(out_dir: Path) -> list[Path]:
    return sorted(p for folder in INDEXED for p in out_dir.glob(f"{folder}/*/index.html"))


def _site_digest(out_dir: Path, command: list[str]) -> str:
    """Digest of every page Pagefind would read, and of the Pagefind binary that reads them."""
    digest = hashlib.sha256(f"{version('pagefind_bin')} {command} {GLOB}".encode())
    for path in _indexed_pages(out_dir):
        digest.update(path.relative_to(out_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        return None


def _page_count(log: str) -> int:
    for line in log.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "Indexed" and words[2] == "pages" and words[1].isdigit():
            return int(words[1])
    return 0
