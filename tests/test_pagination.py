"""Long listings are split into pages of `page_size` models: every model once, in order, linked both ways.

The sample site is built twice: as configured (16 models fit one page of 50) and with `page_size: 4`.
The pages of the second must hold exactly the list of the first, cut into pieces.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from conftest import MINIMAL_CONFIG, PAGE_SIZE, run_cli

CARD = re.compile(r'<li class="card[^"]*">.*?<a href="(/mo-hinh/[^"/]+/)"', re.S)
# Two orderings of all models, a facet of several pages and one of exactly one full page.
LISTINGS = ["mo-hinh/", "mo-hinh/moi-cap-nhat/", "vung/trung-du-mien-nui-phia-bac/",
            "vung/bac-trung-bo-duyen-hai-mien-trung/"]


def cards(html: str) -> list[str]:
    return CARD.findall(html.split('<ul class="cards">', 1)[1].split("</ul>", 1)[0]) if 'class="cards"' in html else []


def pages_of(site: Path, listing: str) -> list[str]:
    """The HTML of every page of a listing, following its numbered folders until one is missing."""
    pages = [(site / listing / "index.html").read_text("utf-8")]
    while (site / listing / "trang" / str(len(pages) + 1) / "index.html").is_file():
        pages.append((site / listing / "trang" / str(len(pages) + 1) / "index.html").read_text("utf-8"))
    return pages


def test_each_listing_is_the_unpaged_list_cut_into_pages(sample_site: Path, paged_site: Path) -> None:
    for listing in LISTINGS:
        whole = cards((sample_site / listing / "index.html").read_text("utf-8"))
        pages = pages_of(paged_site, listing)
        assert len(pages) == math.ceil(len(whole) / PAGE_SIZE), listing
        assert [c for page in pages for c in cards(page)] == whole, listing
        assert all(len(cards(page)) == PAGE_SIZE for page in pages[:-1]), listing


def test_pages_link_to_each_other_and_say_which_one_they_are(paged_site: Path) -> None:
    pages = pages_of(paged_site, "mo-hinh/")
    assert len(pages) > 2
    urls = ["/mo-hinh/"] + [f"/mo-hinh/trang/{n}/" for n in range(2, len(pages) + 1)]
    for number, html in enumerate(pages, 1):
        nav = html.split('<nav class="pager" aria-label="Phân trang">', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="{urls[number - 1]}" aria-current="page" aria-label="Trang {number}">{number}</a>' in nav
        assert ('rel="prev"' in nav) == (number > 1) and ('rel="next"' in nav) == (number < len(pages))
        if number > 1:
            assert f'<a href="{urls[number - 2]}" rel="prev">' in nav
            assert f"<title>Tất cả mô hình, trang {number} · " in html
            assert f'<link rel="canonical" href="https://mohinhgiamngheo.example.vn{urls[number - 1]}">' in html
    sitemap = (paged_site / "sitemap.xml").read_text("utf-8")
    assert all(f"<loc>https://mohinhgiamngheo.example.vn{url}</loc>" in sitemap for url in urls)


def test_short_listings_have_no_pager(sample_site: Path) -> None:
    # Listing pages are never search documents: the index holds entries only (test_search_index.py).
    assert 'class="pager"' not in (sample_site / "mo-hinh" / "index.html").read_text("utf-8")
    assert not (sample_site / "mo-hinh" / "trang").exists()


def test_json_ld_numbers_items_across_pages(paged_site: Path) -> None:
    total = len(json.loads((paged_site / "du-lieu" / "models.json").read_text("utf-8"))["models"])
    html = (paged_site / "mo-hinh" / "trang" / "2" / "index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    items = data["mainEntity"]["itemListElement"]
    assert data["mainEntity"]["numberOfItems"] == total
    assert [i["position"] for i in items] == list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1))
    assert [i["url"].removeprefix("https://mohinhgiamngheo.example.vn") for i in items] == cards(html)


def test_a_page_size_that_is_not_a_positive_whole_number_is_located(make_site) -> None:
    root = make_site(config=MINIMAL_CONFIG + "page_size: 0\n")
    result = run_cli(root, "build")
    assert result.code == 2
    assert result.err.splitlines()[0] == "site.yaml:9:12: lỗi: site.yaml: 'page_size' phải là số nguyên dương"
