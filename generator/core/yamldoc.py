"""Parse YAML with positions: duplicate keys rejected, dates left as text, marks kept per key path.

PyYAML silently keeps the last of two equal keys and turns `2023-02-30` into an exception that
carries no position, so we compose the node tree ourselves and record where every key and value
starts. Paths are tuples such as ("figures", 0, "year").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[Any, ...]


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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions({}, {(): (line_offset + 1, 1)})
        positions = Positions({}, {})
        _walk(node, (), positions, line_offset)
        return loader.construct_document(node), positions
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "?"
        context_line = exc.context_mark.line + 1 + line_offset if exc.context_mark else None
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (line_offset + 1, 1)
        raise YamlProblem("yaml_syntax", line, col, problem=problem, context_line=context_line) from None
    finally:
        loader.dispose()


def _walk(node: yaml.Node, path: Path, positions: Positions, offset: int) -> None:
    positions.values[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
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
