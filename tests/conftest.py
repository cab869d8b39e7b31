"""Shared fixtures: tiny sites on disk, the CLI run in-process, the built sample site, a browser."""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

MINIMAL_CONFIG = """\
title: Trang thử
description: Trang thử nghiệm.
base_url: https://example.vn/
vocabularies:
  regions: {trung-du-mien-nui-phia-bac: Trung du và miền núi phía Bắc, dong-bang-song-hong: Đồng bằng sông Hồng}
  sectors: {trong-trot: Trồng trọt, chan-nuoi: Chăn nuôi}
  target_groups: {ho-ngheo: Hộ nghèo}
  host_types: {hoi-nong-dan: Hội Nông dân}
"""

PROVINCE = "---\nname: tỉnh Lạng Sơn\nlevel: tinh\nregion: trung-du-mien-nui-phia-bac\n---\nTỉnh biên giới.\n"
COMMUNE = "---\nname: xã Lộc Yên\nlevel: xa\nparent: lang-son\n---\n"
MODEL = """\
---
title: Trồng hồng ở xã Lộc Yên
summary: Trồng hồng giúp hộ nghèo tăng thu nhập.
locality: loc-yen
sectors: [trong-trot]
---
## Cách làm

Nội dung.
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(root: Path, *args: str) -> CliResult:
    """Run `showcase --root ROOT ARGS…` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--root", str(root), *args])
        except SystemExit as exc:  # argparse exits on usage errors and --help
            code = int(exc.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a tiny site: site.yaml plus the given files (path -> text, or bytes for raw files)."""

    def make(files: dict[str, str | bytes] | None = None, *, config: str = MINIMAL_CONFIG,
             defaults: bool = True) -> Path:
        root = tmp_path / "site-src"
        root.mkdir(exist_ok=True)
        (root / "site.yaml").write_text(config, "utf-8")
        all_files: dict[str, str | bytes] = {}
        if defaults:
            all_files.update({"content/localities/lang-son.md": PROVINCE,
                              "content/localities/loc-yen.md": COMMUNE,
                              "content/models/trong-hong.md": MODEL})
        all_files.update(files or {})
        for rel, text in all_files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, "utf-8")
        return root

    return make


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to compare whole trees."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site built once per test session into a temporary directory."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_cli(REPO, "build", "--strict", "--quiet", "--out", str(out))
    assert result.code == 0, result.err
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the whole session, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def copy_repo_site(dest: Path) -> Path:
    """Copy the sample site's sources (not its output) to `dest`, for tests that edit content."""
    for name in ("site.yaml", "content", "themes"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_violations() -> Callable[..., list[dict[str, object]]]:
    """Run axe-core (installed by `make test` through npm ci) on a page; return its violations."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci)")

    def run(page: object) -> list[dict[str, object]]:
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
        return page.evaluate(  # type: ignore[attr-defined]
            "async () => (await axe.run(document)).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")

    return run
