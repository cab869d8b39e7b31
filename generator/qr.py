"""QR codes as SVG, made at build time so a printed sheet leads back to its page on a phone."""
from __future__ import annotations

import io

import segno


def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code for `url`, announced to screen readers as `label`.

    Medium error correction survives a creased or photocopied sheet; the quiet zone is the
    standard four modules so phone cameras find the code on a busy page.
    """
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=4, title=label,
        svgclass="qr", lineclass=None)
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" ', 1).rstrip("\n")
