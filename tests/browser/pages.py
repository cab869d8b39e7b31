"""The five kinds of page every browser check, screenshot and audit looks at (path below the root)."""
from __future__ import annotations

KEY_PAGES = {
    "home": "",
    "model": "mo-hinh/cung-em-vuot-kho-lang-son/",
    "locality": "dia-phuong/can-loc/",
    "listing": "linh-vuc/an-sinh-xa-hoi/",
    "404": "404.html",
}
