"""Join the content with the gazetteer: localities without hand-written files.

Input: validated `Entries`; output: `Entries` whose localities are the files of content/localities/,
completed from the gazetteer, plus a record for every unit a model or a file needs (the unit, its
ancestors, its successors and theirs). A model's `locality:` may then be a file id, a gazetteer id,
a GSO code or a Vietnamese name or address, old or new; it is replaced by the id of the page.

On when site.yaml has `gazetteer: true`, so a site of invented places (the tests' tiny sites) is
left as it is. No I/O besides reading the gazetteer once.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from generator.content.config import Config
from generator.content.gazetteer import (REFORM_DAY, Gazetteer, Unit, bare_name, level_fits, load_gazetteer,
                                         names_unit, units_named)
from generator.core.errors import Diagnostics
from generator.content.schema import LOCALITY_FIELDS
from generator.content.validate import Entries, Locality, PovertyModel, Record

GAZETTEER_PATH = "gazetteer:"        # the `path` of a record that has no file
MAX_CANDIDATES = 5


def gazetteer_enabled(config: Config) -> bool:
    return config.gazetteer


def place_entries(entries: Entries, config: Config, diag: Diagnostics) -> Entries:
    """Link files to units, resolve models' localities and add the units pages are needed for."""
    if not gazetteer_enabled(config):
        return _without_gazetteer(entries, diag)
    gaz = load_gazetteer()
    linker = _Linker(gaz, {loc.id: loc for loc in entries.localities + _rejected(entries, Locality)}, diag)
    for loc in entries.localities:
        linker.unit_of(loc.id)
    page_of = {unit: file_id for file_id, unit in linker.linked.items() if unit}
    needed: dict[str, None] = dict.fromkeys(u for u in linker.linked.values() if u)

    def resolve(model: PovertyModel) -> PovertyModel:
        value = model.locality
        if not value or value in linker.files:
            unit = linker.linked.get(value) if value else None
            if unit:
                needed[unit] = None
            return model
        found = resolve_locality(gaz, str(value))
        if len(found) > 1:
            _ambiguous(gaz, model, str(value), found, diag)
            return model
        if not found:
            return model     # graph reports the unknown id, with the closest one
        needed[found[0]] = None
        data = dict(model.data)
        data["locality"] = page_of.get(found[0], found[0])
        return dataclasses.replace(model, data=Record(data))

    models = tuple(resolve(m) for m in entries.models)
    drafts = tuple(resolve(m) for m in entries.drafts)
    rejected = tuple(resolve(e) if isinstance(e, PovertyModel) else e for e in entries.rejected)
    units = _closure(gaz, needed)
    for unit in units:
        page_of.setdefault(unit, unit)
    localities = {loc.id: linker.completed(loc, page_of) for loc in entries.localities}
    for unit in units:
        if page_of[unit] not in localities:
            localities[page_of[unit]] = _record(gaz.units[unit], page_of, gaz)
    known = {**entries.known, "locality": entries.known["locality"] | frozenset(localities)}
    return Entries(models, tuple(sorted(localities.values(), key=lambda e: e.id)), drafts, known, rejected)


def _without_gazetteer(entries: Entries, diag: Diagnostics) -> Entries:
    """A file may leave name and level to its `code` only when the gazetteer is on: say so, and keep
    such a file for reference checks only (nothing can show a place without a name)."""
    unnamed = [loc for loc in entries.localities if not loc.name or not loc.level]
    for loc in unnamed:
        line, col = loc.positions.value(("code",))
        diag.error(loc.location(line, col), "code_without_gazetteer", value=loc.code)
    if not unnamed:
        return entries
    return dataclasses.replace(entries, localities=tuple(loc for loc in entries.localities if loc.name and loc.level),
                               rejected=entries.rejected + tuple(unnamed))


def _rejected(entries: Entries, cls: type) -> tuple[Any, ...]:
    return tuple(e for e in entries.rejected if isinstance(e, cls))


def resolve_locality(gaz: Gazetteer, text: str) -> list[str]:
    """Ids of the units `text` names: an id, a GSO code, or a name or address, old or new.

    'xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn': the first part names the unit (the level word is
    optional), the others must each name one of its ancestors. Written with tone marks, the exact
    spelling wins over names that differ only by them (xã Cẩm Giang, not xã Cẩm Giàng).
    """
    text = text.strip()
    if text in gaz.units:
        return [text]
    if text.isdigit():
        # A current unit often kept the code of one of the units it replaced: the code names it.
        ids = gaz.by_code.get(text, ())
        return [i for i in ids if gaz.units[i].current][:1] or list(ids)[:1]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return []
    first, rest = parts[0], parts[1:]
    found = [u for u in units_named(gaz, first)
             if all(any(names_unit(part, up) for up in gaz.chain(u.id)[:-1]) for part in rest)]
    exact = [u for u in found if u.short.lower() == bare_name(first).lower()]
    if exact and not first.isascii():
        found = exact
    return [u.id for u in found]


def _ambiguous(gaz: Gazetteer, model: PovertyModel, value: str, found: list[str], diag: Diagnostics) -> None:
    line, col = model.positions.value(("locality",))
    shown = found[:MAX_CANDIDATES]
    more = f" và {len(found) - len(shown)} đơn vị khác" if len(found) > len(shown) else ""
    diag.error(model.location(line, col), "locality_ambiguous", value=value, field="locality", count=len(found),
               candidates="; ".join(gaz.address(i) for i in shown) + more,
               example=gaz.address(shown[0]), ids=", ".join(shown))


