"""Photo pipeline benchmark: 100 phone-sized photos cold and warm, and what a phone downloads.

Run with `make bench-images`. Prints medians with the corpus size. The photos are synthetic (no
real photos ship with the project): 4000×3000 JPEGs with gradients, shapes and sensor-like noise,
4-6 MB each like a phone's. Each of the 100 files differs by a JPEG comment, so every one has its
own hash and is really processed, while only a few distinct pictures have to be generated.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import random
import shutil
import statistics
import struct
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw

from generator.build import build
from generator.content.config import load_config
from generator.core.errors import Diagnostics, Location
from generator.files.images import CACHE_DIR, ImageRef, process_images

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "images"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MODEL = "content/models/trong-hong-loc-yen.md"
WIDTH, HEIGHT = 4000, 3000


def synthetic_photo(seed: int) -> bytes:
    """A 4000×3000 JPEG at phone quality whose detail compresses about like a real photo."""
    rnd = random.Random(seed)
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    image = Image.merge("RGB", (ramp, ramp.rotate(90 + seed).resize((WIDTH, HEIGHT)),
                                Image.effect_noise((WIDTH, HEIGHT), 30)))
    draw = ImageDraw.Draw(image)
    for _ in range(80):
        x, y, size = rnd.randrange(WIDTH), rnd.randrange(HEIGHT), rnd.randrange(40, 900)
        draw.ellipse((x, y, x + size, y + size), fill=tuple(rnd.randrange(256) for _ in range(3)))
    image = Image.blend(image, Image.effect_noise((WIDTH, HEIGHT), 60).convert("RGB"), 0.25)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def with_comment(jpeg: bytes, text: str) -> bytes:
    """The same picture with a COM segment after SOI: different bytes, identical decoding work."""
    payload = text.encode()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def base_photos(count: int) -> list[bytes]:
    """A few distinct pictures, generated once and kept in bench/out/ (generation takes seconds)."""
    folder = OUT / "bases"
    folder.mkdir(parents=True, exist_ok=True)
    photos = []
    for seed in range(count):
        path = folder / f"{seed}.jpg"
        if not path.exists():
            path.write_bytes(synthetic_photo(seed))
        photos.append(path.read_bytes())
    return photos


def time_processing(photos: int, cold_runs: int, warm_runs: int) -> None:
    root = OUT / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content/images").mkdir(parents=True)
    bases = base_photos(4)
    refs = []
    for index in range(photos):
        src = f"images/anh-{index:03}.jpg"
        (root / "content" / src).write_bytes(with_comment(bases[index % len(bases)], f"bench {index}"))
        refs.append(ImageRef(src, Location(src), hero=index % 10 == 0))   # every tenth opens a page
    total = sum(p.stat().st_size for p in (root / "content/images").iterdir())

    def run() -> float:
        diag = Diagnostics()
        started = time.perf_counter()
        result = process_images(refs, root, diag)
        elapsed = time.perf_counter() - started
        assert not diag.items, [d.format() for d in diag.items]
        assert len(result.images) == photos
        return elapsed

    cold = []
    for _ in range(cold_runs):
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
        cold.append(run())
    warm = [run() for _ in range(warm_runs)]
    published = sum(len(f.data) for f in process_images(refs, root, Diagnostics()).files)
    print(f"corpus: {photos} photos of {WIDTH}×{HEIGHT} px, {total / 1e6:.0f} MB of originals "
          f"(mean {total / photos / 1e6:.1f} MB); {os.cpu_count()} CPUs")
    print(f"cold (empty cache): median {statistics.median(cold):.2f} s over {cold_runs} runs "
          f"= {statistics.median(cold) / photos * 1000:.0f} ms per photo")
    print(f"warm (all cached):  median {statistics.median(warm):.3f} s over {warm_runs} runs")
    print(f"published variants: {published / 1e6:.1f} MB ({published / total:.1%} of the originals)")


def page_transfer(dpr: float) -> None:
    """Bytes Chromium downloads for a model page with 3 photos at 390 px wide, vs the originals."""
    root = OUT / "site-src"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("site.yaml", "content"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        else:
            shutil.copy2(src, root / name)
    (root / "content/images").mkdir(exist_ok=True)
    originals = 0
    for index, data in enumerate(base_photos(3)):
        (root / f"content/images/anh-{index}.jpg").write_bytes(data)
        originals += len(data)
    text = (root / MODEL).read_text("utf-8")
    block = "images:\n" + "".join(f"  - {{src: images/anh-{i}.jpg, alt: Ảnh thử {i + 1}}}\n" for i in range(3))
    head, sep, rest = text.partition("\n---\n")
    (root / MODEL).write_text(head + "\n" + block.rstrip("\n") + sep + rest, "utf-8")
    site = OUT / "site"
    result = build(load_config(root), site)
    assert result.ok, [d.format() for d in result.diagnostics.items]

    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=dpr)
            page = context.new_page()
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/mo-hinh/trong-hong-loc-yen/",
                      wait_until="networkidle")
            page.mouse.wheel(0, 20_000)          # bring the lazy photos into view
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    photos = sum(size for url, size in sizes.items() if "/images/" in url)
    other = sum(size for url, size in sizes.items() if "/images/" not in url)
    print(f"model page with 3 photos at 390 px, DPR {dpr:g}: {photos / 1024:.0f} KB of photos "
          f"({len([u for u in sizes if '/images/' in u])} files) + {other / 1024:.0f} KB HTML/CSS; "
          f"originals would be {originals / 1024:.0f} KB of photos "
          f"({photos / originals:.1%}, {originals / photos:.0f}× less)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args()
    time_processing(args.photos, args.cold_runs, args.warm_runs)
    for dpr in (1, 3):
        page_transfer(dpr)


if __name__ == "__main__":
    main()
