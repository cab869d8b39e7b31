"""Decode the bytes editors save into the text every stage works with: UTF-8, NFC, LF line ends."""
from __future__ import annotations

import unicodedata

from generator.core.errors import Diagnostics, Location


def decode_text(raw: bytes, rel: str, diag: Diagnostics) -> str | None:
    """Return NFC text with LF line ends; a BOM is accepted, other encodings are located errors."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diag.error(Location(rel, line, col), "not_utf8", byte=f"0x{raw[exc.start]:02x}")
        return None
    # macOS editors save NFD; "Hà Giang" in NFD would not equal the NFC one anywhere downstream.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
