"""Renames keep links alive: `aliases:` (old ids) become redirect pages and a map for the web server.

A model printed on a QR code or shared on Zalo keeps its address after its file is renamed when the
new file lists the old id under `aliases:`. The old address gets a small page that sends the reader on
(meta refresh, canonical link and a plain link for readers without refresh), and `.showcase-redirects.map`
lists every old path with its new one, for nginx to answer with a real 301 (deploy/nginx/showcase.conf).

A rename without `aliases:` is a warning when the last build published the old address: the
manifest of the output folder tells what was published.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

from generator.core.errors import Diagnostics, Location
from generator.content.graph import URLS, SiteGraph
from generator.core.outputs import OutputFile
from generator.pages.seo import absolute

REDIRECTS_MAP = ".showcase-redirects.map"


def alias_targets(graph: SiteGraph) -> dict[tuple[str, str], str]:
    """(kind, old id) -> new id, for every alias that names no other page (those are errors)."""
    targets: dict[tuple[str, str], str] = {}
    for kind, entries in (("model", graph.models), ("locality", graph.localities)):
        for entry in entries:
            for alias in entry.data.get("aliases") or ():
                targets.setdefault((kind, alias), entry.id)
    return targets


def check_aliases(graph: SiteGraph, diag: Diagnostics) -> None:
    """An alias may not be the id of a page that exists, nor claimed by two entries of a kind."""
    for kind, entries, ids in (("model", graph.models, graph.model), ("locality", graph.localities, graph.locality)):
        claimed: dict[str, str] = {}
        for entry in entries:
            for index, alias in enumerate(entry.data.get("aliases") or ()):
                where = entry.location(*entry.positions.value(("aliases", index)))
                if alias == entry.id:
                    diag.error(where, "alias_self", value=alias)
                elif alias in ids:
                    diag.error(where, "alias_taken", value=alias, path=ids[alias].path)
                elif alias in claimed and claimed[alias] != entry.id:
                    diag.error(where, "alias_twice", value=alias, other=claimed[alias])
                else:
                    claimed[alias] = entry.path


def redirect_outputs(graph: SiteGraph) -> list[OutputFile]:
    """A redirect page at every old address, and the map of old → new paths for nginx."""
    base = graph.config.base_path
    files, lines = [], []
    for (kind, alias), ident in sorted(alias_targets(graph).items()):
        entry = (graph.model if kind == "model" else graph.locality)[ident]
        old, new = graph.url(kind, alias), graph.url(kind, ident)
        files.append(OutputFile(old[len(base):] + "index.html",
                                redirect_page(entry.data.get("title") or entry.data.get("name") or ident,
                                              new, absolute(graph, new)).encode("utf-8")))
        lines.append(f"{old} {new};\n")
    if lines:          # nginx includes it by a pattern, so a site without renames needs none
        files.append(OutputFile(REDIRECTS_MAP, "".join(lines).encode("utf-8")))
    return files


def redirect_page(title: str, url: str, canonical: str) -> str:
    """A page that sends the reader to `url` at once, and says where if the browser does not follow."""
    t, u, c = html.escape(title), html.escape(url), html.escape(canonical)
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>Trang đã chuyển: {t}</title>\n<link rel=\"canonical\" href=\"{c}\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n</head>\n<body>\n"
            f"<p>Trang này đã chuyển tới <a href=\"{u}\">{t}</a>.</p>\n</body>\n</html>\n")


def check_renames(graph: SiteGraph, published: Iterable[str], pages: set[str], diag: Diagnostics,
                  strict: bool = False) -> None:
    """Warn when a page the last build published is gone while a new one appeared: likely a rename.

    `published` are the paths in the output folder's manifest, `pages` those this build writes. A page
    that is only deleted is not warned about (deleting a model is a choice), nor one kept by an alias.
    """
    kept = alias_targets(graph)
    report = diag.error if strict else diag.warning
    for kind, ids in (("model", graph.model), ("locality", graph.locality)):
        folder = URLS[kind][0]
        before = {path[len(folder):-len("/index.html")] for path in published
                  if path.startswith(folder) and path.endswith("/index.html") and path.count("/") == 2}
        gone = sorted(i for i in before if f"{folder}{i}/index.html" not in pages and (kind, i) not in kept)
        if not gone:
            continue
        for ident in sorted(ids.keys() - before):
            report(Location(ids[ident].path, 1, 1), "rename_without_alias",
                   old=", ".join(gone), urls=", ".join(graph.url(kind, i) for i in gone))
