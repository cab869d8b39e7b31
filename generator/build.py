"""Run the pipeline in order: config, load, validate, graph, images, markup, render, write, search.

The only module that knows the stage order. Nothing is written when any error was found, so the
previous site stays exactly as it was.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from types import MappingProxyType

from markupsafe import Markup

from generator.cache import BuildCache, input_roots, scan_inputs
from generator.content.config import Config
from generator.diskcache import DiskCache, Stamp, outputs_intact, unchanged_since
from generator.core.errors import Diagnostics
from generator.files.export import Encoded
from generator.content.graph import SiteGraph, build_graph
from generator.pages.image_refs import image_refs, place_body_images
from generator.files.images import process_images
from generator.content.load import load_sources
from generator.pages.markup import body_key, render_bodies
from generator.core.parallel import fork_map
from generator.files.qr import qr_svg
from generator.core.outputs import OutputFile
from generator.pages.render import (load_macro, make_environment, plan_pages, render_in_workers,
                              render_pages)
from generator.publish.search import SearchReport, index_site, search_bundle_present
from generator.pages.search_terms import read_chunk_sizing, read_synonyms
from generator.pages.tour import read_visit_contact
from generator.files.static import collect_static
from generator.files.export import export_data
from generator.files.qr_files import qr_outputs, qr_requests
from generator.files.sharecards import sharecard_outputs
from generator.files.vendor import leaflet_outputs, qrcode_outputs
from generator.content.validate import PovertyModel, validate_sources
from generator.publish.write import MANIFEST, WriteReport, stage_outputs

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

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def build(config: Config, out_dir: Path | None, *, strict: bool = False,
          search: bool = True, progress: Progress | None = None, cache: BuildCache | None = None,
          disk: DiskCache | None = None, workers: int = 1) -> BuildResult:
    """Build the site into `out_dir`; with `out_dir=None` only check (nothing is rendered or written).

    With a `cache` kept from the previous build (as `showcase serve` does) only changed files are
    read again and only pages whose inputs changed are rendered. With a `disk` cache (as `showcase
    build` does) an unchanged site stops after a scan, and parsed files, bodies and QR codes are reused;
    `workers` > 1 renders in forked processes. The output is the same in every case.
    """
    started = time.perf_counter()
    if cache is not None and cache.begin(config, (out_dir, strict, search)) \
            and (out_dir is None or (out_dir / MANIFEST).is_file()):
        return _unchanged(cache.last_result, time.perf_counter() - started)
    stamp_key = (str(out_dir.resolve()) if out_dir else None, strict, search)
    snapshot = None
    if disk is not None and out_dir is not None:
        stamp = disk.stamp()
        # Against the stamp's snapshot: a file saved just before the last build was hashed then, and
        # must be hashed now too to be found unchanged (its timestamp alone was not trusted).
        snapshot = scan_inputs(config.root, input_roots(config), stamp.snapshot if stamp else None)
        if stamp is not None and unchanged_since(stamp, stamp_key, snapshot) and outputs_intact(out_dir) \
                and (not search or search_bundle_present(out_dir)):
            return _unchanged(stamp.summary, time.perf_counter() - started)
    diag = Diagnostics()
    result = BuildResult(diag)
    note = progress or (lambda stage, done, total: None)

    def timed(stage: str, started: float) -> None:
        result.timings[stage] = time.perf_counter() - started

    if cache is not None:
        sources = cache.load_sources(config.root, diag)
    elif disk is not None:
        memo = disk.layer("sources")
        before = dict(memo)
        sources = load_sources(config.root, diag, memo)
        if memo.keys() != before.keys() or any(memo[k] is not before[k] for k in memo):
            disk.mark("sources")
    else:
        sources = load_sources(config.root, diag)
    note("load", len(sources), len(sources))
    timed("load", started)

    started = time.perf_counter()
    entries = (cache.validate if cache else validate_sources)(sources, config.vocabularies, diag)
    result.drafts = entries.drafts
    graph = build_graph(entries, config, diag)
    read_synonyms(config, diag)
    read_chunk_sizing(config, diag)
    read_visit_contact(config, diag)
    result.graph = graph
    timed("validate", started)

    # Photos are checked in `check` too, and an oversize one is a warning that --strict promotes.
    started = time.perf_counter()
    images = process_images(image_refs(graph.models, graph.models + graph.localities, diag),
                            config.root, diag, progress=note)
    result.images_processed = images.processed
    timed("images", started)
    if strict:
        diag.items[:] = [replace(d, severity="error") for d in diag.items]
    if diag.errors or out_dir is None:
        return _remember(cache, result, (out_dir, strict, search))

    started = time.perf_counter()
    entries = graph.models + graph.localities
    if cache is not None:
        bodies = cache.render_bodies(entries)
    else:
        bodies = render_bodies(entries, workers, disk.layer("bodies") if disk else MappingProxyType({}))
        if disk is not None:
            disk.update("bodies", {body_key(e.body): bodies[e.path] for e in entries})
    timed("markup", started)

    started = time.perf_counter()
    env = cache.environment(config) if cache is not None else make_environment(config)
    picture = load_macro(env, config, "_images.html", "picture", diag)
    if picture is not None:
        bodies = place_body_images(bodies, images, picture, config.base_path)
    jsonld: dict[object, Markup] = {}
    pages = plan_pages(graph, bodies, images.images, cache.observe_graph(graph) if cache else {}, jsonld)
    if cache is not None:
        cache.jsonld = jsonld
        page_outputs: Iterable[OutputFile] = cache.render_pages(pages, graph, config, diag)
    elif workers > 1:
        page_outputs = render_in_workers(pages, env, config, diag, workers)
    else:
        page_outputs = _counted(render_pages(pages, env, config, diag), len(pages), note)
    known = cache.exports if cache is not None else disk.layer("exports") if disk is not None else {}
    used: dict[str, Encoded] = {}
    # Pages are staged as they are rendered, so a large site is never held in memory at once.
    outputs = chain(page_outputs, collect_static(config), images.files,
                    _later(lambda: export_data(graph, diag, known, used)),
                    _later(lambda: qr_outputs(graph, _qr_codes(graph, disk, workers))),
                    _later(lambda: leaflet_outputs(graph, diag)), _later(lambda: qrcode_outputs(diag)),
                    _later(lambda: sharecard_outputs(graph, config.root, diag)))
    staged = stage_outputs(outputs, out_dir, cache.digests if cache is not None else None)
    result.pages = len(pages)
    timed("render", started)
    if cache is not None:
        cache.exports = used
    elif disk is not None:
        disk.update("exports", used)
    if diag.errors:
        staged.discard()
        return _remember(cache, result, (out_dir, strict, search))

    started = time.perf_counter()
    result.report = staged.commit()
    timed("write", started)
    if search:
        started = time.perf_counter()
        result.search = index_site(out_dir, diag)
        timed("search", started)
    if disk is not None:
        summary = replace(result, graph=None, drafts=())
        disk.save(Stamp(stamp_key, snapshot, summary) if result.ok and snapshot is not None else None)
    return _remember(cache, result, (out_dir, strict, search))


def _counted(outputs: Iterable[OutputFile], total: int, note: Progress) -> Iterator[OutputFile]:
    for done, output in enumerate(outputs, 1):
        note("render", done, total)
        yield output


def _later(make: Callable[[], Iterable[OutputFile]]) -> Iterator[OutputFile]:
    """Make the files only when the pages before them are written (their memory is freed by then)."""
    yield from make()


def _qr_codes(graph: SiteGraph, disk: DiskCache | None, workers: int) -> Mapping[tuple[str, str], str]:
    """Every model's QR code, from .cache/ or made in the workers (about 10 ms each in pure Python)."""
    requests = qr_requests(graph)
    known = disk.layer("qr") if disk is not None else {}
    todo = [r for r in requests if r not in known]
    codes = {**{r: known[r] for r in requests if r in known},
             **dict(zip(todo, fork_map(lambda request, _: qr_svg(*request), todo, workers)))}
    if disk is not None:
        disk.update("qr", codes)
    return codes


def _remember(cache: BuildCache | None, result: BuildResult, key: tuple[object, ...]) -> BuildResult:
    if cache is not None:
        cache.last_result, cache.last_key = result, key
    return result


def _unchanged(last: BuildResult, elapsed: float) -> BuildResult:
    """The result of a build whose inputs are exactly those of the last one: same problems, no writes."""
    total = (last.report.written + last.report.unchanged) if last.report else 0
    return BuildResult(last.diagnostics, last.drafts, last.pages,
                       WriteReport(0, total, 0) if last.report else None, {"load": elapsed}, last.graph)
