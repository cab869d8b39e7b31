"""What search engines and share previews read: absolute URLs, Open Graph images and JSON-LD.

Pure functions of the graph; render.py puts their results in each page's context so templates only
print them. JSON-LD uses the schema.org type that fits each page: an `Article` about a model, an
`AdministrativeArea` for a locality, a `CollectionPage` for listings and a `WebSite` for the home.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

from generator.content.graph import SiteGraph
from generator.content.validate import Locality, PovertyModel


def absolute(graph: SiteGraph, site_path: str) -> str:
    """`/mo-hinh/x/` -> `https://host/mo-hinh/x/` (site paths already start with the base path)."""
    return graph.config.base_url.rstrip("/") + site_path


def to_script(data: Mapping[str, Any]) -> Markup:
    """Serialise JSON-LD for a <script> element; '</' is escaped so the data cannot end the element."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return Markup(text.replace("</", "<\\/"))


def _breadcrumb(items: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": url}
        for i, (name, url) in enumerate(items, start=1)]}


def _place_crumbs(graph: SiteGraph, locality_id: str) -> list[tuple[str, str]]:
    return [(loc.name, absolute(graph, graph.url("locality", loc.id))) for loc in graph.chain[locality_id]]


def _place(graph: SiteGraph, loc: Locality) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "AdministrativeArea", "name": loc.name,
                             "url": absolute(graph, graph.url("locality", loc.id))}
    if loc.data.get("former_names"):
        place["alternateName"] = list(loc.data["former_names"])
    coordinates = loc.data.get("coordinates")
    if coordinates:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": coordinates["lat"],
                        "longitude": coordinates["lon"]}
    return place


def website_jsonld(graph: SiteGraph) -> Markup:
    config = graph.config
    return to_script({"@type": "WebSite", "name": config.title, "description": config.description,
                      "url": config.base_url, "inLanguage": config.language})


def model_jsonld(graph: SiteGraph, m: PovertyModel, image: str | None) -> Markup:
    """An Article about the model, where it happens, who runs it, and the breadcrumb to it."""
    config = graph.config
    url = absolute(graph, graph.url("model", m.id))
    article: dict[str, Any] = {
        "@type": "Article", "headline": m.data["title"], "description": m.data["summary"], "url": url,
        "mainEntityOfPage": url, "inLanguage": config.language,
        "contentLocation": _place(graph, graph.locality[m.locality]),
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
        "about": [graph.label("sectors", s) for s in m.data["sectors"]],
    }
    for key, prop in (("published", "datePublished"), ("updated", "dateModified")):
        if m.data.get(key):
            article[prop] = str(m.data[key])
    host = m.data.get("host")
    if host:
        article["author"] = {"@type": "Organization", "name": host["name"]}
    if image:
        article["image"] = image
    crumbs = [("Mô hình", absolute(graph, graph.url("model"))), *_place_crumbs(graph, m.locality),
              (m.data["title"], url)]
    return to_script({"@graph": [article, _breadcrumb(crumbs)]})


def locality_jsonld(graph: SiteGraph, loc: Locality) -> Markup:
    place = _place(graph, loc)
    chain = graph.chain[loc.id]
    if len(chain) > 1:
        place["containedInPlace"] = _place(graph, chain[-2])
    return to_script({"@graph": [place, _breadcrumb(
        [("Địa phương", absolute(graph, graph.url("locality"))), *_place_crumbs(graph, loc.id)])]})


def listing_jsonld(graph: SiteGraph, name: str, url: str, models: Iterable[PovertyModel], start: int = 1,
                   total: int | None = None) -> Markup:
    """A CollectionPage whose main entity is the ordered list of models; one page of it shows
    the items from position `start`, of `total` in the whole list."""
    items = [{"@type": "ListItem", "position": i, "url": absolute(graph, graph.url("model", m.id)),
              "name": m.data["title"]} for i, m in enumerate(models, start=start)]
    return to_script({"@type": "CollectionPage", "name": name, "url": url, "inLanguage": graph.config.language,
                      "mainEntity": {"@type": "ItemList", "numberOfItems": len(items) if total is None else total,
                                     "itemListElement": items}})
