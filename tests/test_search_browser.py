"""Search as a Vietnamese reader uses it, in real Chromium over the built sample site and its index.

The ranking itself is checked query by query in test_search_relevance.py."""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from conftest import run_cli, serve_directory
from test_search_index import VISITED_MODEL

RESULT_LINKS = "[data-search-results] li h2 a"
STATUS = "[data-search-status]"


def open_search(page, sample_url: str, **params: str) -> list[str]:
    """Open /tim-kiem/ with URL parameters; return the result paths in order once they are shown."""
    query = urlencode([(k.replace("_", "-"), v) for k, v in params.items()], quote_via=quote)
    page.goto(f"{sample_url}tim-kiem/{'?' + query if query else ''}")
    return wait_for_results(page)


def wait_for_results(page) -> list[str]:
    """Wait until the search page is loaded and no search is running; return the result paths."""
    page.wait_for_selector("#tim-kiem[data-ready]:not([aria-busy])", state="attached", timeout=10_000)
    return [_path(href) for href in page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")]


def all_results(page) -> list[str]:
    """Press "Xem thêm kết quả" until every result is shown (five at a time); return them all."""
    more = page.get_by_role("button", name="Xem thêm kết quả")
    for _ in range(20):
        if more.is_hidden():
            break
        shown = page.locator("[data-search-results] li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('[data-search-results] li').length > {shown}")
    return wait_for_results(page)


def open_filters(page) -> None:
    """Open "Bộ lọc" and wait until its filters, loaded on first opening, show their counts."""
    page.locator("summary", has_text="Bộ lọc").click()
    page.wait_for_selector("[data-search-filters] .count:not(:empty)", timeout=10_000)
    wait_for_results(page)


def _path(href: str) -> str:
    return "/" + href.split("://", 1)[1].split("/", 1)[1]


POULTRY = "/mo-hinh/chan-nuoi-gia-cam-lien-ho-hai-duong/"
PIGGY_BANK = "/mo-hinh/clb-nuoi-heo-dat-dien-bien/"
PERSIMMON = "/mo-hinh/trong-hong-loc-yen/"
VEGETABLE_SHOP = "/mo-hinh/cua-hang-rau-ma-quang-tho/"


def test_results_show_the_summary_with_the_typed_words_marked(page, sample_url):
    # "HTX" is not written on the shop's page ("hợp tác xã" is): found through the synonym, shown with
    # its summary; a word of the summary is marked, in the title too, whatever the diacritics typed.
    assert open_search(page, sample_url, q="HTX")[0] == VEGETABLE_SHOP
    summary = page.locator("[data-search-results] li .excerpt").first
    assert summary.inner_text().startswith("Cửa hàng rau má tại xã Quảng Thọ, huyện Quảng Điền (Thừa Thiên Huế")
    assert summary.locator("mark").count() == 0
    assert open_search(page, sample_url, q="rau ma")[0] == VEGETABLE_SHOP
    first = page.locator("[data-search-results] li").first
    assert first.locator("h2 mark").all_inner_texts() == ["rau", "má"]
    assert {m.lower() for m in first.locator(".excerpt mark").all_inner_texts()} == {"rau", "má"}


def test_commune_name_with_or_without_diacritics_finds_the_commune_and_its_model(page, sample_url):
    for query in ("Lộc Yên", "loc yen", "LOC YEN"):
        assert set(open_search(page, sample_url, q=query)[:2]) == {PERSIMMON, "/dia-phuong/loc-yen/"}, query


def test_old_and_new_province_names_find_the_poultry_model(page, sample_url):
    assert set(open_search(page, sample_url, q="Hải Dương")[:2]) == {"/dia-phuong/hai-duong/", POULTRY}
    assert open_search(page, sample_url, q="Hải Phòng", loai="mo-hinh")[0] == POULTRY   # its current city


def test_with_and_without_diacritics_find_the_same_pages(page, sample_url):
    assert sorted(open_search(page, sample_url, q="Điện Biên")) == sorted(open_search(page, sample_url, q="dien bien"))
    assert len(open_search(page, sample_url, q="dien bien")) == 4   # three models and the province


def test_exact_diacritics_rank_first_but_folded_matches_follow(page, sample_url):
    open_search(page, sample_url, q="tam")
    folded = all_results(page)
    open_search(page, sample_url, q="tâm")
    exact = all_results(page)
    assert sorted(folded) == sorted(exact)
    assert exact[0] != folded[0] == "/mo-hinh/xoa-nha-tam-dien-bien/"
    # every page with "tâm" itself comes before the pages that only have "tạm", "tám" or "tam"
    has_word = [bool(re.search(r"(?<!\w)tâm(?!\w)", page.request.get(sample_url + path[1:]).text().lower()))
                for path in exact]
    assert has_word == sorted(has_word, reverse=True) and True in has_word and False in has_word, has_word


def test_former_district_name_finds_its_communes_models(page, sample_url):
    results = open_search(page, sample_url, q="Cao Lộc")   # district abolished in 2025
    # The gazetteer adds xã Cao Lộc, the commune xã Lộc Yên went into in 2025: same name, either first.
    assert "/dia-phuong/cao-loc/" in results[:2] and "/dia-phuong/xa-cao-loc/" in results[:2]
    # Then tỉnh Lạng Sơn, which the abolished district is part of now (its name is one the province took
    # in: the same weight finds thành phố Huế for "Quảng Điền", tests/test_gazetteer_browser.py), and the model.
    assert results[2:4] == ["/dia-phuong/lang-son/", PERSIMMON]
    quang_dien = open_search(page, sample_url, q="Quảng Điền", loai="mo-hinh")
    assert VEGETABLE_SHOP in quang_dien   # the shop is in xã Quảng Thọ, huyện Quảng Điền


def test_model_is_found_by_commune_district_and_province(page, sample_url):
    for place in ("Lộc Yên", "Cao Lộc", "Lạng Sơn"):
        assert PERSIMMON in open_search(page, sample_url, q=place, loai="mo-hinh"), place


def test_filter_combined_with_query(page, sample_url):
    open_search(page, sample_url, q="hỗ trợ")
    unfiltered = all_results(page)
    results = open_search(page, sample_url, q="hỗ trợ", tinh="dien-bien", loai="mo-hinh")
    assert results[0] == "/mo-hinh/to-ho-tro-von-dien-bien/"
    assert all(r.startswith("/mo-hinh/") and r.endswith("-dien-bien/") for r in results)
    assert set(results) < set(unfiltered)
    assert page.locator("input[name=tinh][value=dien-bien]").is_checked()


def test_filters_alone_list_matching_pages_by_name(page, sample_url):
    assert open_search(page, sample_url, linh_vuc="an-sinh-xa-hoi") == [
        "/mo-hinh/tet-sum-vay-lang-son/", "/mo-hinh/dia-chi-nhan-dao-lang-son/", "/mo-hinh/cung-em-vuot-kho-lang-son/"]
    # a merged province's model is listed under the province it now belongs to
    assert open_search(page, sample_url, tinh="hai-phong", loai="mo-hinh") == [POULTRY]
    # two values of one filter widen the list (any of them); another filter narrows it (all filters)
    page.goto(f"{sample_url}tim-kiem/?linh-vuc=nha-o&linh-vuc=chan-nuoi")
    assert len(wait_for_results(page)) == 3
    page.goto(f"{sample_url}tim-kiem/?linh-vuc=nha-o&linh-vuc=chan-nuoi&tinh=dien-bien")
    assert wait_for_results(page) == ["/mo-hinh/xoa-nha-tam-dien-bien/"]


@pytest.mark.parametrize(("typo", "suggestion"), [("Dien Bein", "Điện Biên"), ("Loc Yne", "Lộc Yên")])
def test_typo_gets_closest_names_and_listing_links(page, sample_url, typo, suggestion):
    open_search(page, sample_url, q=typo)
    box = page.locator("[data-search-suggest]")
    box.wait_for(state="visible")
    assert box.get_by_role("link", name=suggestion, exact=True).count() == 1
    box.get_by_role("link", name=suggestion, exact=True).click()
    assert wait_for_results(page)[0].endswith(("-dien-bien/", "/dien-bien/", "loc-yen/"))


def test_unknown_word_gets_listings_not_a_dead_end(page, sample_url):
    assert open_search(page, sample_url, q="xyzzyq") == []
    assert "Không tìm thấy" in page.locator(STATUS).inner_text()
    assert page.locator("[data-search-suggest]").get_by_role("link", name="tất cả mô hình").count() == 1


def test_without_javascript_the_search_page_explains_and_links_listings(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sample_url)
        box = page.locator("header form.search-box")
        box.get_by_label("Tìm mô hình, địa phương").fill("lợn")
        box.get_by_role("button", name="Tìm").click()
        assert page.url.endswith("/tim-kiem/?q=l%E1%BB%A3n")
        assert "Tìm kiếm cần JavaScript" in page.locator("main").inner_text()
        assert not page.get_by_role("search", name="Tìm mô hình và địa phương").is_visible()
        page.get_by_role("link", name="Mô hình theo lĩnh vực").click()
        assert page.url.endswith("/linh-vuc/")
    finally:
        context.close()


def test_results_as_you_type_and_the_url_keeps_the_search(page, sample_url):
    open_search(page, sample_url)
    assert page.locator(STATUS).inner_text() == ""
    page.get_by_label("Từ khóa").press_sequentially("loc yen")
    results = wait_for_results(page)
    # then the district and, from the gazetteer, xã Cao Lộc, which xã Lộc Yên is part of since 2025
    assert set(results[:2]) == {"/dia-phuong/loc-yen/", PERSIMMON}
    assert sorted(results[2:]) == ["/dia-phuong/cao-loc/", "/dia-phuong/xa-cao-loc/"]
    assert page.url.endswith("/tim-kiem/?q=loc+yen")
    assert page.locator("[data-search-results] mark").first.inner_text() in ("Lộc", "lộc")
    open_filters(page)
    page.get_by_role("group", name="Loại trang").get_by_label("Mô hình").check()
    page.wait_for_url("**/tim-kiem/?q=loc+yen&loai=mo-hinh")
    assert wait_for_results(page) == [PERSIMMON]
    # the back button undoes the filter, then leaving for a result and coming back restores it all
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] li').length === 4")
    assert not page.get_by_role("group", name="Loại trang").get_by_label("Mô hình").is_checked()
    page.get_by_role("link", name="Mô hình trồng hồng tại xã Lộc Yên").click()
    page.wait_for_url("**/mo-hinh/trong-hong-loc-yen/")
    page.go_back()
    assert PERSIMMON in wait_for_results(page)[:2]
    assert page.get_by_label("Từ khóa").input_value() == "loc yen"


