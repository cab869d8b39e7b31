"""Study-tour planning: the map, the season pages, the planner and the open-data page.

Input: the `SiteGraph`. Output: page specs (path, template, context) for `render`, and the `Tour`
helper templates ask for URLs. The files these pages use (open data, QR codes, Leaflet) are made in
`generator.files`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.core.collate import place_key
from generator.files.vendor import has_points
from generator.files.export import columns, coordinates, data_url, qr_url
from generator.content.graph import SiteGraph, name_key
from generator.content.validate import PovertyModel

MONTHS = range(1, 13)


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One spot on the map and the models there: models often share their locality's coordinates."""

    lat: float
    lon: float
    models: tuple[PovertyModel, ...]


@dataclass(frozen=True, slots=True)
class ProvinceGroup:
    """The models of one province, for the plain list beside the map and for marker layers."""

    id: str
    name: str
    points: tuple[MapPoint, ...]


@dataclass(frozen=True, slots=True)
class Tour:
    """What templates ask about a model or locality for planning a visit, with every URL computed."""

    graph: SiteGraph

    def url(self, page: str) -> str:
        return self.graph.url(page)

    def month_url(self, month: int) -> str:
        return self.graph.url("seasons", month)

    def model_json(self, model_id: str) -> str:
        return data_url(self.graph, "model", model_id)

    def model_qr(self, model_id: str) -> str:
        return qr_url(self.graph, model_id)

    def map_link(self, model_id: str) -> str | None:
        """The map anchor of a model, or None when neither it nor its localities have coordinates."""
        m = self.graph.model[model_id]
        return f"{self.url('map')}#mo-hinh-{m.id}" if coordinates(self.graph, m.locality) else None

    def locality_map_link(self, locality_id: str) -> str | None:
        within = self.graph.models_within[locality_id]
        if not any(coordinates(self.graph, m.locality) for m in within):
            return None
        province = self.graph.current_province(locality_id)
        return f"{self.url('map')}#tinh-{province.id if province else 'khac'}"

    def has_points(self) -> bool:
        return has_points(self.graph)

    def visit_contact(self) -> Mapping[str, str | None] | None:
        """The site owner's contact point for arranging a visit (`visit_contact` in site.yaml)."""
        return self.graph.config.visit_contact

    def arranged(self, m: PovertyModel) -> bool:
        """Whether the model itself says whom to ask about a visit."""
        return bool((m.visiting or {}).get("arrange_via") or m.contact)


def province_groups(graph: SiteGraph) -> tuple[tuple[ProvinceGroup, ...], tuple[tuple[str, str, tuple[PovertyModel, ...]], ...]]:
    """Models with coordinates grouped by province then by spot; those without, by province name.

    The province is today's (`current_province`): a delegation plans by the provinces that exist;
    each model's own place, as its content names it, is shown beside it.
    """
    spots: dict[tuple[str, str], dict[tuple[float, float], list[PovertyModel]]] = defaultdict(lambda: defaultdict(list))
    missing: dict[tuple[str, str], list[PovertyModel]] = defaultdict(list)
    for m in sorted(graph.models, key=name_key):
        province = graph.current_province(m.locality)
        key = (province.name, province.id) if province else ("Khác", "khac")
        where = coordinates(graph, m.locality)
        if where is None:
            missing[key].append(m)
        else:
            spots[key][(where["lat"], where["lon"])].append(m)
    by_name = lambda item: (place_key(item[0][0]), item[0][1])  # noqa: E731
    groups = tuple(ProvinceGroup(ident, name, tuple(MapPoint(lat, lon, tuple(ms))
                                                     for (lat, lon), ms in sorted(points.items())))
                   for (name, ident), points in sorted(spots.items(), key=by_name))
    return groups, tuple((name, ident, tuple(ms)) for (name, ident), ms in sorted(missing.items(), key=by_name))


def models_by_month(graph: SiteGraph) -> dict[int, tuple[PovertyModel, ...]]:
    """The months some model names as a good time to visit, in calendar order, with those models.

    A month no model names gets no page: an empty page would only say that nothing is known.
    """
    chosen: dict[int, list[PovertyModel]] = {month: [] for month in MONTHS}
    for m in sorted(graph.models, key=name_key):
        for month in sorted(set((m.visiting or {}).get("best_months") or ())):
            chosen[month].append(m)
    return {month: tuple(ms) for month, ms in chosen.items() if ms}


def tour_pages(graph: SiteGraph, tour: Tour) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, template, page-specific context) of the map, planner, season and open-data pages."""
    base = graph.config.base_path
    rel = lambda url: url[len(base):] + "index.html"  # noqa: E731
    groups, missing = province_groups(graph)
    months = models_by_month(graph)
    pages: list[tuple[str, str, dict[str, Any]]] = [(rel(tour.url("map")), "map.html", {"groups": groups, "missing": missing,
                                                  "placed": sum(len(p.models) for g in groups for p in g.points),
                                                  "unplaced": sum(len(ms) for _, _, ms in missing)}),
             (rel(tour.url("planner")), "planner.html", {}),
             (rel(tour.url("seasons")), "season.html", {"month": None, "months": months})]
    pages += [(rel(tour.month_url(month)), "season.html", {"month": month, "months": months})
              for month in months]
    pages.append((rel(tour.url("data")), "data.html", {
        "licence": graph.config.licence, "data_date": data_date(graph),
        "files": [(kind, data_url(graph, kind, ext=ext), ext) for kind in ("model", "locality")
                  for ext in ("json", "csv")],
        "columns": {kind: columns(kind) for kind in ("model", "locality")}}))
    return pages


def data_date(graph: SiteGraph) -> str:
    """The date of the data: the latest `updated`/`published` of any entry (deterministic, never today)."""
    dates = [str(e.data.get(key)) for e in (*graph.models, *graph.localities) for key in ("updated", "published")
             if e.data.get(key)]
    return max((d for d in dates if len(d) == 10), default="")
