"""Write the built site: only files whose bytes changed, atomically, pruning what is no longer built.

The only module that writes into the output directory. A manifest of the files we wrote lets us
remove outputs whose source was deleted without ever touching files we did not create.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.render import OutputFile

MANIFEST = ".showcase-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_outputs(outputs: Iterable[OutputFile], out_dir: Path) -> WriteReport:
    """Write changed files, keep identical ones untouched, remove stale ones from the last build."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir)
    current: list[str] = []
    written = unchanged = 0
    for output in outputs:
        current.append(output.path)
        if write_if_changed(out_dir / output.path, output.data):
            written += 1
        else:
            unchanged += 1
    if len(set(current)) != len(current):
        duplicates = sorted({p for p in current if current.count(p) > 1})
        raise ValueError(f"two outputs claim the same path: {duplicates}")
    removed = 0
    for stale in sorted(previous - set(current)):
        path = out_dir / stale
        if path.is_file():
            path.unlink()
            removed += 1
            _remove_empty_parents(path.parent, out_dir)
    write_if_changed(out_dir / MANIFEST, (json.dumps(sorted(current), ensure_ascii=False, indent=0)
                                          + "\n").encode("utf-8"))
    return WriteReport(written, unchanged, removed)


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


def _read_manifest(out_dir: Path) -> set[str]:
    try:
        return set(json.loads((out_dir / MANIFEST).read_text("utf-8")))
    except FileNotFoundError:
        return set()


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
