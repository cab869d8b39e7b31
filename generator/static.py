"""Collect static files: the theme's assets (site theme first) and images under content/images/."""
from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.render import OutputFile


def collect_static(config: Config) -> list[OutputFile]:
    """Return theme static files (the first theme in the chain wins per path) and content images."""
    found: dict[str, Path] = {}
    for theme_dir in config.theme_dirs():
        _add_tree(found, theme_dir / "static", "")
    _add_tree(found, config.root / "content" / "images", "images/")
    return [OutputFile(rel, path.read_bytes()) for rel, path in sorted(found.items())]


def _add_tree(found: dict[str, Path], folder: Path, prefix: str) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found.setdefault(prefix + path.relative_to(folder).as_posix(), path)
