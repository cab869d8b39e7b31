"""Parse YAML with positions: duplicate keys rejected, dates left as text, marks kept per key path.

PyYAML silently keeps the last of two equal keys and turns `2023-02-30` into an exception that
carries no position, so we compose the node tree ourselves and record where every key and value
starts. Paths are tuples such as ("figures", 0, "year").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[Any, ...]

# Front matter is a few dozen lines, the deepest field three levels down (figures[1].source): these
# limits only stop a pasted file or a mistake from costing minutes and gigabytes.
MAX_YAML_CHARS = 200_000
MAX_DEPTH = 12


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves timestamps as strings; the validator parses dates with positions."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Positions:
    """1-based (line, col) of each key and each value, with the offset of the enclosing file added."""

    keys: dict[Path, tuple[int, int]]
    values: dict[Path, tuple[int, int]]

    def key(self, path: Path) -> tuple[int, int]:
        return self.keys.get(path) or self.value(path)

    def value(self, path: Path) -> tuple[int, int]:
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


class LazyPositions:
    """The `Positions` of a parsed text, found again only when a problem must be located.

    Two dictionaries of tuples per file are about 35 KB: a third of the memory of a 10,000-model
    build, for positions that only an error or warning ever reads.
    """

    __slots__ = ("text", "offset", "_found")

    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        self._found: Positions | None = None

    def key(self, path: Path) -> tuple[int, int]:
        return self._positions().key(path)

    def value(self, path: Path) -> tuple[int, int]:
        return self._positions().value(path)

    def _positions(self) -> Positions:
        if self._found is None:
            self._found = parse_yaml(self.text, self.offset)[1]
        return self._found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyPositions) and (self.text, self.offset) == (other.text, other.offset)

    def __hash__(self) -> int:
        return hash((self.text, self.offset))

    def __getstate__(self) -> tuple[str, int]:
        return self.text, self.offset

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.text, self.offset, self._found = *state, None


class YamlProblem(Exception):
    """A located YAML problem: `line`/`col` are 1-based in the file; `code` names the message."""

    def __init__(self, code: str, line: int, col: int, **params: Any):
        super().__init__(code)
        self.code, self.line, self.col, self.params = code, line, col, params


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, Positions]:
    """Return the document and the positions of its keys and values; raise YamlProblem."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlProblem("yaml_too_large", line_offset + 1, 1, size=len(text) // 1000,
                          max=MAX_YAML_CHARS // 1000)
    if "&" in text or "*" in text:
        _reject_anchors(text, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions({}, {(): (line_offset + 1, 1)})
        positions = Positions({}, {})
        _walk(node, (), positions, line_offset)
        return loader.construct_document(node), positions
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text, line_offset) from None
    except yaml.reader.ReaderError as exc:     # a control character pasted from Word or a PDF
        before = text[:exc.position]
        raise YamlProblem("yaml_control_char", before.count("\n") + 1 + line_offset,
                          exc.position - (before.rfind("\n") + 1) + 1, char=f"U+{exc.character:04X}") from None
    finally:
        loader.dispose()


# PyYAML's words for a line that does not line up with the ones above it.
_INDENT_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator",
                    "expected <block end>")
_KEY_LINE = re.compile(r"^( *)(?:- )?[\w-]+ *:")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, offset: int) -> YamlProblem:
    """Say what an editor did, not what the parser expected: indentation, curly quotes, a ':' in a value."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "?"
    if mark is None:
        return YamlProblem("yaml_syntax", offset + 1, 1, problem=problem, context_line=None)
    lines = text.split("\n")
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    line, col = mark.line + 1 + offset, mark.column + 1
    if "“" in line_text or "”" in line_text:
        return YamlProblem("yaml_curly_quotes", line, line_text.find("“" if "“" in line_text else "”") + 1)
    key = _KEY_LINE.match(line_text)
    # `mapping values are not allowed` at the first ':' of a line that starts with a key means the key
    # is indented under the value above it; at a later ':' it is a colon inside an unquoted value.
    colon_is_key = key is not None and problem.startswith("mapping values") and mark.column == key.end() - 1
    if problem.startswith(_INDENT_PROBLEMS) or colon_is_key:
        above = next((n for n in range(mark.line - 1, -1, -1) if lines[n].strip()
                      and not lines[n].lstrip().startswith("#")), None)
        indent = len(line_text) - len(line_text.lstrip(" "))
        if above is not None:
            above_key = _KEY_LINE.match(lines[above])     # "  - title:": the key starts after "- "
            above_spaces = (len(lines[above]) - len(lines[above].lstrip(" "))) if above_key is None \
                else above_key.end() - len(above_key.group().lstrip(" -"))
            return YamlProblem("yaml_indent", line, indent + 1, spaces=indent, above=above + 1 + offset,
                               above_spaces=above_spaces)
    context_line = exc.context_mark.line + 1 + offset if exc.context_mark else None
    return YamlProblem("yaml_syntax", line, col, problem=problem, context_line=context_line)


def _reject_anchors(text: str, offset: int) -> None:
    """Anchors (&a) and aliases (*a) are refused before anything is built: front matter never needs
    them, and nine levels of `&a [*a, *a, …]` would expand to billions of items (an alias bomb).
    A linear scan of the tokens finds them without expanding anything."""
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                mark = token.start_mark
                raise YamlProblem("yaml_anchor", mark.line + 1 + offset, mark.column + 1,
                                  name=str(token.value)[:40])
    except yaml.YAMLError:
        return       # the parse that follows reports the syntax problem with its position


def _walk(node: yaml.Node, path: Path, positions: Positions, offset: int) -> None:
    positions.values[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        raise YamlProblem("yaml_too_deep", node.start_mark.line + 1 + offset, node.start_mark.column + 1,
                          max=MAX_DEPTH)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("yaml_complex_key", key_node.start_mark.line + 1 + offset,
                                  key_node.start_mark.column + 1)
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                raise YamlProblem("yaml_duplicate_key", line, key_node.start_mark.column + 1,
                                  key=key, first_line=seen[key])
            seen[key] = line
            positions.keys[path + (key,)] = (line, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), positions, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), positions, offset)
