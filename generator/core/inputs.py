"""What a build reads, as a snapshot: every input file's stat, and a content hash while its timestamp
is too fresh to trust. Two equal snapshots mean nothing changed; the key of a file's state is what
stage results read from it are remembered by (see `memo`)."""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# A file changed within this window of being looked at may change again with the same mtime and size
# (coarse timestamps: a jiffy on Linux, 2 s on FAT), so its content is hashed instead of trusted.
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class FileState:
    stat: tuple[int, int, int]      # mtime_ns, size, inode
    digest: str | None              # content hash, kept while the timestamp is not yet trusted
    trusted: bool

    @property
    def key(self) -> tuple[object, ...]:
        """What results read from this file are remembered by: its content hash, or its trusted stat."""
        return ("sha256", self.digest) if self.digest is not None else ("stat", *self.stat)


Snapshot = Mapping[str, FileState]   # by path relative to the site root (../… for the built-in theme)


def scan_inputs(site_root: Path, roots: Iterable[Path], previous: Snapshot | None = None) -> dict[str, FileState]:
    """Stat every file under `roots`; hash only those whose timestamps are too fresh to trust."""
    now = time.time_ns()
    states: dict[str, FileState] = {}
    for root in roots:
        # Keys are paths relative to the site root; relpath per file would cost more than the stat.
        prefix, start = os.path.relpath(root, site_root).replace(os.sep, "/"), len(str(root))
        for path, st in _walk(root):
            key = (prefix + path[start:].replace(os.sep, "/")).removeprefix("./")
            stat = (st.st_mtime_ns, st.st_size, st.st_ino)
            old = (previous or {}).get(key)
            trusted = now - st.st_mtime_ns > RACY_NS
            if old is not None and old.stat == stat and old.trusted:
                states[key] = old
                continue
            digest = _hash_file(path) if not trusted or (old is not None and old.stat == stat) else None
            states[key] = FileState(stat, digest, trusted)
    return states


def unchanged(old: FileState | None, new: FileState) -> bool:
    if old is None or old.stat != new.stat:
        return False
    return old.trusted or (old.digest is not None and old.digest == new.digest)


def same_inputs(old: Snapshot | None, new: Snapshot) -> bool:
    return old is not None and old.keys() == new.keys() and all(unchanged(old[k], v) for k, v in new.items())


def _walk(root: Path) -> Iterable[tuple[str, os.stat_result]]:
    if root.is_file():
        yield str(root), root.stat()
        return
    stack = [str(root)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name == ".git":
                    continue
                stack.append(entry.path)
            elif entry.is_file():
                try:
                    yield entry.path, entry.stat()
                except FileNotFoundError:       # deleted between listing and stat
                    continue


def _hash_file(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
