"""Render only the pages whose inputs changed since the last build; keep the others as written.

A page is kept when its template sources (with everything they extend, import and include), the
fingerprint of its context and every value its templates read last time (see `tracking`) are all
unchanged. What was read is kept in a `PageState`, which `build` remembers through the memo: in
memory for `showcase serve`, pickled in `.cache/build/` for `showcase build`. A kept page becomes a
`KeptFile`: the writer leaves the file on disk as it is, which is checked here against the writer's
record (`intact`), so a page deleted or edited in the output folder is rendered again.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.meta

from generator.content.config import Config
from generator.content.graph import SiteGraph
from generator.content.validate import Entry
from generator.core.errors import Diagnostics
from generator.core.outputs import KeptFile, OutputFile, PageSpec
from generator.core.parallel import FORK_FROM, fork_map
from generator.pages.render import render_pages
from generator.pages.tracking import Key, Recorder, TrackingEnvironment, Untrackable, digest, replay, site_helpers

# SiteGraph methods whose result depends only on site.yaml (part of the state's key).
CONFIG_ONLY = frozenset({"url", "label"})
Intact = Callable[[str, int, str], bool]     # (path, size, sha1): the output file is still as written


@dataclass(frozen=True, slots=True)
class PageMemo:
    template: str                   # hash of the template and everything it extends, imports, includes
    context: bytes | None           # digest of the fingerprint of the page's context
    reads: frozenset[Key]
    volatile: bool
    size: int
    sha1: str


@dataclass(slots=True)
class PageState:
    """What the last build of one site read and wrote, page by page. Picklable."""

    pages: dict[str, PageMemo] = field(default_factory=dict)
    values: dict[Key, bytes] = field(default_factory=dict)           # key -> digest of what was read
    entry_keys: dict[str, set[Key]] = field(default_factory=dict)    # keys of `values` by entry path
    entries: dict[str, str] = field(default_factory=dict)            # entry path -> digest of its file
    shape: str = ""                                                  # digest of every entry's front matter
    templates: dict[str, str] = field(default_factory=dict)          # template -> hash with its imports
    jsonld: dict[Any, Any] = field(default_factory=dict)
    pruned_at: int = 0


def front_matter_digest(graph: SiteGraph) -> str:
    """Equal for two graphs made from the same front matter (only bodies may differ)."""
    digest = hashlib.sha1()
    for e in graph.models + graph.localities:
        digest.update(f"{e.path}\0{e.data!r}\0".encode("utf-8"))
    return digest.hexdigest()


def render_changed(pages: list[PageSpec], graph: SiteGraph, env: TrackingEnvironment, config: Config,
                   templates: Mapping[str, str], state: PageState, same_graph: bool, intact: Intact,
                   diag: Diagnostics, workers: int = 1) -> Iterator[OutputFile | KeptFile]:
    """Keep the pages whose inputs are unchanged, then render the others (in `workers` processes).

    `templates` maps each template to `template_hash`. `state` is updated for the next build.
    """
    helpers = site_helpers(pages[0].context["site"], graph) if pages else {}
    recorder = Recorder(graph, None, helpers)
    entries = {e.path: e for e in graph.models + graph.localities}
    changed = _changed_reads(state, recorder, graph, entries, env, helpers, same_graph)
    fresh: dict[str, PageMemo] = {}
    dirty: list[tuple[PageSpec, Any]] = []
    for page in pages:
        try:
            context = recorder.context_digest(page.context)
        except Untrackable:
            context = None
        memo = state.pages.get(page.path)
        if memo is not None and not memo.volatile and context is not None \
                and memo.template == templates[page.template] and memo.context == context \
                and memo.reads.isdisjoint(changed) and intact(page.path, memo.size, memo.sha1):
            fresh[page.path] = memo
            yield KeptFile(page.path, memo.size, memo.sha1)
        else:
            dirty.append((page, context))
    for (page, context), (output, reads, volatile) in zip(dirty, _render([p for p, _ in dirty], env, config,
                                                                            recorder, diag, workers)):
        if output is not None:
            fresh[page.path] = PageMemo(templates[page.template], context, reads, volatile or context is None,
                                        len(output.data), hashlib.sha1(output.data).hexdigest())
            yield output
    _remember(state, fresh, recorder, entries, dict(templates))


Rendered = tuple[OutputFile | None, frozenset[Key], bool]


def _render(pages: list[PageSpec], env: TrackingEnvironment, config: Config, recorder: Recorder,
            diag: Diagnostics, workers: int) -> Iterator[Rendered]:
    """Each page with what its templates read. In forked workers, the fingerprints of those reads
    come back with the page; when a template fails there, the pages are rendered here again for
    the diagnostics (each broken template reported once, as always)."""
    if workers <= 1 or len(pages) < FORK_FROM:
        yield from _render_here(pages, env, config, recorder, diag)
        return
    for name in sorted({p.template for p in pages}):
        try:
            env.get_template(name)      # compile once here, so every worker inherits the compiled code
        except jinja2.TemplateError:
            pass

    def one(page: PageSpec, _: object) -> tuple[Rendered, dict[Key, Any]]:
        [rendered] = _render_here([page], env, config, recorder, Diagnostics())
        return rendered, {k: recorder.values[k] for k in rendered[1] if k in recorder.values}

    for (output, reads, volatile), values in fork_map(one, pages, workers):
        if output is None:
            yield from _render_here(pages, env, config, recorder, diag)
            return
        for key, value in values.items():
            recorder.values.setdefault(key, value)
        yield output, recorder.canonical(reads), volatile


def _render_here(pages: list[PageSpec], env: TrackingEnvironment, config: Config, recorder: Recorder,
                 diag: Diagnostics) -> Iterator[Rendered]:
    env.recorder = recorder
    try:
        for page in pages:
            outputs = list(render_pages([page], env, config, diag))
            reads, volatile = recorder.take()
            yield (outputs[0] if outputs else None), reads, volatile
    finally:
        env.recorder = None


def _remember(state: PageState, fresh: dict[str, PageMemo], recorder: Recorder, entries: Mapping[str, Entry],
              templates: dict[str, str]) -> None:
    state.pages = fresh
    new_keys: Iterable[Key] = recorder.values.keys() - state.values.keys()
    state.values = recorder.values
    if len(state.values) > 1.5 * state.pruned_at:   # forget reads of pages that no longer exist
        needed = set().union(*(memo.reads for memo in state.pages.values()))
        state.values = {k: v for k, v in state.values.items() if k in needed}
        state.pruned_at = len(state.values)
        state.entry_keys, new_keys = {}, state.values.keys()
    for key in new_keys:
        target = key[0]
        if isinstance(target, tuple) and target[0] == "E":
            state.entry_keys.setdefault(target[1], set()).add(key)
    state.entries = {path: e.digest for path, e in entries.items()}
    state.templates = templates


def _changed_reads(state: PageState, recorder: Recorder, graph: SiteGraph, entries: Mapping[str, Entry],
                   env: jinja2.Environment, helpers: Mapping[str, Any], same_graph: bool) -> set[Key]:
    """Read every key again on the new graph; return those whose value differs.

    When no front matter changed, only the reads of entries whose file changed (a body edit) are read
    again: the others are copied over whole.
    """
    changed = set()
    keys: Iterable[Key] = state.values.keys()

    def same_entry(path: str) -> bool:
        entry = entries.get(path)
        return entry is not None and state.entries.get(path) == entry.digest

    if same_graph:
        recorder.values.update(state.values)
        keys = [k for path, known in state.entry_keys.items() if not same_entry(path) for k in known]
    for key in keys:
        old = state.values.get(key)
        if old is None:                       # its entry went away in an earlier build
            changed.add(key)
            continue
        target, operation = key
        assert isinstance(target, tuple) and isinstance(operation, tuple)
        if target[0] == "E" and same_entry(target[1]) or target[0] != "E" and same_graph \
                or target[0] == "G" and operation[0] == "call" and operation[1] in CONFIG_ONLY:
            recorder.values[key] = old        # same entry, same graph, or a function of site.yaml
            continue
        try:
            new = digest(recorder.fingerprint(replay(key, graph, entries, env, helpers)))
        except (LookupError, AttributeError, TypeError, ValueError, Untrackable):
            changed.add(key)
            continue
        recorder.values[key] = new
        if new != old:
            changed.add(key)
    return changed


def template_hash(loader: jinja2.BaseLoader, env: jinja2.Environment, name: str) -> str:
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
            source, _, _ = loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            digest.update(f"missing:{current}".encode())
            continue
        refs = _references(source)
        digest.update(f"{current}\0{len(source)}\0{source}".encode())
        if None in refs:       # a computed template name: depend on the whole theme
            todo.extend(loader.list_templates())
        todo.extend(sorted(r for r in refs if r is not None))   # a set: its order differs per process
    return digest.hexdigest()


@functools.lru_cache(maxsize=512)
def _references(source: str) -> frozenset[str | None]:
    """The templates a template's source extends, imports or includes (None: a computed name)."""
    try:
        return frozenset(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(source)))
    except jinja2.TemplateSyntaxError:
        return frozenset()