def test_first_search_loads_no_filter_or_sort_files_until_they_are_used(page, sample_url):
    # Bandwidth: a plain query fetches the manifest, the chunks of its words and the cards shown.
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.rsplit("/", 1)[1]))
    open_search(page, sample_url, q="lợn")
    assert "manifest.gz" in fetched and any(name.startswith("k-") for name in fetched)
    assert not [name for name in fetched if name.startswith(("f-", "s-")) or "pagefind" in name]
    open_filters(page)
    assert any(name.startswith("f-") for name in fetched) and not any(name.startswith("s-") for name in fetched)
    page.get_by_label("Sắp xếp").select_option("ten")
    wait_for_results(page)
    assert any(name.startswith("s-ten") for name in fetched)
    # A shared link with a filter loads the filters at once, opens them on a wide screen, the value checked.
    open_search(page, sample_url, tinh="dien-bien")
    assert page.locator("[data-search-filters]").evaluate("el => el.open")
    assert page.get_by_role("group", name="Tỉnh, thành phố").get_by_label("Điện Biên", exact=False).is_checked()


def test_filter_counts_and_keyboard_use(page, sample_url):
    open_search(page, sample_url, q="Điện Biên")
    open_filters(page)
    kinds = page.get_by_role("group", name="Loại trang")
    assert kinds.get_by_label("Mô hình (3)", exact=True).count() == 1
    assert kinds.get_by_label("Địa phương (1)", exact=True).count() == 1
    assert "Tìm thấy 4 kết quả" in page.locator(STATUS).inner_text()
    page.get_by_label("Từ khóa").focus()
    page.keyboard.press("ArrowDown")
    first = page.locator(RESULT_LINKS).first
    assert first.evaluate("el => el === document.activeElement")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.get_by_label("Từ khóa").evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert wait_for_results(page)


