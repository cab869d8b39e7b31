"""Locations, diagnostics and the collector passed explicitly through every stage.

The texts themselves live in `messages.py`; this module only carries codes and parameters, so a
second language can be added without touching any stage.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.core.messages import render_message, severity_label

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a path relative to the site root, 1-based line and column (0 = unknown)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        parts = [self.path]
        if self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: a message code with its parameters, rendered on demand in the chosen language."""

    severity: Severity
    location: Location
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def message(self) -> str:
        return render_message(self.code, dict(self.params))[0]

    @property
    def hint(self) -> str:
        return render_message(self.code, dict(self.params))[1]

    def format(self) -> str:
        """Return `path:line:col: lỗi: message` plus an indented hint line, as editors expect."""
        text = f"{self.location}: {severity_label(self.severity)}: {self.message}"
        if self.hint:
            text += f"\n    {severity_label('hint')}: {self.hint}"
        return text

    def as_dict(self) -> dict[str, Any]:
        loc = self.location
        return {"severity": self.severity, "path": loc.path, "line": loc.line, "col": loc.col,
                "code": self.code, "message": self.message, "hint": self.hint}


@dataclass(slots=True)
class Diagnostics:
    """Collects every problem of a run so they can be reported together."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, code: str, **params: Any) -> None:
        self.items.append(Diagnostic("error", location, code, tuple(params.items())))

    def warning(self, location: Location, code: str, **params: Any) -> None:
        self.items.append(Diagnostic("warning", location, code, tuple(params.items())))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Return the problems once each, ordered by file and position, errors first on a line."""
        return sorted(set(self.items), key=lambda d: (d.location.path, d.location.line, d.location.col,
                                                 d.severity != "error", d.code))


class ConfigError(Exception):
    """site.yaml is missing or unusable: nothing can be built (exit code 2)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def source_excerpt(text: str, line: int, context: int = 0) -> list[tuple[int, str]]:
    """Return numbered lines around `line` (1-based) of a file's text, for terminal and overlay."""
    lines = text.split("\n")
    first, last = max(1, line - context), min(len(lines), line + context)
    return [(n, lines[n - 1]) for n in range(first, last + 1)] if line else []
