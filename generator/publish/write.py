"""Write the built site: only files whose bytes changed, atomically, pruning what is no longer built.

The only module that writes into the output directory. A manifest of the files we wrote lets us
remove outputs whose source was deleted without ever touching files we did not create. It also keeps
each file's size and hash: a file of that size, not modified after the manifest itself, whose new
bytes hash the same is left alone without reading it back (10,000 models make about 30,000 files).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.outputs import KeptFile, OutputFile
from generator.publish.compress import SUFFIXES, compressed_copies, compressible

MANIFEST = ".showcase-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


@dataclass(slots=True)
class Staged:
    """Changed files written beside their targets under temporary names, not yet in place."""

    out_dir: Path
    pending: list[tuple[Path, Path]]        # (temporary file, target)
    current: dict[str, list[Any]]           # path -> [size, sha1] of every output
    previous: dict[str, list[Any]]
    unchanged: int
    created: bool                           # the output folder did not exist before staging

    def commit(self) -> WriteReport:
        """Move the staged files into place, remove stale outputs, then record the manifest."""
        for tmp, target in self.pending:
            tmp.replace(target)
        removed = 0
        for stale in sorted(self.previous.keys() - self.current.keys()):
            path = self.out_dir / stale
            if path.is_file():
                path.unlink()
                removed += 1
                _remove_empty_parents(path.parent, self.out_dir)
        write_if_changed(self.out_dir / MANIFEST, (json.dumps(dict(sorted(self.current.items())), ensure_ascii=False,
                                                              separators=(",", ":")) + "\n").encode("utf-8"))
        return WriteReport(len(self.pending), self.unchanged, removed)

    def discard(self) -> None:
        """Forget the build: the output folder is left exactly as it was."""
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
            _remove_empty_parents(tmp.parent, self.out_dir)
        self.pending.clear()
        if self.created and not any(self.out_dir.iterdir()):
            self.out_dir.rmdir()


Manifest = tuple[dict[str, list[Any]], int]    # what `read_manifest` gives


def stage_outputs(outputs: Iterable[OutputFile | KeptFile], out_dir: Path, *, compress: bool = False,
                  manifest: Manifest | None = None) -> Staged:
    """Stage the changed files of `outputs`, which may be a generator: the site is never all in memory.

    Nothing is in place until `commit()`; a failure while staging discards what was staged. A
    `KeptFile` was checked with `intact_outputs` and is recorded as it is.
    With `compress`, text files also get `.br` and `.gz` copies (generator/publish/compress.py); those of
    a file that did not change are kept as they are, so an unchanged site compresses nothing.
    `manifest`: the caller's `read_manifest(out_dir)` (at 10,000 models it takes a quarter of a second).
    """
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    previous, written_by = manifest if manifest is not None else read_manifest(out_dir)
    staged = Staged(out_dir, [], {}, previous, 0, created)
    try:
        duplicates = set()
        for output in outputs:
            if output.path in staged.current:
                duplicates.add(output.path)
            if isinstance(output, KeptFile):
                staged.unchanged += 1
                staged.current[output.path] = [output.size, output.sha1]
                if compress and compressible(output.path):
                    _stage_copies(staged, output, os.path.join(out_dir, output.path), True, written_by)
                continue
            digest = hashlib.sha1(output.data).hexdigest()
            path = os.path.join(out_dir, output.path)
            tmp = None
            same = _still_written(path, previous.get(output.path), len(output.data), digest, written_by)
            if not same:
                tmp = _stage(Path(path), output.data)
            if tmp is None:
                staged.unchanged += 1
            else:
                staged.pending.append((tmp, Path(path)))
            staged.current[output.path] = [len(output.data), digest]
            if compress and compressible(output.path):
                _stage_copies(staged, output, path, same, written_by)
        if duplicates:
            raise ValueError(f"two outputs claim the same path: {sorted(duplicates)}")
    except BaseException:
        staged.discard()
        raise
    return staged


def _stage_copies(staged: Staged, output: OutputFile | KeptFile, path: str, same: bool, written_by: int) -> None:
    """Stage the compressed copies of `output`, or keep the recorded ones when it did not change.

    A page kept as written (`KeptFile`) whose copies are missing is read back to compress it.
    """
    kept = {suffix: staged.previous.get(output.path + suffix) for suffix in SUFFIXES}
    recorded = {s: r for s, r in kept.items() if r}
    if same and recorded and all(untouched(path + s, r[0], written_by) for s, r in recorded.items()):
        for suffix, record in recorded.items():
            staged.current[output.path + suffix] = record
            staged.unchanged += 1
        return
    data = output.data if isinstance(output, OutputFile) else Path(path).read_bytes()
    for suffix, copy in compressed_copies(output.path, data).items():
        target = Path(path + suffix)
        tmp = _stage(target, copy)
        if tmp is None:
            staged.unchanged += 1
        else:
            staged.pending.append((tmp, target))
        staged.current[output.path + suffix] = [len(copy), hashlib.sha1(copy).hexdigest()]


def kept_outputs(out_dir: Path, last: Manifest) -> Callable[[str], KeptFile | None]:
    """A file of the last build (`last`: its manifest) that is still there as written, as a `KeptFile`;
    None otherwise: recorded with a size and hash, and not modified since (see `untouched`)."""
    manifest, written_by = last
    prefix = f"{out_dir}{os.sep}"     # string paths: a Path per file costs more than its stat

    def kept(rel: str) -> KeptFile | None:
        recorded = manifest.get(rel)
        if not recorded or len(recorded) != 2 or not untouched(prefix + rel, recorded[0], written_by):
            return None
        return KeptFile(rel, recorded[0], recorded[1])
    return kept


def intact_outputs(kept: Callable[[str], KeptFile | None]) -> Callable[[str, int, str], bool]:
    """Whether a file is still there as written with this size and hash: a page found so need not be
    rendered again. (Outputs named by their content, like share cards, use `kept` alone.)"""
    def intact(rel: str, size: int, sha1: str) -> bool:
        found = kept(rel)
        return found is not None and (found.size, found.sha1) == (size, sha1)
    return intact


def outputs_intact(out_dir: Path) -> bool:
    """True when every file the last build wrote is still there as it was written."""
    manifest, written_by = read_manifest(out_dir)
    prefix = f"{out_dir}{os.sep}"
    return bool(manifest) and all(recorded and untouched(prefix + rel, recorded[0], written_by)
                                  for rel, recorded in manifest.items())


def _still_written(path: str, recorded: list[Any] | None, size: int, digest: str, written_by: int) -> bool:
    """True when the new bytes hash as recorded and the file is as we left it (see `untouched`)."""
    return bool(recorded) and recorded == [size, digest] and untouched(path, size, written_by)


def untouched(path: str | Path, size: int, written_by: int) -> bool:
    """The file has the recorded size and was not modified after the manifest was written."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    return st.st_size == size and st.st_mtime_ns <= written_by


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically; return False when the file already holds exactly these bytes."""
    tmp = _stage(path, data)
    if tmp is not None:
        tmp.replace(path)
    return tmp is not None


def _stage(path: Path, data: bytes) -> Path | None:
    """Write `data` beside `path` under a temporary name; None when the file already holds these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return None
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    return tmp


def read_manifest(out_dir: Path) -> Manifest:
    """Path -> [size, sha1] of what the last build wrote (older builds: paths only), and the manifest's mtime."""
    try:
        path = out_dir / MANIFEST
        data, mtime = json.loads(path.read_text("utf-8")), path.stat().st_mtime_ns
    except (FileNotFoundError, ValueError):
        return {}, 0
    return (data if isinstance(data, dict) else {path: [] for path in data}), mtime


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