def test_sorting_by_name_and_by_update(page, sample_url):
    assert len(open_search(page, sample_url, loai="mo-hinh", sap_xep="ten")) == 5
    page.get_by_role("button", name="Xem thêm kết quả").click()
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] li').length === 10")
    assert page.locator(RESULT_LINKS).nth(5).evaluate("el => el === document.activeElement")
    assert len(all_results(page)) == 16
    assert page.get_by_role("button", name="Xem thêm kết quả").is_hidden()
    titles = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.textContent)")
    assert titles[0].startswith("Câu lạc bộ") and titles[-1].startswith("Xóa nhà tạm")
    assert open_search(page, sample_url, q="Điện Biên", sap_xep="cap-nhat")   # every model has a date


def test_search_page_has_no_axe_violations(page, sample_url, axe_violations):
    open_search(page, sample_url, q="Dien Bein")
    page.locator("[data-search-suggest]").wait_for(state="visible")
    open_filters(page)
    assert axe_violations(page) == []
    open_search(page, sample_url, q="lợn")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_header_search_box_fits_phones_and_desktop(browser, sample_url, width):
    page = browser.new_page(viewport={"width": width, "height": 700})
    try:
        page.goto(f"{sample_url}mo-hinh/trong-hong-loc-yen/")
        field = page.get_by_role("searchbox", name="Tìm mô hình, địa phương")   # the label's hidden text
        button = page.locator(".search-box button")
        f, b = field.bounding_box(), button.bounding_box()
        assert abs((f["y"] + f["height"] / 2) - (b["y"] + b["height"] / 2)) < 2    # one row
        assert f["height"] >= 40 and b["height"] >= 40 and b["width"] >= 44        # easy to tap
        assert b["x"] + b["width"] <= width - 8 and f["width"] >= 200
        assert page.evaluate("document.documentElement.scrollWidth") <= width      # no sideways scrolling
        brand = page.locator(".brand").bounding_box()
        if width >= 1000:   # beside the site's name, the menu on its own row below
            assert abs((brand["y"] + brand["height"] / 2) - (f["y"] + f["height"] / 2)) < 12
            assert page.locator(".site-header nav").bounding_box()["y"] > f["y"] + f["height"]
        else:               # its own full-width row under the name
            assert f["y"] > brand["y"] + brand["height"] - 4
        field.fill("loc yen")
        field.press("Enter")
        page.wait_for_url("**/tim-kiem/?q=loc+yen")
    finally:
        page.close()


