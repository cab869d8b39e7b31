"""What stages hand to the writer: files of the built site, and pages still to render."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path relative to the output root and its exact bytes."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page to render: where it goes, with which template and what it is about."""

    path: str
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class KeptFile:
    """A file the last build wrote, known to be still on disk as written: the writer leaves it alone."""

    path: str
    size: int
    sha1: str
