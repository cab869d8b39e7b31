"""Read site.yaml into a frozen `Config`, every key checked in one table (`SITE_KEYS`).

A problem that leaves nothing to build with (no site.yaml, no title, no vocabularies…) stops
everything (exit code 2); the others are reported with the content's problems, at site.yaml:line:col,
by `check`, `build` and `serve` alike.
"""
from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from generator.core.errors import ConfigError, Diagnostic, Diagnostics, Location, freeze_param
from generator.core.text import decode_text
from generator.core.yamldoc import Positions, YamlProblem, parse_yaml

CONFIG_NAME = "site.yaml"
VOCABULARIES = ("regions", "sectors", "target_groups", "host_types")
BUILTIN_THEMES = Path(__file__).resolve().parents[2] / "themes"


@dataclass(frozen=True, slots=True)
class Config:
    """Site settings; paths are absolute."""

    root: Path
    title: str
    description: str
    base_url: str                                      # absolute, ends with "/"
    language: str
    theme: str
    feed_size: int
    page_size: int                                     # models per listing page
    vocabularies: Mapping[str, Mapping[str, str]]      # vocabulary -> id -> Vietnamese label
    extra: Mapping[str, Any]                           # keys no stage knows, for a site's own theme
    digest: str                                        # of site.yaml, for caches
    positions: Positions = field(default=Positions({}, {}), compare=False, repr=False)  # of site.yaml keys
    featured: tuple[str, ...] = ()                     # model ids shown first on the home page
    licence: Mapping[str, str] | None = None           # of the open data: name, and url, statement
    synonyms: tuple[tuple[str, ...], ...] = ()         # search: groups of words for the same thing
    chunk_sizing: int | None = None                    # search: repeats of hidden terms (Pagefind)
    gazetteer: bool = False                            # localities from Việt Nam's gazetteer (issue 14)
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)  # reported by build

    def location(self, key: tuple[Any, ...]) -> Location:
        """Where a key of site.yaml is, for problems found after loading (e.g. an unknown featured id)."""
        line, col = self.positions.value(key)
        return Location(CONFIG_NAME, line, col)

    @property
    def base_path(self) -> str:
        """The path part of base_url ("/" or "/showcase/"): every link in the site starts with it."""
        return urlsplit(self.base_url).path or "/"

    def theme_dirs(self) -> list[Path]:
        """The lookup chain: the site's own theme first, then the built-in default theme."""
        dirs = [self.root / "themes" / self.theme, BUILTIN_THEMES / self.theme, BUILTIN_THEMES / "default"]
        seen: list[Path] = []
        for folder in dirs:
            if folder.is_dir() and folder.resolve() not in [s.resolve() for s in seen]:
                seen.append(folder)
        return seen

    def input_roots(self) -> list[Path]:
        """Everything a build reads: site.yaml, content/ and each theme in the lookup chain."""
        return [self.root / CONFIG_NAME, self.root / "content", *self.theme_dirs()]


# What a key's reader gets: the value, and where to report a problem about it or a part of it.
Report = Callable[[tuple[Any, ...], str], None]
_INVALID: Any = object()
LICENCE_KEYS = ("name", "url", "statement")
MAX_CHUNK_SIZING = 12


@dataclass(frozen=True, slots=True)
class SiteKey:
    """One key of site.yaml: how it is read and checked, and whether the site can be built without it."""

    read: Callable[[Any, tuple[Any, ...], Report], Any]   # returns the value for Config, or _INVALID
    default: Any = None
    fatal: bool = False        # without a good value nothing can be built: stop (exit code 2)
    required: bool = False


