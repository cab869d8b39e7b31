"""What a reader gets from the default theme, checked in headless Chromium driven by Playwright.

Accessibility with axe-core injected into each page, reflow at 320 px and 400 % zoom, reading with
JavaScript off, keyboard focus and printing to A4.
"""
from __future__ import annotations

import re

import pytest

from conftest import REPO, inject_axe
from tests.browser.pages import KEY_PAGES

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# Pages of the tiny site that fill every optional field: the fact box, figures, images, chart.
RICH_PAGES = {"rich model": "mo-hinh/to-hop-tac/", "rich locality": "dia-phuong/xa-moi/"}
# A middle page of a listing cut into pages (the sample built with `page_size: 4`): the pager.
PAGED_PAGES = {"listing page 2": "mo-hinh/trang/2/"}
ALL_PAGES = [("sample_url", p) for p in KEY_PAGES.values()] + [("rich_url", p) for p in RICH_PAGES.values()] \
    + [("paged_url", p) for p in PAGED_PAGES.values()]
PAGE_IDS = [*KEY_PAGES, *RICH_PAGES, *PAGED_PAGES]


@pytest.fixture
def open_page(request, browser):
    """Open (site fixture, path) in a fresh context with the given options; closed after the test."""
    contexts = []

    def open_(site: str, path: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        tab = context.new_page()
        response = tab.goto(request.getfixturevalue(site) + path)
        assert response is not None and response.ok
        return tab

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("site", "path"), ALL_PAGES, ids=PAGE_IDS)
def test_axe_finds_no_violations_and_headings_are_ordered(open_page, site, path):
    assert AXE.exists(), "axe-core is missing: run `make test` (it installs the npm tools)"
    tab = open_page(site, path)
    inject_axe(tab)
    violations = tab.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
        resultTypes: ['violations']})).violations.map(v => `${v.id}: ${v.nodes.map(n => n.target).join(' ')}`)""")
    assert violations == []
    levels = tab.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, {"width": 320, "height": 256}],
                         ids=["320px", "400% zoom of 1280x1024"])
def test_no_horizontal_scrolling_on_narrow_screens(open_page, viewport):
    for site, path in ALL_PAGES:
        tab = open_page(site, path, viewport=viewport)
        overflow = tab.evaluate("""() => [document.documentElement.scrollWidth - innerWidth,
            ...[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
               .map(e => e.tagName + '.' + e.className)]""")
        assert overflow == [0], (path, overflow)


def test_reading_and_browsing_work_with_javascript_off(open_page):
    tab = open_page("sample_url", "", java_script_enabled=False)
    tab.get_by_role("link", name=re.compile(r"^Tất cả \d+ mô hình$")).click()
    tab.get_by_role("navigation", name="Sắp xếp").get_by_role("link", name="mới cập nhật").click()
    assert tab.url.endswith("/mo-hinh/moi-cap-nhat/")
    tab.get_by_role("link", name="Xây dựng khu dân cư kiểu mẫu góp sức xóa đói, giảm nghèo ở huyện Can Lộc").click()
    tab.get_by_role("link", name="huyện Can Lộc").first.click()
    assert tab.locator("h1").inner_text() == "huyện Can Lộc"
    chart = tab.get_by_role("img", name=re.compile("Biểu đồ tỷ lệ hộ nghèo"))
    assert chart.is_visible() and chart.bounding_box()["height"] > 100
    assert tab.get_by_role("table").get_by_role("row").count() == 3


def test_keyboard_users_get_a_skip_link_and_a_visible_focus(open_page):
    tab = open_page("sample_url", KEY_PAGES["model"])
    tab.keyboard.press("Tab")
    skip = tab.locator(":focus")
    assert skip.inner_text() == "Bỏ qua, đến nội dung chính"
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 50
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    focused = tab.locator(":focus")
    assert focused.evaluate("e => e.closest('main') !== null")     # the header was skipped
    assert float(focused.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)")) >= 2


def test_a_model_prints_on_at_most_two_a4_pages_without_navigation(open_page):
    for site, path in [("sample_url", KEY_PAGES["model"]), ("rich_url", RICH_PAGES["rich model"]),
                       ("sample_url", "mo-hinh/khu-dan-cu-kieu-mau-can-loc/")]:
        tab = open_page(site, path)
        tab.emulate_media(media="print")
        assert tab.locator(".site-header").is_hidden() and tab.locator(".site-footer").is_hidden()
        pdf = tab.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, (path, pages)


def test_printed_links_show_their_address(open_page):
    tab = open_page("rich_url", RICH_PAGES["rich model"])
    tab.emulate_media(media="print")
    link = tab.get_by_role("link", name="Bài báo thử thứ nhất")
    after = link.evaluate("e => getComputedStyle(e, '::after').content")
    assert after == '" (https://example.vn/bai-1)"'


def test_the_pager_is_a_row_of_large_links_without_bullets(open_page):
    tab = open_page("paged_url", PAGED_PAGES["listing page 2"], viewport={"width": 1280, "height": 900})
    items = tab.locator("nav.pager li")
    assert items.first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    assert len(tops) == 1, tops                         # one row at desktop width
    number = tab.get_by_role("link", name="Trang 3", exact=True).bounding_box()
    assert number["width"] >= 24 and number["height"] >= 24     # WCAG 2.2 target size
