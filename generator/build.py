"""Run the pipeline in order: scan, load, validate, graph, photos, Markdown, pages, files and search, write.

The only module that knows the stage order, and the one build that `check`, `build` and `serve` share.
Stages are plain functions; reuse between builds wraps their calls through one `Memo` (in memory for
the preview, on disk for the CLI), so every mode reports the same problems and writes the same bytes.
Nothing is written when any error was found: the previous site stays exactly as it was.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from generator.content.config import Config
from generator.content.graph import SiteGraph, build_graph
from generator.content.links import check_bodies
from generator.content.load import (Kind, SourceFile, content_files, draft_paths, drop_duplicate_ids, read_source,
                                    report_unrecognised)
from generator.content.gazetteer import load_gazetteer
from generator.content.validate import Entry, PovertyModel, Validated, collect_entries, validate_source
from generator.core.errors import Diagnostics
from generator.core.inputs import Snapshot, same_inputs, scan_inputs
from generator.core.memo import MISSING, Memo, MemoryMemo, remembered, remembered_each
from generator.core.outputs import KeptFile, OutputFile
from generator.core.parallel import fork_map
from generator.files.export import encode_record, export_data, record_key, records
from generator.files.images import check_images, process_images
from generator.files.qr import qr_svg
from generator.files.qr_files import qr_outputs, qr_requests
from generator.files.sharecards import sharecard_outputs
from generator.files.static import collect_static, hashed_assets
from generator.files.vendor import leaflet_outputs, qrcode_outputs
from generator.pages.image_refs import image_refs, place_body_images
from generator.pages.markup import Body, body_key, render_bodies, resolve_body_links
from generator.pages.render import load_macro, make_environment, plan_pages
from generator.pages.search_terms import SearchFields
from generator.pages.reuse import PageState, front_matter_digest, render_changed, template_hash
from generator.pages.tracking import TrackingEnvironment, make_tracking
from generator.publish.search import SearchReport, search_outputs
from generator.publish.search_index import record_digest
from generator.publish.redirects import check_aliases, check_renames, redirect_outputs
from generator.publish.write import (WriteReport, intact_outputs, kept_outputs, outputs_intact, read_manifest,
                                     stage_outputs)

Progress = Callable[[str, int, int], None]   # stage, done, total


@dataclass(slots=True)
class BuildResult:
    """What a build did: its problems, drafts left out, what was written and how long each stage took."""

    diagnostics: Diagnostics
    drafts: tuple[PovertyModel, ...] = ()
    pages: int = 0
    report: WriteReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    graph: SiteGraph | None = None
    images_processed: int = 0     # photos decoded in this run; the rest came from .cache/images
    search: SearchReport | None = None
    rendered: int = 0             # pages rendered in this run; the others were kept as written
    unchanged: bool = False       # nothing changed since the last build: it stopped after the scan
    draft_paths: frozenset[str] = frozenset()     # every file marked draft, valid or not

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the last successful build read, how it was asked for, and what it reported."""

    key: tuple[Any, ...]
    snapshot: Snapshot
    summary: BuildResult    # without the graph and drafts


def build(config: Config, out_dir: Path | None, *, strict: bool = False, search: bool = True,
          progress: Progress | None = None, memo: Memo | None = None, inputs: Snapshot | None = None,
          workers: int = 1, publish: bool = False) -> BuildResult:
    """Build the site into `out_dir`; with `out_dir=None` only check (nothing is rendered or written).

    `memo` carries work over from earlier builds (`showcase serve` keeps one in memory, `showcase build`
    one on disk); `inputs` is a scan of the input files the caller already made (the preview's
    watcher). `workers` > 1 renders in forked processes. The output is the same in every case.
    `publish` (`showcase build`) adds what a web server wants: content-hashed names for theme scripts
    and stylesheets, and `.br`/`.gz` copies of text files (not in the preview, which rebuilds often).
    A draft's problems are warnings on its file; a draft gets no page.
    """
    memo = memo if memo is not None else MemoryMemo()
    memo.begin()
    try:
        return _build(config, out_dir, strict, search, progress or (lambda stage, done, total: None),
                      memo, inputs, workers, publish)
    finally:
        memo.finish()


