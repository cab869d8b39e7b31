"""Work kept between `showcase build` runs in <root>/.cache/build/: safe to delete at any time.

Layers, each keyed by exactly what its result depends on:
- `sources`: parsed files by path, reused while the file's stat (mtime, size, inode) is unchanged and
  older than the racy window (see load.RACY_NS);
- `bodies`: rendered Markdown by a hash of the body text;
- `qr`: QR code SVGs by (URL, label);
- `exports`: each open-data record as JSON and CSV, by what it is computed from (export.record_key);
- `stamp`: the input snapshot, options and summary of the last successful build, so a build with
  nothing changed (inputs, options, and every output file as the manifest recorded it) stops at once.
Everything lives under a folder named by a hash of the generator's own code and library versions,
so a new version never reads an old cache; site.yaml and templates are inputs of the stamp, and the
other layers do not depend on them.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.cache import Snapshot, same_inputs
from generator.publish.write import read_manifest, untouched

CACHE_DIR = ".cache/build"
PACKAGE = Path(__file__).resolve().parent


def code_digest() -> str:
    """Hash of the generator's source files and of the libraries whose output we keep."""
    digest = hashlib.sha256(" ".join(version(p) for p in ("Markdown", "PyYAML", "segno")).encode())
    # Every module of every subpackage: a change anywhere may change what a build writes.
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the last successful build read, how it was asked for, and what it reported."""

    key: tuple[Any, ...]
    snapshot: Snapshot
    summary: Any            # a BuildResult without the graph and drafts


class DiskCache:
    """Layers loaded on first use and saved by `save()` when they changed."""

    def __init__(self, root: Path):
        self.folder = root / CACHE_DIR / code_digest()
        self._layers: dict[str, dict[Any, Any]] = {}
        self._dirty: set[str] = set()

    def layer(self, name: str) -> dict[Any, Any]:
        if name not in self._layers:
            self._layers[name] = self._read(name) or {}
        return self._layers[name]

    def update(self, name: str, results: dict[Any, Any]) -> None:
        """Keep exactly this build's results, so entries of deleted files or old texts do not pile up."""
        layer = self.layer(name)
        if layer.keys() != results.keys():
            self._dirty.add(name)
            layer.clear()
            layer.update(results)

    def mark(self, name: str) -> None:
        """A layer was changed in place (see load.load_sources): save it."""
        self._dirty.add(name)

    def stamp(self) -> Stamp | None:
        stamp = self._read("stamp")
        return stamp if isinstance(stamp, Stamp) else None

    def save(self, stamp: Stamp | None) -> None:
        """Write the changed layers and the stamp atomically; drop caches of other generator versions."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(self._dirty):
            self._write(name, self._layers[name])
        self._dirty.clear()
        if stamp is None:
            (self.folder / "stamp.pickle").unlink(missing_ok=True)
        else:
            self._write("stamp", stamp)
        for other in self.folder.parent.iterdir():
            if other != self.folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)

    def _read(self, name: str) -> Any:
        try:
            with open(self.folder / f"{name}.pickle", "rb") as file:
                return pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None             # missing or damaged: rebuild it

    def _write(self, name: str, value: Any) -> None:
        tmp = self.folder / f".{name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.folder / f"{name}.pickle")


def outputs_intact(out_dir: Path) -> bool:
    """True when every file the last build wrote is still there as it was written (see write.untouched)."""
    manifest, written_by = read_manifest(out_dir)
    return bool(manifest) and all(recorded and untouched(out_dir / rel, recorded[0], written_by)
                                  for rel, recorded in manifest.items())


def unchanged_since(stamp: Stamp, key: tuple[Any, ...], snapshot: Snapshot) -> bool:
    return stamp.key == key and same_inputs(stamp.snapshot, snapshot)