def _closure(gaz: Gazetteer, start: Iterable[str]) -> list[str]:
    """The units, their ancestors, their successors and the successors' ancestors, in a stable order."""
    seen: dict[str, None] = {}
    stack = list(start)
    while stack:
        ident = stack.pop()
        if ident in seen:
            continue
        seen[ident] = None
        unit = gaz.units[ident]
        if unit.parent:
            stack.append(unit.parent)
        stack.extend(unit.successors)
    return sorted(seen)


def _record(unit: Unit, page_of: Mapping[str, str], gaz: Gazetteer) -> Locality:
    """A locality page made from the gazetteer alone."""
    data = _from_gazetteer(unit, page_of, gaz)
    digest = hashlib.sha256(f"{gaz.version}:{sorted(data.items())!r}".encode()).hexdigest()
    return Locality(page_of[unit.id], GAZETTEER_PATH + unit.id, "", 1, digest, Record(_full(data)))


def _from_gazetteer(unit: Unit, page_of: Mapping[str, str], gaz: Gazetteer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": unit.code, "name": unit.name, "level": unit.level,
        "parent": page_of.get(unit.parent, unit.parent) if unit.parent else None,
        "region": gaz.region(unit.id) if not unit.parent else None,
        "coordinates": Record({"lat": unit.lat, "lon": unit.lon}),
        "merged_into": tuple(page_of.get(s, s) for s in unit.successors) or None,
        "valid_until": _reform_day() if not unit.current else None,
    }
    return data


def _reform_day() -> dt.date:
    return dt.date.fromisoformat(REFORM_DAY)


def _full(data: dict[str, Any]) -> dict[str, Any]:
    """Every field of the content model, absent ones as None, as validate.py gives them."""
    return {f.name: data.get(f.name) for f in LOCALITY_FIELDS}


class _Linker:
    """Finds the unit each locality file describes, and completes the file from it."""

    def __init__(self, gaz: Gazetteer, files: Mapping[str, Locality], diag: Diagnostics):
        self.gaz, self.files, self.diag = gaz, files, diag
        self.linked: dict[str, str | None] = {}      # file id -> unit id (None: not in the gazetteer)

    def unit_of(self, file_id: str) -> str | None:
        if file_id in self.linked:
            return self.linked[file_id]
        self.linked[file_id] = None          # a parent cycle stops here; graph reports it
        loc = self.files[file_id]
        self.linked[file_id] = self._find(loc)
        return self.linked[file_id]

    def _find(self, loc: Locality) -> str | None:
        gaz = self.gaz
        if loc.code:
            ids = list(gaz.by_code.get(str(loc.code), ()))
            # A name picks among the units that share a code; one that fits none is warned in `completed`.
            ids = [i for i in ids if loc.name and gaz.units[i].name.lower() == loc.name.lower()] \
                or [i for i in ids if loc.name and names_unit(loc.name, gaz.units[i])] or ids
            if not ids:
                line, col = loc.positions.value(("code",))
                self.diag.error(loc.location(line, col), "code_unknown", value=loc.code, version=gaz.version)
                return None
            # A current unit often kept the code of one it replaced: the code alone names the current
            # unit (current ones come first), a `name` picks the former one.
            return ids[0]
        if loc.id in gaz.units and (not loc.name or names_unit(loc.name, gaz.units[loc.id])):
            return loc.id
        parent = self.unit_of(loc.parent) if loc.parent in self.files else loc.parent if loc.parent in gaz.units \
            else None
        found = [u for u in units_named(gaz, loc.name or "")
                 if level_fits(loc.level or "", u)
                 and (parent is None or parent in {up.id for up in gaz.chain(u.id)[:-1]})]
        exact = [u for u in found if u.short == bare_name(loc.name)]
        found = exact or found
        if len(found) > 1:
            line, col = loc.positions.value(("name",))
            self.diag.warning(loc.location(line, col), "gazetteer_unmatched", name=loc.name,
                              candidates="; ".join(gaz.address(u.id) for u in found[:MAX_CANDIDATES]))
        return found[0].id if len(found) == 1 else None

    def completed(self, loc: Locality, page_of: Mapping[str, str]) -> Locality:
        """The file's own fields, the gazetteer's where the file has none; differences are warned."""
        unit_id = self.linked.get(loc.id)
        if not unit_id:
            return loc
        unit = self.gaz.units[unit_id]
        theirs = _from_gazetteer(unit, page_of, self.gaz)
        ours = dict(loc.data)
        for key, label in (("name", "Tên"), ("level", "Cấp"), ("parent", "Cấp trên"), ("merged_into", "Sáp nhập vào")):
            if ours.get(key) and theirs.get(key) and not self._same(key, ours[key], theirs[key]):
                line, col = loc.positions.value((key,))
                self.diag.warning(loc.location(line, col), "gazetteer_differs", what=label,
                                  ours=_shown(ours[key]), theirs=_shown(theirs[key]))
        merged = {k: (v if v not in (None, (), "") else theirs.get(k)) for k, v in ours.items()}
        return dataclasses.replace(loc, data=Record(merged))

    def _same(self, key: str, ours: Any, theirs: Any) -> bool:
        if key == "name":
            return ours.lower() == theirs.lower()
        if key == "level":
            # A file may call a district-level city "thanh-pho", the only city level content had before.
            return ours == theirs or (ours == "thanh-pho" and theirs == "thanh-pho-thuoc-tinh")
        # Both sides are page ids already (a linked file's id replaces its unit's).
        if key == "parent":
            return ours == theirs
        return set(ours) == set(theirs)


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)
