"""Check front-matter values against their `Field` in the schema, one field at a time.

Input: one `SourceFile`'s front matter. Output: the checked values (plain Python), every problem
recorded at its position with a message a non-programmer can act on (did-you-mean, date and decimal
hints). Checks that involve two fields, and the records built from the result, are in `validate`.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

from generator.core.errors import Diagnostics, Location
from generator.content.load import SourceFile
from generator.content.schema import IMAGE_PATH, YEAR_MAX, YEAR_MIN, Field
from generator.core.slugs import slug
from generator.core.yamldoc import Path

INVALID = object()       # the result of a value that failed its check (left out of the record)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DECIMAL_COMMA = re.compile(r"^\s*(-?\d+),(\d+)\s*$")
# Dates as Vietnamese write them: 15/03/2024, 15-3-2024, 15.03.2024, 03/2024.
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_MY = re.compile(r"^\s*(\d{1,2})[/.-](\d{4})\s*$")


def closest(word: str, candidates: list[str]) -> str | None:
    """Return the candidate nearest to `word`, or None when nothing is close."""
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def dotted(path: Path) -> str:
    """A field's path as editors read it: ('poverty', 0, 'poor') -> 'poverty[1].poor'."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_TYPE_NAMES = {str: "chuỗi", int: "số nguyên", float: "số", bool: "true/false", list: "danh sách",
               dict: "nhóm trường", type(None): "rỗng"}


