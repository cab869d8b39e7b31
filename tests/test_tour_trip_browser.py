"""A delegation planning a trip, in real Chromium at phone and desktop widths (issue 16).

Home page tasks within the first screen, the visit toggle and count, the printed booklet (read back
from Chromium's PDF with PyMuPDF), offline copies of the visit, and the pages' Vietnamese conventions.
"""
from __future__ import annotations

import re

import pymupdf
import pytest

from conftest import REPO

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
MODELS = sorted(p.stem for p in (REPO / "content" / "models").glob("*.md"))
STORE = "showcase-visit:/"
ADD, REMOVE = "Thêm vào chuyến tham quan", "Bỏ khỏi chuyến tham quan"


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def tab(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


def choose(tab, base: str, ids: list[str]) -> None:
    tab.goto(base)
    tab.evaluate("([key, ids]) => localStorage.setItem(key, JSON.stringify(ids))", [STORE, ids])


def test_home_routes_every_task_within_the_first_screen(tab, sample_url):
    choose(tab, sample_url, MODELS[:2])
    tab.goto(sample_url)
    height = tab.viewport_size["height"]
    tasks = tab.get_by_role("navigation", name="Bắt đầu")
    targets = [tab.get_by_role("searchbox").first,
               tasks.get_by_role("link", name="Bản đồ mô hình"),
               tasks.get_by_role("link", name="Theo tỉnh, thành phố"),
               tasks.get_by_role("link", name="Theo lĩnh vực"),
               tasks.get_by_role("link", name="Theo mùa tham quan"),
               tasks.get_by_role("link", name="Chuyến tham quan của tôi (2)")]
    for target in targets:
        box = target.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, target


def test_the_toggle_sits_near_the_top_says_what_it_will_do_and_the_header_counts(tab, sample_url):
    tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
    facts = tab.get_by_role("definition").filter(has_text="Liên hệ").first
    assert facts.is_visible()
    button = tab.get_by_role("button", name=ADD)
    box = button.bounding_box()
    assert box["y"] + box["height"] <= tab.viewport_size["height"] * 1.5, box   # within a thumb's scroll
    header = tab.locator(".site-header").get_by_role("link", name="Chuyến tham quan (0)")
    assert header.get_attribute("href") == "/tham-quan/"
    button.click()
    assert tab.get_by_role("button", name=REMOVE).is_visible()
    assert tab.locator(".site-header").get_by_role("link", name="Chuyến tham quan (1)").is_visible()
    tab.goto(sample_url + "dia-phuong/")                  # every page shows the count
    assert tab.locator(".site-header").get_by_role("link", name="Chuyến tham quan (1)").is_visible()
    tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
    tab.get_by_role("button", name=REMOVE).click()
    assert tab.get_by_role("button", name=ADD).is_visible()
    assert tab.locator(".site-header").get_by_role("link", name="Chuyến tham quan (0)").is_visible()


def test_a_model_without_a_contact_says_whom_to_ask(tab, sample_url):
    tab.goto(sample_url + "mo-hinh/cua-hang-rau-ma-quang-tho/")
    section = tab.get_by_role("region", name="Tham quan, học tập")
    assert "chưa ghi đầu mối đón đoàn" in section.inner_text()
    assert section.locator("address").inner_text() == "Hội đồng Thi đua – Khen thưởng tỉnh, thành phố nơi có mô hình"


def text_pages(pdf: bytes) -> list[tuple[str, float]]:
    """Each printed page's text and how far down its content reaches (0–1), the page number left out."""
    pages = []
    for page in pymupdf.open(stream=pdf, filetype="pdf"):
        blocks = [b for b in page.get_text("blocks") if not re.fullmatch(r"\s*\d+\s*", b[4])]
        pages.append((page.get_text(), max((b[3] for b in blocks), default=0) / page.rect.height))
    return pages


def test_the_booklet_prints_full_text_numbered_contents_and_a_cover(tab, sample_url):
    chosen = ["trong-hong-loc-yen", "cua-hang-rau-ma-quang-tho", "tet-sum-vay-lang-son", "khu-dan-cu-kieu-mau-can-loc"]
    choose(tab, sample_url, chosen)
    tab.goto(sample_url + "tham-quan/")
    tab.locator(".visit-item").first.wait_for()
    tab.get_by_label("Tên đoàn").fill("Đoàn công tác huyện Thử")
    # Provinces in Vietnamese order by name, not by the level word; headings in sentence case.
    assert tab.locator(".province > h2").all_inner_texts() == ["Tỉnh Hà Tĩnh", "Thành phố Huế", "Tỉnh Lạng Sơn"]
    tab.emulate_media(media="print")
    pages = text_pages(tab.pdf(format="A4"))
    cover = pages[0][0]
    assert "Đoàn công tác huyện Thử" in cover and re.search(r"Ngày in: \d{1,2}/\d{1,2}/\d{4}", cover)
    assert tab.get_by_role("img", name="Mã QR của danh sách này").is_visible()
    entries = tab.locator("#planner-toc li")
    assert entries.count() == len(chosen)
    titles = []
    for entry in entries.all():
        title = entry.get_by_role("link").inner_text()
        number = int(entry.locator(".toc-page").inner_text())
        assert title[:25] in pages[number - 1][0].replace("\n", " "), (title, number)
        titles.append((number, title))
    # Each section has its full text and sources; no page is more than half empty unless a section ends there.
    for _, title in titles:
        tab.get_by_role("heading", name=title)
    text = "\n".join(t for t, _ in pages)
    assert "Bối cảnh" in text and "Nguồn" in text
    starts = {n for n, _ in titles} | {1, 2}
    for index, (_, filled) in enumerate(pages):
        ends_section = index + 2 in starts or index == len(pages) - 1
        assert filled > 0.5 or ends_section, (index + 1, filled)


def test_the_visit_stays_readable_offline_and_leaves_with_its_models(tab, sample_url):
    chosen = ["trong-hong-loc-yen", "tet-sum-vay-lang-son"]
    tab.goto(sample_url)
    tab.evaluate("() => navigator.serviceWorker.ready")
    for model in chosen:
        tab.goto(f"{sample_url}mo-hinh/{model}/")
        tab.get_by_role("button", name=ADD).click()
    cached = "() => caches.open('showcase-visit-v1').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    tab.wait_for_function(f"({cached})().then(p => p.includes('/mo-hinh/tet-sum-vay-lang-son/'))")
    tab.context.set_offline(True)
    try:
        tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
        assert tab.locator("h1").inner_text() == "Mô hình trồng hồng tại xã Lộc Yên"
        tab.goto(sample_url + "tham-quan/")
        tab.locator(".visit-item").nth(1).wait_for()
        assert tab.locator(".visit-item .booklet-full").count() == 2
    finally:
        tab.context.set_offline(False)
    tab.goto(sample_url + "mo-hinh/tet-sum-vay-lang-son/")
    tab.get_by_role("button", name=REMOVE).click()
    tab.wait_for_function(f"({cached})().then(p => !p.includes('/mo-hinh/tet-sum-vay-lang-son/'))")
    assert "/mo-hinh/trong-hong-loc-yen/" in tab.evaluate(cached)


def test_open_data_page_cites_the_data_and_its_table_fits_a_phone(tab, sample_url):
    tab.goto(sample_url + "du-lieu/")
    licence = tab.get_by_role("region", name="Giấy phép").inner_text()
    assert "Chờ" not in licence and "xác nhận" not in licence
    cite = tab.get_by_role("region", name="Cách trích dẫn").inner_text()
    assert re.search(r"dữ liệu ngày \d{1,2}/\d{1,2}/\d{4}", cite)
    overflow = tab.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow == 0
    table = tab.locator("table.schema").first
    assert table.bounding_box()["width"] <= tab.viewport_size["width"]


def test_the_404_search_box_can_be_seen(tab, sample_url):
    tab.goto(sample_url + "404.html")
    field = tab.locator("main input[type=search]")
    edge = field.evaluate("e => getComputedStyle(e).borderTopColor")
    assert edge not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert float(field.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth)")) >= 1


def test_reader_facing_labels_are_plain_vietnamese(tab, sample_url):
    # The open-data page documents file formats and column names: it alone may name JSON and fields.
    for path, words in (("", ("(JSON)", "coordinates")), ("mo-hinh/trong-hong-loc-yen/", ("(JSON)", "coordinates")),
                        ("ban-do/", ("(JSON)", "coordinates")), ("du-lieu/", ())):
        tab.goto(sample_url + path)
        text = tab.locator("body").inner_text()
        for word in ("Atom", "Sơ đồ trang", *words):
            assert word not in text, (path, word)
    tab.goto(sample_url)
    assert tab.get_by_role("link", name="Nhận tin mô hình mới").is_visible()


def test_trip_pages_have_no_axe_violations(tab, sample_url, axe_violations):
    choose(tab, sample_url, ["trong-hong-loc-yen", "khu-dan-cu-kieu-mau-can-loc"])
    for path in ("tham-quan/", "du-lieu/", "mua/", "mo-hinh/cua-hang-rau-ma-quang-tho/"):
        tab.goto(sample_url + path)
        if path == "tham-quan/":
            tab.locator(".visit-item").nth(1).wait_for()
        assert axe_violations(tab) == [], path
