"""One way to reuse work between builds: results of a stage call remembered by what they depend on.

A stage never sees the memo; `build` wraps its calls (`remembered`, `remembered_each`). Two backends
share the protocol: `MemoryMemo` for `showcase serve` (results stay the very same objects, so later
stages can compare by identity), and `DiskMemo` for the CLI (`.cache/build/<generator digest>/`,
pickled, safe to delete; a layer named "process:…" lives only as long as the process, for what
cannot be pickled, like a compiled Jinja environment). Each build keeps, in every layer it used, exactly the keys it used, so
results of deleted files or old texts do not pile up.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol, TypeVar

from generator.core.errors import Diagnostic, Diagnostics

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
MISSING: Any = object()
CACHE_DIR = ".cache/build"
PROCESS = "process:"
BUCKETS = 16
PACKAGE = Path(__file__).resolve().parent.parent
# Libraries whose output we keep: a new version of one may write other bytes.
LIBRARIES = ("Jinja2", "Markdown", "PyYAML", "segno")


class Memo(Protocol):
    def begin(self) -> None:
        """A build starts: from now on, what is used is what is kept."""

    def get(self, layer: str, key: Hashable) -> Any:
        """The value remembered under `key`, or MISSING."""

    def put(self, layer: str, key: Hashable, value: Any) -> None: ...

    def finish(self) -> None:
        """The build ended: forget what it did not use (and, on disk, save what changed)."""


class MemoryMemo:
    """Layers of dicts in this process."""

    def __init__(self) -> None:
        self._layers: dict[str, dict[Hashable, Any]] = {}
        self._used: dict[str, set[Hashable]] = {}

    def begin(self) -> None:
        self._used = {}

    def layer(self, name: str) -> dict[Hashable, Any]:
        return self._layers.setdefault(name, {})

    def get(self, layer: str, key: Hashable) -> Any:
        self._used.setdefault(layer, set()).add(key)
        return self.layer(layer).get(key, MISSING)

    def put(self, layer: str, key: Hashable, value: Any) -> None:
        self._used.setdefault(layer, set()).add(key)
        self.layer(layer)[key] = value
        self._changed(layer, key)

    def finish(self) -> None:
        for name, used in self._used.items():
            layer = self.layer(name)
            if len(layer) > len(used):
                for key in layer.keys() - used:
                    self._changed(name, key)
                self._layers[name] = {k: v for k, v in layer.items() if k in used}

    def _changed(self, layer: str, key: Hashable) -> None:
        """The value under `key` was set or dropped (the disk backend saves its part of the layer)."""


class DiskMemo(MemoryMemo):
    """Layers pickled under `.cache/build/<digest of the generator and its libraries>/`, each in
    BUCKETS files by key, so that after a one-file edit only the files holding its keys are written."""

    def __init__(self, root: Path):
        super().__init__()
        self.folder = root / CACHE_DIR / code_digest()
        self._dirty: dict[str, set[int]] = {}

    def layer(self, name: str) -> dict[Hashable, Any]:
        if name not in self._layers:
            merged: dict[Hashable, Any] = {}
            for bucket in range(BUCKETS if not name.startswith(PROCESS) else 0):
                part = self._read(f"{name}.{bucket}")
                if isinstance(part, dict):
                    merged.update(part)
            self._layers[name] = merged
        return self._layers[name]

    def _changed(self, layer: str, key: Hashable) -> None:
        if not layer.startswith(PROCESS):
            self._dirty.setdefault(layer, set()).add(_bucket(key))

    def finish(self) -> None:
        """Write the changed buckets atomically; drop the caches of other generator versions."""
        super().finish()
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, buckets in sorted(self._dirty.items()):
            parts: dict[int, dict[Hashable, Any]] = {bucket: {} for bucket in buckets}
            for key, value in self._layers[name].items():
                part = parts.get(_bucket(key))
                if part is not None:
                    part[key] = value
            for bucket, part in sorted(parts.items()):
                self._write(f"{name}.{bucket}", part)
        self._dirty.clear()
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


def _bucket(key: Hashable) -> int:
    """Which file of its layer a key is kept in: the same in every process (hash() of a str is not)."""
    return zlib.crc32(repr(key).encode("utf-8", "surrogatepass")) % BUCKETS


def code_digest() -> str:
    """Hash of every module of the generator (all subpackages) and of the libraries whose output we keep."""
    digest = hashlib.sha256(" ".join(version(p) for p in LIBRARIES).encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def remembered(memo: Memo, layer: str, key: Hashable, compute: Callable[[Diagnostics], T], diag: Diagnostics) -> T:
    """`compute(diagnostics)` once per key; its problems are reported again each time it is reused."""
    hit: tuple[T, tuple[Diagnostic, ...]] = memo.get(layer, key)
    if hit is MISSING:
        local = Diagnostics()
        hit = (compute(local), tuple(local.items))
        memo.put(layer, key, hit)
    diag.extend(hit[1])
    return hit[0]


def remembered_each(memo: Memo, layer: str, items: Sequence[I], key: Callable[[I], Hashable],
                    compute: Callable[[list[I]], Iterable[T]]) -> list[T]:
    """One result per item: those not remembered are computed together (so they can go to workers)."""
    keys = [key(item) for item in items]
    results = [memo.get(layer, k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is MISSING]
    for index, value in zip(todo, compute([items[i] for i in todo])):
        results[index] = value
        memo.put(layer, keys[index], value)
    return results