VISITS_NOT_ACCEPTED = """\
---
title: Dệt thổ cẩm ở xã Lộc Yên
summary: Tổ dệt giúp phụ nữ có thêm việc làm.
locality: loc-yen
sectors: [trong-trot]
visiting: {accepts_visits: false, best_months: [3]}
---
Nội dung.
"""


def test_visits_and_best_months_filters_in_the_browser(make_site, tmp_path, page):
    # The sample content has no visiting data, so these two filters are tried on a tiny site of three
    # models: one takes visits in September and October, one takes none (March), one says nothing.
    root = make_site({"content/models/nuoi-lon.md": VISITED_MODEL, "content/models/det-tho-cam.md": VISITS_NOT_ACCEPTED})
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    pig, weaving = "/mo-hinh/nuoi-lon/", "/mo-hinh/det-tho-cam/"
    with serve_directory(out) as url:
        # a shared link with "accepts visits" opens the filters with the box checked
        assert open_search(page, url, tham_quan="co") == [pig]
        visits = page.get_by_role("group", name="Đón đoàn tham quan")
        assert visits.get_by_label("Có (1)", exact=True).is_checked()
        # months: any chosen month matches, and "accepts visits" narrows again
        open_search(page, url)
        open_filters(page)
        months = page.get_by_role("group", name="Tháng nên đến")
        assert months.locator("input").evaluate_all("boxes => boxes.map(b => b.value)") == ["3", "9", "10"]
        months.get_by_label("Tháng 9").check()
        page.wait_for_url("**/tim-kiem/?thang=9")
        assert wait_for_results(page) == [pig]
        months.get_by_label("Tháng 3").check()
        page.wait_for_url("**/tim-kiem/?thang=3&thang=9")
        assert sorted(wait_for_results(page)) == sorted([pig, weaving])
        assert months.get_by_label("Tháng 10 (1)", exact=True).count() == 1    # counts follow the search
        page.get_by_role("group", name="Đón đoàn tham quan").get_by_label("Có").check()
        page.wait_for_url("**/tim-kiem/?tham-quan=co&thang=3&thang=9")   # in the order of the form
        assert wait_for_results(page) == [pig]
        page.go_back()
        assert sorted(wait_for_results(page)) == sorted([pig, weaving])


