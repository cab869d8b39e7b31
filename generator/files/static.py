"""Collect static files: the theme's assets, the site's own theme first.

Photos under content/images/ are not copied: originals may carry GPS coordinates, so only the
variants made by `images.py` are published.
"""
from __future__ import annotations

from pathlib import Path

from generator.content.config import Config
from generator.core.outputs import OutputFile


def collect_static(config: Config) -> list[OutputFile]:
    """Return theme static files; the first theme in the chain wins per path."""
    found: dict[str, Path] = {}
    for theme_dir in config.theme_dirs():
        _add_tree(found, theme_dir / "static")
    return [OutputFile(rel, path.read_bytes()) for rel, path in sorted(found.items())]


def _add_tree(found: dict[str, Path], folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found.setdefault(path.relative_to(folder).as_posix(), path)
