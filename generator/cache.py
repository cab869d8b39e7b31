"""Keep the work of the previous build in memory so `showcase serve` rebuilds only what an edit touched.

Layers, each keyed by what its result depends on:
- a snapshot of every input file (stat, plus a content hash while a timestamp is too fresh to trust);
  an unchanged snapshot means nothing to do;
- parsed sources by file, validated entries by (path, content hash), Markdown bodies by text;
- rendered pages by template sources, page context and the recorded reads (see `tracking`).
A change of site.yaml empties everything. The output is byte-identical to a clean build.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from generator.content.config import CONFIG_NAME, Config
from generator.core.errors import Diagnostic, Diagnostics, Location
from generator.content.graph import SiteGraph
from generator.content.load import CONTENT_DIRS, RACY_NS, SourceFile, _drop_duplicate_ids, load_source
from generator.pages.markup import Body, new_converter, render_body
from generator.core.outputs import OutputFile, PageSpec
from generator.pages.render import make_environment, render_pages
from generator.content.schema import FIELDS_BY_KIND
from generator.pages.tracking import (Key, Recorder, TrackingEnvironment, Untrackable, make_tracking, replay,
                                site_helpers)
from generator.content.validate import Entries, Entry, validate_sources

# SiteGraph methods whose result depends only on site.yaml (which, when changed, empties the cache).
CONFIG_ONLY = frozenset({"url", "label"})


@dataclass(frozen=True, slots=True)
class FileState:
    stat: tuple[int, int, int]      # mtime_ns, size, inode
    digest: str | None              # content hash, kept while the timestamp is not yet trusted
    trusted: bool


Snapshot = Mapping[str, FileState]   # by path relative to the site root (../… for the built-in theme)


def input_roots(config: Config) -> list[Path]:
    """Everything a build reads: site.yaml, content/ and each theme in the lookup chain."""
    return [config.root / CONFIG_NAME, config.root / "content", *config.theme_dirs()]


def scan_inputs(site_root: Path, roots: Iterable[Path], previous: Snapshot | None = None) -> dict[str, FileState]:
    """Stat every file under `roots`; hash only those whose timestamps are too fresh to trust."""
    now = time.time_ns()
    states: dict[str, FileState] = {}
    for root in roots:
        # Keys are paths relative to the site root; relpath per file would cost more than the stat.
        prefix, start = os.path.relpath(root, site_root).replace(os.sep, "/"), len(str(root))
        for path, st in _walk(root):
            key = (prefix + path[start:].replace(os.sep, "/")).removeprefix("./")
            stat = (st.st_mtime_ns, st.st_size, st.st_ino)
            old = (previous or {}).get(key)
            trusted = now - st.st_mtime_ns > RACY_NS
            if old is not None and old.stat == stat and old.trusted:
                states[key] = old
                continue
            digest = _hash_file(path) if not trusted or (old is not None and old.stat == stat) else None
            states[key] = FileState(stat, digest, trusted)
    return states


def unchanged(old: FileState | None, new: FileState) -> bool:
    if old is None or old.stat != new.stat:
        return False
    return old.trusted or (old.digest is not None and old.digest == new.digest)


def same_inputs(old: Snapshot | None, new: Snapshot) -> bool:
    return old is not None and old.keys() == new.keys() and all(unchanged(old[k], v) for k, v in new.items())


def _walk(root: Path) -> Iterable[tuple[str, os.stat_result]]:
    if root.is_file():
        yield str(root), root.stat()
        return
    stack = [str(root)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name == ".git":
                    continue
                stack.append(entry.path)
            elif entry.is_file():
                try:
                    yield entry.path, entry.stat()
                except FileNotFoundError:       # deleted between listing and stat
                    continue


def _hash_file(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class _Loaded:
    state: FileState
    source: SourceFile | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _Validated:
    entry: Entry | None
    draft: bool
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class PageMemo:
    template: str                   # hash of the template and everything it extends, imports, includes
    context: Any                    # fingerprint of the page's context
    reads: frozenset[Key]
    volatile: bool
    data: bytes


@dataclass(slots=True)
class RenderStats:
    rendered: int = 0
    reused: int = 0


@dataclass
class BuildCache:
    """What one process remembers between builds of one site. Not thread-safe: one build at a time."""

    snapshot: dict[str, FileState] | None = None
    last_result: Any = None                       # BuildResult of the last build, for the no-change path
    last_key: tuple[Any, ...] = ()
    stats: RenderStats = field(default_factory=RenderStats)
    _config_digest: str = ""
    _loaded: dict[str, _Loaded] = field(default_factory=dict)
    _validated: dict[tuple[str, str], _Validated] = field(default_factory=dict)
    _bodies: dict[tuple[str, str], Body] = field(default_factory=dict)
    _pages: dict[str, PageMemo] = field(default_factory=dict)
    _values: dict[Key, Any] = field(default_factory=dict)
    _entry_keys: dict[str, set[Key]] = field(default_factory=dict)    # keys of `_values` by entry path
    _entries: dict[str, Entry] = field(default_factory=dict)
    _env: TrackingEnvironment | None = None
    _env_dirs: tuple[Path, ...] = ()
    _last_templates: dict[str, str] = field(default_factory=dict)
    _body_memo: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    _pruned_at: int = 0
    _shape: tuple[tuple[str, Any], ...] = ()
    _templates: dict[str, tuple[str, frozenset[str | None]]] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)   # encoded open-data records (export.py)
    digests: dict[str, Any] = field(default_factory=dict)   # the last build's outputs (write.stage_outputs)
    jsonld: dict[Any, Any] = field(default_factory=dict)    # the last build's JSON-LD (render.plan_pages)
    _same_graph: bool = False

    def begin(self, config: Config, key: tuple[Any, ...]) -> bool:
        """Scan the inputs; return True when nothing changed since the last build with the same key."""
        if config.digest != self._config_digest:
            self.__init__()  # type: ignore[misc]  # new settings or vocabularies: nothing carries over
            self._config_digest = config.digest
        previous = self.snapshot
        self.snapshot = scan_inputs(config.root, input_roots(config), previous)
        self.stats = RenderStats()
        return key == self.last_key and self.last_result is not None and same_inputs(previous, self.snapshot)

    def load_sources(self, root: Path, diag: Diagnostics) -> list[SourceFile]:
        """Like `load.load_sources`, re-reading only files whose snapshot changed."""
        assert self.snapshot is not None
        loaded: dict[str, _Loaded] = {}
        sources = []
        for kind, rel_dir in CONTENT_DIRS.items():
            try:
                names = sorted(e.name for e in os.scandir(root / rel_dir) if e.name.endswith(".md"))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for name in names:
                rel = f"{rel_dir}/{name}"
                state = self.snapshot.get(rel)
                if state is None:                   # not a file: load.py reports it the same way
                    diag.error(Location(rel), "path_is_directory")
                    continue
                memo = self._loaded.get(rel)
                if memo is None or not unchanged(memo.state, state):
                    local = Diagnostics()
                    try:
                        source = load_source((root / rel).read_bytes(), rel, kind, local)
                    except FileNotFoundError:       # deleted since the scan; the next scan sees it
                        continue
                    memo = _Loaded(state, source, tuple(local.items))
                loaded[rel] = memo
                diag.items.extend(memo.diagnostics)
                if memo.source is not None:
                    sources.append(memo.source)
        self._loaded = loaded
        return _drop_duplicate_ids(sources, diag)

    def validate(self, sources: list[SourceFile], vocabularies: Mapping[str, Mapping[str, str]],
                 diag: Diagnostics) -> Entries:
        """Like `validate.validate_sources`, validating only sources whose bytes changed."""
        models, localities, drafts = [], [], []
        validated = {}
        for source in sources:
            key = (source.path, source.digest)
            memo = self._validated.get(key)
            if memo is None:
                local = Diagnostics()
                one = validate_sources([source], vocabularies, local)
                entry = next(iter(one.models + one.localities + one.drafts), None)
                memo = _Validated(entry, bool(one.drafts), tuple(local.items))
            validated[key] = memo
            diag.items.extend(memo.diagnostics)
            if memo.entry is None:
                continue
            (drafts if memo.draft else localities if source.kind == "locality" else models).append(memo.entry)
        self._validated = validated
        known = {kind: frozenset(s.id for s in sources if s.kind == kind) for kind in FIELDS_BY_KIND}
        by_id = lambda e: e.id  # noqa: E731
        return Entries(tuple(sorted(models, key=by_id)), tuple(sorted(localities, key=by_id)),
                       tuple(sorted(drafts, key=by_id)), known)

    def render_bodies(self, entries: Iterable[Entry]) -> Mapping[str, Body]:
        """Like `markup.render_bodies`, converting only bodies whose text changed."""
        converter = None
        bodies, kept = {}, {}
        for entry in entries:
            key = (entry.path, entry.body)
            body = self._bodies.get(key)
            if body is None:
                converter = converter or new_converter()
                body = render_body(entry.body, converter)
            kept[key] = bodies[entry.path] = body
        self._bodies = kept
        return bodies

    def observe_graph(self, graph: SiteGraph) -> Mapping[Any, Any]:
        """Note whether any front matter changed; return the JSON-LD that is still valid if none did.

        The graph is computed from front matter alone: when no entry's data changed (a body edit),
        every read of the graph or its mappings gives what it gave last time. Call before `render_pages`.
        """
        shape = tuple((e.path, e.data) for e in graph.models + graph.localities)
        self._same_graph, self._shape = shape == self._shape, shape
        return self.jsonld if self._same_graph else {}

    def render_pages(self, pages: list[PageSpec], graph: SiteGraph, config: Config,
                     diag: Diagnostics) -> list[OutputFile]:
        """Render the pages whose inputs changed; reuse the bytes of the others."""
        env = self.environment(config)
        templates = {name: self._template_hash(env, name) for name in sorted({p.template for p in pages})}
        if templates != self._last_templates:
            # Jinja reloads a changed template by mtime only; a fresh environment never serves stale code.
            self._env = None
            env = self.environment(config)
            self._last_templates = templates
        helpers = site_helpers(pages[0].context["site"], graph) if pages else {}
        recorder = Recorder(graph, self._body_memo, helpers)
        entries = {e.path: e for e in graph.models + graph.localities}
        changed = self._changed_reads(recorder, graph, entries, env, helpers, self._same_graph)
        contexts, dirty = {}, []
        for page in pages:
            try:
                contexts[page.path] = recorder.fingerprint(dict(page.context))
            except Untrackable:
                contexts[page.path] = None
            memo = self._pages.get(page.path)
            if memo is None or memo.volatile or contexts[page.path] is None \
                    or memo.template != templates[page.template] or memo.context != contexts[page.path] \
                    or not memo.reads.isdisjoint(changed):
                dirty.append(page)
        fresh: dict[str, PageMemo] = {}
        by_path = {p.path: p for p in dirty}
        env.recorder = recorder
        try:
            for output in render_pages(dirty, env, config, diag):
                reads, volatile = recorder.take()
                fresh[output.path] = PageMemo(templates[by_path[output.path].template], contexts[output.path], reads,
                                              volatile or contexts[output.path] is None, output.data)
        finally:
            env.recorder = None
        dirty_paths = {p.path for p in dirty}
        self._pages = {p.path: fresh.get(p.path) or self._pages[p.path] for p in pages
                       if p.path in fresh or p.path not in dirty_paths}
        new_keys = recorder.values.keys() - self._values.keys()
        self._values = recorder.values
        if len(self._values) > 1.5 * self._pruned_at:   # forget reads of pages that no longer exist
            needed = set().union(*(memo.reads for memo in self._pages.values()))
            self._values = {k: v for k, v in self._values.items() if k in needed}
            self._pruned_at = len(self._values)
            self._entry_keys, new_keys = {}, self._values.keys()
        for key in new_keys:
            if key[0][0] == "E":
                self._entry_keys.setdefault(key[0][1], set()).add(key)
        self._body_memo = recorder.memo_of(self._bodies.values())
        self._entries = entries
        self.stats.rendered, self.stats.reused = len(fresh), len(pages) - len(dirty)
        return [OutputFile(p.path, self._pages[p.path].data) for p in pages if p.path in self._pages]

    def _changed_reads(self, recorder: Recorder, graph: SiteGraph, entries: Mapping[str, Entry],
                       env: jinja2.Environment, helpers: Mapping[str, Any], same_graph: bool) -> set[Key]:
        """Read every key again on the new graph; return those whose value differs.

        When no front matter changed, only the reads of entries that are new objects (a body edit)
        are read again: the others are copied over whole.
        """
        changed = set()
        keys: Iterable[Key] = self._values.keys()
        if same_graph:
            recorder.values.update(self._values)
            keys = [k for path, known in self._entry_keys.items()
                    if entries.get(path) is not self._entries.get(path) for k in known]
        for key in keys:
            old = self._values[key]
            target, operation = key
            if target[0] == "E" and entries.get(target[1]) is self._entries.get(target[1]) is not None \
                    or target[0] != "E" and same_graph \
                    or target[0] == "G" and operation[0] == "call" and operation[1] in CONFIG_ONLY:
                recorder.values[key] = old        # same entry, same graph, or a function of site.yaml
                continue
            try:
                new = recorder.fingerprint(replay(key, graph, entries, env, helpers))
            except (LookupError, AttributeError, TypeError, ValueError, Untrackable):
                changed.add(key)
                continue
            recorder.values[key] = new
            if new != old:
                changed.add(key)
        return changed

    def environment(self, config: Config) -> TrackingEnvironment:
        dirs = tuple(config.theme_dirs())
        if self._env is None or dirs != self._env_dirs:     # a site theme folder appeared or went
            self._env, self._env_dirs = make_tracking(make_environment(config)), dirs
        return self._env

    def _template_hash(self, env: jinja2.Environment, name: str) -> str:
        """Hash of a template with everything it pulls in, through the theme lookup chain."""
        digest = hashlib.sha256()
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                digest.update(f"missing:{current}".encode())
                continue
            cached = self._templates.get(current)
            if cached is None or cached[0] != source:
                try:
                    refs = frozenset(jinja2.meta.find_referenced_templates(env.parse(source)))
                except jinja2.TemplateSyntaxError:
                    refs = frozenset()
                self._templates[current] = cached = (source, refs)
            digest.update(f"{current}\0{len(source)}\0{source}".encode())
            if None in cached[1]:       # a computed template name: depend on the whole theme
                todo.extend(env.list_templates())
            todo.extend(r for r in cached[1] if r is not None)
        return digest.hexdigest()
