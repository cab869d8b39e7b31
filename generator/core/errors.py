"""Locations, diagnostics and the collector passed explicitly through every stage.

The texts themselves live in `messages.py`; this module only carries codes and parameters, so a
second language can be added without touching any stage.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
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


class Shown(str):
    """A front-matter value that is not a scalar (a list, a mapping), frozen into the text an editor
    would write, so a diagnostic stays hashable and `{value!r}` reads `[a, b]`, not `['a', 'b']`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


SHOWN_MAX = 80     # a huge value is cut in a message: the position says where the rest is


def freeze_param(value: Any) -> Any:
    """Return `value` if it is a hashable scalar, else its short YAML-like text as a `Shown`."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    text = _shown(value, 0)
    return Shown(text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX - 1] + "…")


def _shown(value: Any, depth: int) -> str:
    if depth > 3:
        return "…"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_shown(k, depth + 1)}: {_shown(v, depth + 1)}"
                               for k, v in list(value.items())[:10]) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(v, depth + 1) for v in list(value)[:10]) + "]"
    return str(value)


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
        self.add("error", location, code, **params)

    def warning(self, location: Location, code: str, **params: Any) -> None:
        self.add("warning", location, code, **params)

    def add(self, severity: Severity, location: Location, code: str, **params: Any) -> None:
        frozen = tuple((k, freeze_param(v)) for k, v in params.items())
        self.items.append(Diagnostic(severity, location, code, frozen))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def settle(self, strict: bool, drafts: Collection[str] = ()) -> None:
        """Fix the final severities: a draft's problems are warnings on that file (a draft never blocks
        the site, even under --strict); with `strict` every other warning is an error."""
        self.items[:] = [replace(d, severity="warning") if d.location.path in drafts
                         else replace(d, severity="error") if strict else d for d in self.items]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Return the problems once each, in one order whatever order the stages found them in:
        by file and position, errors first, then by code and text (two problems at one place)."""
        unique = {_identity(d): d for d in self.items}
        return [unique[k] for k in sorted(unique)]


def _identity(d: Diagnostic) -> tuple[Any, ...]:
    """A total order over diagnostics; params compared as text, since their types differ."""
    loc = d.location
    return (loc.path, loc.line, loc.col, d.severity != "error", d.code, d.message,
            tuple((k, repr(v)) for k, v in d.params))


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
