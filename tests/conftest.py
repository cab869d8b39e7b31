"""Shared fixtures: tiny sites on disk, the CLI run in-process, the built sample site, a browser."""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
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


def built(root: Path, *options: str) -> Path:
    """Build the site at `root` into root/site under --strict; fail the test on any problem."""
    out = root / "site"
    result = run_cli(root, "build", "--strict", "--quiet", *options, "--out", str(out))
    assert result.code == 0, result.err
    return out


PAGE_SIZE = 4     # the sample's 16 models then fill 4 pages of the all-models listing


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with `page_size: 4`, so listings have several pages; built without search."""
    root = copy_repo_site(tmp_path_factory.mktemp("paged-src"))
    settings = (root / "site.yaml").read_text("utf-8")
    (root / "site.yaml").write_text(re.sub(r"^page_size:.*$", f"page_size: {PAGE_SIZE}", settings, flags=re.M),
                                    "utf-8")
    return built(root, "--no-search")


@pytest.fixture(scope="session")
def paged_url(paged_site: Path) -> Iterator[str]:
    with serve_directory(paged_site) as url:
        yield url


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing")


def photo(width: int = 64, height: int = 48, fmt: str = "JPEG", *, exif: dict[int, object] | None = None,
          gps: dict[int, object] | None = None, color: str = "green", **options: object) -> bytes:
    """A real image file made with Pillow, optionally with EXIF tags and a GPS block, as phones write."""
    from PIL import Image

    image = Image.new("RGB", (width, height), color)
    tags = Image.Exif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if gps:
        tags[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": tags.tobytes()} if exif or gps else {}), **options)
    return out.getvalue()


# --- Theme tests (issue 3): a tiny site that fills every optional field the templates show. ---

RICH_MODEL = """\
---
title: Tổ hợp tác trồng hồng
summary: Một mô hình thử nghiệm có đủ mọi trường để kiểm tra giao diện.
locality: xa-moi
sectors: [trong-trot, chan-nuoi]
target_groups: [ho-ngheo]
host: {name: Hội Nông dân xã Mới, type: hoi-nong-dan}
partners: [{name: Ngân hàng thử, role: cho vay}, {name: Hợp tác xã thử}]
started: 2018
status: active
participants: {households: 1517, poor: 12, near_poor: 9}
figures:
  - {label: Hộ thoát nghèo, value: 7, unit: hộ, year: 2023, source: 1}
  - {label: Thu nhập bình quân, value: 4.41, unit: triệu đồng/tháng, year: 2022, source: 2}
replication:
  suitable_when: [Có đất đồi]
  prerequisites: [Có vốn vay ưu đãi]
  risks: [Giá bán biến động]
  time_to_first_result: 3 năm
visiting: {accepts_visits: true, best_months: [9, 10], duration: nửa ngày, max_group: 30, notice_days: 7,
           arrange_via: UBND xã Mới, access: Đường nhựa đến tận vườn}
contact: {name: Nguyễn Văn Thử, role: Chủ tịch Hội, organisation: Hội Nông dân xã Mới, phone: "0200 000 000",
          email: thu@example.vn}
images:
  - {src: images/vuon.png, alt: Vườn hồng thử nghiệm, caption: Vườn hồng, credit: Ảnh thử}
sources:
  - {title: Bài báo thử thứ nhất, publisher: Báo Thử, date: 2023-11-10, url: "https://example.vn/bai-1"}
  - {title: Bài báo thử thứ hai, publisher: Báo Thử, url: "https://example.vn/bai-2"}
related: [trong-hong]
published: 2023-11-10
updated: 2024-01-05
---
## Bối cảnh

Nội dung bối cảnh.

## Cách làm

Nội dung cách làm.

## Kết quả

Nội dung kết quả.

## Bài học kinh nghiệm

Nội dung bài học.
"""

RICH_FILES: dict[str, str | bytes] = {
    "content/models/to-hop-tac.md": RICH_MODEL,
    "content/images/vuon.png": photo(8, 6, "PNG", color="grey"),
    "content/localities/huyen-cu.md": (
        "---\nname: huyện Cũ\nlevel: huyen\nparent: lang-son\nformer_names: [huyện Xưa]\n"
        "merged_into: lang-son\nvalid_until: 2025-06-30\n---\nHuyện đã giải thể.\n"),
    "content/localities/xa-moi.md": (
        "---\nname: xã Mới\nlevel: xa\nparent: huyen-cu\ncoordinates: {lat: 21.9, lon: 106.8}\npoverty:\n"
        "  - {year: 2020, poor: 4.43, near_poor: 6.38, source: 1}\n"
        "  - {year: 2021, poor: 3.1, source: 1}\n"
        "  - {year: 2023, poor: 1.7, near_poor: 2.88, source: 1}\n"
        "sources:\n  - {title: Báo cáo thử, url: \"https://example.vn/bao-cao\"}\n---\nXã thử nghiệm.\n"),
}


@pytest.fixture(scope="session")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny site whose model and locality fill every optional field, built once per session."""
    root = tmp_path_factory.mktemp("rich-src")
    files = {"content/localities/lang-son.md": PROVINCE, "content/localities/loc-yen.md": COMMUNE,
             "content/models/trong-hong.md": MODEL, **RICH_FILES}
    (root / "site.yaml").write_text(MINIMAL_CONFIG, "utf-8")
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return built(root)


@pytest.fixture(scope="session")
def rich_url(rich_site: Path) -> Iterator[str]:
    with serve_directory(rich_site) as url:
        yield url




AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def inject_axe(page: object) -> None:
    """Load axe-core into the page through the DevTools protocol: the pages' Content-Security-Policy
    (rightly) refuses an inline <script>, which is what `add_script_tag` would insert."""
    page.evaluate(AXE.read_text("utf-8") + "\n;window.axe = axe;")  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def axe_violations() -> Callable[..., list[dict[str, object]]]:
    """Run axe-core (installed by `make test` through npm ci) on a page; return its violations."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci)")

    def run(page: object) -> list[dict[str, object]]:
        inject_axe(page)
        return page.evaluate(  # type: ignore[attr-defined]
            "async () => (await axe.run(document)).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")

    return run
