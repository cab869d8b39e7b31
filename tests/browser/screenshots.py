"""`make screenshots`: PNGs of the home, a model and a locality page at phone and desktop widths.

Usage: python -m tests.browser.screenshots SITE_DIR OUT_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.pages import KEY_PAGES
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PAGES = ("home", "model", "locality")


def take_screenshots(site: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_directory(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height},
                                          device_scale_factor=1)
            tab = context.new_page()
            for name in PAGES:
                tab.goto(url + KEY_PAGES[name])
                path = out / f"{name}-{label}-{width}.png"
                tab.screenshot(path=str(path), full_page=True)
                written.append(path)
            context.close()
        browser.close()
    return written


if __name__ == "__main__":
    for written in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(written)
