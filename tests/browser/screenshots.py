"""`make screenshots`: PNGs of the key pages, the planner, search results and the printed booklet, at
phone and desktop widths, to look at before a release.

Usage: python -m tests.browser.screenshots SITE_DIR OUT_DIR
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pymupdf
from playwright.sync_api import sync_playwright

from tests.browser.pages import KEY_PAGES
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PAGES = {**{name: KEY_PAGES[name] for name in ("home", "model", "locality", "404")},
         "planner": "tham-quan/", "search": "tim-kiem/?q=giam+ngheo", "data": "du-lieu/"}
STORE = "showcase-visit:/"


def take_screenshots(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # The planner shows the first three models in content order (the site's own list, not a fixed choice).
    chosen = sorted(p.parent.name for p in (site / "mo-hinh").glob("*/qr.svg"))[:3]
    with serve_directory(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            tab = context.new_page()
            tab.goto(url)
            tab.evaluate("([key, ids]) => localStorage.setItem(key, JSON.stringify(ids))", [STORE, chosen])
            for name, path in PAGES.items():
                tab.goto(url + path)
                if name == "planner":
                    tab.locator(".visit-item").first.wait_for()
                elif name == "search":
                    tab.wait_for_timeout(1500)      # the results arrive from the index files
                shot = out / f"{name}-{label}-{width}.png"
                tab.screenshot(path=str(shot), full_page=True)
                written.append(shot)
            context.close()
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url)
        tab.evaluate("([key, ids]) => localStorage.setItem(key, JSON.stringify(ids))", [STORE, chosen])
        tab.goto(url + "tham-quan/")
        tab.locator(".visit-item").first.wait_for()
        tab.emulate_media(media="print")
        pdf = out / "booklet.pdf"
        pdf.write_bytes(tab.pdf(format="A4"))
        for number, page in enumerate(pymupdf.open(pdf), 1):
            shot = out / f"booklet-page-{number}.png"
            page.get_pixmap(dpi=60).save(str(shot))
            written.append(shot)
        context.close()
        browser.close()
    return written


if __name__ == "__main__":
    print(json.dumps([str(p) for p in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2]))], indent=1))
