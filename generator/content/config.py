"""Read site.yaml into a frozen `Config`. A problem here stops everything (exit code 2)."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from generator.core.errors import ConfigError, Diagnostic, Diagnostics, Location
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
    extra: Mapping[str, Any]                           # other keys, for themes and later stages
    digest: str                                        # of site.yaml, for caches
    positions: Positions = field(default=Positions({}, {}), compare=False, repr=False)  # of site.yaml keys

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


def load_config(root: Path) -> Config:
    """Read and check `root/site.yaml`; raise ConfigError with a located diagnostic."""

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

    def field_error(key: tuple[Any, ...], problem: str) -> ConfigError:
        line, col = positions.value(key)
        return _error(Location(CONFIG_NAME, line, col), "config_field",
                      field=".".join(map(str, key)), problem=problem)

    for key in ("title", "base_url"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise field_error((key,), "là bắt buộc và phải là chuỗi")
    base_url = data["base_url"].strip()
    if not base_url.startswith(("https://", "http://")):
        raise field_error(("base_url",), "phải bắt đầu bằng https://")
    vocab_data = data.get("vocabularies")
    if not isinstance(vocab_data, dict):
        raise field_error(("vocabularies",), f"phải có các danh mục {', '.join(VOCABULARIES)}")
    vocabularies = {}
    for name in VOCABULARIES:
        entries = vocab_data.get(name)
        if not isinstance(entries, dict) or not entries:
            raise field_error(("vocabularies", name), "phải là danh sách 'mã: nhãn'")
        for ident, label in entries.items():
            if not isinstance(label, str):
                raise field_error(("vocabularies", name, ident), "nhãn phải là chuỗi")
        vocabularies[name] = MappingProxyType({str(k): v for k, v in entries.items()})
    sizes = {"feed_size": data.get("feed_size", 20), "page_size": data.get("page_size", 50)}
    for key, size in sizes.items():
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise field_error((key,), "phải là số nguyên dương")
    known = {"title", "description", "base_url", "language", "theme", "vocabularies", *sizes}
    config = Config(
        root=root.resolve(), title=data["title"].strip(), description=str(data.get("description", "")).strip(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=str(data.get("language", "vi")), theme=str(data.get("theme", "default")),
        **sizes, vocabularies=MappingProxyType(vocabularies),
        extra=MappingProxyType({k: v for k, v in data.items() if k not in known}),
        digest=hashlib.sha256(raw).hexdigest(), positions=positions)
    if not config.theme_dirs() or not (config.root / "themes" / config.theme).is_dir() \
            and not (BUILTIN_THEMES / config.theme).is_dir():
        raise field_error(("theme",), f"không tìm thấy giao diện '{config.theme}' trong themes/")
    return config


def _error(location: Location, code: str, **params: Any) -> ConfigError:
    return ConfigError(Diagnostic("error", location, code, tuple(params.items())))
