"""The shortlist in real Chromium: choose models on their pages, plan, share, print a booklet."""
from __future__ import annotations

import re

import pytest

# Two in Lạng Sơn, one in Huế: the planner must group them by province.
CHOSEN = ("trong-hong-loc-yen", "cua-hang-rau-ma-quang-tho", "tet-sum-vay-lang-son")
TOGGLE, REMOVE = "Thêm vào chuyến tham quan", "Bỏ khỏi chuyến tham quan"


@pytest.fixture
def tab(page):
    page.set_default_timeout(5000)
    return page


def add_from_model_page(tab, base: str, model_id: str, *, keyboard: bool) -> str:
    tab.goto(f"{base}mo-hinh/{model_id}/")
    button = tab.get_by_role("button", name=TOGGLE)
    if keyboard:
        button.focus()
        tab.keyboard.press("Space")
    else:
        button.click()
    assert tab.get_by_role("button", name=REMOVE).is_visible()     # the label says what a press does now
    assert "Đã thêm vào chuyến tham quan" in tab.get_by_role("status").first.inner_text()
    return tab.locator("h1").inner_text()


def planned_titles(tab) -> list[str]:
    tab.locator(".visit-item").first.wait_for()
    return tab.locator(".visit-item h3").all_inner_texts()


def test_shortlist_survives_reload_is_shared_by_url_and_prints_as_one_booklet(tab, browser, sample_url):
    titles = [add_from_model_page(tab, sample_url, model_id, keyboard=i == 0)
              for i, model_id in enumerate(CHOSEN)]
    tab.reload()
    assert tab.get_by_role("button", name=REMOVE).is_visible()

    tab.goto(sample_url + "tham-quan/")
    planned = planned_titles(tab)
    assert sorted(planned) == sorted(titles)
    provinces = tab.locator(".province > h2").all_inner_texts()
    assert provinces == ["Thành phố Huế", "Tỉnh Lạng Sơn"]
    assert tab.locator(".province").nth(1).locator(".visit-item").count() == 2

    share = tab.get_by_label("Đường dẫn chia sẻ").input_value()
    assert re.search(r"/tham-quan/\?ds=[a-z0-9,-]+$", share)
    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.set_default_timeout(5000)
        other.goto(share)
        assert planned_titles(other) == planned
        assert other.get_by_text("Bạn đang xem danh sách được chia sẻ").is_visible()
    finally:
        fresh.close()

    tab.emulate_media(media="print")
    for landmark in tab.locator("nav, header, footer, button").all():
        assert not landmark.is_visible()
    assert tab.get_by_text("Sổ tay chuyến tham quan, học tập").is_visible()
    assert [" ".join(t.split()) for t in tab.locator("#planner-toc li").all_inner_texts()] == [
        f"{title} · {province} {page}"       # each model on its own page after the cover and contents
        for title, province, page in zip(planned, ["Thành phố Huế", "Tỉnh Lạng Sơn", "Tỉnh Lạng Sơn"], (3, 4, 5))]
    sections = tab.locator(".visit-item")
    assert sections.count() == 3
    for section in sections.all():
        codes = section.locator("img.qr")
        assert codes.count() == 1 and codes.is_visible()
        assert codes.evaluate("img => img.complete && img.naturalWidth > 0")
    pdf = tab.pdf(format="A4")
    assert page_count(pdf) == 2 + 3                  # cover, contents, one page per (short) model


def test_removing_a_model_updates_the_list_and_announces_it(tab, sample_url):
    tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
    tab.get_by_role("button", name=TOGGLE).click()
    tab.goto(sample_url + "tham-quan/")
    planned_titles(tab)
    # The visible label starts the accessible name; a hidden span names the model.
    tab.get_by_role("button", name=re.compile(r"^Bỏ khỏi danh sách\W+Mô hình trồng hồng tại xã Lộc Yên$")).click()
    assert "Đã bỏ «Mô hình trồng hồng tại xã Lộc Yên». Còn 0 mô hình." in tab.get_by_role("status").inner_text()
    assert tab.get_by_text("Chưa chọn mô hình nào.").is_visible()
    tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
    assert tab.get_by_role("button", name=TOGGLE).is_visible()


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_every_model_page_prints_as_a_brief_of_at_most_two_pages_with_its_qr_code(tab, sample_site, sample_url):
    tab.emulate_media(media="print")
    for folder in sorted((sample_site / "mo-hinh").iterdir()):
        if not (folder / "qr.svg").is_file():
            continue
        tab.goto(f"{sample_url}mo-hinh/{folder.name}/")
        qr = tab.get_by_role("img", name="Mã QR dẫn tới trang này")
        assert qr.is_visible() and qr.evaluate("img => img.naturalWidth > 0"), folder.name
        assert not tab.get_by_role("button", name=TOGGLE).is_visible()
        assert 1 <= page_count(tab.pdf(format="A4")) <= 2, folder.name


def test_without_javascript_the_toggle_stays_hidden(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(sample_url + "mo-hinh/trong-hong-loc-yen/")
        assert tab.locator("button[data-visit]").count() == 1
        assert not tab.locator("button[data-visit]").is_visible()
        tab.goto(sample_url + "tham-quan/")
        assert tab.get_by_text("Trang này cần JavaScript").is_visible()
    finally:
        context.close()


def test_a_card_on_a_listing_adds_its_model_to_the_visit(tab, sample_url):
    tab.goto(sample_url + "linh-vuc/trong-trot/")
    title = "Mô hình trồng hồng tại xã Lộc Yên"
    # The accessible name starts with the visible label and names the model (a hidden span).
    tab.get_by_role("button", name=re.compile(rf"^{TOGGLE}\W+{title}$")).click()
    assert tab.get_by_role("button", name=re.compile(rf"^{REMOVE}\W+{title}$")).is_visible()
    assert "Đã thêm vào chuyến tham quan (1 mô hình)" in tab.get_by_role("status").inner_text()
    tab.goto(sample_url + "tham-quan/")
    assert planned_titles(tab) == [title]
