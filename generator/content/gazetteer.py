"""Việt Nam's administrative units, old and new, read from the `vietnamadminunits` package.

The package ships the 34 provinces and 3,321 communes in force since 1 July 2025, the 63 provinces,
696 districts and 10,035 communes before it (GSO codes, centre points) and the 2025 old -> new mapping,
split communes included. Its Python API parses addresses with shapely and geopy; we only need the
tables, so its data files are read directly (SQLite and JSON from the standard library), once per
process, into frozen `Unit`s: 0.6–1 s and 15 MB, or ~0.1 s from the pickle a previous process left in
the site's `.cache/gazetteer/` (keyed by the package version and this module's code).

Id rule (docs/huong-dan-bien-tap.md, `showcase new locality` follows it):
- a province or centrally run city: the slug of its name without the level word (`lang-son`,
  `ho-chi-minh`). A province whose name the 2025 province keeps is the same unit (same page): the
  63 -> 34 reform kept the name of one province in each merger.
- any other unit: the slug of its name with the level word (`xa-loc-yen`, `huyen-cao-loc`,
  `phuong-1`) when no other unit, old or new, has that slug; otherwise the slug of its parent's
  name is added (`xa-tan-thanh-huyen-...`: the district for a former commune, the province for a
  current one), and when that still repeats (two names that differ only by tone marks, like xã
  Cẩm Giang and xã Cẩm Giàng) the GSO code is added, then `-truoc-2025` for the former of two units
  that share name, parent name and code. Each step keeps the ids settled by the steps before it.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import importlib.util
import json
import os
import pickle
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator.content.regions import region_of

PACKAGE = "vietnamadminunits"
REFORM_DAY = "2025-06-30"          # the last day of the 63 provinces and of the districts
# Level word as written in names -> level id of the content model (schema.LOCALITY_LEVELS).
LEVEL_WORDS = {"thành phố": "thanh-pho", "thị trấn": "thi-tran", "thị xã": "thi-xa", "đặc khu": "dac-khu",
               "phường": "phuong", "huyện": "huyen", "quận": "quan", "tỉnh": "tinh", "xã": "xa"}
_LEVEL_PREFIX = re.compile(r"^(" + "|".join(sorted(LEVEL_WORDS, key=len, reverse=True)) + r")\s+", re.I)


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit, current (since 1 July 2025) or former."""

    id: str
    code: str                      # GSO code: 2 digits (province), 3 (district), 5 (commune)
    level: str                     # tinh | thanh-pho | quan | huyen | thi-xa | thanh-pho-thuoc-tinh | xa …
    name: str                      # with the level word, as written in prose: "xã Lộc Yên"
    parent: str                    # id of the enclosing unit ("" for a province)
    lat: float
    lon: float
    current: bool                  # in force after 1 July 2025
    former: bool                   # in force before it (a continuing province is both)
    successors: tuple[str, ...] = ()   # for a former unit: the current unit(s) its area is in now
    former_codes: tuple[str, ...] = ()   # a continuing province's code before 2025, when it changed

    @property
    def short(self) -> str:
        return bare_name(self.name)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """All units by id, with the indexes that resolve a code or a name."""

    version: str
    units: Mapping[str, Unit]
    by_code: Mapping[str, tuple[str, ...]]        # GSO code -> ids, current units first
    by_name: Mapping[str, tuple[str, ...]]        # folded name without level word -> ids
    children: Mapping[str, tuple[str, ...]]
    predecessors: Mapping[str, tuple[str, ...]]   # current id -> former units now (partly) in it

    def chain(self, ident: str) -> tuple[Unit, ...]:
        """The unit and its ancestors, province first."""
        out = [self.units[ident]]
        while out[-1].parent:
            out.append(self.units[out[-1].parent])
        return tuple(reversed(out))

    def address(self, ident: str) -> str:
        return ", ".join(u.name for u in reversed(self.chain(ident)))

    def region(self, ident: str) -> str | None:
        return region_of(self.chain(ident)[0].short)

    def counts(self) -> dict[str, int]:
        """Units by era and tier ("current_commune": 3321…), to compare with the reform's figures."""
        tiers: dict[str, int] = defaultdict(int)
        for unit in self.units.values():
            tier = "province" if not unit.parent else "district" if len(unit.code) == 3 else "commune"
            for era, flag in (("current", unit.current), ("former", unit.former)):
                tiers[f"{era}_{tier}"] += flag
        return dict(tiers)


