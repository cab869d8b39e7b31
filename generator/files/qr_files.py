"""One QR code per model page, as an SVG file the booklet and the model page link to."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from generator.content.graph import SiteGraph
from generator.core.outputs import OutputFile
from generator.files.export import qr_url
from generator.files.qr import qr_svg


def qr_requests(graph: SiteGraph) -> list[tuple[str, str]]:
    """(URL, label) of every model's QR code, in model order."""
    base_url = graph.config.base_url.rstrip("/")
    return [(base_url + graph.url("model", m.id), f"Mã QR dẫn tới trang: {m.title}") for m in graph.models]


def qr_outputs(graph: SiteGraph, codes: Mapping[tuple[str, str], str] = MappingProxyType({})) -> Iterator[OutputFile]:
    """Every model's QR code file, made here unless already in `codes`."""
    for m, request in zip(graph.models, qr_requests(graph)):
        svg = codes.get(request) or qr_svg(*request)
        yield OutputFile(qr_url(graph, m.id)[len(graph.config.base_path):], svg.encode("utf-8"))