def _build(config: Config, out_dir: Path | None, strict: bool, search: bool, note: Progress, memo: Memo,
           inputs: Snapshot | None, workers: int, publish: bool) -> BuildResult:
    started = time.perf_counter()
    key = (str(out_dir.resolve()) if out_dir else None, strict, search, publish)
    stamp = memo.get("stamp", "last")
    stamp = stamp if isinstance(stamp, Stamp) else None
    # Against the stamp's snapshot: a file saved just before the last build was hashed then, and must
    # be hashed now too to be found unchanged (its timestamp alone was not trusted).
    snapshot = inputs if inputs is not None else \
        scan_inputs(config.root, config.input_roots(), stamp.snapshot if stamp else None)
    if stamp is not None and stamp.key == key and same_inputs(stamp.snapshot, snapshot) \
            and (out_dir is None or outputs_intact(out_dir)):
        return _unchanged(stamp.summary, time.perf_counter() - started)
    diag = Diagnostics()
    result = BuildResult(diag)

    def timed(stage: str, since: float) -> float:
        now = time.perf_counter()
        result.timings[stage] = now - since
        return now

    sources = drop_duplicate_ids([source for rel, kind in content_files(snapshot, diag)
                                  if (source := _source(config, snapshot, rel, kind, memo, diag)) is not None], diag)
    report_unrecognised(config.root, diag)
    result.draft_paths = draft_paths(config.root, sources, diag)
    note("load", len(sources), len(sources))
    started = timed("load", started)

    entries = collect_entries(sources, [_validated(config, source, memo, diag) for source in sources])
    result.drafts = entries.drafts
    if config.gazetteer:    # from the pickle in .cache/ when there; only a build writes it (check writes nothing)
        load_gazetteer(config.root / ".cache", save=out_dir is not None)
    graph = result.graph = build_graph(entries, config, diag)
    check_bodies(graph.models + graph.localities + entries.drafts, {"model": frozenset(graph.model),
                 "locality": frozenset(graph.locality)}, entries.known, config.base_path, diag)
    diag.extend(config.problems)
    check_aliases(graph, diag)          # renames: generator/publish/redirects.py
    started = timed("validate", started)

    # Photos are checked in `check` too (without encoding), and an oversize one is a warning that
    # --strict promotes.
    refs = image_refs(graph.models, graph.models + graph.localities, diag)
    images = None
    if out_dir is None:
        check_images(refs, config.root, diag)
    else:
        images = process_images(refs, config.root, diag, progress=note)
        result.images_processed = images.processed
    started = timed("images", started)
    diag.settle(strict, result.draft_paths)
    if diag.errors or images is None or out_dir is None:
        return result

    bodies: Mapping[str, Body] = resolve_body_links(_bodies(graph, memo, workers), config.base_path)
    started = timed("markup", started)

    env, theme = _environment(config, snapshot, memo)
    picture = load_macro(env, config, "_images.html", "picture", diag)
    if picture is not None:
        bodies = place_body_images(bodies, images, picture, config.base_path)
    state_key = (config.digest, key[0])
    state = memo.get("pages", state_key)
    state = state if isinstance(state, PageState) else PageState()
    shape = front_matter_digest(graph)
    same_graph, state.shape = shape == state.shape, shape
    jsonld: dict[object, Any] = {}
    pages = plan_pages(graph, bodies, images.images, state.jsonld if same_graph else {}, jsonld)
    state.jsonld = jsonld
    manifest = read_manifest(out_dir)       # what the last build wrote
    kept = kept_outputs(out_dir, manifest)
    ids = (tuple(graph.model), tuple(graph.locality))
    if memo.get("renames", key) != ids:      # no file added or removed since the last write: no rename
        check_renames(graph, manifest[0], {p.path for p in pages}, diag, strict)
    static, assets = _static(config, env, publish)
    templates = _template_hashes(env, theme, sorted({p.template for p in pages}), assets, memo)
    page_outputs = _counted(render_changed(pages, graph, env, config, templates, state, same_graph,
                                           intact_outputs(kept), diag, workers), len(pages), note, result)
    # Pages are staged as they are rendered, so a large site is never held in memory at once.
    outputs = chain(page_outputs, static, redirect_outputs(graph), images.files,
                    _later(lambda: export_data(graph, _encoded_records(graph, memo))),
                    _later(lambda: qr_outputs(graph, _qr_codes(graph, memo, workers))),
                    _later(lambda: leaflet_outputs(graph, diag)), _later(lambda: qrcode_outputs(diag)),
                    _later(lambda: sharecard_outputs(graph, config.root, diag, workers, kept)))
    if search:
        result.search = SearchReport()
        outputs = chain(outputs, _search_files(graph, bodies, images.images, memo, result.search, state_key,
                                                      shape, workers))
    staged = stage_outputs(outputs, out_dir, compress=publish, manifest=manifest)
    result.pages = len(pages)
    started = timed("render", started)
    if result.search is not None:   # made while the pages were staged: its time is not theirs
        result.timings["render"] -= result.search.seconds
        result.timings["search"] = result.search.seconds
    if diag.errors:
        staged.discard()
        memo.put("pages", state_key, PageState())   # its pages were never written
        return result
    memo.put("pages", state_key, state)
    memo.put("renames", key, ids)

    result.report = staged.commit()
    timed("write", started)
    if result.ok:
        memo.put("stamp", "last", Stamp(key, snapshot, replace(result, graph=None, drafts=())))
    return result


