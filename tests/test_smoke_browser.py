"""The built sample site opens in a real browser and its pages link to each other."""
from __future__ import annotations


def test_home_page_links_to_a_model_page(page, sample_url):
    page.goto(sample_url)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Mô hình", exact=True).click()
    page.get_by_role("link", name="Mô hình trồng hồng tại xã Lộc Yên").first.click()
    assert "/mo-hinh/trong-hong-loc-yen/" in page.url
    assert page.locator("h1").inner_text() == "Mô hình trồng hồng tại xã Lộc Yên"
