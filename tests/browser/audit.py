"""`make audit`: Lighthouse (mobile settings) on the five key pages of a built site.

Usage: python -m tests.browser.audit SITE_DIR [OUT_DIR]
Prints one line of scores per page and exits 1 when any category is below the threshold. Slow (tens
of seconds a page), so it is not part of `make test`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.pages import KEY_PAGES
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, serve_directory

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 95
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
TIMEOUT = 180


def audit_page(url: str, report: Path) -> dict[str, int]:
    """Run Lighthouse's default (mobile, simulated slow 4G) on one URL; return 0–100 scores."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        check=True, timeout=TIMEOUT, env={**os.environ, "CHROME_PATH": CHROMIUM})
    data = json.loads(report.read_text("utf-8"))
    return {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main(site: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    with serve_directory(site) as root:
        print(f"{'page':10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, path in KEY_PAGES.items():
            scores = audit_page(root + path, out / f"{name}.json")
            failed |= any(score < THRESHOLD for score in scores.values())
            print(f"{name:10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    report_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="lighthouse-"))
    sys.exit(main(Path(sys.argv[1]), report_dir))