def _source(config: Config, snapshot: Snapshot, rel: str, kind: Kind, memo: Memo,
            diag: Diagnostics) -> SourceFile | None:
    """A content file, parsed again only when its state in the scan changed."""
    def load(found: Diagnostics) -> SourceFile | None:
        return read_source(config.root, rel, kind, found)
    return remembered(memo, "sources", (rel, snapshot[rel].key), load, diag)


def _validated(config: Config, source: SourceFile, memo: Memo, diag: Diagnostics) -> Validated:
    """A file's own checks, run again only when its bytes or site.yaml changed."""
    def check(found: Diagnostics) -> Validated:
        return validate_source(source, config.vocabularies, found)
    return remembered(memo, "entries", (source.path, source.digest, config.digest), check, diag)


def _bodies(graph: SiteGraph, memo: Memo, workers: int) -> dict[str, Body]:
    """Every entry's Markdown as HTML; a text converted before is not converted again."""
    entries = graph.models + graph.localities
    converted = remembered_each(memo, "bodies", [e.body for e in entries], body_key,
                                lambda texts: render_bodies(texts, workers))
    return {e.path: body for e, body in zip(entries, converted)}


def _environment(config: Config, snapshot: Snapshot, memo: Memo) -> tuple[TrackingEnvironment, Hashable]:
    """The theme's Jinja environment, kept by a long-lived process while no template file changes
    (compiling the templates is most of a small rebuild), and the key of the theme's state. Jinja
    itself would notice a change only by its timestamp; a new environment never serves stale code."""
    themes = [d.relative_to(config.root).as_posix() if d.is_relative_to(config.root) else str(d)
              for d in config.theme_dirs()]
    key = (config.digest, tuple(themes), tuple(sorted((path, state.key) for path, state in snapshot.items()
                                                      if not path.startswith("content/"))))
    env = memo.get("process:environment", key)
    if env is MISSING:
        env = make_tracking(make_environment(config))
        memo.put("process:environment", key, env)
    return env, key


