"""Pre-compressed copies of text outputs (`page.html.br`, `page.html.gz`) for a web server to send as they are.

nginx's `gzip_static` and `brotli_static` (and Caddy's `precompressed`) serve `x.br` or `x.gz` in place of
`x` when the reader's browser accepts it, so a page is compressed once, when it is built, never per
request, and only when it changed (generator/write.py). Both copies are deterministic: gzip without a
name or time stamp. Brotli's top quality (11) is for the theme's content-named scripts and stylesheets,
which every reader downloads and keeps for a year; everything else gets quality 5: on the sample site
(132 text files, 1.1 MB) quality 11 took 3.9 s for 257 KB, quality 5 0.06 s for 284 KB, so 10,000
models build in seconds, not minutes.
A copy is made only when it saves bytes: tiny files and photos are left alone.
"""
from __future__ import annotations

import gzip
import re

import brotli

# Text types a browser receives compressed; images and fonts are compressed already.
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".csv", ".ics",
                          ".webmanifest", ".map"})
MIN_SIZE = 256            # below this, the headers of a compressed response cost more than they save
BEST_FOR = re.compile(r"\.[0-9a-f]{10}\.(css|js)$")     # generator/files/static.py names them so
SUFFIXES = (".br", ".gz")


def compressible(path: str) -> bool:
    dot = path.rfind(".")
    return dot > path.rfind("/") and path[dot:].lower() in COMPRESSIBLE


def compressed_copies(path: str, data: bytes) -> dict[str, bytes]:
    """The `.br` and `.gz` copies of `data` (the file at `path`) that are smaller than it (possibly none)."""
    if len(data) < MIN_SIZE:
        return {}
    quality = 11 if BEST_FOR.search(path) else 5
    copies = {".br": brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality),
              ".gz": gzip.compress(data, compresslevel=9, mtime=0)}
    return {suffix: copy for suffix, copy in copies.items() if len(copy) < len(data)}
