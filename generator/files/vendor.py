"""Third-party assets copied into the site from node_modules, so no page needs a CDN."""
from __future__ import annotations

from pathlib import Path

from generator.content.graph import SiteGraph
from generator.core.errors import Diagnostics, Location
from generator.core.outputs import OutputFile
from generator.files.export import coordinates

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
LEAFLET_DIST = NODE_MODULES / "leaflet" / "dist"
# Draws the QR code of a shared visit list on the booklet's cover (the list is only known in the browser).
QRCODE_JS = ("qrcode-generator/dist/qrcode.js", "vendor/qrcode-generator/qrcode.js")
# Markers are drawn with CSS (divIcon), so only the layer switcher's images are needed.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png")


def has_points(graph: SiteGraph) -> bool:
    """Whether the map has anything to show (else neither the map script nor Leaflet is needed)."""
    return any(coordinates(graph, m.locality) for m in graph.models)


def leaflet_outputs(graph: SiteGraph, diag: Diagnostics) -> list[OutputFile]:
    if not has_points(graph):
        return []
    missing = [name for name in LEAFLET_FILES if not (LEAFLET_DIST / name).is_file()]
    if missing:
        diag.error(Location("node_modules/leaflet/dist"), "leaflet_missing", file=missing[0])
        return []
    return [OutputFile(f"vendor/leaflet/{name}", (LEAFLET_DIST / name).read_bytes()) for name in LEAFLET_FILES]


def qrcode_outputs(diag: Diagnostics) -> list[OutputFile]:
    """The QR encoder of the planner's booklet cover; the planner is on every site."""
    source, target = QRCODE_JS
    if not (NODE_MODULES / source).is_file():
        diag.error(Location("node_modules/" + source), "npm_file_missing", file=source)
        return []
    return [OutputFile(target, (NODE_MODULES / source).read_bytes())]
