"""QR code benchmark: milliseconds per code, segno's own mask search against `generator.files.qr.qr_svg`.

Run with `.venv/bin/python bench/qr_bench.py [--urls N]` (also part of `make bench`). Both are timed
on the same URLs, alternately, so a busy machine slows both alike; the medians are printed with the
number of URLs, and every pair of SVGs is checked to be byte-identical. `qr_svg` is timed without
its in-memory cache (a cold build's case); the once-per-process costs (importing numpy, laying
out each QR version) are printed apart.

`sample_urls` is shared with tests/test_qr.py.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ACTIVITIES, SYLLABLES, place_name  # noqa: E402

from generator.files.qr import qr_svg, segno_code, segno_svg  # noqa: E402
from generator.core.slugs import slug  # noqa: E402

BASES = ("https://mohinhgiamngheo.example.vn", "https://giamngheo.example.org/tinh-lao-cai",
         "http://localhost:8000", "https://a.vn")


def sample_urls(count: int, seed: int = 6) -> list[tuple[str, str]]:
    """(URL, label) pairs like the site's QR requests: a base URL and the slug of a Vietnamese
    title, cut to 13-160 characters (QR versions 1 to 10). One in twenty is in
    upper case (segno's alphanumeric mode) and one in twenty keeps the Vietnamese unslugged (UTF-8)."""
    rng = random.Random(seed)
    pairs = []
    for index in range(count):
        title = (f"{rng.choice(ACTIVITIES)} và {rng.choice(ACTIVITIES).lower()} ở thôn "
                 f"{rng.choice(SYLLABLES)} xã {place_name(rng)} huyện {place_name(rng)} "
                 f"tỉnh {place_name(rng)} dữ liệu thử {index}")
        path = title.replace(" ", "-") if index % 20 == 13 else slug(title)
        url = f"{rng.choice(BASES)}/mo-hinh/{path}"[:rng.randint(12, 159)].rstrip("-") + "/"
        pairs.append((url.upper() if index % 20 == 7 else url, f"Mã QR dẫn tới trang: {title}"))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    args = parser.parse_args()
    pairs = sample_urls(args.urls)
    started = time.perf_counter()
    qr_svg.__wrapped__(*pairs[0])
    first = time.perf_counter() - started
    old, new = [], []
    for url, label in pairs:
        started = time.perf_counter()
        reference = segno_svg(segno_code(url), label)
        middle = time.perf_counter()
        ours = qr_svg.__wrapped__(url, label)
        new.append(time.perf_counter() - middle)
        old.append(middle - started)
        if ours != reference:
            raise SystemExit(f"different SVG for {url!r}")
    old_ms, new_ms = statistics.median(old) * 1000, statistics.median(new) * 1000
    print(f"QR codes: {len(pairs)} URLs of {min(len(u) for u, _ in pairs)}-{max(len(u) for u, _ in pairs)} "
          "characters, every SVG byte-identical to segno's")
    print(f"  segno (own mask search): median {old_ms:.2f} ms per code, total {sum(old):.1f} s")
    print(f"  qr_svg (numpy scoring):  median {new_ms:.2f} ms per code, total {sum(new):.1f} s")
    print(f"  speed-up: {old_ms / new_ms:.1f}× (medians); first call in a process incl. numpy import "
          f"{first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
