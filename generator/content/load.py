"""Load sources: find the Markdown files under content/, decode them and split off the front matter.

Input: the site root. Output: `SourceFile`s with NFC text, parsed front matter and key positions.
No validation of fields here; every problem found is reported through `Diagnostics`.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.core.text import decode_text
from generator.core.errors import Diagnostic, Diagnostics, Location
from generator.core.slugs import slug
from generator.core.yamldoc import LazyPositions, Positions, YamlProblem, parse_yaml

Kind = Literal["model", "locality"]
CONTENT_DIRS: dict[Kind, str] = {"model": "content/models", "locality": "content/localities"}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file after decoding and front-matter parsing."""

    path: str                 # relative to the site root, with forward slashes
    kind: Kind
    id: str                   # slug of the file stem
    meta: dict[str, Any]      # parsed front matter (plain YAML types, dates as text)
    positions: Positions | LazyPositions   # where each key and value starts in the file
    body: str                 # Markdown after the closing ---
    body_line: int            # file line on which the body starts
    digest: str               # sha256 of the raw bytes, for caches


# A file changed within this window of being looked at may change again with the same mtime and size
# (coarse timestamps: a jiffy on Linux, 2 s on FAT), so it is read again (and, in cache.py, hashed).
RACY_NS = 2_000_000_000
Parsed = tuple[tuple[int, int, int], "SourceFile | None", tuple[Diagnostic, ...]]   # stat, result, problems


def load_sources(root: Path, diag: Diagnostics, memo: dict[str, Parsed] | None = None) -> list[SourceFile]:
    """Read every content file in sorted order; report unreadable ones and keep going.

    With a `memo` (from .cache/, by path) a file whose stat is unchanged and not too fresh to trust is
    not read again; `memo` is updated to hold exactly the files of this build.
    """
    sources = []
    seen: dict[str, Parsed] = {}
    now = time.time_ns()
    for kind, rel_dir in CONTENT_DIRS.items():
        folder = root / rel_dir
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            rel = path.relative_to(root).as_posix()
            if path.is_dir():
                diag.error(Location(rel), "path_is_directory")
                continue
            st = path.stat()
            stat = (st.st_mtime_ns, st.st_size, st.st_ino)
            known = memo.get(rel) if memo is not None else None
            if known is None or known[0] != stat or now - st.st_mtime_ns < RACY_NS:
                local = Diagnostics()
                known = (stat, load_source(path.read_bytes(), rel, kind, local), tuple(local.items))
            seen[rel] = known
            diag.items.extend(known[2])
            if known[1] is not None:
                sources.append(known[1])
    if memo is not None:
        memo.clear()
        memo.update(seen)
    return _drop_duplicate_ids(sources, diag)


def _drop_duplicate_ids(sources: list[SourceFile], diag: Diagnostics) -> list[SourceFile]:
    """Two files of one kind whose names slug to the same id would claim the same URL."""
    first: dict[tuple[str, str], SourceFile] = {}
    kept = []
    for source in sources:
        other = first.setdefault((source.kind, source.id), source)
        if other is source:
            kept.append(source)
        else:
            diag.error(Location(source.path), "duplicate_id", id=source.id, other=other.path)
    return kept


def load_source(raw: bytes, rel: str, kind: Kind, diag: Diagnostics) -> SourceFile | None:
    """Decode one file and split its front matter; return None when it cannot be parsed."""
    text = decode_text(raw, rel, diag)
    if text is None:
        return None
    if not text.strip():
        diag.error(Location(rel, 1, 1), "empty_file")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        diag.error(Location(rel, 1, 1), "frontmatter_missing")
        return None
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if closing is None:
        diag.error(Location(rel, len(lines), 1), "frontmatter_unclosed")
        return None
    front = "\n".join(lines[1:closing]) + "\n"
    tab = _find_tab_indent(lines[1:closing])
    if tab is not None:
        diag.error(Location(rel, tab + 2, 1), "yaml_tab")
        return None
    try:
        meta, _ = parse_yaml(front, line_offset=1)   # positions are found again when needed
    except YamlProblem as exc:
        diag.error(Location(rel, exc.line, exc.col), exc.code, **exc.params)
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        diag.error(Location(rel, 2, 1), "frontmatter_not_mapping")
        return None
    stem = rel.rsplit("/", 1)[-1][:-3]
    ident = slug(stem)
    if ident != stem:
        diag.warning(Location(rel), "file_name_not_slug", expected=f"{ident}.md")
    return SourceFile(rel, kind, ident, meta, LazyPositions(front, 1), "\n".join(lines[closing + 1:]),
                      closing + 2, hashlib.sha256(raw).hexdigest())


def _find_tab_indent(lines: list[str]) -> int | None:
    """Return the index of the first line indented with a tab (YAML forbids them), if any."""
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return index
    return None
