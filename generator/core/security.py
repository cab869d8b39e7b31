"""The Content-Security-Policy of every published page, in one place.

The theme's pages carry it as `<meta http-equiv>` (base.html); a server that can send headers sends
the same string as a `Content-Security-Policy` header. What it allows, and why:
- scripts only from the site itself: no inline script, no inline event handler, no eval, no
  WebAssembly (the search client is plain JavaScript);
- styles only from the site's stylesheets (Leaflet positions its map through the DOM, which CSP allows);
- images from the site, `data:` (Leaflet's icons) and the OpenStreetMap tile server of the map page;
- fetches (search index, planner records) and frames only from the site; no plugins, no foreign forms.
`frame-ancestors` is left out: browsers ignore it in a meta element (a server may add it as a header).
"""
from __future__ import annotations

MAP_TILES = "https://tile.openstreetmap.org"

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    f"img-src 'self' data: {MAP_TILES}",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))