def _template_hashes(env: TrackingEnvironment, theme: Hashable, names: list[str], assets: str,
                     memo: Memo) -> dict[str, str]:
    """Each template's hash with everything it pulls in (parsing them all is ~0.4 s), per theme state."""
    hashes = remembered(memo, "templates", (theme, tuple(names)),
                        lambda _: {name: template_hash(env.loader, env, name)   # type: ignore[arg-type]
                                   for name in names}, Diagnostics())
    return {name: value + assets for name, value in hashes.items()}


def _static(config: Config, env: TrackingEnvironment, publish: bool) -> tuple[list[OutputFile], str]:
    """The theme's files, with content-named copies when publishing, and a digest of the names pages
    link to (part of each template's hash: a page linking to an old name is rendered again)."""
    static = collect_static(config)
    if not publish:
        env.globals["asset"] = str
        return static, ""
    hashed, env.globals["asset"] = hashed_assets(static)
    return static + hashed, ":" + ",".join(f.path for f in hashed)


def _encoded_records(graph: SiteGraph, memo: Memo) -> dict[str, tuple[bytes, bytes]]:
    """Each open-data record's encoding by entry path; a record whose inputs are unchanged is reused."""
    todo = records(graph)
    encoded = remembered_each(memo, "exports", todo, lambda r: record_key(graph, *r),
                              lambda rs: [encode_record(graph, *r) for r in rs])
    return {entry.path: value for (_, entry), value in zip(todo, encoded)}


def _qr_codes(graph: SiteGraph, memo: Memo, workers: int) -> dict[tuple[str, str], str]:
    """Every model's QR code (about 1 ms each), made in the workers unless remembered."""
    requests = qr_requests(graph)
    codes = remembered_each(memo, "qr", requests, lambda r: r,
                            lambda todo: fork_map(lambda request, _: qr_svg(*request), todo, workers))
    return dict(zip(requests, codes))


def _search_files(graph: SiteGraph, bodies: Mapping[str, Body], pictures: Mapping[str, Any], memo: Memo,
                  report: SearchReport, key: Hashable, shape: str, workers: int) -> Iterator[OutputFile]:
    """The search index, updated from the state of the last build: only changed pages are tokenised.
    A page's record is remembered while its file, the front matter of the whole site (names, labels,
    places) and the photo it shows are unchanged."""
    state = memo.get("search", key)
    held = {} if state is MISSING else {"state": state}
    fields = SearchFields.from_graph(graph)

    def record_key(entry: Entry) -> Hashable:
        photo = pictures.get(entry.images[0].src) if isinstance(entry, PovertyModel) and entry.images else None
        return entry.path, entry.digest, shape, graph.config.digest, photo.jpeg[0].path if photo else ""

    entries = graph.models + graph.localities
    records = remembered_each(memo, "search-records", entries, record_key,
                              lambda todo: [record_digest(fields.record(e, bodies[e.path].html, pictures))
                                            for e in todo])
    yield from search_outputs(graph, bodies, pictures, held, report, workers=workers, records=records)
    memo.put("search", key, held["state"])


def _counted(outputs: Iterable[OutputFile | KeptFile], total: int, note: Progress,
             result: BuildResult) -> Iterator[OutputFile | KeptFile]:
    for done, output in enumerate(outputs, 1):
        note("render", done, total)
        if not isinstance(output, KeptFile):
            result.rendered += 1
        yield output


def _later(make: Callable[[], Iterable[OutputFile | KeptFile]]) -> Iterator[OutputFile | KeptFile]:
    """Make the files only when the pages before them are written (their memory is freed by then)."""
    yield from make()


def _unchanged(last: BuildResult, elapsed: float) -> BuildResult:
    """The result of a build whose inputs are exactly those of the last one: same problems, no writes."""
    total = (last.report.written + last.report.unchanged) if last.report else 0
    return BuildResult(last.diagnostics, last.drafts, last.pages,
                       WriteReport(0, total, 0) if last.report else None, {"load": elapsed}, last.graph,
                       unchanged=True, draft_paths=last.draft_paths)
