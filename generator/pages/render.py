"""Render pages with Jinja: build each page's context from the graph, never touch the disk.

Input: `SiteGraph` and rendered bodies. Output: `OutputFile`s (a path in the site and its bytes).
Template problems become diagnostics located at template:line.
"""
from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from generator.pages import seo
from generator.pages.chart import poverty_chart
from generator.content.config import BUILTIN_THEMES, Config
from generator.core.security import CONTENT_SECURITY_POLICY
from generator.core.collate import sentence_case
from generator.files.sharecards import HEIGHT as CARD_HEIGHT, WIDTH as CARD_WIDTH, card_path, card_text, needs_card
from generator.core.errors import Diagnostics, Location
from generator.core.outputs import OutputFile, PageSpec
from generator.content.graph import SiteGraph, name_key
from generator.pages.markup import Body
from generator.core.parallel import fork_map
from generator.content.schema import FIELDS_BY_KIND, LEVEL_LABELS
from generator.pages.search_terms import SearchFields

if TYPE_CHECKING:
    from generator.files.images import ProcessedImage

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
RECENT_ON_HOME = 5
FEATURED_FALLBACK = 3
STATUS_LABELS = {"active": "Đang hoạt động", "pilot": "Thí điểm", "ended": "Đã kết thúc"}
FACET_TITLES = {"regions": "Vùng", "sectors": "Lĩnh vực", "target_groups": "Đối tượng",
                "provinces": "Tỉnh, thành phố"}


TEMPLATE_CACHE = ".cache/templates"


def make_environment(config: Config) -> jinja2.Environment:
    """The theme lookup chain, strict undefined values, autoescaping and the site's filters."""
    dirs = [str(d / "templates") for d in config.theme_dirs()]
    # "default/model.html" always names the built-in template, so a site's own model.html can
    # extend it and replace one block instead of copying the whole file.
    builtin = jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(BUILTIN_THEMES / "default" / "templates"))})
    # Compiled templates are kept in .cache/templates/ (Jinja checks each against its source), so a new
    # `showcase build` process does not compile the theme again: about half a second.
    compiled = config.root / TEMPLATE_CACHE
    compiled.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(dirs), builtin]), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"]), keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)))
    env.filters.update(vi_number=vi_number, vi_date=vi_date, iso_date=iso_date, sentence=sentence_case)
    env.globals.update(level_labels=LEVEL_LABELS, status_labels=STATUS_LABELS, facet_titles=FACET_TITLES,
                       content_security_policy=Markup(CONTENT_SECURITY_POLICY))   # has no " < &
    # A theme file's published name: `showcase build` replaces this with content-hashed names (static.py).
    env.globals["asset"] = str
    return env


def vi_number(value: float | int) -> str:
    """Format a number the Vietnamese way: 1517 -> '1.517', 4.41 -> '4,41'."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:.10g}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def vi_date(value: dt.date | str) -> str:
    """The site's one date style, as Vietnamese readers write it: '30/6/2025', '6/2023' or '2023'."""
    year, *rest = str(value).split("-")
    return "/".join([*(str(int(part)) for part in reversed(rest)), year])


def iso_date(value: dt.date | str) -> str:
    return str(value)


