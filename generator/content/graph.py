"""Build the site graph: resolve references, compute URLs, the locality tree and the facets.

Input: validated `Entries` and `Config`. Output: a frozen `SiteGraph` whose lists are sorted, so
templates only format what they are given.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from generator.content.config import Config
from generator.content.places import place_entries
from generator.core.errors import Diagnostics, Location
from generator.content.schema import PROVINCE_LEVELS
from generator.core.collate import place_key
from generator.content.fields import closest
from generator.content.validate import Entries, Entry, Locality, PovertyModel

RELATED_LIMIT = 4

# Every address of the site, in one table: kind -> (the page or listing, the pattern of one item, or
# "" when the kind has no items).
# Lowercase ASCII words readers can type and share; published addresses are a contract (a renamed
# one needs a redirect). Templates read it through `graph.url`, the scripts through data-* attributes.
URLS: dict[str, tuple[str, str]] = {
    "home": ("", ""),
    "model": ("mo-hinh/", "mo-hinh/{}/"),
    "recent": ("mo-hinh/moi-cap-nhat/", ""),
    "locality": ("dia-phuong/", "dia-phuong/{}/"),
    "regions": ("vung/", "vung/{}/"),
    "sectors": ("linh-vuc/", "linh-vuc/{}/"),
    "target_groups": ("doi-tuong/", "doi-tuong/{}/"),
    "search": ("tim-kiem/", ""),
    "suggestions": ("tim-kiem/goi-y.json", ""),
    "search_index": ("tim-kiem/chi-muc/", ""),
    "map": ("ban-do/", ""),
    "planner": ("tham-quan/", ""),
    "seasons": ("mua/", "mua/thang-{}/"),
    "data": ("du-lieu/", "du-lieu/{}"),
    "feed": ("feed.xml", ""),
    "sitemap": ("sitemap.xml", ""),
}
FACETS = ("regions", "sectors", "target_groups")


@dataclass(frozen=True, slots=True)
class Facet:
    """One value of a facet (a region, a sector, a target group, a province) with its models."""

    kind: str
    id: str
    label: str
    url: str
    models: tuple[PovertyModel, ...]


@dataclass(frozen=True, slots=True)
class SiteGraph:
    """Everything the templates need, resolved and sorted."""

    config: Config
    models: tuple[PovertyModel, ...]                      # sorted by id
    localities: tuple[Locality, ...]                      # sorted by id
    model: Mapping[str, PovertyModel]
    locality: Mapping[str, Locality]
    chain: Mapping[str, tuple[Locality, ...]]             # locality id -> province … itself
    children: Mapping[str, tuple[Locality, ...]]          # sorted by name
    models_at: Mapping[str, tuple[PovertyModel, ...]]     # models whose locality is this one
    models_within: Mapping[str, tuple[PovertyModel, ...]] # also in children and merged predecessors
    merged_from: Mapping[str, tuple[Locality, ...]]       # successor id -> merged predecessors
    region: Mapping[str, str | None]                      # locality id -> region id (inherited)
    related: Mapping[str, tuple[PovertyModel, ...]]
    facets: Mapping[str, tuple[Facet, ...]]               # regions, provinces, sectors, target_groups

    def url(self, kind: str, ident: str | int = "") -> str:
        """The site-absolute path of a page (`url('model')`: /mo-hinh/) or of one item of a kind
        (`url('model', 'trong-hong-loc-yen')`: /mo-hinh/trong-hong-loc-yen/)."""
        page, item = URLS[kind]
        return self.config.base_path + (item.format(ident) if ident != "" and item else page)

    def label(self, vocabulary: str, ident: str) -> str:
        return self.config.vocabularies[vocabulary][ident]

    def province(self, locality_id: str) -> Locality | None:
        return next((loc for loc in self.chain[locality_id] if loc.level in PROVINCE_LEVELS), None)

    def current_province(self, locality_id: str) -> Locality | None:
        """The province a locality is in today: its own, or the one its former province was merged
        into (a model in former tỉnh Bắc Giang is in tỉnh Bắc Ninh now)."""
        province = self.province(locality_id)
        seen: set[str] = set()
        while province is not None and province.merged_into and province.id not in seen:
            seen.add(province.id)
            now = next((s for s in province.merged_into if s in self.locality), None)
            if now is None:
                break
            province = self.province(now) or self.locality[now]
        return province

    def successors(self, locality: Locality) -> tuple[Locality, ...]:
        """Every unit a merged locality, or its nearest merged ancestor, is now (partly) in."""
        for loc in reversed(self.chain[locality.id]):
            if loc.merged_into:
                return tuple(self.locality[s] for s in loc.merged_into if s in self.locality)
        return ()


def name_key(entry: Entry) -> tuple[bytes, bytes, str]:
    """Vietnamese alphabetical order of the display name (a place by its name, not its level word)."""
    return (*place_key(entry.data.get("title") or entry.data.get("name") or ""), entry.id)


def build_graph(entries: Entries, config: Config, diag: Diagnostics) -> SiteGraph:
    """Resolve references (reporting broken ones) and derive the tree, facets and related lists."""
    entries = place_entries(entries, config, diag)
    model = {m.id: m for m in entries.models}
    locality = {loc.id: loc for loc in entries.localities}
    drafts = {d.id for d in entries.drafts}
    _check_refs(entries, model, locality, drafts, diag)
    chain = {loc.id: _chain(loc, locality, diag) for loc in entries.localities}
    children: dict[str, list[Locality]] = defaultdict(list)
    merged_from: dict[str, list[Locality]] = defaultdict(list)
    for loc in entries.localities:
        if loc.parent in locality and loc.parent != loc.id:
            children[loc.parent].append(loc)
        for successor in loc.merged_into or ():
            if successor in locality and successor != loc.id:
                merged_from[successor].append(loc)
    models_at: dict[str, list[PovertyModel]] = defaultdict(list)
    for m in entries.models:
        models_at[m.locality].append(m)
    models_within = {loc.id: _within(loc.id, children, merged_from, models_at) for loc in entries.localities}
    region = {loc_id: next((up.region for up in reversed(c) if up.region), None) for loc_id, c in chain.items()}
    graph = SiteGraph(
        config=config, models=entries.models, localities=entries.localities,
        model=MappingProxyType(model), locality=MappingProxyType(locality),
        chain=MappingProxyType(chain), children=_frozen(children), models_at=_frozen(models_at),
        models_within=MappingProxyType(models_within), merged_from=_frozen(merged_from),
        region=MappingProxyType(region), related=MappingProxyType({}), facets=MappingProxyType({}))
    _check_featured(config, model, drafts, diag)
    related = _related_all(graph)
    facets = _facets(graph)
    return SiteGraph(**{**{f: getattr(graph, f) for f in graph.__dataclass_fields__},
                        "related": MappingProxyType(related), "facets": MappingProxyType(facets)})


def _frozen(groups: Mapping[str, list[Any]]) -> Mapping[str, tuple[Any, ...]]:
    return MappingProxyType({k: tuple(sorted(v, key=name_key)) for k, v in sorted(groups.items())})


def _ref_error(entry: PovertyModel | Locality, path: tuple[Any, ...], kind: str, value: str, ids: list[str],
               diag: Diagnostics) -> None:
    line, col = entry.positions.value(path)
    near = closest(value, ids)
    field = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path).replace(".[", "[")
    diag.error(Location(entry.path, line, col), f"unknown_{kind}_closest" if near else f"unknown_{kind}",
               value=value, field=field, closest=near)


def _check_refs(entries: Entries, model: dict[str, PovertyModel], locality: dict[str, Locality],
                drafts: set[str], diag: Diagnostics) -> None:
    loc_ids, model_ids = sorted(entries.known["locality"]), sorted(entries.known["model"])
    rejected_models = tuple(e for e in entries.rejected if isinstance(e, PovertyModel))
    rejected_localities = tuple(e for e in entries.rejected if isinstance(e, Locality))
    for m in entries.models + entries.drafts + rejected_models:
        if m.locality and m.locality not in entries.known["locality"]:
            _ref_error(m, ("locality",), "locality", m.locality, loc_ids, diag)
        for index, other in enumerate(m.related or ()):
            # Positions are looked up only for a problem: finding them parses the front matter again.
            if other == m.id:
                diag.error(m.location(*m.positions.value(("related", index))), "related_self", value=other)
            elif other in drafts:
                diag.warning(m.location(*m.positions.value(("related", index))), "related_draft", value=other)
            elif other not in entries.known["model"]:
                _ref_error(m, ("related", index), "model", other, model_ids, diag)
    for loc in entries.localities + rejected_localities:
        merged = loc.data.get("merged_into") or ()
        refs = [(("parent",), loc.data.get("parent"))] + [
            (("merged_into", i) if len(merged) > 1 else ("merged_into",), value) for i, value in enumerate(merged)]
        for path, value in refs:
            if value is None:
                continue
            if value == loc.id:
                diag.error(loc.location(*loc.positions.value(path)),
                           "self_parent" if path[0] == "parent" else "merged_into_self", id=loc.id)
            elif value not in entries.known["locality"]:
                _ref_error(loc, path, "locality", value, loc_ids, diag)


def _check_featured(config: Config, model: Mapping[str, PovertyModel], drafts: set[str],
                    diag: Diagnostics) -> None:
    """`featured:` in site.yaml names the models shown first on the home page."""
    for index, ident in enumerate(config.featured):
        if ident in drafts:
            diag.warning(config.location(("featured", index)), "featured_draft", value=ident)
        elif ident not in model:
            near = closest(str(ident), sorted(model))
            diag.warning(config.location(("featured", index)),
                         "featured_unknown_closest" if near else "featured_unknown", value=ident, closest=near)


def _chain(loc: Locality, locality: dict[str, Locality], diag: Diagnostics) -> tuple[Locality, ...]:
    """Return the ancestors of `loc` from the top down to itself; report a cycle once, at its start."""
    path = [loc]
    while path[-1].parent in locality and path[-1].parent != path[-1].id:
        parent = locality[path[-1].parent]
        if parent in path:
            if parent is loc:  # report the cycle from each member's own file, so every file is named
                line, col = loc.positions.value(("parent",))
                cycle = " → ".join([p.id for p in path] + [loc.id])
                diag.error(Location(loc.path, line, col), "parent_cycle", cycle=cycle)
            break
        path.append(parent)
    return tuple(reversed(path))


def _within(loc_id: str, children: Mapping[str, list[Locality]], merged_from: Mapping[str, list[Locality]],
            models_at: Mapping[str, list[PovertyModel]]) -> tuple[PovertyModel, ...]:
    found: dict[str, PovertyModel] = {}
    stack, seen = [loc_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        found.update((m.id, m) for m in models_at.get(current, ()))
        stack.extend(c.id for c in children.get(current, ()))
        stack.extend(c.id for c in merged_from.get(current, ()))
    return tuple(sorted(found.values(), key=name_key))


def _related_all(graph: SiteGraph) -> dict[str, tuple[PovertyModel, ...]]:
    """Each model's listed `related` models first, then the others ranked by shared sectors (2 points
    each) and same province (1 point), ties by name, up to RELATED_LIMIT.

    Comparing every pair in Python is O(n²) and took seconds at 1,000 models; here each model is a
    bit (in name order) of per-sector and per-province masks, so a ranking is a few big-int operations.
    """
    ordered = sorted(graph.models, key=name_key)
    bit = {m.id: 1 << i for i, m in enumerate(ordered)}
    everyone = (1 << len(ordered)) - 1
    by_sector: dict[str, int] = defaultdict(int)
    by_province: dict[str, int] = defaultdict(int)
    province_of: dict[str, str | None] = {}
    for m in ordered:
        for sector in set(m.sectors):
            by_sector[sector] |= bit[m.id]
        province = graph.province(m.locality) if m.locality in graph.chain else None
        province_of[m.id] = province.id if province else None
        if province:
            by_province[province.id] |= bit[m.id]
    related = {}
    for m in graph.models:
        chosen = [graph.model[r] for r in (m.related or ()) if r in graph.model and r != m.id]
        wanted = max(0, RELATED_LIMIT - len(chosen))
        exclude = bit[m.id] | sum({bit[c.id] for c in chosen})
        sectors = set(m.sectors)
        at_least = [everyone] + [0] * len(sectors)    # at_least[k]: models sharing >= k sectors
        for sector in sectors:
            for k in range(len(sectors), 0, -1):
                at_least[k] |= at_least[k - 1] & by_sector[sector]
        home = province_of[m.id]
        same = by_province[home] if home else 0
        ranked: list[PovertyModel] = []
        for shared in range(len(sectors), -1, -1):
            exactly = at_least[shared] & ~(at_least[shared + 1] if shared < len(sectors) else 0)
            for in_province in ((True, False) if shared else (True,)):
                pool = exactly & (same if in_province else ~same) & ~exclude & everyone
                while pool and len(ranked) < wanted:
                    lowest = pool & -pool
                    ranked.append(ordered[lowest.bit_length() - 1])
                    pool ^= lowest
        related[m.id] = tuple(chosen + ranked)
    return related


def _facets(graph: SiteGraph) -> dict[str, tuple[Facet, ...]]:
    vocab = graph.config.vocabularies
    by: dict[str, dict[str, list[PovertyModel]]] = {k: defaultdict(list) for k in FACETS}
    for m in graph.models:
        region = graph.region.get(m.locality)
        if region:
            by["regions"][region].append(m)
        for key in ("sectors", "target_groups"):
            for ident in m.data[key] or ():
                by[key][ident].append(m)
    facets = {kind: tuple(Facet(kind, ident, label, graph.url(kind, ident),
                                tuple(sorted(by[kind][ident], key=name_key)))
                          for ident, label in vocab[kind].items() if by[kind].get(ident))
              for kind in by}
    provinces = sorted((loc for loc in graph.localities if loc.level in PROVINCE_LEVELS), key=name_key)
    facets["provinces"] = tuple(Facet("provinces", loc.id, loc.name, graph.url("locality", loc.id),
                                      graph.models_within[loc.id]) for loc in provinces)
    return facets
