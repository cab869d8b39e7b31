"""Write the built site: only files whose bytes changed, atomically, pruning what is no longer built.

The only module that writes into the output directory. A manifest of the files we wrote lets us
remove outputs whose source was deleted without ever touching files we did not create. It also keeps
each file's size, modification time and hash: a file whose stat still matches and whose new bytes
hash the same is left alone without reading it back (10,000 models make about 30,000 files).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.render import OutputFile

MANIFEST = ".showcase-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_outputs(outputs: Iterable[OutputFile], out_dir: Path) -> WriteReport:
    """Write changed files, keep identical ones untouched, remove stale ones from the last build.

    `outputs` may be a generator: files are written as they come, so the site is never all in memory.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir)
    current: dict[str, list[Any]] = {}
    duplicates = set()
    written = unchanged = 0
    for output in outputs:
        if output.path in current:
            duplicates.add(output.path)
        path = out_dir / output.path
        digest = hashlib.sha1(output.data).hexdigest()
        if _still_written(path, previous.get(output.path), len(output.data), digest) \
                or not write_if_changed(path, output.data):
            unchanged += 1
        else:
            written += 1
        st = path.stat()
        current[output.path] = [st.st_size, st.st_mtime_ns, digest]
    if duplicates:
        raise ValueError(f"two outputs claim the same path: {sorted(duplicates)}")
    removed = 0
    for stale in sorted(previous.keys() - current.keys()):
        path = out_dir / stale
        if path.is_file():
            path.unlink()
            removed += 1
            _remove_empty_parents(path.parent, out_dir)
    write_if_changed(out_dir / MANIFEST, (json.dumps(dict(sorted(current.items())), ensure_ascii=False,
                                                     separators=(",", ":")) + "\n").encode("utf-8"))
    return WriteReport(written, unchanged, removed)


def _still_written(path: Path, recorded: list[Any] | None, size: int, digest: str) -> bool:
    """True when the file is as we wrote it last time (same stat) and the new bytes hash the same."""
    if not recorded or recorded[0] != size or recorded[2] != digest:
        return False
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    return st.st_size == size and st.st_mtime_ns == recorded[1]


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically; return False when the file already holds exactly these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _read_manifest(out_dir: Path) -> dict[str, list[Any]]:
    """Path -> [size, mtime_ns, sha1] of what the last build wrote (a list of paths from older builds)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else dict.fromkeys(data)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
