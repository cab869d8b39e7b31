"""Record what each page's templates read from the site graph, so a rebuild can tell which pages changed.

Jinja routes every `a.b`, `a[b]` and `f(…)` in a template through `Environment.getattr`, `getitem`
and `Context.call`. `TrackingEnvironment` notes each read whose receiver is part of the site
(an entry, the graph, one of the graph's mappings) with a fingerprint of the value read. A page
whose template sources, context fingerprint and recorded reads are all unchanged renders to the same
bytes, so the previous output can be reused. Anything the recorder cannot see through (a custom
filter or global handed an entry) marks the page volatile: it is rendered on every build.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import jinja2
import jinja2.filters
import jinja2.runtime
import jinja2.tests
from markupsafe import Markup

from generator.content.config import Config
from generator.content.graph import SiteGraph
from generator.content.validate import Entry, Locality, PovertyModel, Record

Key = tuple[Any, ...]      # (target, operation): what was read, replayable on a later graph
# Built-in filters that reach into objects only through environment.getattr/getitem, so their reads
# are recorded like a template's own.
TRACKED_FILTERS = frozenset({
    "attr", "batch", "count", "d", "default", "first", "groupby", "join", "last", "length", "list",
    "map", "max", "min", "reject", "rejectattr", "reverse", "select", "selectattr", "slice", "sort",
    "sum", "unique"})
_SCALARS = (int, float, bool, type(None), dt.date, dt.datetime, Markup)
_PLAIN = (str, Record) + _SCALARS
_ENTRIES = frozenset({PovertyModel, Locality})      # receivers whose reads are covered by their own fingerprint


@functools.lru_cache(maxsize=None)
def _fields(cls: Any) -> tuple[str, ...]:
    """Field names of a dataclass (dataclasses.fields() builds a new tuple on every call)."""
    return tuple(f.name for f in dataclasses.fields(cls))


LONG_TEXT = 256


def _long_text(kind: type, value: str) -> tuple[Any, ...]:
    """A body or JSON-LD block stands for its hash: `digest` would otherwise repr every page's few KB
    of text, escapes and all (seconds at 10,000 models)."""
    return "S", kind.__name__, hashlib.sha1(value.encode("utf-8", "surrogatepass")).digest()


def digest(fingerprint: Any) -> bytes:
    """A fingerprint in 20 bytes: kept per read and per page between builds (pickled by the CLI),
    where whole fingerprints of page contexts and search data took tens of KB a page."""
    return hashlib.sha1(repr(fingerprint).encode("utf-8", "surrogatepass")).digest()


class Untrackable(Exception):
    """A value the recorder cannot fingerprint: the page is then rendered on every build."""


class Recorder:
    """The reads of the page being rendered, and fingerprints of every value read during one build."""

    def __init__(self, graph: SiteGraph, memo: dict[int, tuple[Any, Any]] | None = None,
                 helpers: Mapping[str, Any] | None = None):
        self.graph = graph
        # Objects in the `site` context that compute from the graph (the tour planner, search fields):
        # their method calls are recorded and replayed like the graph's own.
        self.helpers = {id(h): name for name, h in (helpers or {}).items()}
        self.mappings = {id(getattr(graph, f.name)): f.name for f in dataclasses.fields(SiteGraph)
                         if isinstance(getattr(graph, f.name), Mapping)}
        self.values: dict[Key, bytes] = {}      # key -> digest of its fingerprint, shared by every page
        self.reads: set[Key] = set()            # keys read by the page being rendered
        self._keys: dict[Key, Key] = {}
        self._digests: dict[int, tuple[Any, bytes]] = {}   # id -> (the object, kept alive; its digest)
        self.volatile = False
        # id -> (the object, kept alive so its id is not reused, its fingerprint); `memo` carries those
        # of long-lived immutable objects (cached Markdown bodies) over from the previous build.
        self._memo: dict[int, tuple[Any, Any]] = dict(memo or {})

    def take(self) -> tuple[frozenset[Key], bool]:
        """Return and reset what the page just rendered read."""
        reads, volatile = frozenset(self.reads), self.volatile
        self.reads, self.volatile = set(), False
        return reads, volatile

    def memo_of(self, objects: Iterable[Any]) -> dict[int, tuple[Any, Any]]:
        return {id(o): self._memo[id(o)] for o in objects if id(o) in self._memo}

    def target(self, obj: Any) -> tuple[Any, ...] | None:
        if isinstance(obj, Entry):
            return ("E", obj.path)
        if obj is self.graph:
            return ("G",)
        if id(obj) in self.helpers:
            return ("H", self.helpers[id(obj)])
        name = self.mappings.get(id(obj))
        return ("M", name) if name else None

    def note(self, key: Key, value: Any) -> None:
        # One object per key, shared by every page that reads it: the pages' read sets are pickled
        # by the CLI, and pickle writes a shared object once.
        key = self._keys.setdefault(key, key)
        self.reads.add(key)
        if key not in self.values:
            try:
                self.values[key] = digest(self.fingerprint(value))
            except Untrackable:
                self.volatile = True

    def canonical(self, reads: Iterable[Key]) -> frozenset[Key]:
        """The same reads made of this recorder's key objects (reads from a worker come as copies)."""
        return frozenset(self._keys.setdefault(key, key) for key in reads)

    def context_digest(self, context: Mapping[str, Any]) -> bytes:
        """The digest of a page's context; values shared by many pages (the `site` dict) are digested once."""
        parts = []
        for name, value in context.items():
            known = self._digests.get(id(value))
            if known is None:
                known = self._digests[id(value)] = (value, digest(self.fingerprint(value)))
            parts.append((name, known[1]))
        return digest(parts)

    def note_whole(self, obj: Any) -> None:
        target = self.target(obj)
        if target is not None and target[0] == "M":
            self.note((target, ("whole",)), obj)

    def check_arguments(self, values: Iterable[Any], tracked: bool) -> None:
        """A mapping handed to a filter is read whole; an entry handed to unknown code is unseeable."""
        for value in values:
            if isinstance(value, _PLAIN):
                continue
            if id(value) in self.mappings:
                self.note_whole(value)
            elif not tracked and self._holds_site_object(value):
                self.volatile = True

    def _holds_site_object(self, value: Any, depth: int = 0) -> bool:
        if isinstance(value, (Entry, SiteGraph)) or id(value) in self.mappings:
            return True
        if depth > 3 or isinstance(value, _PLAIN):
            return False
        if isinstance(value, (tuple, list)):
            return any(self._holds_site_object(v, depth + 1) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return any(self._holds_site_object(getattr(value, name), depth + 1)
                       for name in _fields(type(value)))
        return False

    def fingerprint(self, value: Any) -> Any:
        """A comparable summary of `value`; site objects stand for themselves, their reads are keys."""
        kind: Any = type(value)
        if kind is str:
            return value if len(value) < LONG_TEXT else _long_text(kind, value)
        if kind is Markup and len(value) >= LONG_TEXT:
            return _long_text(kind, value)
        if isinstance(value, _SCALARS):
            return kind, value
        if isinstance(value, Entry):
            return "E", value.path
        if value is self.graph:
            return ("G",)
        if id(value) in self.helpers:
            return "H", self.helpers[id(value)]
        if isinstance(value, Config):
            return ("C",)
        name = self.mappings.get(id(value))
        if name:
            return "M", name, tuple(value)
        memo = self._memo.get(id(value))
        if memo is not None:
            return memo[1]
        if isinstance(value, (tuple, list)):
            result: Any = (kind, tuple(v if type(v) is str else ("E", v.path) if type(v) in _ENTRIES
                                       else self.fingerprint(v) for v in value))
        elif isinstance(value, (dict, Record, MappingProxyType)):
            result = ("d", tuple((k, self.fingerprint(v)) for k, v in value.items()))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            result = (kind, tuple(self.fingerprint(getattr(value, name)) for name in _fields(kind)))
        elif isinstance(value, jinja2.Undefined):
            return ("U",)
        elif callable(value) and getattr(value, "__self__", None) is not None:
            return "F", getattr(value, "__name__", ""), self.fingerprint(value.__self__)
        else:
            raise Untrackable(kind.__name__)
        self._memo[id(value)] = (value, result)
        return result


class TrackingContext(jinja2.runtime.Context):
    """Records calls of graph and entry methods (their reads happen in Python, out of sight)."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        result = super().call(__obj, *args, **kwargs)
        recorder = getattr(__self.environment, "recorder", None)
        if recorder is not None:
            named = {k: v for k, v in kwargs.items() if k not in ("_loop_vars", "_block_vars")}
            _note_call(recorder, __obj, args, named, result)
        return result


def _note_call(recorder: Recorder, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
               result: Any) -> None:
    owner = getattr(func, "__self__", None)
    target = recorder.target(owner) if owner is not None else None
    if target is None:
        if not isinstance(func, (jinja2.runtime.Macro, type)) and owner is None:
            recorder.check_arguments((*args, *kwargs.values()), tracked=False)
        return
    try:
        arguments = tuple(_argument_key(recorder, a) for a in args)
        named = tuple(sorted((k, _argument_key(recorder, v)) for k, v in kwargs.items()))
    except Untrackable:
        recorder.volatile = True
        return
    recorder.note((target, ("call", func.__name__, arguments, named)), result)


def _argument_key(recorder: Recorder, value: Any) -> Hashable:
    if isinstance(value, Entry):
        return ("E", value.path)
    if isinstance(value, str) or isinstance(value, _SCALARS):
        return type(value), value
    if isinstance(value, (tuple, list)):          # e.g. the default of mapping.get(key, ())
        return "T", (type(value), tuple(_argument_key(recorder, v) for v in value))
    raise Untrackable(type(value).__name__)


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that reports reads of site objects to its current `recorder`."""

    recorder: Recorder | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        recorder = self.recorder
        if recorder is not None and not isinstance(obj, _PLAIN):
            target = recorder.target(obj)
            if target is not None:
                if target[0] == "M" and callable(value):
                    if attribute != "get":     # .get(k) is recorded as a call; .items() reads it all
                        recorder.note_whole(obj)
                else:
                    recorder.note((target, ("attr", attribute)), value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        recorder = self.recorder
        if recorder is not None and not isinstance(obj, _PLAIN):
            target = recorder.target(obj)
            if target is not None:
                try:
                    recorder.note((target, ("item", _argument_key(recorder, argument))), value)
                except Untrackable:
                    recorder.volatile = True
        return value


def site_helpers(site: Mapping[str, Any], graph: SiteGraph) -> dict[str, Any]:
    """The objects of the `site` context that compute from the graph (they hold it as `.graph`)."""
    return {name: value for name, value in site.items()
            if dataclasses.is_dataclass(value) and getattr(value, "graph", None) is graph}


def make_tracking(env: jinja2.Environment) -> TrackingEnvironment:
    """Turn the theme's environment into a tracking one, keeping its loader, filters and globals."""
    env.__class__ = TrackingEnvironment
    assert isinstance(env, TrackingEnvironment)
    env.context_class = TrackingContext
    env.recorder = None
    for table, builtin in ((env.filters, jinja2.filters.FILTERS), (env.tests, jinja2.tests.TESTS)):
        for name, func in list(table.items()):
            tracked = table is env.tests and name in builtin or name in TRACKED_FILTERS
            table[name] = _watched(env, func, tracked)
    return env


def _watched(env: TrackingEnvironment, func: Callable[..., Any], tracked: bool) -> Callable[..., Any]:
    def watched(*args: Any, **kwargs: Any) -> Any:
        recorder = env.recorder
        if recorder is not None:
            recorder.check_arguments((*args, *kwargs.values()), tracked)
        return func(*args, **kwargs)

    watched.__dict__.update(getattr(func, "__dict__", {}))  # keeps Jinja's pass_context marker
    watched.__name__ = getattr(func, "__name__", "filter")
    return watched


def replay(key: Key, graph: SiteGraph, entries: Mapping[str, Entry], env: jinja2.Environment,
           helpers: Mapping[str, Any]) -> Any:
    """Read `key` again on a new graph and return the value (LookupError when its target is gone)."""
    target, operation = key
    if target[0] == "E":
        obj: Any = entries[target[1]]
    elif target[0] == "G":
        obj = graph
    elif target[0] == "H":
        obj = helpers[target[1]]
    else:
        obj = getattr(graph, target[1])
    action = operation[0]
    if action == "whole":
        return obj
    if action == "attr":
        return jinja2.Environment.getattr(env, obj, operation[1])
    if action == "item":
        return jinja2.Environment.getitem(env, obj, _argument_value(operation[1], entries))
    args = tuple(_argument_value(a, entries) for a in operation[2])
    kwargs = {k: _argument_value(v, entries) for k, v in operation[3]}
    return getattr(obj, operation[1])(*args, **kwargs)


def _argument_value(key: Any, entries: Mapping[str, Entry]) -> Any:
    kind, value = key
    if kind == "T":
        sequence, items = value
        return sequence(_argument_value(item, entries) for item in items)
    return entries[value] if kind == "E" else value
