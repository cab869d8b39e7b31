"""Render pages with Jinja: build each page's context from the graph, never touch the disk.

Input: `SiteGraph` and rendered bodies. Output: `OutputFile`s (a path in the site and its bytes).
Template problems become diagnostics located at template:line.
"""
from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.config import Config
from generator.errors import Diagnostics, Location
from generator.graph import Facet, SiteGraph, name_key
from generator.markup import Body
from generator.schema import FIELDS_BY_KIND, LOCALITY_LEVELS
from generator.search_terms import SearchFields

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
LEVEL_LABELS = dict(zip(LOCALITY_LEVELS, ("Tỉnh", "Thành phố", "Huyện", "Thị xã", "Xã", "Phường", "Đặc khu")))
STATUS_LABELS = {"active": "Đang hoạt động", "pilot": "Thí điểm", "ended": "Đã kết thúc"}
FACET_TITLES = {"regions": "Vùng", "sectors": "Lĩnh vực", "target_groups": "Đối tượng",
                "provinces": "Tỉnh, thành phố"}


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


def make_environment(config: Config) -> jinja2.Environment:
    """The theme lookup chain, strict undefined values, autoescaping and the site's filters."""
    dirs = [str(d / "templates") for d in config.theme_dirs()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"]), keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(vi_number=vi_number, vi_date=vi_date, iso_date=iso_date)
    env.globals.update(level_labels=LEVEL_LABELS, status_labels=STATUS_LABELS, facet_titles=FACET_TITLES)
    return env


def vi_number(value: float | int) -> str:
    """Format a number the Vietnamese way: 1517 -> '1.517', 4.41 -> '4,41'."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:.10g}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def vi_date(value: dt.date | str) -> str:
    """Format a date as Vietnamese readers write it: '10/11/2023', '10/2023' or '2023'."""
    parts = str(value).split("-")
    return "/".join(reversed(parts))


def iso_date(value: dt.date | str) -> str:
    return str(value)


def plan_pages(graph: SiteGraph, bodies: Mapping[str, Body]) -> list[PageSpec]:
    """List every page of the site with its context; the order is the output order."""
    site = {"config": graph.config, "graph": graph, "base": graph.config.base_path,
            "facets": graph.facets, "fields": FIELDS_BY_KIND, "search": SearchFields.from_graph(graph)}
    pages = [PageSpec("index.html", "index.html", {"site": site, "recent": recent_models(graph, 10)})]
    for m in graph.models:
        pages.append(PageSpec(_page_path(graph, "model", m.id), "model.html",
                              {"site": site, "model": m, "body": bodies[m.path]}))
    for loc in graph.localities:
        pages.append(PageSpec(_page_path(graph, "locality", loc.id), "locality.html",
                              {"site": site, "locality": loc, "body": bodies[loc.path]}))
    by_name = tuple(sorted(graph.models, key=name_key))
    pages.append(PageSpec("mo-hinh/index.html", "models.html",
                          {"site": site, "models": by_name, "order": "name"}))
    pages.append(PageSpec("mo-hinh/moi-cap-nhat/index.html", "models.html",
                          {"site": site, "models": recent_models(graph, None), "order": "updated"}))
    pages.append(PageSpec("dia-phuong/index.html", "localities.html", {"site": site}))
    for kind in ("regions", "sectors", "target_groups"):
        pages.append(PageSpec(_page_path(graph, kind), "facet_index.html", {"site": site, "kind": kind}))
        for facet in graph.facets[kind]:
            pages.append(PageSpec(_page_path(graph, kind, facet.id), "facet.html",
                                  {"site": site, "facet": facet}))
    pages.append(PageSpec("404.html", "404.html", {"site": site}))
    pages += [PageSpec("tim-kiem/index.html", "search.html", {"site": site}),
              PageSpec("tim-kiem/goi-y.json", "search_names.json", {"site": site})]
    pages.append(PageSpec("sitemap.xml", "sitemap.xml", {"site": site, "urls": sitemap_urls(graph)}))
    pages.append(PageSpec("feed.xml", "feed.xml", {"site": site, "models": recent_models(
        graph, graph.config.feed_size)}))
    pages.append(PageSpec("robots.txt", "robots.txt", {"site": site}))
    return pages


def _page_path(graph: SiteGraph, kind: str, ident: str = "") -> str:
    return graph.url(kind, ident)[len(graph.config.base_path):] + "index.html"


def last_changed(m: Any) -> dt.date | None:
    return m.updated or m.published


def recent_models(graph: SiteGraph, limit: int | None) -> tuple[Any, ...]:
    """Models with a date, newest first (ties by name), then undated ones by name."""
    dated = sorted((m for m in graph.models if last_changed(m)), key=name_key)
    dated.sort(key=last_changed, reverse=True)
    undated = sorted((m for m in graph.models if not last_changed(m)), key=name_key)
    ordered = tuple(dated + undated) if limit is None else tuple(dated[:limit])
    return ordered


def sitemap_urls(graph: SiteGraph) -> list[tuple[str, dt.date | None]]:
    base = graph.config.base_url.rstrip("/")
    urls: list[tuple[str, dt.date | None]] = [(base + graph.config.base_path, None)]
    urls += [(base + graph.url("model", m.id), last_changed(m)) for m in graph.models]
    urls += [(base + graph.url("locality", loc.id), None) for loc in graph.localities]
    urls += [(base + graph.url(kind), None) for kind in ("model", "locality", "regions", "sectors", "target_groups")]
    urls += [(base + f.url, None) for kind in ("regions", "sectors", "target_groups") for f in graph.facets[kind]]
    return sorted(urls, key=lambda u: u[0])


def render_pages(pages: list[PageSpec], env: jinja2.Environment, config: Config,
                 diag: Diagnostics) -> Iterator[OutputFile]:
    """Render each page; a template error is reported once per template, not once per page."""
    failed: set[str] = set()
    for page in pages:
        if page.template in failed:
            continue
        try:
            text = env.get_template(page.template).render(page.context)
        except jinja2.TemplateSyntaxError as exc:
            failed.add(page.template)
            diag.error(_template_location(config, exc.filename, exc.lineno), "template_error",
                       detail=exc.message)
            continue
        except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, AttributeError, KeyError) as exc:
            failed.add(page.template)
            filename, line = _innermost_template_frame(exc)
            diag.error(_template_location(config, filename, line), "template_error",
                       detail=f"{type(exc).__name__}: {exc}")
            continue
        yield OutputFile(page.path, text.encode("utf-8"))


def _innermost_template_frame(exc: BaseException) -> tuple[str | None, int]:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(TEMPLATE_SUFFIXES)]
    return (frames[-1].filename, frames[-1].lineno or 0) if frames else (None, 0)


def _template_location(config: Config, filename: str | None, line: int | None) -> Location:
    if not filename:
        return Location("themes")
    path = Path(filename).resolve()
    for base in (config.root, *[d.parent.parent for d in config.theme_dirs()]):
        if path.is_relative_to(base):
            return Location(path.relative_to(base).as_posix(), line or 0)
    return Location(path.as_posix(), line or 0)


def facet_of(graph: SiteGraph, kind: str, ident: str) -> Facet | None:
    return next((f for f in graph.facets[kind] if f.id == ident), None)


Filter = Callable[..., Any]
