"""What the editor in the browser saves: the front matter a person would write, in one stable form.

Decap CMS writes whatever its form holds: numbers typed as text, empty strings and empty lists for
fields left blank, keys in the order they were touched. Before a file reaches content/, its front
matter is rewritten here: keys in the content model's order (generator/schema.py), blanks dropped,
numbers and dates given their types, lists of plain values on one line (`sectors: [trong-trot]`), so
a file saved from the browser reads like one written by hand and a second save changes nothing.
Keys the model does not know are kept, after the known ones: nothing typed is lost.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from generator.content.schema import FIELDS_BY_KIND, Field

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DIGITS = re.compile(r"^[+\d][\d .()-]*$")


FLOW_WIDTH = 100     # a list of values or a list item shorter than this stays on one line


class _Dumper(yaml.SafeDumper):
    """Maps in block style; short lists of values and short list items on one line (`[a, b]`, `{k: v}`);
    list items indented under their key, as in the sample content and the guide."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Flow(dict[Any, Any]):
    pass


class _FlowList(list[Any]):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Phone numbers and other digits-only text in quotes, as the editors' guide asks: '0912 345 678'."""
    style = "|" if "\n" in value else "'" if _DIGITS.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(dict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False))
_Dumper.add_representer(list, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=False))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v,
                                                                     flow_style=True))


def _styled(value: Any, in_list: bool = False) -> Any:
    """Mark what fits on one line: lists of plain values, and list items made of plain values."""
    if isinstance(value, dict):
        items = {k: _styled(v) for k, v in value.items()}
        plain = all(not isinstance(v, (dict, list)) for v in items.values())
        return _Flow(items) if in_list and plain and _short(items) else items
    if isinstance(value, list):
        members = [_styled(v, in_list=True) for v in value]
        plain = all(not isinstance(v, (dict, list)) for v in members)
        return _FlowList(members) if plain and _short(members) else members
    return value


def _short(value: Any) -> bool:
    flat = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return "\n" not in flat.strip() and len(flat) <= FLOW_WIDTH


def normalise_entry(kind: str, text: str) -> str:
    """The file `text` (front matter and body) with its front matter in the stable form.

    Text that is not front matter followed by a body is returned as it is: the checks then report it.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if closing is None:
        return text
    try:
        meta = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError:
        return text
    if not isinstance(meta, dict):
        return text
    body = "\n".join(lines[closing + 1:]).strip("\n")
    data = _clean_map(FIELDS_BY_KIND[kind], meta)
    front = yaml.dump(_styled(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                      width=10_000) if data else ""
    return f"---\n{front}---\n" + (f"\n{body}\n" if body else "")


def _clean_map(fields: tuple[Field, ...], data: dict[Any, Any]) -> dict[Any, Any]:
    known = {f.name: f for f in fields}
    result = {}
    for field in fields:
        if field.name in data:
            value = _clean(field, data[field.name])
            if not _blank(value):
                result[field.name] = value
    for key, value in data.items():
        if key not in known and not _blank(value):
            result[key] = value
    return result


def _clean(field: Field, value: Any) -> Any:
    kind = field.kind
    if isinstance(value, str):
        value = value.strip()
    if kind == "map" and isinstance(value, dict):
        return _clean_map(field.fields, value)
    if kind == "list" and isinstance(value, list):
        assert field.item is not None
        items = [_clean(field.item, item) for item in value]
        return [item for item in items if not _blank(item)]
    if kind in ("int", "year", "month") and isinstance(value, (str, float)) and _NUMBER.match(str(value)):
        number = float(value)
        return int(number) if number.is_integer() else value
    if kind == "number" and isinstance(value, str) and _NUMBER.match(value):
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind == "date" and isinstance(value, (str, dt.datetime)):
        text = value.isoformat() if isinstance(value, dt.datetime) else value
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return value
    if kind == "partial_date" and isinstance(value, (dt.date, int)):
        return str(value)
    return value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
