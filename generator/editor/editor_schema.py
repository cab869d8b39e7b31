"""JSON Schema (draft-07) of the front matter, generated from `schema.FIELDS_BY_KIND`.

The same table drives validation, so the schema an editor checks against can never drift from what
`showcase check` accepts. Vocabulary fields list the ids of this site's site.yaml, with their labels.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.content.config import Config
from generator.content.schema import FIELDS_BY_KIND, IMAGE_PATH, YEAR_MAX, YEAR_MIN, Field
from generator.publish.write import write_if_changed

TITLES = {"model": "Mô hình giảm nghèo (content/models/*.md)",
          "locality": "Địa phương (content/localities/*.md)"}
_ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def front_matter_schema(kind: str, config: Config) -> dict[str, Any]:
    """The schema of one kind of content file's front matter."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": f"{kind}.schema.json",
            "title": TITLES[kind], **_object(FIELDS_BY_KIND[kind], config)}


def write_schemas(config: Config, out_dir: Path) -> list[Path]:
    """Write `<kind>.schema.json` for every kind; files whose text is unchanged are left alone."""
    paths = []
    for kind in FIELDS_BY_KIND:
        path = out_dir / f"{kind}.schema.json"
        text = json.dumps(front_matter_schema(kind, config), ensure_ascii=False, indent=2) + "\n"
        write_if_changed(path, text.encode("utf-8"))
        paths.append(path)
    return paths


def _object(fields: tuple[Field, ...], config: Config) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {f.name: _field(f, config) for f in fields},
                              "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _field(field: Field, config: Config) -> dict[str, Any]:
    schema = _kind(field, config)
    if field.help:
        schema["description"] = field.help
    if field.example is not None:
        schema["examples"] = [field.example]
    if field.min is not None:
        schema["minimum"] = field.min
    if field.max is not None:
        schema["maximum"] = field.max
    if field.max_length:
        schema["maxLength"] = field.max_length
    return schema


def _kind(field: Field, config: Config) -> dict[str, Any]:
    kind = field.kind
    if kind == "text":                      # the validator also accepts a bare number as text
        return {"type": ["string", "number"]}
    if kind in ("int", "number"):
        return {"type": "integer" if kind == "int" else "number"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "year":
        return {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
    if kind == "month":
        return {"type": "integer", "minimum": 1, "maximum": 12}
    if kind == "date":
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if kind == "partial_date":
        return {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    if kind == "email":
        return {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"}
    if kind == "url":
        return {"type": "string", "pattern": "^https?://"}
    if kind == "phone":
        return {"type": "string"}
    if kind == "image":
        return {"type": "string", "pattern": "^" + IMAGE_PATH.pattern}
    if kind == "id":
        return {"type": "string", "pattern": _ID_PATTERN}
    if kind == "enum":
        return {"enum": list(field.choices)}
    if kind == "vocab":
        labels = config.vocabularies[field.vocab]
        return {"type": "string", "enum": list(labels), "enumDescriptions": list(labels.values())}
    if kind == "list":
        assert field.item is not None
        schema: dict[str, Any] = {"type": "array", "items": _field(field.item, config)}
        if field.required:
            schema["minItems"] = 1
        return schema
    if kind == "map":
        return _object(field.fields, config)
    raise ValueError(f"no JSON Schema for field kind {kind!r}")
