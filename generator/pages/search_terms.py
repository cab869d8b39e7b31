"""What each page tells the search index: hidden terms, filters, sorts, and the search page's data.

Pagefind folds most Vietnamese diacritics by itself ("loc yen" finds "Lộc Yên") but not "đ", has no
synonyms and knows nothing of old place names. So every model and locality page carries a hidden
`terms` metadata field: Pagefind searches metadata but never shows it in excerpts, and a match there
scores below a match in the visible text, so exact words still rank first. No I/O here.

The terms also size Pagefind's index chunks, which decide what a first query downloads. Pagefind 1.5
files an accented word under its unaccented key ("hội" under "hoi") and cuts the index into chunks of
about 20,000 locations, but it counts only the occurrences spelled exactly like the key. Vietnamese
prose is nearly all accented, so its real weight goes uncounted and one chunk ends up holding several
common words (one chunk held "hiện, hình, hộ, hồ, hoa, học, hội": 78 KB for any of them). So the terms
repeat each accented word's key COPIES_PER_OCCURRENCE times for every occurrence on the page: the
count then follows the real size, a common word gets a chunk nearly to itself, and the runs of one
repeated word cost little after compression. bench/search_bench.py, 1,000 varied models, index bytes
a first query fetches in Chromium (median of 12 queries): 87 KB with one copy per word and page, 36 KB
with 6 repeats. Counted from the bundle, where a word at a chunk boundary costs one chunk instead of
two: 2 repeats 50 KB, 4: 31, 6: 29, 8: 31; copying only the "đ" words, which Pagefind does not fold,
238 KB. The repeats raise the terms' share of a page's term frequency; the expected top results in
tests/test_search_browser.py did not change.
"""
from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections import Counter
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
_TAG = re.compile(r"<[^>]+>")
MAX_SUCCESSORS = 10   # a merge chain longer than this is a content loop; stop rather than spin
COPIES_PER_OCCURRENCE = 6   # index chunk sizing, see the module docstring; site.yaml `search.chunk_sizing`
MAX_COPIES = 12


@dataclass(frozen=True, slots=True)
class PageFields:
    """The search data of one page, ready for `_search_data.html`."""

    terms: str                              # hidden, searchable, never shown
    place: str                              # "xã Lộc Yên, tỉnh Lạng Sơn", shown under the result title
    filters: tuple[tuple[str, str], ...]    # (key, value id), sorted
    sorts: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SearchFields:
    """Computes each page's search data from the graph; templates call it as `site.search`."""

    graph: SiteGraph
    synonyms: tuple[tuple[str, ...], ...]
    copies: int = COPIES_PER_OCCURRENCE

    @classmethod
    def from_graph(cls, graph: SiteGraph) -> SearchFields:
        sizing = graph.config.chunk_sizing
        return cls(graph, graph.config.synonyms, COPIES_PER_OCCURRENCE if sizing is None else sizing)

    def for_model(self, model: PovertyModel, body_html: str) -> PageFields:
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
        text = " ".join([*_strings(model.data), _html_text(body_html),
                         *(g.label("sectors", s) for s in model.sectors or ()),
                         *(g.label("target_groups", t) for t in model.target_groups or ())])
        return PageFields(self._terms(text, self._place_names(model.locality)), self._place_line(model.locality),
                          tuple(sorted(filters)), tuple(sorts))

    def for_locality(self, locality: Locality, body_html: str) -> PageFields:
        names = self._place_names(locality.id)
        names += [n for old in self.graph.merged_from.get(locality.id, ()) for n in (old.name, *(old.former_names or ()))]
        text = " ".join([*_strings(locality.data), _html_text(body_html)])
        filters = {("loai", "dia-phuong")} | self._place_filters(locality.id)
        return PageFields(self._terms(text, names), self._place_line(locality.id), tuple(sorted(filters)),
                          (("ten", fold(locality.name)),))

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
        successor = g.successor(g.locality[locality_id]) if locality_id in g.locality else None
        if successor is not None:
            names += [successor.name, *(successor.former_names or ())]
        return names

    def _current_province(self, locality_id: str) -> Locality | None:
        province = self.graph.province(locality_id) if locality_id in self.graph.chain else None
        for _ in range(MAX_SUCCESSORS):
            if province is None or not province.merged_into or province.merged_into not in self.graph.locality:
                break
            province = self.graph.province(province.merged_into) if province.merged_into in self.graph.chain else None
        return province

    def _place_filters(self, locality_id: str) -> set[tuple[str, str]]:
        filters = set()
        region = self.graph.region.get(locality_id)
        if region:
            filters.add(("vung", region))
        province = self._current_province(locality_id)
        if province is not None and province.level in PROVINCE_LEVELS:
            filters.add(("tinh", province.id))
        return filters

    def _place_line(self, locality_id: str) -> str:
        chain = self.graph.chain.get(locality_id, ())
        return ", ".join(loc.name for loc in reversed(chain))

    def _terms(self, text: str, place_names: list[str]) -> str:
        """Place names, synonyms of words on the page, "đ" words spelled with "d", and chunk sizing."""
        lowered = f" {_words(text)} "
        extra = list(place_names)
        for group in self.synonyms:
            if any(f" {_words(word)} " in lowered for word in group):
                extra += group
        words = re.findall(r"\w+", f"{text} {' '.join(extra)}".lower())
        kept = dict.fromkeys(" ".join(extra).lower().split())
        for word in words:
            if "đ" in word:
                kept.setdefault(fold(word), None)   # "điện" -> "dien": Pagefind keeps "đ", readers type "d"
        sizing = Counter(pagefind_key(word) for word in words if not word.isascii()) if self.copies else {}
        # Sorted, so neighbouring keys share prefixes: the runs cost less in each result's fragment.
        return " ".join([*kept, *(" ".join([key] * (sizing[key] * self.copies)) for key in sorted(sizing))])


@functools.lru_cache(maxsize=65536)     # called for every accented word of every page
def pagefind_key(word: str) -> str:
    """The key Pagefind files a word under: without combining marks, "đ" kept ('điện' -> 'đien')."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def bare_name(name: str) -> str:
    """'tỉnh Điện Biên' -> 'Điện Biên': readers type the name, not the level."""
    return LEVEL_WORDS.sub("", name).strip()


def _strings(value: Any) -> Iterator[str]:
    """Every text value in a front-matter record, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _html_text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def _words(text: str) -> str:
    """Lowercase words separated by single spaces, so phrases match on word boundaries."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _json(data: Any) -> str:
    # Embedded in HTML or served as a file; "</" must not close a <script> element.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")