class FieldChecker:
    """Validates one file, recording every problem with its position."""

    def __init__(self, source: SourceFile, vocabularies: Mapping[str, Mapping[str, str]],
                 diag: Diagnostics):
        self.source, self.vocabularies, self.diag = source, vocabularies, diag
        self.failed = False

    def error(self, path: Path, code: str, **params: Any) -> object:
        line, col = self.source.positions.value(path)
        self.diag.error(Location(self.source.path, line, col), code, **params)
        self.failed = True
        return INVALID

    def check_fields(self, fields: tuple[Field, ...], meta: dict[str, Any], path: Path) -> dict[str, Any]:
        known = {f.name: f for f in fields}
        out: dict[str, Any] = {}
        previous: tuple[Any, Any] = (None, None)
        for key, value in meta.items():
            if key not in known and not self._decimal_comma_key(path, previous, key, value):
                line, col = self.source.positions.key(path + (key,))
                near = closest(str(key), list(known))
                # A near miss (`soures:`) would drop a whole section without a word: that is an error.
                self.diag.add("error" if near else "warning", Location(self.source.path, line, col),
                              "unknown_key_closest" if near else "unknown_key",
                              key=key, closest=near, valid=", ".join(known))
                self.failed = self.failed or bool(near)
            previous = (key, value)
        for field in fields:
            value = meta.get(field.name)
            if value is None or value == "" or value == []:
                if field.required and not self._named_by_code(path, field):
                    self._missing(path, field, field.name in meta)
                continue
            checked = self.check_value(field, value, path + (field.name,))
            if checked is not INVALID:
                out[field.name] = checked
        # Absent optional fields read as None, so templates can write {% if x.y %} under StrictUndefined.
        return {f.name: out.get(f.name) for f in fields}

    def _decimal_comma_key(self, path: Path, previous: tuple[Any, Any], key: Any, value: Any) -> bool:
        """`{poor: 1,7}` reads as poor: 1 and a key '7': report the number as written, once."""
        name, number = previous
        if value is not None or not str(key).isdigit() or isinstance(number, bool) \
                or not isinstance(number, int):
            return False
        self.error(path + (name,), "decimal_comma", field=dotted(path + (name,)),
                   value=f"{number},{key}", suggestion=f"{number}.{key}")
        return True

    def _named_by_code(self, path: Path, field: Field) -> bool:
        """A locality file with a gazetteer `code` takes its name and level from the gazetteer."""
        return not path and field.name in ("name", "level") and self.source.kind == "locality" \
            and self.source.meta.get("code") not in (None, "")

    def _missing(self, path: Path, field: Field, written: bool = False) -> None:
        if written:      # `summary:` with nothing after it: point at that line, not at the top
            line, col = self.source.positions.key(path + (field.name,))
            self.diag.error(Location(self.source.path, line, col), "empty_field",
                            field=dotted(path + (field.name,)), key=field.name, help=field.help)
            self.failed = True
            return
        if path:
            line, col = self.source.positions.value(path)
        else:  # a top-level key: point at the opening --- so the editor knows where to add it
            line, col = 1, 1
        self.diag.error(Location(self.source.path, line, col), "missing_field",
                        field=dotted(path + (field.name,)), help=field.help)
        self.failed = True

    def check_value(self, field: Field, value: Any, path: Path) -> Any:
        check = getattr(self, f"_check_{field.kind}")
        return check(field, value, path)

    def _wrong_type(self, path: Path, expected: str, value: Any) -> object:
        return self.error(path, "wrong_type", field=dotted(path), expected=expected,
                          got=_TYPE_NAMES.get(type(value), type(value).__name__), value=value)

    def _check_text(self, field: Field, value: Any, path: Path) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return self._wrong_type(path, "chuỗi", value)
        text = str(value).strip()
        if field.max_length and len(text) > field.max_length:
            return self.error(path, "too_long", field=dotted(path), length=len(text),
                              max=field.max_length)
        return text

    def _check_phone(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, str):
            # YAML reads 0123 as the octal number 83: a phone number must be quoted to survive.
            return self.error(path, "phone_not_text", field=dotted(path), value=value)
        return value.strip()

    def _check_email(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, str) or not _EMAIL.match(value.strip()):
            return self.error(path, "bad_email", field=dotted(path), value=value)
        return value.strip()

    def _check_url(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            return self.error(path, "bad_url", field=dotted(path), value=value)
        return value.strip()

    def _check_number(self, field: Field, value: Any, path: Path) -> Any:
        comma = _DECIMAL_COMMA.match(value) if isinstance(value, str) else None
        if comma:
            return self.error(path, "decimal_comma", field=dotted(path), value=value.strip(),
                              suggestion=f"{comma[1]}.{comma[2]}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self._wrong_type(path, "số", value)
        if (field.min is not None and value < field.min) or (field.max is not None and value > field.max):
            return self.error(path, "out_of_range", field=dotted(path), value=value,
                              min=_num(field.min), max=_num(field.max))
        return value

    def _check_int(self, field: Field, value: Any, path: Path) -> Any:
        if isinstance(value, str) and _DECIMAL_COMMA.match(value):
            return self._check_number(field, value, path)
        if isinstance(value, bool) or not isinstance(value, int):
            return self._wrong_type(path, "số nguyên", value)
        return self._check_number(field, value, path)

    def _check_bool(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, bool):
            return self._wrong_type(path, "true hoặc false", value)
        return value

    def _check_year(self, field: Field, value: Any, path: Path) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not YEAR_MIN <= value <= YEAR_MAX:
            return self.error(path, "bad_year", field=dotted(path), value=value,
                              min=YEAR_MIN, max=YEAR_MAX)
        return value

    def _check_month(self, field: Field, value: Any, path: Path) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            return self.error(path, "bad_month", field=dotted(path), value=value)
        return value

    def _check_date(self, field: Field, value: Any, path: Path) -> Any:
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                return dt.date.fromisoformat(str(value))
        except ValueError:
            pass
        return self._bad_date(path, "bad_date", value)

    def _bad_date(self, path: Path, code: str, value: Any) -> object:
        """A date written day first (15/03/2024) gets the same date the right way round as its hint."""
        dmy = _DMY.match(value) if isinstance(value, str) else None
        my = _MY.match(value) if isinstance(value, str) else None
        suggestion = None
        try:
            if dmy:
                suggestion = dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1])).isoformat()
            elif my and code == "bad_partial_date" and 1 <= int(my[1]) <= 12:
                suggestion = f"{my[2]}-{int(my[1]):02d}"
        except ValueError:
            pass
        if suggestion:
            return self.error(path, "date_day_first", field=dotted(path), value=value, suggestion=suggestion)
        return self.error(path, code, field=dotted(path), value=value)

    def _check_partial_date(self, field: Field, value: Any, path: Path) -> Any:
        match = _PARTIAL_DATE.match(str(value))
        if match:
            year, month, day = (int(g) if g else 1 for g in match.groups())
            try:
                dt.date(year, month, day)
                if YEAR_MIN <= year <= YEAR_MAX:
                    return str(value)
            except ValueError:
                pass
        return self._bad_date(path, "bad_partial_date", value)

    def _check_enum(self, field: Field, value: Any, path: Path) -> Any:
        if value not in field.choices:
            return self.error(path, "bad_enum", field=dotted(path), value=value,
                              choices=", ".join(field.choices))
        return value

    def _check_vocab(self, field: Field, value: Any, path: Path) -> Any:
        vocabulary = self.vocabularies.get(field.vocab, {})
        ids = list(vocabulary)
        if not isinstance(value, str) or value not in ids:
            # A label as shown on the site ("An sinh xã hội", "phụ nữ"), in any case or accents.
            wanted = slug(str(value))
            near = next((i for i, label in vocabulary.items() if wanted and wanted in (slug(label), i)), None)
            if near:
                return self.error(path, "vocab_label", field=dotted(path), value=value, closest=near,
                                  label=vocabulary[near])
            near = closest(str(value), ids)
            return self.error(path, "unknown_vocab_closest" if near else "unknown_vocab",
                              field=dotted(path), value=value, vocab=field.vocab, closest=near,
                              valid=", ".join(ids))
        return value

    def _check_id(self, field: Field, value: Any, path: Path) -> Any:
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            # `locality: [lang-son]`, copied from the `sectors: [..]` line below it.
            return self.error(path, "id_is_list", field=dotted(path), value=value, suggestion=value[0])
        if not isinstance(value, str) or not _ID.match(value):
            return self.error(path, "bad_id", field=dotted(path), value=value,
                              suggestion=slug(str(value)) or "loc-yen")
        return value

    def _check_place(self, field: Field, value: Any, path: Path) -> Any:
        """An id, a GSO code or a place name; which one is settled against the gazetteer in graph."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.error(path, "code_not_text", field=dotted(path), value=value)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            # `locality: [lang-son]`, copied from the `sectors: [..]` line below it.
            return self.error(path, "id_is_list", field=dotted(path), value=value, suggestion=value[0])
        if not isinstance(value, str):
            return self._wrong_type(path, "chuỗi", value)
        text = value.strip()
        return text if _ID.match(text) else self._check_text(field, text, path)

    def _check_ids(self, field: Field, value: Any, path: Path) -> Any:
        """One id, or a list of them (a unit split between several successors)."""
        if isinstance(value, list):
            checked = [self._check_id(field, item, path + (i,)) for i, item in enumerate(value)]
            return tuple(dict.fromkeys(c for c in checked if c is not INVALID))
        checked = self._check_id(field, value, path)
        return checked if checked is INVALID else (checked,)

    def _check_image(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, str) or not IMAGE_PATH.fullmatch(value.strip()):
            return self.error(path, "image_path", field=dotted(path), value=value)
        return value.strip()

    def _check_list(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, list):
            if isinstance(value, (str, int)) and field.item and field.item.kind != "map":
                return self.error(path, "not_a_list", field=dotted(path), value=value)
            return self._wrong_type(path, "danh sách", value)
        assert field.item is not None
        items = [self.check_value(field.item, item, path + (i,)) for i, item in enumerate(value)]
        return [item for item in items if item is not INVALID]

    def _check_map(self, field: Field, value: Any, path: Path) -> Any:
        if not isinstance(value, dict):
            return self._wrong_type(path, "nhóm trường (khóa: giá trị)", value)
        return self.check_fields(field.fields, value, path)


def _num(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)
