"""The default theme's HTML, read back from built sites: metadata, validity, weight, chart, content.

Browser-free checks; what a reader sees in Chromium is in test_theme_browser.py.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import yaml

from conftest import REPO, run_cli

BASE_URL = "https://mohinhgiamngheo.example.vn"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WEIGHT_LIMIT = 30 * 1024


class Head(HTMLParser):
    """Collect what the <head> says about a page, and every <script> and stylesheet in it."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.scripts: list[tuple[str | None, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link":
            self.links.setdefault(a["rel"], []).append(a.get("href") or a.get("imagesrcset", ""))
        elif tag in ("title", "script"):
            self._in = tag
            if tag == "script":
                self.scripts.append((a.get("type"), a.get("src") or ""))

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text("utf-8"))
    return head


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def jsonld(head: Head) -> dict:
    [text] = [text for kind, text in head.scripts if kind == "application/ld+json"]
    return json.loads(text)


def url_of(site: Path, page: Path) -> str:
    return BASE_URL + "/" + page.relative_to(site).as_posix().removesuffix("index.html")


def test_every_page_has_a_unique_title_and_description(sample_site):
    heads = {p: parse(p) for p in html_pages(sample_site)}
    titles = [h.title for h in heads.values()]
    descriptions = [h.meta["description"] for h in heads.values()]
    assert all(titles) and all(descriptions)
    assert len(set(titles)) == len(titles), [t for t in titles if titles.count(t) > 1]
    assert len(set(descriptions)) == len(descriptions), [d for d in descriptions if descriptions.count(d) > 1]


def test_canonical_and_share_tags_use_the_base_url_from_site_yaml(sample_site):
    for page in html_pages(sample_site):
        head = parse(page)
        if page.name == "404.html":  # a 404 has no address of its own
            assert "canonical" not in head.links and "og:url" not in head.meta
            continue
        assert head.links["canonical"] == [url_of(sample_site, page)]
        assert head.meta["og:url"] == url_of(sample_site, page)
        assert head.meta["og:title"] and head.meta["og:description"] == head.meta["description"]
        model = re.fullmatch(r"mo-hinh/(?!trang/|moi-cap-nhat/)[a-z0-9-]+/index\.html",
                             page.relative_to(sample_site).as_posix())
        if model:   # no sample model has a photo: each shares its card (issue 16)
            card = head.meta["og:image"].removeprefix(BASE_URL + "/")
            assert re.fullmatch(r"mo-hinh/[a-z0-9-]+/the-chia-se-[0-9a-f]{16}\.png", card) and (sample_site / card).is_file()
            assert head.meta["twitter:card"] == "summary_large_image"
        else:
            assert head.meta["twitter:card"] == "summary" and "og:image" not in head.meta
        assert head.links["alternate"] == ["/feed.xml"] and head.links["sitemap"] == ["/sitemap.xml"]


def test_og_image_is_the_models_first_image_as_an_absolute_url(rich_site):
    head = parse(rich_site / "mo-hinh" / "to-hop-tac" / "index.html")
    # The shared image is the processed og variant (issue 8), never the original upload.
    assert re.fullmatch(r"https://example\.vn/images/vuon-og\.[0-9a-f]{10}\.jpg", head.meta["og:image"])
    assert (rich_site / head.meta["og:image"].removeprefix("https://example.vn/")).is_file()
    assert head.meta["og:image:alt"] == "Vườn hồng thử nghiệm"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:type"] == "article"
    assert head.meta["article:modified_time"] == "2024-01-05"
    assert jsonld(head)["@graph"][0]["image"] == head.meta["og:image"]
    # A model without a photo shares its card instead (generator/files/sharecards.py).
    assert "/the-chia-se-" in parse(rich_site / "mo-hinh" / "trong-hong" / "index.html").meta["og:image"]