def _strip_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "d"}
    for code in range(0xC0, 0x1F00):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    return table


_STRIP = _strip_table()
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, without tone marks, "đ" as "d", single spaces: 'Đồng Than' -> 'dong than'."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).lower().translate(_STRIP)).strip()


def fast_slug(text: str) -> str:
    """`slugs.slug` for Vietnamese names, without its ~0.1 ms a call (tests check they agree)."""
    return fold(text).replace(" ", "-")


def bare_name(name: str) -> str:
    """'xã Lộc Yên' -> 'Lộc Yên'."""
    return _LEVEL_PREFIX.sub("", name).strip()


_FOLDED_LEVELS = sorted(((fold(word), level) for word, level in LEVEL_WORDS.items()), key=lambda p: -len(p[0]))


def readings(text: str) -> list[tuple[str, str]]:
    """The ways to read a typed place name: (level id or "", folded name without level word).

    'xã Đồng Than' -> [("xa", "dong than")]; typed without marks, 'xa dong than' may be the level
    word and a name, or a name that starts like one (xã Quan Sơn typed 'quan son'): both are kept.
    """
    match = _LEVEL_PREFIX.match(text.strip())
    if match:
        return [(LEVEL_WORDS[match.group(1).lower()], fold(text[match.end():]))]
    folded = fold(text)
    found = [("", folded)]
    for word, level in _FOLDED_LEVELS:
        if folded.startswith(word + " ") and text.strip()[:len(word)].isascii():
            found.append((level, folded[len(word) + 1:]))
            break
    return found


def level_of(name: str, province_level: bool = False) -> str:
    match = _LEVEL_PREFIX.match(name)
    level = LEVEL_WORDS[match.group(1).lower()] if match else ""
    if level == "thanh-pho" and not province_level:
        return "thanh-pho-thuoc-tinh"
    return level


def _prose(name: str) -> str:
    """'Xã Lộc Yên' -> 'xã Lộc Yên': the level word is lowercase in running text and in content."""
    match = _LEVEL_PREFIX.match(name)
    return match.group(1).lower() + name[match.end(1):] if match else name


def data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed (pyproject.toml lists it)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


CACHE_DIR = "gazetteer"          # under a site's .cache/: one pickle, safe to delete


def load_gazetteer(cache: Path | None = None, *, save: bool = False) -> Gazetteer:
    """The gazetteer, read once per process.

    With `cache` (a site's `.cache/` folder) it comes from the pickle a previous process left there
    (~0.1 s), else from the package's tables (0.6–1 s, half of it building the indexes), pickled
    there when `save` (a build; `check` writes nothing).
    """
    loaded = _this_process()
    if not loaded:
        gazetteer = _read_pickle(cache) if cache is not None else None
        if gazetteer is None:
            gazetteer = _read_tables()
            if cache is not None and save:
                _write_pickle(cache, gazetteer)
        loaded.append(gazetteer)
    return loaded[0]


@functools.lru_cache(maxsize=1)
def _this_process() -> list[Gazetteer]:
    """The process's one copy (filled by `load_gazetteer`): every site in the process shares it."""
    return []


def _read_tables() -> Gazetteer:
    folder = data_dir()
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as db:
        legacy = db.execute(
            "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey, district, districtCode,"
            " districtLat, districtLon, districtKey, ward, wardCode, wardLat, wardLon, wardKey"
            " FROM admin_units_legacy ORDER BY wardCode, districtCode").fetchall()
        current = db.execute(
            "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey, ward, wardCode, wardLat,"
            " wardLon, wardKey FROM admin_units ORDER BY wardCode").fetchall()
    mapping = json.loads((folder / "converter_2025.json").read_text("utf-8"))
    return _assemble(legacy, current, mapping, _version(folder))


def _pickle_path(cache: Path) -> Path:
    """Named by what the pickle was made from: the package (version, size and time of its data
    files) and this module's code."""
    folder = data_dir()
    stats = [(f.stat().st_size, f.stat().st_mtime_ns) for f in (folder / "dataset.db", folder / "converter_2025.json")]
    made_from = f"{_version(folder)}\0{stats}\0".encode() + Path(__file__).read_bytes()
    return cache / CACHE_DIR / f"{hashlib.sha256(made_from).hexdigest()[:16]}.pickle"


# Units are kept as tuples of their fields: unpickling 14,115 slotted dataclasses one by one takes
# three times as long as building them from tuples.
_UNIT_FIELDS = tuple(f.name for f in dataclasses.fields(Unit))


