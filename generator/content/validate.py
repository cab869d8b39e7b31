"""Validate sources against the content model and turn them into frozen records.

Input: `SourceFile`s and the site vocabularies. Output: `PovertyModel` and `Locality` records.
Each value is checked against its field in `fields`; checks that involve two fields of one file are
here; references between files are checked in `graph`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.core.errors import Diagnostics, Location
from generator.content.fields import FieldChecker, dotted
from generator.content.load import SourceFile
from generator.content.schema import FIELDS_BY_KIND, PROVINCE_LEVELS


class Record(Mapping[str, Any]):
    """A read-only nested front-matter value; templates read it as `record.key` or `record['key']`."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]):
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    # The Mapping mixins work through __getitem__ and ABC checks; these are read on every page.
    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("Record is read-only")

    def __reduce__(self) -> tuple[Any, ...]:     # pickled in .cache/build/
        return (Record, (self._data,))

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if type(other) is Record:
            return self._data == other._data
        return isinstance(other, Mapping) and self._data == dict(other)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data)))

    def __repr__(self) -> str:
        return f"Record({self._data!r})"


@dataclass(frozen=True, slots=True)
class Entry:
    """What every content record has: where it came from and its Markdown body."""

    id: str
    path: str
    body: str
    body_line: int
    digest: str
    data: Record             # every validated front-matter field, as written (for export and templates)

    def location(self, line: int = 0, col: int = 0) -> Location:
        return Location(self.path, line, col)


@dataclass(frozen=True, slots=True)
class PovertyModel(Entry):
    """One poverty-reduction model from content/models/<id>.md."""

    positions: Any = None    # yamldoc.Positions, for locating reference errors in `graph`

    def __getattr__(self, key: str) -> Any:
        return _field(self, key)


@dataclass(frozen=True, slots=True)
class Locality(Entry):
    """One administrative unit from content/localities/<id>.md."""

    positions: Any = None

    def __getattr__(self, key: str) -> Any:
        return _field(self, key)


def _field(entry: Entry, key: str) -> Any:
    """A front-matter field as an attribute. Every field of the schema is present (None when not
    given); any other name is an AttributeError, so a template's `{{ model.titel }}` fails loudly."""
    if key == "data" or key.startswith("__"):    # not yet set while unpickling
        raise AttributeError(key)
    try:
        return entry.data[key]
    except KeyError:
        raise AttributeError(f"'{type(entry).__name__}' has no field '{key}'") from None


@dataclass(frozen=True, slots=True)
class Entries:
    """Validated records, sorted by id; drafts are kept apart so `check` can list them."""

    models: tuple[PovertyModel, ...]
    localities: tuple[Locality, ...]
    drafts: tuple[PovertyModel, ...]
    known: Mapping[str, frozenset[str]]   # kind -> every id on disk, valid or not, for reference checks
    rejected: tuple[Entry, ...] = ()      # entries with errors: their valid fields are still cross-checked


@dataclass(frozen=True, slots=True)
class Validated:
    """One file after its own checks: the entry, and whether it had an error."""

    entry: PovertyModel | Locality
    failed: bool


def validate_sources(sources: list[SourceFile], vocabularies: Mapping[str, Mapping[str, str]],
                     diag: Diagnostics) -> Entries:
    """Validate each source; one with errors is reported and kept only for reference checks."""
    return collect_entries(sources, [validate_source(s, vocabularies, diag) for s in sources])


def validate_source(source: SourceFile, vocabularies: Mapping[str, Mapping[str, str]],
                    diag: Diagnostics) -> Validated:
    """Check one file's fields on their own; references to other files are checked in `graph`."""
    checker = FieldChecker(source, vocabularies, diag)
    data = checker.check_fields(FIELDS_BY_KIND[source.kind], source.meta, ())
    _check_cross_fields(checker, data)
    cls = PovertyModel if source.kind == "model" else Locality
    entry = cls(source.id, source.path, source.body, source.body_line, source.digest,
                _freeze(data), source.positions)
    return Validated(entry, checker.failed)


def collect_entries(sources: list[SourceFile], validated: list[Validated]) -> Entries:
    """Sort validated files into models, localities, drafts and rejected ones, each by id."""
    models, localities, drafts, rejected = [], [], [], []
    for one in validated:
        entry = one.entry
        if one.failed:
            rejected.append(entry)
        elif isinstance(entry, Locality):
            localities.append(entry)
        elif entry.data.get("draft"):
            drafts.append(entry)
        else:
            models.append(entry)
    key = lambda e: e.id  # noqa: E731
    known = {kind: frozenset(s.id for s in sources if s.kind == kind) for kind in FIELDS_BY_KIND}
    return Entries(tuple(sorted(models, key=key)), tuple(sorted(localities, key=key)),
                   tuple(sorted(drafts, key=key)), known, tuple(rejected))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return Record({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _check_cross_fields(checker: FieldChecker, data: dict[str, Any]) -> None:
    """Checks that involve two fields of the same file."""
    count = len(data.get("sources") or ())
    for group in ("figures", "poverty"):
        for index, item in enumerate(data.get(group) or ()):
            if item.get("source") and item["source"] > count:
                checker.error((group, index, "source"), "source_index", field=dotted(
                    (group, index, "source")), index=item["source"], count=count)
    if checker.source.kind == "locality" and isinstance(checker.source.meta.get("code"), int):
        # YAML reads 06211 as a number and drops the 0 (or reads it as octal).
        checker.error(("code",), "code_not_text", field="code", value=checker.source.meta["code"])
    if checker.source.kind == "locality" and data.get("level") in PROVINCE_LEVELS \
            and not data.get("region") and "region" not in checker.source.meta \
            and not data.get("code"):
        checker.error(("level",), "region_required", level=data["level"],
                      valid=", ".join(checker.vocabularies.get("regions", {})))
    published, updated = data.get("published"), data.get("updated")
    if published and updated and updated < published:
        line, col = checker.source.positions.value(("updated",))
        checker.diag.warning(Location(checker.source.path, line, col), "updated_before_published",
                             updated=updated, published=published)