def test_json_ld_describes_each_kind_of_page(sample_site):
    home = jsonld(parse(sample_site / "index.html"))
    assert home["@type"] == "WebSite" and home["url"] == BASE_URL + "/"
    article, crumbs = jsonld(parse(sample_site / "mo-hinh" / "trong-hong-loc-yen" / "index.html"))["@graph"]
    assert article["@type"] == "Article" and article["headline"] == "Mô hình trồng hồng tại xã Lộc Yên"
    assert article["contentLocation"]["name"] == "xã Lộc Yên" and article["datePublished"] == "2026-11-22"
    assert [c["name"] for c in crumbs["itemListElement"]] == [
        "Mô hình", "tỉnh Lạng Sơn", "huyện Cao Lộc", "xã Lộc Yên", "Mô hình trồng hồng tại xã Lộc Yên"]
    place, _ = jsonld(parse(sample_site / "dia-phuong" / "loc-yen" / "index.html"))["@graph"]
    assert place["@type"] == "AdministrativeArea" and place["containedInPlace"]["name"] == "huyện Cao Lộc"
    listing = jsonld(parse(sample_site / "linh-vuc" / "an-sinh-xa-hoi" / "index.html"))
    assert listing["@type"] == "CollectionPage" and listing["mainEntity"]["numberOfItems"] == 3


# The only scripts: the study-tour enhancements (issues 7, 16). visit.js keeps the header's visit count
# on every page; the planner also draws its cover's QR code; the map and search have their own.
PAGE_SCRIPTS = {"tham-quan/index.html": ["/visit.js", "/vendor/qrcode-generator/qrcode.js", "/planner.js"],
                "tim-kiem/index.html": ["/visit.js", "/search.js"],
                "ban-do/index.html": ["/visit.js", "/vendor/leaflet/leaflet.js", "/map.js"], "*": ["/visit.js"]}
PAGE_STYLES = {"tim-kiem/index.html": ["/style.css", "/search.css"],    # the search UI's own styles
               "tham-quan/index.html": ["/style.css", "/planner.css"],  # the planner and its booklet
               "ban-do/index.html": ["/style.css", "/vendor/leaflet/leaflet.css"]}   # the map's (issue 14)


def test_no_framework_and_one_small_stylesheet_with_system_fonts(sample_site):
    for page in html_pages(sample_site):
        head = parse(page)
        rel = page.relative_to(sample_site)
        allowed = next(s for pattern, s in PAGE_SCRIPTS.items() if rel.match(pattern))
        scripts = [src for kind, src in head.scripts if kind not in ("application/ld+json", "application/json")]
        assert scripts == allowed, page
        assert head.links["stylesheet"] == PAGE_STYLES.get(rel.as_posix(), ["/style.css"]), page
    css = (sample_site / "style.css").read_text("utf-8")
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    assert "system-ui" in css
    assert len(gzip.compress(css.encode())) < 3 * 1024


def test_model_pages_weigh_under_30_kb_compressed(sample_site, rich_site):
    for site in (sample_site, rich_site):
        css = len(gzip.compress((site / "style.css").read_bytes(), 9))
        for page in sorted((site / "mo-hinh").glob("*/index.html")):
            if page.parent.name == "moi-cap-nhat":   # the listing ordered by date, not a model
                continue
            assert len(gzip.compress(page.read_bytes(), 9)) + css <= WEIGHT_LIMIT, page


def test_every_page_passes_the_nu_html_checker(sample_site, rich_site, paged_site):
    java = shutil.which("java")
    assert java, "Java is missing: run `make browser`"
    assert VNU.exists(), "vnu.jar is missing: run `make test` (it installs the npm tools)"
    pages = html_pages(sample_site) + html_pages(rich_site) + sorted(paged_site.glob("**/trang/*/index.html"))
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[:4000]


def test_the_poverty_chart_is_drawn_at_build_time_with_a_table_of_every_point(rich_site):
    html = (rich_site / "dia-phuong" / "xa-moi" / "index.html").read_text("utf-8")
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    assert re.search(r"<title>Biểu đồ tỷ lệ hộ nghèo và cận nghèo của xã Mới theo năm \(%\)</title>", svg)
    poor, near_poor = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(poor.split()) == 3 and len(near_poor.split()) == 2   # 2021 has no near-poor figure
    ys = [float(p.split(",")[1]) for p in poor.split()]
    assert ys[0] > ys[1] > ys[2] or ys[0] < ys[1] < ys[2]        # falling rate: monotone line
    assert ys == sorted(ys)                                        # SVG y grows downwards
    for label in ("4,43", "3,1", "1,7", "6,38", "2,88"):
        assert f">{label}%<" in svg                                # every label carries its unit
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th>.*?href="#nguon-(\d)"', html)
    assert rows == [("2020", "1"), ("2021", "1"), ("2023", "1")]


