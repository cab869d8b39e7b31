"""Collect static files: the theme's assets, the site's own theme first.

Photos under content/images/ are not copied: originals may carry GPS coordinates, so only the
variants made by `images.py` are published.

For publishing, each stylesheet and script also gets a copy named after its content
(`style.3f2a9c01d4.css`), which pages link to through the templates' `asset()` function: a server
may then let browsers keep it for a year (deploy/nginx/showcase.conf), since a changed file gets a
new name. The plain name is kept too, for anything that links to it from outside the theme.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from generator.content.config import Config
from generator.core.outputs import OutputFile

HASHED_SUFFIXES = (".css", ".js")
HASH_LENGTH = 10


def collect_static(config: Config) -> list[OutputFile]:
    """Return theme static files; the first theme in the chain wins per path."""
    found: dict[str, Path] = {}
    for theme_dir in config.theme_dirs():
        _add_tree(found, theme_dir / "static")
    return [OutputFile(rel, path.read_bytes()) for rel, path in sorted(found.items())]


def hashed_assets(files: list[OutputFile]) -> tuple[list[OutputFile], Callable[[str], str]]:
    """Content-named copies of the stylesheets and scripts in `files`, and the `asset()` that names them."""
    names: dict[str, str] = {}
    copies = []
    for file in files:
        if file.path.endswith(HASHED_SUFFIXES):
            stem, dot, suffix = file.path.rpartition(".")
            names[file.path] = f"{stem}.{hashlib.sha256(file.data).hexdigest()[:HASH_LENGTH]}{dot}{suffix}"
            copies.append(OutputFile(names[file.path], file.data))
    return copies, lambda name: names.get(name, name)


def _add_tree(found: dict[str, Path], folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found.setdefault(path.relative_to(folder).as_posix(), path)
