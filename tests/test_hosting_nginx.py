"""deploy/nginx/showcase.conf serving a built site through Debian's nginx, as a reader's browser sees it.

nginx runs as an ordinary process on 127.0.0.1 with its own prefix, pid and temporary paths in a tmp
folder; the site is the sample site with one model given an old id (`aliases:`).
"""
from __future__ import annotations

import gzip
import http.client
import re
import shutil
import socket
import subprocess
import time
from typing import Any
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from generator.publish.redirects import REDIRECTS_MAP
from tests.conftest import REPO, run_cli, snapshot

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"
OLD_ID = "ten-cu-cua-mo-hinh"
HASHED = re.compile(r'href="/(style\.[0-9a-f]{10}\.css)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, its first model renamed from OLD_ID, built by `showcase build`."""
    root = tmp_path_factory.mktemp("hosting")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    first = sorted((root / "content" / "models").glob("*.md"))[0]
    text = first.read_text("utf-8")
    first.write_text(text.replace("\n---\n", f"\naliases: [{OLD_ID}]\n---\n", 1), "utf-8")
    result = run_cli(root, "build", "--strict", "--quiet", "--publish", "--out", str(root / "site"))
    assert result.code == 0, result.err
    editor = run_cli(root, "admin-config", "--out", str(root / "site" / "admin"))
    assert editor.code == 0, editor.err
    return root / "site"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def nginx(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """nginx with deploy/nginx/showcase.conf pointed at `site`, on a free port; yields the port."""
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    conf = (REPO / "deploy" / "nginx" / "showcase.conf").read_text("utf-8")
    conf = conf.replace("/srv/showcase/site", str(site))
    conf = re.sub(r"listen \[::\]:80;\n", "", conf).replace("listen 80;", f"listen 127.0.0.1:{port};")
    (prefix / "showcase.conf").write_text(conf, "utf-8")
    temps = "\n".join(f"  {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(f"""\
load_module {BROTLI_MODULE};
daemon off;
master_process off;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temps}
  include {prefix / 'showcase.conf'};
}}
""", "utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, \
                    (prefix / "error.log").read_text() if (prefix / "error.log").exists() else "nginx did not start"
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(port: int, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def model_ids(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "mo-hinh").glob("*/index.html") if p.parent.name != OLD_ID
                  and not (site / "mo-hinh" / p.parent.name / "trang").exists())


def policy(text: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in text.split(";") if part.strip()}


def test_pages_are_sent_precompressed_with_short_cache_and_security_headers(nginx: int, site: Path) -> None:
    model = model_ids(site)[0]
    for path, file in (("/", "index.html"), (f"/mo-hinh/{model}/", f"mo-hinh/{model}/index.html")):
        plain = (site / file).read_bytes()
        status, headers, body = get(nginx, path, "br, gzip")
        assert status == 200 and headers["content-encoding"] == "br"
        assert body == (site / f"{file}.br").read_bytes() and brotli.decompress(body) == plain
        status, headers, body = get(nginx, path, "gzip")
        assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain
        status, headers, body = get(nginx, path)
        assert status == 200 and "content-encoding" not in headers and body == plain
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["cache-control"] == "public, max-age=300"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_the_header_policy_is_the_one_the_pages_carry(nginx: int, site: Path) -> None:
    """Once the theme declares its policy in a <meta http-equiv>, the server sends the very same one
    (plus frame-ancestors, which only a header can carry)."""
    _, headers, _ = get(nginx, "/")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"',
                     (site / "index.html").read_text("utf-8"))
    sent = policy(headers["content-security-policy"])
    assert sent.pop("frame-ancestors") == "'none'"
    if meta:
        assert sent == policy(meta[1].replace("&#39;", "'"))
    assert sent["default-src"] == "'self'" and "'unsafe-inline'" not in headers["content-security-policy"]


def test_hashed_theme_files_are_immutable_for_a_year(nginx: int, site: Path) -> None:
    name = HASHED.search((site / "index.html").read_text("utf-8"))
    assert name, "the home page links its stylesheet by a content-hashed name"
    status, headers, body = get(nginx, f"/{name[1]}", "br")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert brotli.decompress(body) == (site / "style.css").read_bytes()
    assert "accept-encoding" in headers.get("vary", "").lower()
    _, headers, _ = get(nginx, "/style.css")
    assert headers["cache-control"] == "public, max-age=300"


def test_missing_pages_get_the_sites_404_with_its_status(nginx: int, site: Path) -> None:
    for path in ("/khong-co-trang-nay/", "/mo-hinh/khong-co/", "/.showcase-manifest.json", f"/{REDIRECTS_MAP}"):
        status, headers, body = get(nginx, path)
        assert status == 404, path
        assert body == (site / "404.html").read_bytes()
        assert headers["x-content-type-options"] == "nosniff" and "content-security-policy" in headers


def test_an_old_id_is_a_permanent_redirect_to_the_renamed_page(nginx: int, site: Path) -> None:
    new = model_ids(site)[0]
    status, headers, _ = get(nginx, f"/mo-hinh/{OLD_ID}/")
    assert status == 301 and headers["location"].endswith(f"/mo-hinh/{new}/")
    page = (site / "mo-hinh" / OLD_ID / "index.html").read_text("utf-8")
    assert f'content="0; url=/mo-hinh/{new}/"' in page and f'href="/mo-hinh/{new}/"' in page


def test_the_theme_runs_under_the_servers_policy(nginx: int, site: Path, browser: Any) -> None:
    """Real Chromium (the session's) through nginx: no page of each kind trips the Content-Security-Policy."""
    model = model_ids(site)[0]
    pages = ["/", f"/mo-hinh/{model}/", "/ban-do/", "/tim-kiem/?q=lon", "/tham-quan/"]
    page = browser.new_page()
    try:
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        for path in pages:
            assert (site / path.split("?")[0].lstrip("/") / "index.html").is_file(), path
            page.goto(f"http://127.0.0.1:{nginx}{path}", wait_until="networkidle")
            assert page.evaluate("window.__csp") == [], path
        # The search ran under the policy too: it found something.
        page.goto(f"http://127.0.0.1:{nginx}/tim-kiem/?q=l%E1%BB%A3n", wait_until="networkidle")
        page.wait_for_function("document.querySelectorAll('main a[href*=\"/mo-hinh/\"]').length > 0",
                               timeout=15000)
        assert page.evaluate("window.__csp") == []
    finally:
        page.close()


def test_the_teams_editor_starts_under_its_own_policy(nginx: int, browser: Any) -> None:
    """`showcase admin-config` output served at /admin/: Decap CMS starts (its login screen, in Vietnamese)
    with no CSP violation and no script error."""
    from playwright.sync_api import expect

    status, headers, _ = get(nginx, "/admin/")
    assert status == 200 and "'unsafe-inline'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page.goto(f"http://127.0.0.1:{nginx}/admin/")
        expect(page.get_by_role("button", name=re.compile("Đăng nhập"))).to_be_visible(timeout=30000)
        assert page.evaluate("window.__csp") == [] and errors == []
    finally:
        page.close()


def test_a_publish_build_is_deterministic_and_an_unchanged_one_writes_nothing(make_site, tmp_path: Path) -> None:
    root = make_site()
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run_cli(root, "build", "--publish", "--no-search", "--out", str(out)).code == 0
    assert snapshot(first) == snapshot(second)
    page = first / "mo-hinh/trong-hong/index.html"
    assert brotli.decompress((first / "mo-hinh/trong-hong/index.html.br").read_bytes()) == page.read_bytes()
    assert gzip.decompress((first / "mo-hinh/trong-hong/index.html.gz").read_bytes()) == page.read_bytes()
    mtimes = {p: p.stat().st_mtime_ns for p in first.rglob("*")}
    assert run_cli(root, "build", "--publish", "--no-search", "--out", str(first)).code == 0
    assert {p: p.stat().st_mtime_ns for p in first.rglob("*")} == mtimes
    # Without --publish, the same pages link to the plain names and the copies are pruned.
    assert run_cli(root, "build", "--no-search", "--out", str(first)).code == 0
    assert not list(first.rglob("*.br")) and 'href="/style.css"' in page.read_text("utf-8")