def test_model_page_shows_every_fact_with_sources_linked_from_figures(rich_site):
    html = (rich_site / "mo-hinh" / "to-hop-tac" / "index.html").read_text("utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    for fact in ("Trung du và miền núi phía Bắc › tỉnh Lạng Sơn › huyện Cũ › xã Mới",
                 "Hội Nông dân xã Mới (Hội Nông dân)", "Ngân hàng thử: cho vay", "Năm 2018 · đang hoạt động",
                 "1.517 hộ; hộ nghèo: 12; hộ cận nghèo: 9", "4,41 triệu đồng/tháng",
                 "Nay thuộc tỉnh Lạng Sơn", "Tên cũ của huyện Cũ: huyện Xưa.", "Phù hợp khi",
                 "tháng 9, tháng 10", "0200 000 000", "Đăng ngày 10/11/2023 · Cập nhật 5/1/2024"):
        assert fact in text, fact
    assert 'href="#nguon-2" class="ref" aria-label="Nguồn 2"' in html and 'id="nguon-2"' in html
    assert '<nav aria-labelledby="muc-luc" class="toc">' in html      # four sections: a table of contents


def test_home_page_explains_the_movement_and_counts_each_facet(sample_site):
    html = (sample_site / "index.html").read_text("utf-8")
    assert "Vì người nghèo – Không để ai bị bỏ lại phía sau" in html
    assert html.count('class="card"') >= 3
    counts = dict(re.findall(r'href="/linh-vuc/([a-z-]+)/">[^<]+</a> <span class="count">\((\d+)\)', html))
    for sector, count in counts.items():
        listed = (sample_site / "linh-vuc" / sector / "index.html").read_text("utf-8").count('class="card"')
        assert int(count) == listed, sector
    assert len(counts) >= 5


def test_all_models_have_two_static_orderings(sample_site):
    by_name = (sample_site / "mo-hinh" / "index.html").read_text("utf-8")
    by_date = (sample_site / "mo-hinh" / "moi-cap-nhat" / "index.html").read_text("utf-8")
    names = re.findall(r'<li class="card">\s*<h2><a href="([^"]+)"', by_name)
    dated = re.findall(r'<li class="card">\s*<h2><a href="([^"]+)"', by_date)
    assert len(names) == 16 and sorted(names) == sorted(dated)
    assert '<a href="/mo-hinh/" aria-current="page">' in by_name
    assert '<a href="/mo-hinh/moi-cap-nhat/" aria-current="page">' in by_date


def test_an_image_without_alt_text_is_a_build_error(make_site, tmp_path):
    model = ("---\ntitle: Mô hình có ảnh\nsummary: Tóm tắt.\nlocality: loc-yen\nsectors: [trong-trot]\n"
             "images:\n  - {src: images/a.png}\n---\n")
    root = make_site({"content/models/co-anh.md": model})
    result = run_cli(root, "build", "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert re.search(r"content/models/co-anh\.md:7:\d+: lỗi: .*alt", result.err), result.err
    assert not (tmp_path / "out").exists()


def test_a_site_overrides_one_template_and_extends_the_default(make_site, tmp_path):
    override = ('{% extends "default/model.html" %}\n'
                '{% block images %}<p class="own">Ảnh riêng</p>{% endblock %}\n')
    root = make_site({"themes/default/templates/model.html": override})
    result = run_cli(root, "build", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.err
    html = (tmp_path / "out" / "mo-hinh" / "trong-hong" / "index.html").read_text("utf-8")
    assert '<p class="own">Ảnh riêng</p>' in html and "<h1>Trồng hồng ở xã Lộc Yên</h1>" in html


def test_home_shows_the_featured_models_named_in_site_yaml_in_order(sample_site):
    featured = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["featured"]
    html = (sample_site / "index.html").read_text("utf-8")
    section = html[html.index('id="tieu-bieu"'):html.index('id="duyet"')]
    assert re.findall(r'href="/mo-hinh/([a-z0-9-]+)/"', section) == featured
