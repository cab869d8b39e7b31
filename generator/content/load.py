"""Load sources: find the Markdown files under content/, decode them and split off the front matter.

Input: the site root. Output: `SourceFile`s with NFC text, parsed front matter and key positions.
No validation of fields here; every problem found is reported through `Diagnostics`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.core.inputs import Snapshot
from generator.core.text import decode_text
from generator.core.errors import Diagnostics, Location
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


def content_files(snapshot: Snapshot, diag: Diagnostics) -> list[tuple[str, Kind]]:
    """The Markdown files of content/models/ and content/localities/ in a snapshot of the inputs, in
    build order (models, then localities, each by name); a folder named like one is reported."""
    found: list[tuple[str, Kind]] = []
    folders: set[str] = set()
    for kind, rel_dir in CONTENT_DIRS.items():
        prefix = rel_dir + "/"
        for rel in sorted(k for k in snapshot if k.startswith(prefix)):
            name, _, rest = rel[len(prefix):].partition("/")
            if not name.endswith(".md"):
                continue
            if rest:
                folders.add(prefix + name)
            else:
                found.append((rel, kind))
    for folder in sorted(folders):
        diag.error(Location(folder), "path_is_directory")
    return found


# `draft: true` as written in a file whose front matter could not be read.
_DRAFT_LINE = re.compile(r"^draft:\s*(?:true|yes|on)\s*(?:#.*)?$", re.IGNORECASE | re.MULTILINE)


def draft_paths(root: Path, sources: list[SourceFile], diag: Diagnostics) -> frozenset[str]:
    """The content files marked `draft: true`, including those whose front matter is broken (their
    `draft:` line is found in the text), so that a draft's problems never block the site."""
    drafts = {s.path for s in sources if s.meta.get("draft") is True}
    loaded = {s.path for s in sources}
    for path in {d.location.path for d in diag.errors} - loaded:
        file = root / path
        if path.startswith("content/") and path.endswith(".md") and file.is_file():
            front = file.read_bytes()[:MAX_FILE_BYTES].decode("utf-8", "replace").split("\n---", 1)[0]
            if _DRAFT_LINE.search(front):
                drafts.add(path)
    return frozenset(drafts)


def report_unrecognised(root: Path, diag: Diagnostics) -> None:
    """Name every file in content/models/ and content/localities/ that the build skips, and any
    Markdown file put directly in content/: Notepad saves `ten.md.txt`, some editors `.markdown`,
    and a subfolder's files are never read. Hidden files and editor backups (`~`) are left alone."""
    folders = [(root / "content", True)] + [(root / d, False) for d in CONTENT_DIRS.values()]
    for folder, top in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            name = path.name
            if name.startswith(".") or name.endswith("~") or (top and (path.is_dir() or not _looks_markdown(name))):
                continue
            rel = path.relative_to(root).as_posix()
            if top:
                diag.warning(Location(rel), "content_misplaced", name=name)
            elif path.is_dir() and not name.endswith(".md"):
                diag.warning(Location(rel), "content_subfolder", folder=rel)
            elif path.is_file() and _looks_markdown(name) and not name.endswith(".md"):
                diag.warning(Location(rel), "content_not_md", name=name, expected=_markdown_name(name))
            elif path.is_file() and not name.endswith(".md"):
                diag.warning(Location(rel), "content_stray", name=name, folder=folder.relative_to(root).as_posix())


def _looks_markdown(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".md", ".markdown", ".md.txt", ".mdown", ".txt"))


def _markdown_name(name: str) -> str:
    stem = re.sub(r"(\.md\.txt|\.markdown|\.mdown|\.md|\.txt)$", "", name, flags=re.IGNORECASE)
    return f"{stem}.md"


def read_source(root: Path, rel: str, kind: Kind, diag: Diagnostics) -> SourceFile | None:
    """Load one content file from disk (None when it went away since the scan: the next scan sees it)."""
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return None
    return load_source(raw, rel, kind, diag)


def drop_duplicate_ids(sources: list[SourceFile], diag: Diagnostics) -> list[SourceFile]:
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


MAX_FILE_BYTES = 2_000_000     # a model page is tens of KB; anything bigger is a paste gone wrong


def load_source(raw: bytes, rel: str, kind: Kind, diag: Diagnostics) -> SourceFile | None:
    """Decode one file and split its front matter; return None when it cannot be parsed."""
    if len(raw) > MAX_FILE_BYTES:
        diag.error(Location(rel, 1, 1), "file_too_large", size=round(len(raw) / 1e6, 1),
                   max=MAX_FILE_BYTES // 1_000_000)
        return None
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
    _report_cut_values(lines[1:closing], rel, diag)
    try:
        meta, _ = parse_yaml(front, line_offset=1)   # positions are found again when needed
    except YamlProblem as exc:
        diag.error(Location(rel, exc.line, exc.col), exc.code, **exc.params)
        return None
    _report_curly_values(lines[1:closing], rel, diag)
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


# `name: Hội LHPN #1 toàn quốc`: YAML reads ` #` as the start of a comment and keeps "Hội LHPN".
# A comment written on purpose has a space after '#'; text glued to it was meant as part of the value.
_CUT_VALUE = re.compile(r"^\s*(?>(?:- +)?(?:[\w-]+: +)?)(?P<kept>[^\s\"'\[{#|>][^#]*?) #(?P<cut>\S.*)$")


def _report_cut_values(lines: list[str], rel: str, diag: Diagnostics) -> None:
    for index, line in enumerate(lines):
        match = _CUT_VALUE.match(line) if " #" in line else None
        if match:
            diag.warning(Location(rel, index + 2, match.start("cut")), "yaml_comment_cut",
                         kept=match["kept"].strip(), cut=match["cut"].rstrip())


# `title: “Nuôi gà”`: YAML knows only straight quotes, so a value wholly in curly ones (as Word types
# them) parses as text with the quotes kept, and would be published so. One that breaks the YAML
# (a ':' inside) is the error `yaml_curly_quotes` instead.
_CURLY_VALUE = re.compile(r"^\s*(?>(?:- +)?(?:[\w-]+: +)?)(?P<value>“(?P<inner>[^“”]*)”)\s*(?:#.*)?$")


def _report_curly_values(lines: list[str], rel: str, diag: Diagnostics) -> None:
    for index, line in enumerate(lines):
        match = _CURLY_VALUE.match(line) if "“" in line else None
        if match:
            diag.warning(Location(rel, index + 2, match.start("value") + 1), "yaml_curly_value",
                         inner=match["inner"])


def _find_tab_indent(lines: list[str]) -> int | None:
    """Return the index of the first line indented with a tab (YAML forbids them), if any."""
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return index
    return None