def plan_pages(graph: SiteGraph, bodies: Mapping[str, Body],
               pictures: Mapping[str, ProcessedImage] = MappingProxyType({}),
               known: Mapping[Any, Markup] = MappingProxyType({}), used: dict[Any, Markup] | None = None,
               ) -> list[PageSpec]:
    """List every page of the site with its context; the order is the output order.

    `pictures` maps each photo's `src` to its processed variants (generator/images.py). JSON-LD is a
    function of the front matter of all entries: `showcase serve` hands over, in `known`, what the
    last build made when no front matter changed since (a body edit); `used` receives this build's.
    """
    used = {} if used is None else used

    def reuse_jsonld(key: Any, make: Callable[[], Markup]) -> Markup:
        used[key] = value = known.get(key) or make()
        return value

    # Imported here: the tour module builds on this one's OutputFile.
    from generator.pages.tour import Tour, tour_pages

    site: dict[str, Any] = {"config": graph.config, "graph": graph, "base": graph.config.base_path,
            "facets": graph.facets, "fields": FIELDS_BY_KIND, "tour": Tour(graph),
            "search": SearchFields.from_graph(graph)}

    def spec(path: str, template: str, jsonld: Markup | None = None, image: str | None = None,
             canonical: bool = True, **context: Any) -> PageSpec:
        """`canonical=False` for pages that have no address of their own (the 404 page)."""
        url = seo.absolute(graph, graph.config.base_path + path.removesuffix("index.html")) if canonical else None
        return PageSpec(path, template, {"site": site, "page": {"url": url, "jsonld": jsonld, "image": image},
                                         **context})

    def listing(path: str, template: str, name: str, models: tuple[Any, ...], **context: Any) -> list[PageSpec]:
        """`models` in pages of `page_size`: the first at `path`, the others at …/trang/2/, …/trang/3/."""
        size = graph.config.page_size
        folder = path.removesuffix("index.html")
        paths = [path] + [f"{folder}trang/{n}/index.html" for n in range(2, (len(models) - 1) // size + 2)]
        urls = tuple(graph.config.base_path + p.removesuffix("index.html") for p in paths)
        specs = []
        for number, page_path in enumerate(paths, 1):
            shown, start = models[(number - 1) * size:number * size], (number - 1) * size + 1
            url = seo.absolute(graph, urls[number - 1])
            specs.append(spec(page_path, template, reuse_jsonld(
                ("listing", page_path, name, tuple(m.path for m in shown)),
                lambda: seo.listing_jsonld(graph, name, url, shown, start, len(models))),
                models=shown, total=len(models), pager={"number": number, "urls": urls}, **context))
        return specs

    recent = recent_models(graph)
    pages = [spec(_page_path(graph, "home"), "index.html", seo.website_jsonld(graph), recent=newest(recent, RECENT_ON_HOME),
                  featured=featured_models(graph, recent))]
    for m in graph.models:
        photos = model_images(graph, m, pictures)
        og_url = photos["og_image"]["url"] if photos["og_image"] else None
        pages.append(spec(_page_path(graph, "model", m.id), "model.html",
                          reuse_jsonld(("model", m.path, og_url), lambda: seo.model_jsonld(graph, m, og_url)),
                          og_url, model=m, body=bodies[m.path], **photos))
    for loc in graph.localities:
        label = f"Biểu đồ tỷ lệ hộ nghèo và cận nghèo của {loc.name} theo năm (%)"
        pages.append(spec(_page_path(graph, "locality", loc.id), "locality.html",
                          reuse_jsonld(("locality", loc.path), lambda: seo.locality_jsonld(graph, loc)),
                          locality=loc, body=bodies[loc.path],
                          chart=poverty_chart(loc.data.get("poverty") or (), label, vi_number)))
    pages += listing(_page_path(graph, "model"), "models.html", "Tất cả mô hình",
                     tuple(sorted(graph.models, key=name_key)), order="name")
    pages += listing(_page_path(graph, "recent"), "models.html", "Mô hình mới cập nhật",
                     recent, order="updated")
    pages.append(spec(_page_path(graph, "locality"), "localities.html"))
    for kind in ("regions", "sectors", "target_groups"):
        pages.append(spec(_page_path(graph, kind), "facet_index.html", kind=kind))
        for facet in graph.facets[kind]:
            pages += listing(_page_path(graph, kind, facet.id), "facet.html", facet.label, facet.models,
                             facet=facet)
    pages += [spec(path, template, **context) for path, template, context in tour_pages(graph, site["tour"])]
    pages.append(spec("404.html", "404.html", canonical=False))
    pages += [spec(_page_path(graph, "search"), "search.html"),
              spec(_page_path(graph, "suggestions"), "search_names.json")]
    pages.append(spec(_page_path(graph, "sitemap"), "sitemap.xml", urls=sitemap_urls(pages)))
    pages.append(spec(_page_path(graph, "feed"), "feed.xml", models=newest(recent, graph.config.feed_size)))
    pages.append(spec("robots.txt", "robots.txt"))
    return pages


def featured_models(graph: SiteGraph, recent: tuple[Any, ...]) -> tuple[Any, ...]:
    """The models named by `featured:` in site.yaml (graph warns of unknown ids and drafts), else the newest."""
    chosen = tuple(graph.model[i] for i in graph.config.featured if i in graph.model)
    return chosen or newest(recent, FEATURED_FALLBACK)


def model_images(graph: SiteGraph, m: Any, pictures: Mapping[str, ProcessedImage]) -> dict[str, Any]:
    """The photos of a model page; its first photo is preloaded and shared as og:image, and a model
    without a photo shares its card (generator/files/sharecards.py)."""
    hero = pictures[m.images[0].src] if m.images else None
    og = hero.og if hero else None
    if not needs_card(m):
        return {"pictures": pictures, "hero_image": hero, "og_image": og and {
            "url": graph.config.base_url + og.path, "width": og.width, "height": og.height,
            "alt": m.images[0].alt}}
    return {"pictures": pictures, "hero_image": None, "og_image": {
        "url": graph.config.base_url + card_path(graph, m), "width": CARD_WIDTH, "height": CARD_HEIGHT,
        "alt": f"{m.title}: {card_text(graph, m).place}"}}


def _page_path(graph: SiteGraph, kind: str, ident: str = "") -> str:
    """Where a page's file goes: its address in the site, with index.html for a folder."""
    path = graph.url(kind, ident)[len(graph.config.base_path):]
    return path + "index.html" if path.endswith("/") or not path else path


def last_changed(m: Any) -> dt.date | None:
    return m.updated or m.published


def recent_models(graph: SiteGraph) -> tuple[Any, ...]:
    """Models with a date, newest first (ties by name), then undated ones by name."""
    dated: list[Any] = sorted((m for m in graph.models if last_changed(m)), key=name_key)
    dated.sort(key=lambda m: last_changed(m) or dt.date.min, reverse=True)   # all have a date here
    return tuple(dated + sorted((m for m in graph.models if not last_changed(m)), key=name_key))


def newest(recent: tuple[Any, ...], limit: int) -> tuple[Any, ...]:
    """The first `limit` dated models of `recent_models(graph)`."""
    return tuple(m for m in recent[:limit] if last_changed(m))


# Pages with no content of their own for a search engine: the search page and the personal planner.
NOT_IN_SITEMAP = frozenset({"search.html", "planner.html"})


def sitemap_urls(pages: list[PageSpec]) -> list[tuple[str, dt.date | None]]:
    """Every HTML page with an address of its own; a model page carries its last change date."""
    urls = []
    for page in pages:
        url = page.context["page"]["url"]
        if url and page.path.endswith(".html") and page.template not in NOT_IN_SITEMAP:
            model = page.context.get("model")
            urls.append((url, last_changed(model) if model else None))
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


def render_in_workers(pages: list[PageSpec], env: jinja2.Environment, config: Config, diag: Diagnostics,
                      workers: int) -> Iterator[OutputFile]:
    """`render_pages` in forked worker processes: same bytes, same order, yielded as they come.

    When a page's template fails, the serial loop is run for its diagnostics (each broken template
    reported exactly once, as always) and nothing more is yielded: the build is failing anyway.
    """
    for name in sorted({p.template for p in pages}):
        try:
            env.get_template(name)      # compile once here, so every worker inherits the compiled code
        except jinja2.TemplateError:
            pass

    def one(page: PageSpec, _: object) -> OutputFile | None:
        outputs = list(render_pages([page], env, config, Diagnostics()))
        return outputs[0] if outputs else None

    for output in fork_map(one, pages, workers):
        if output is None:
            for _ in render_pages(pages, env, config, diag):
                pass
            return
        yield output


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


def load_macro(env: jinja2.Environment, config: Config, template: str, name: str,
               diag: Diagnostics) -> Callable[..., Any] | None:
    """A theme macro for use from Python (e.g. pictures in Markdown bodies); errors are located."""
    try:
        return getattr(env.get_template(template).module, name)
    except jinja2.TemplateSyntaxError as exc:
        diag.error(_template_location(config, exc.filename, exc.lineno), "template_error", detail=exc.message)
    except (jinja2.TemplateError, AttributeError) as exc:
        filename, line = _innermost_template_frame(exc)
        diag.error(_template_location(config, filename, line), "template_error",
                   detail=f"{type(exc).__name__}: {exc}")
    return None