@pytest.fixture
def phone(browser):
    """A phone: 390 px wide, touch, no hover."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    yield context.new_page()
    context.close()


def test_on_a_phone_results_come_first_and_filters_wait_in_a_closed_panel(phone, sample_url):
    results = open_search(phone, sample_url, q="Điện Biên", tinh="dien-bien")
    assert results
    first = phone.locator(RESULT_LINKS).first.bounding_box()
    assert first["y"] + first["height"] < 800                        # on the first screen
    panel = phone.locator("[data-search-filters]")
    assert not panel.evaluate("el => el.open")                       # a shared filter does not push them down
    assert "1 đang chọn" in panel.locator("summary").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The hint speaks of typing, not of arrow keys a touch screen does not have.
    hint = phone.locator("#q-goi-y")
    assert "Kết quả hiện ngay khi gõ" in hint.inner_text() and "↓" not in hint.inner_text()
    # Opened, the panel ends with a button back to the results.
    panel.locator("summary").click()
    phone.wait_for_selector("[data-search-filters] .count:not(:empty)", timeout=10_000)
    wait_for_results(phone)
    phone.get_by_role("button", name="Xem kết quả").click()
    assert not panel.evaluate("el => el.open")
    assert 0 <= phone.locator(RESULT_LINKS).first.bounding_box()["y"] < 800


def test_keyboard_hint_shows_with_a_mouse_and_keyboard(page, sample_url):
    open_search(page, sample_url)
    assert "phím ↓ để đến kết quả" in page.locator("#q-goi-y").inner_text()


def test_counts_are_models_only_and_follow_the_other_filters(page, sample_url):
    open_search(page, sample_url, q="Điện Biên")
    open_filters(page)
    provinces = page.get_by_role("group", name="Tỉnh, thành phố")
    assert provinces.locator("label", has_text="Điện Biên").inner_text().endswith("(3)")   # models, not the province
    sectors = page.get_by_role("group", name="Lĩnh vực")
    before = {label.split(" (")[0]: label for label in sectors.locator("label").all_inner_texts()}
    ticked = next(name for name, label in before.items() if not label.endswith("(0)"))
    sectors.get_by_label(ticked).check()
    wait_for_results(page)
    after = {label.split(" (")[0]: label for label in sectors.locator("label").all_inner_texts()}
    assert after == before            # ticking a value leaves the counts of its own group as they were
    kinds = page.get_by_role("group", name="Loại trang")
    assert kinds.get_by_label("Địa phương (0)", exact=True).count() == 1        # other groups follow it


def test_text_typed_before_the_index_arrives_is_kept_and_searched(page, sample_url):
    def slow(route):
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/manifest.gz", slow)
    page.goto(f"{sample_url}tim-kiem/")
    field = page.get_by_label("Từ khóa")
    field.wait_for(state="visible")
    field.press_sequentially("loc yen")
    assert wait_for_results(page)[:2] and PERSIMMON in wait_for_results(page)[:2]
    assert field.input_value() == "loc yen" and page.url.endswith("?q=loc+yen")