def _write_pickle(cache: Path, gazetteer: Gazetteer) -> None:
    """Atomically (a temporary file renamed), dropping pickles of other versions; a cache that
    cannot be written is only a slower next start."""
    path = _pickle_path(cache)
    rows = [tuple(getattr(unit, name) for name in _UNIT_FIELDS) for unit in gazetteer.units.values()]
    state = (gazetteer.version, rows, dict(gazetteer.by_code), dict(gazetteer.by_name), dict(gazetteer.children),
             dict(gazetteer.predecessors))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
        for other in path.parent.glob("*.pickle"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        return


def _read_pickle(cache: Path) -> Gazetteer | None:
    """The pickled gazetteer, or None when missing, damaged or from another version (then rebuilt)."""
    was_enabled = gc.isenabled()
    gc.disable()        # ~100,000 new objects, none cyclic: collecting during the load only costs time
    try:
        version, rows, by_code, by_name, children, predecessors = pickle.loads(_pickle_path(cache).read_bytes())
        units = {row[0]: Unit(*row) for row in rows}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if was_enabled:
            gc.enable()
    return Gazetteer(version, MappingProxyType(units), MappingProxyType(by_code), MappingProxyType(by_name),
                     MappingProxyType(children), MappingProxyType(predecessors))


def _version(folder: Path) -> str:
    for meta in sorted(folder.parent.parent.glob(f"{PACKAGE}-*.dist-info")):
        return meta.name[len(PACKAGE) + 1:-len(".dist-info")]
    return "?"


@dataclass(slots=True)
class _Draft:
    key: str                  # the package's key, to join the mapping
    code: str
    name: str
    level: str
    parent: str               # key of the parent draft
    lat: float
    lon: float
    current: bool
    successors: list[str]
    former_codes: tuple[str, ...] = ()
    parent_short: str = ""
    former: bool = False


def _assemble(legacy: list[tuple], current: list[tuple], mapping: dict, version: str) -> Gazetteer:
    drafts: dict[str, _Draft] = {}
    province_short: dict[str, str] = {}        # package province key -> short name
    for p_name, p_code, p_lat, p_lon, p_key, ward, w_code, w_lat, w_lon, w_key in current:
        new_p = f"new:{p_key}"
        if new_p not in drafts:
            drafts[new_p] = _Draft(new_p, p_code, _prose(p_name), level_of(p_name, True), "", p_lat, p_lon,
                                   True, [])
        drafts[f"new:{p_key}:{w_key}"] = _Draft(f"new:{p_key}:{w_key}", w_code, _prose(ward), level_of(ward), new_p,
                                                w_lat, w_lon, True, [], parent_short=bare_name(p_name))
        province_short[new_p] = bare_name(p_name)
    new_by_short = {short: key for key, short in province_short.items()}
    old_province_of: dict[str, str] = {}       # old package key -> draft key (the new one if continuing)
    for (p_name, p_code, p_lat, p_lon, p_key, district, d_code, d_lat, d_lon, d_key,
         ward, w_code, w_lat, w_lon, w_key) in legacy:
        if p_key not in old_province_of:
            continuing = new_by_short.get(bare_name(p_name))
            if continuing:
                old_province_of[p_key] = continuing
                draft = drafts[continuing]
                draft.former = True
                if draft.code != p_code:
                    draft.former_codes = (p_code,)
            else:
                old_province_of[p_key] = f"old:{p_key}"
                drafts[f"old:{p_key}"] = _Draft(f"old:{p_key}", p_code, _prose(p_name), level_of(p_name, True),
                                                "", p_lat, p_lon, False, [], former=True)
        province = old_province_of[p_key]
        d_draft = f"old:{p_key}:{d_key}"
        if d_draft not in drafts:
            drafts[d_draft] = _Draft(d_draft, d_code, _prose(district), level_of(district), province, d_lat, d_lon,
                                     False, [], parent_short=bare_name(p_name), former=True)
        if ward:
            drafts[f"old:{p_key}:{d_key}:{w_key}"] = _Draft(
                f"old:{p_key}:{d_key}:{w_key}", w_code, _prose(ward), level_of(ward), d_draft,
                w_lat if w_lat is not None else d_lat, w_lon if w_lon is not None else d_lon, False, [],
                parent_short=bare_name(district), former=True)
    _link_successors(drafts, mapping)
    return _finish(drafts, version)


def _link_successors(drafts: dict[str, _Draft], mapping: dict) -> None:
    """Old commune -> new commune(s) from the package's 2025 mapping; districts and provinces follow."""
    for new_p, old_keys in mapping["DICT_PROVINCE"].items():
        for old_key in old_keys:
            draft = drafts.get(f"old:{old_key}")
            if draft is not None:
                draft.successors = [f"new:{new_p}"]
    targets: dict[str, list[str]] = defaultdict(list)
    for new_p, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            for old in olds:
                targets[old].append(f"new:{new_p}:{new_w}")
    for new_p, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            # The package's default successor (where most of the area went) comes first.
            ordered = sorted(news, key=lambda n: not n["isDefaultNewWard"])
            targets[old].extend(f"new:{new_p}:{n['newWardKey']}" for n in ordered)
    for old, news in targets.items():
        p_key, d_key, w_key = old.split("_")
        key = f"old:{p_key}:{d_key}:{w_key}" if w_key else f"old:{p_key}:{d_key}"
        draft = drafts[key]
        if not w_key:       # an island district without communes became a special zone (đặc khu)
            draft.successors = list(dict.fromkeys(news))
            continue
        draft.successors = list(dict.fromkeys(news))
        district = drafts[draft.parent]
        for new in news:
            province = drafts[new].parent
            if province not in district.successors:
                district.successors.append(province)


def _finish(drafts: dict[str, _Draft], version: str) -> Gazetteer:
    ids = _assign_ids(drafts)
    units = {}
    for key, d in drafts.items():
        units[ids[key]] = Unit(ids[key], d.code, d.level, d.name, ids[d.parent] if d.parent else "", d.lat, d.lon,
                               d.current, d.former, tuple(ids[s] for s in d.successors), d.former_codes)
    by_code: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for unit in sorted(units.values(), key=lambda u: (not u.current, u.code, u.id)):
        by_code[unit.code].append(unit.id)
        for code in unit.former_codes:
            by_code[code].append(unit.id)
        by_name[fold(unit.short)].append(unit.id)
        if unit.parent:
            children[unit.parent].append(unit.id)
        for successor in unit.successors:
            predecessors[successor].append(unit.id)
    frozen = lambda groups: MappingProxyType({k: tuple(v) for k, v in groups.items()})  # noqa: E731
    return Gazetteer(version, MappingProxyType(units), frozen(by_code), frozen(by_name), frozen(children),
                     frozen(predecessors))


def _assign_ids(drafts: dict[str, _Draft]) -> dict[str, str]:
    """The id rule of the module docstring; each step keeps the ids the previous ones settled."""
    ids = {d.key: fast_slug(bare_name(d.name)) for d in drafts.values() if not d.parent}
    pending = [d for d in drafts.values() if d.parent]
    steps = (lambda d: fast_slug(d.name), lambda d: f"{fast_slug(d.name)}-{fast_slug(d.parent_short)}",
             lambda d: f"{fast_slug(d.name)}-{fast_slug(d.parent_short)}-{d.code}")
    for step in steps:
        wanted = defaultdict(list)
        for d in pending:
            wanted[step(d)].append(d)
        taken = set(ids.values())
        pending = []
        for ident, same in wanted.items():
            if len(same) == 1 and ident not in taken:
                ids[same[0].key] = ident
            else:
                pending += same
    for d in pending:   # a former and a current unit with one name, parent and code
        ids[d.key] = f"{steps[-1](d)}{'' if d.current else '-truoc-2025'}"
    if len(set(ids.values())) != len(ids):
        raise ValueError("the gazetteer id rule gave two units one id")
    return ids


def level_fits(level: str, unit: Unit) -> bool:
    """A written level word fits a unit: 'thành phố' is the word for both kinds of city."""
    return not level or level == unit.level or (level == "thanh-pho" and unit.level == "thanh-pho-thuoc-tinh")


def units_named(gazetteer: Gazetteer, name: str) -> list[Unit]:
    """Units `name` may mean (with or without level word, tone marks, "đ" typed "d"), exact spelling first."""
    found: dict[str, Unit] = {}
    for level, folded in readings(name):
        for ident in gazetteer.by_name.get(folded, ()):
            if level_fits(level, gazetteer.units[ident]):
                found.setdefault(ident, gazetteer.units[ident])
    wanted = bare_name(name).lower()
    return sorted(found.values(), key=lambda u: u.short.lower() != wanted)


def names_unit(text: str, unit: Unit) -> bool:
    return any(folded == fold(unit.short) and level_fits(level, unit) for level, folded in readings(text))
