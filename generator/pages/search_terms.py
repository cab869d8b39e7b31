"""What each page tells the search index, and the data of the search page. No I/O here.

`SearchFields.records` turns the graph into one `SearchRecord` per model and locality page: its text in
weighted fields, filters, sorts and what a result shows. generator/publish/search_index.py turns the
records into the index files; it never reads the HTML. Place names come from the graph: a page is
found by the names of its unit, of the units above it, their former names and what they merged into.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.graph import SiteGraph, name_key
from generator.content.schema import PROVINCE_LEVELS
from generator.core.slugs import fold
from generator.content.validate import Locality, PovertyModel

# URL parameter and Pagefind filter key -> label on the search page. Keys are what readers see in
# shared links (?tinh=lang-son), so they are short Vietnamese words without diacritics.
FILTER_TITLES = {"loai": "Loại trang", "vung": "Vùng", "tinh": "Tỉnh, thành phố", "linh-vuc": "Lĩnh vực",
                 "doi-tuong": "Đối tượng", "don-vi": "Đơn vị chủ trì", "tham-quan": "Đón đoàn tham quan",
                 "thang": "Tháng nên đến"}
KIND_LABELS = {"mo-hinh": "Mô hình", "dia-phuong": "Địa phương"}
LEVEL_WORDS = re.compile(r"^(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)\s+", re.I)
NOT_TEXT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+|\S*/\S*")
_TAG = re.compile(r"<[^>]+>")
SUMMARY_CHARS = 200   # a locality has no summary: its text, cut at a word, stands in for one


@dataclass(frozen=True, slots=True)
class SearchRecord:
    """What the search index knows of one page (generator/publish/search_index.py reads nothing else).

    The text fields are weighted: `title` and `aliases` most, then `names` (the place, its ancestors,
    their former names and what they merged into: add any other place name readers may type here),
    `summary`, `body`.
    `title`, `place`, `summary` and `image` are also what a result shows.
    """

    url: str
    kind: str                               # KIND_LABELS key: "mo-hinh" | "dia-phuong"
    title: str
    place: str                              # "xã Lộc Yên, tỉnh Lạng Sơn", shown under the result title
    summary: str
    names: tuple[str, ...]
    body: str                               # every other text of the page: front matter and body
    filters: tuple[tuple[str, str], ...]    # (key, value id), sorted
    sorts: tuple[tuple[str, str], ...]      # (key, value): values compare as strings
    image: str = ""                         # URL of a published variant (never the original photo)
    image_alt: str = ""
    aliases: tuple[str, ...] = ()           # other names of this very page (a unit's former names):
                                            # weighed like the title
    merged: tuple[str, ...] = ()            # names of the units merged into this one (a locality):
                                            # weighed high, but not as its title


@dataclass(frozen=True, slots=True)
class SearchFields:
    """Computes each page's search record from the graph; templates call it as `site.search`."""

    graph: SiteGraph
    synonyms: tuple[tuple[str, ...], ...] = ()
    compounds: tuple[str, ...] = ()

    @classmethod
    def from_graph(cls, graph: SiteGraph) -> SearchFields:
        return cls(graph, graph.config.synonyms, graph.config.compounds)

    def records(self, bodies: Mapping[str, Any], pictures: Mapping[str, Any]) -> Iterator[SearchRecord]:
        """Every model and locality page, in graph order; `bodies` by entry path (markup.Body),
        `pictures` the processed photos by `src` (images.ProcessedImage)."""
        for entry in self.graph.models + self.graph.localities:
            yield self.record(entry, bodies[entry.path].html, pictures)

    def record(self, entry: PovertyModel | Locality, body_html: str, pictures: Mapping[str, Any]) -> SearchRecord:
        if isinstance(entry, PovertyModel):
            return self.for_model(entry, body_html, pictures)
        return self.for_locality(entry, body_html)

    def for_model(self, model: PovertyModel, body_html: str, pictures: Mapping[str, Any]) -> SearchRecord:
        g = self.graph
        filters = {("loai", "mo-hinh")}
        filters |= self._place_filters(model.locality)
        filters |= {("linh-vuc", s) for s in model.sectors or ()}
        filters |= {("doi-tuong", t) for t in model.target_groups or ()}
        if model.host and model.host.get("type"):
            filters.add(("don-vi", model.host["type"]))
        visiting = model.visiting or {}
        if visiting.get("accepts_visits"):
            filters.add(("tham-quan", "co"))
        filters |= {("thang", str(m)) for m in visiting.get("best_months") or ()}
        sorts = [("ten", fold(model.title))]
        changed = model.updated or model.published
        if changed:
            sorts.insert(0, ("cap-nhat", str(changed)))
        body = _text(model.data, body_html, {model.title, model.summary})
        body = " \n".join([body, *(g.label("sectors", s) for s in model.sectors or ()),
                            *(g.label("target_groups", t) for t in model.target_groups or ())])
        image, alt = "", ""
        if model.images and model.images[0].src in pictures:
            # The smallest published variant: the original photo is never published.
            image, alt = g.config.base_path + pictures[model.images[0].src].jpeg[0].path, model.images[0].alt or ""
        return SearchRecord(g.url("model", model.id), "mo-hinh", model.title, self._place_line(model.locality),
                            model.summary, tuple(self._place_names(model.locality)), body,
                            tuple(sorted(filters)), tuple(sorts), image, alt)

    def for_locality(self, locality: Locality, body_html: str) -> SearchRecord:
        names = self._place_names(locality.id)
        # The units merged into this one: what readers knew this place as ("huyện Quảng Điền" must
        # find thành phố Huế, not only the models inside the district).
        merged = [n for old in self.graph.merged_from.get(locality.id, ()) for n in (old.name, *(old.former_names or ()))]
        text = _html_text(body_html)
        body = _text(locality.data, body_html, {locality.name})
        filters = {("loai", "dia-phuong")} | self._place_filters(locality.id)
        summary = " ".join(text.split())
        if len(summary) > SUMMARY_CHARS:
            summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
        return SearchRecord(self.graph.url("locality", locality.id), "dia-phuong", locality.name,
                            self._place_line(locality.id), summary, tuple(names), body,
                            tuple(sorted(filters)), (("ten", fold(bare_name(locality.name))),),
                            aliases=tuple(locality.former_names or ()), merged=tuple(dict.fromkeys(merged)))

    def filter_labels(self) -> str:
        """JSON for the search page: each filter's title and the label of every value id."""
        vocab = self.graph.config.vocabularies
        provinces = {f.id: f.label for f in self.graph.facets["provinces"]}
        values = {"loai": KIND_LABELS, "vung": dict(vocab["regions"]), "tinh": provinces,
                  "linh-vuc": dict(vocab["sectors"]), "doi-tuong": dict(vocab["target_groups"]),
                  "don-vi": dict(vocab["host_types"]), "tham-quan": {"co": "Có"},
                  "thang": {str(m): f"Tháng {m}" for m in range(1, 13)}}
        data = [{"key": key, "title": title, "labels": values[key]} for key, title in FILTER_TITLES.items()]
        return _json(data)

    def suggestions(self) -> str:
        """JSON of the names a mistyped query is compared with: places (also former names) and models."""
        g = self.graph
        places: dict[str, str] = {}
        for loc in sorted(g.localities, key=name_key):
            for name in (loc.name, *(loc.former_names or ())):
                places.setdefault(bare_name(name), g.url("locality", loc.id))
        models = [[m.title, g.url("model", m.id)] for m in sorted(g.models, key=name_key)]
        return _json({"places": [[name, url] for name, url in places.items()], "models": models})

    def _place_names(self, locality_id: str) -> list[str]:
        """Names of the unit, its ancestors, their former names and what they were merged into."""
        g = self.graph
        names: list[str] = []
        for loc in g.chain.get(locality_id, ()):
            names += [loc.name, *(loc.former_names or ())]
        for successor in g.successors(g.locality[locality_id]) if locality_id in g.locality else ():
            names += [successor.name, *(successor.former_names or ())]
        return names

    def _place_filters(self, locality_id: str) -> set[tuple[str, str]]:
        filters = set()
        region = self.graph.region.get(locality_id)
        if region:
            filters.add(("vung", region))
        province = self.graph.current_province(locality_id) if locality_id in self.graph.chain else None
        if province is not None and province.level in PROVINCE_LEVELS:
            filters.add(("tinh", province.id))
        return filters

    def _place_line(self, locality_id: str) -> str:
        chain = self.graph.chain.get(locality_id, ())
        return ", ".join(loc.name for loc in reversed(chain))


def bare_name(name: str) -> str:
    """'tỉnh Điện Biên' -> 'Điện Biên': readers type the name, not the level."""
    return LEVEL_WORDS.sub("", name).strip()


def _strings(value: Any) -> Iterator[str]:
    """Every text value in a front-matter record, however nested; ids, paths and URLs are not text
    (`related: [clb-nuoi-heo-dat-dien-bien]` must not make a page about housing match "heo đất")."""
    if isinstance(value, str):
        if not NOT_TEXT.fullmatch(value):
            yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _text(data: Any, body_html: str, skip: set[str]) -> str:
    """The front matter's texts but `skip`, then the body's text."""
    return " \n".join([*(t for t in _strings(data) if t not in skip), _html_text(body_html)])


def _html_text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def _json(data: Any) -> str:
    # Embedded in HTML or served as a file; "</" must not close a <script> element.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")