def _text(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if isinstance(value, str) and value.strip():
        return value.strip()
    report(key, "là bắt buộc và phải là chuỗi")
    return _INVALID


def _optional_text(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    report(key, "phải là chuỗi")
    return _INVALID


def _base_url(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    text = _text(value, key, report)
    if text is _INVALID:
        return _INVALID
    if not text.startswith(("https://", "http://")):
        report(key, "phải bắt đầu bằng https://")
        return _INVALID
    return text if text.endswith("/") else text + "/"


def _positive(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        report(key, "phải là số nguyên dương")
        return _INVALID
    return value


def _vocabularies(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if not isinstance(value, dict):
        report(key, f"phải có các danh mục {', '.join(VOCABULARIES)}")
        return _INVALID
    vocabularies = {}
    for name in VOCABULARIES:
        entries = value.get(name)
        if not isinstance(entries, dict) or not entries:
            report(key + (name,), "phải là danh sách 'mã: nhãn'")
            return _INVALID
        for ident, label in entries.items():
            if not isinstance(label, str):
                report(key + (name, ident), "nhãn phải là chuỗi")
                return _INVALID
        vocabularies[name] = MappingProxyType({str(k): v for k, v in entries.items()})
    return MappingProxyType(vocabularies)


def _flag(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if isinstance(value, bool):
        return value
    report(key, "phải là true hoặc false")
    return _INVALID


def _featured(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(key, "phải là danh sách mã mô hình, ví dụ: [trong-hong-loc-yen]")
        return _INVALID
    return tuple(value)


def _licence(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip() \
            and all(isinstance(value.get(k, ""), str) for k in LICENCE_KEYS):
        return MappingProxyType({k: value[k].strip() for k in LICENCE_KEYS if value.get(k)})
    report(key, f"phải là nhóm trường có 'name' (các khóa: {', '.join(LICENCE_KEYS)}), "
                "ví dụ: licence: {name: CC BY 4.0, url: https://…, statement: …}")
    return _INVALID


def _search(value: Any, key: tuple[Any, ...], report: Report) -> Any:
    """`search: {synonyms: [[heo, lợn], …], chunk_sizing: 6}`; a bad group is reported and left out."""
    if not isinstance(value, dict):
        report(key, "phải là nhóm trường (synonyms, chunk_sizing)")
        return _INVALID
    groups = value.get("synonyms") or []
    synonyms = []
    if not isinstance(groups, list):
        report(key + ("synonyms",), "phải là danh sách các nhóm từ, ví dụ: - [heo, lợn]")
        groups = []
    for index, group in enumerate(groups):
        if isinstance(group, list) and len(group) >= 2 and all(isinstance(w, str) and w.strip() for w in group):
            synonyms.append(tuple(w.strip() for w in group))
        else:
            report(key + ("synonyms", index), "phải là một nhóm ít nhất hai từ cùng nghĩa, ví dụ: [ngô, bắp]")
    sizing = value.get("chunk_sizing")
    if sizing is not None and (isinstance(sizing, bool) or not isinstance(sizing, int)
                               or not 0 <= sizing <= MAX_CHUNK_SIZING):
        report(key + ("chunk_sizing",), f"phải là số nguyên từ 0 đến {MAX_CHUNK_SIZING}")
        sizing = None
    return {"synonyms": tuple(synonyms), "chunk_sizing": sizing}


# Every key of site.yaml. A key missing here is kept in `Config.extra` for a site's own theme, and
# reported when it looks like a typo of one of these.
SITE_KEYS: dict[str, SiteKey] = {
    "title": SiteKey(_text, fatal=True, required=True),
    "description": SiteKey(_optional_text, ""),
    "base_url": SiteKey(_base_url, fatal=True, required=True),
    "language": SiteKey(_optional_text, "vi"),
    "theme": SiteKey(_optional_text, "default", fatal=True),
    "feed_size": SiteKey(_positive, 20),
    "page_size": SiteKey(_positive, 50),
    "vocabularies": SiteKey(_vocabularies, fatal=True, required=True),
    "featured": SiteKey(_featured, ()),
    "licence": SiteKey(_licence),
    "search": SiteKey(_search, {"synonyms": (), "chunk_sizing": None}),
    "gazetteer": SiteKey(_flag, False),
}


def load_config(root: Path) -> Config:
    """Read and check `root/site.yaml`; raise ConfigError (located) when nothing can be built with it."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise _error(Location(CONFIG_NAME), "config_missing")
    raw = path.read_bytes()
    diag = Diagnostics()
    text = decode_text(raw, CONFIG_NAME, diag)
    if text is None:
        raise ConfigError(diag.items[0])
    try:
        data, positions = parse_yaml(text)
    except YamlProblem as exc:
        raise _error(Location(CONFIG_NAME, exc.line, exc.col), exc.code, **exc.params) from None
    if not isinstance(data, dict):
        raise _error(Location(CONFIG_NAME, 1, 1), "config_field", field="(tệp)", problem="phải là các dòng 'khóa: giá trị'")
    values, problems, fatal = _read_keys(data, positions)
    if fatal:
        raise ConfigError(fatal[0])
    search = values["search"]
    config = Config(
        root=root.resolve(), title=values["title"], description=values["description"], base_url=values["base_url"],
        language=values["language"], theme=values["theme"], feed_size=values["feed_size"],
        page_size=values["page_size"], vocabularies=values["vocabularies"],
        extra=MappingProxyType({k: v for k, v in data.items() if k not in SITE_KEYS}),
        digest=hashlib.sha256(raw).hexdigest(), positions=positions, featured=values["featured"],
        licence=values["licence"], synonyms=search["synonyms"], chunk_sizing=search["chunk_sizing"],
        gazetteer=values["gazetteer"], problems=tuple(problems))
    if not config.theme_dirs() or not (config.root / "themes" / config.theme).is_dir() \
            and not (BUILTIN_THEMES / config.theme).is_dir():
        line, col = positions.value(("theme",))
        raise _error(Location(CONFIG_NAME, line, col), "config_field", field="theme",
                     problem=f"không tìm thấy giao diện '{config.theme}' trong themes/")
    return config


def _read_keys(data: dict[str, Any], positions: Positions) -> tuple[dict[str, Any], list[Diagnostic],
                                                                    list[Diagnostic]]:
    """Each key of `SITE_KEYS` read from `data` (its default when absent or invalid), the problems in
    file order, and those of them that leave nothing to build with."""
    problems: list[Diagnostic] = []
    fatal: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for name, spec in SITE_KEYS.items():
        def report(key: tuple[Any, ...], problem: str, spec: SiteKey = spec) -> None:
            line, col = positions.value(key)
            field = ".".join(str(k) if not isinstance(k, int) else f"[{k + 1}]" for k in key).replace(".[", "[")
            found = Diagnostic("error", Location(CONFIG_NAME, line, col), "config_field",
                               (("field", field), ("problem", problem)))
            (fatal if spec.fatal else problems).append(found)
        value = data.get(name)
        if value is None and not spec.required:
            values[name] = spec.default
            continue
        read = spec.read(value, (name,), report)
        values[name] = spec.default if read is _INVALID else read
    for name in data:
        near = difflib.get_close_matches(str(name), list(SITE_KEYS), n=1, cutoff=0.75)
        if name not in SITE_KEYS and near:
            line, col = positions.key((name,))
            problems.append(Diagnostic("warning", Location(CONFIG_NAME, line, col), "config_unknown_key",
                                       (("key", name), ("closest", near[0]))))
    problems.sort(key=lambda d: (d.location.line, d.location.col))
    return values, problems, fatal


def _error(location: Location, code: str, **params: Any) -> ConfigError:
    return ConfigError(Diagnostic("error", location, code, tuple((k, freeze_param(v)) for k, v in params.items())))
