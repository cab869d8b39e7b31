"""Study-tour pages: the map lists every model with coordinates, season pages follow best_months."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MODEL, REPO, run_cli, serve_directory

# Coordinates live on localities: xã Lộc Yên has none and inherits tỉnh Lạng Sơn's; phường Hoàn Kiếm
# has its own; tỉnh Cao Bằng has none at all, so its model cannot be placed.
TOUR_FILES = {
    "content/localities/lang-son.md": "---\nname: tỉnh Lạng Sơn\nlevel: tinh\nregion: trung-du-mien-nui-phia-bac\n"
                                      "coordinates: {lat: 21.85, lon: 106.76}\n---\n",
    "content/localities/ha-noi.md": "---\nname: thành phố Hà Nội\nlevel: thanh-pho\nregion: dong-bang-song-hong\n"
                                    "coordinates: {lat: 21.03, lon: 105.85}\n---\n",
    "content/localities/hoan-kiem.md": "---\nname: phường Hoàn Kiếm\nlevel: phuong\nparent: ha-noi\n"
                                       "coordinates: {lat: 21.03, lon: 105.85}\n---\n",
    "content/localities/cao-bang.md": "---\nname: tỉnh Cao Bằng\nlevel: tinh\nregion: trung-du-mien-nui-phia-bac\n---\n",
    "content/models/nuoi-ga.md": MODEL.replace("Trồng hồng ở xã Lộc Yên", "Nuôi gà ở xã Lộc Yên")
    .replace("sectors: [trong-trot]", "sectors: [chan-nuoi]\nvisiting: {best_months: [9, 10], duration: nửa ngày}"),
    "content/models/lam-banh.md": MODEL.replace("Trồng hồng ở xã Lộc Yên", "Làm bánh ở phường Hoàn Kiếm")
    .replace("locality: loc-yen", "locality: hoan-kiem").replace("sectors: [trong-trot]",
                                                                 "sectors: [trong-trot]\nvisiting: {best_months: [10]}"),
    "content/models/det-vai.md": MODEL.replace("Trồng hồng ở xã Lộc Yên", "Dệt vải ở Cao Bằng")
    .replace("locality: loc-yen", "locality: cao-bang"),
}
PLACED = {"trong-hong": ("lang-son", "21.85", "106.76"), "nuoi-ga": ("lang-son", "21.85", "106.76"),
          "lam-banh": ("ha-noi", "21.03", "105.85")}


@pytest.fixture
def tour_site(make_site, tmp_path) -> Path:
    out = tmp_path / "out"
    result = run_cli(make_site(TOUR_FILES), "build", "--strict", "--quiet", "--out", str(out))
    assert result.code == 0, result.err
    return out


def read(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text("utf-8")


def test_map_lists_every_model_with_own_or_inherited_coordinates(tour_site):
    html = read(tour_site, "ban-do")
    for model_id, (province, lat, lon) in PLACED.items():
        section = html[html.index(f'id="tinh-{province}"'):]
        section = section[:section.index("</section>")]
        spot = re.search(rf'data-lat="{lat}" data-lon="{lon}">\s*<ul>.*?id="mo-hinh-{model_id}"', section, re.S)
        assert spot, f"{model_id} is not listed at {lat},{lon} under {province}"
    assert html.count('class="map-spot"') == 2       # the two Lạng Sơn models share one marker
    unplaced = html[html.index('id="chua-co-toa-do"'):]
    assert "Dệt vải ở Cao Bằng" in unplaced and "Nuôi gà" not in unplaced
    assert (tour_site / "vendor/leaflet/leaflet.js").is_file()


def test_map_groups_by_todays_province_and_names_the_place_as_written(make_site, tmp_path):
    """A model in a former province is listed (and marked) under the province it is in today; beside
    it, its place as the content names it, with the former province."""
    files = {
        **TOUR_FILES,
        "content/localities/bac-ninh.md": "---\nname: tỉnh Bắc Ninh\nlevel: tinh\nregion: dong-bang-song-hong\n"
                                          "coordinates: {lat: 21.18, lon: 106.07}\n---\n",
        "content/localities/bac-giang.md": "---\nname: tỉnh Bắc Giang\nlevel: tinh\nregion: trung-du-mien-nui-phia-bac\n"
                                           "merged_into: bac-ninh\nvalid_until: 2025-06-30\n---\n",
        "content/localities/tan-yen.md": "---\nname: huyện Tân Yên\nlevel: huyen\nparent: bac-giang\n"
                                         "coordinates: {lat: 21.38, lon: 106.1}\n---\n",
        "content/models/vai-thieu.md": MODEL.replace("Trồng hồng ở xã Lộc Yên", "Trồng vải ở Tân Yên")
        .replace("locality: loc-yen", "locality: tan-yen"),
        "content/models/det-vai.md": TOUR_FILES["content/models/det-vai.md"].replace("cao-bang", "bac-giang"),
    }
    out = tmp_path / "out"
    result = run_cli(make_site(files), "build", "--strict", "--quiet", "--out", str(out))
    assert result.code == 0, result.err
    html = read(out, "ban-do")
    assert 'id="tinh-bac-giang"' not in html
    section = html[html.index('id="tinh-bac-ninh"'):]
    section = section[:section.index("</section>")]
    assert '<h2 id="tinh-bac-ninh-ten">Tỉnh Bắc Ninh</h2>' in section
    assert ('<li id="mo-hinh-vai-thieu"><a href="/mo-hinh/vai-thieu/">Trồng vải ở Tân Yên</a> '
            '<span class="where">huyện Tân Yên, tỉnh Bắc Giang</span></li>') in section
    unplaced = html[html.index('id="chua-co-toa-do"'):]       # tỉnh Bắc Giang has no point of its own
    assert "<h3>Tỉnh Bắc Ninh</h3>" in unplaced
    assert '<span class="where">tỉnh Bắc Giang</span>' in unplaced
    assert 'href="/ban-do/#tinh-bac-ninh"' in read(out, "dia-phuong/tan-yen")
    lang_son = html[html.index('id="tinh-lang-son"'):]
    assert '<span class="where">xã Lộc Yên</span>' in lang_son[:lang_son.index("</section>")]


def test_model_and_locality_pages_link_to_the_map_only_when_it_can_show_them(tour_site):
    assert 'href="/ban-do/#mo-hinh-nuoi-ga"' in read(tour_site, "mo-hinh/nuoi-ga")
    assert "/ban-do/" not in read(tour_site, "mo-hinh/det-vai").split("<footer")[0]
    assert 'href="/ban-do/#tinh-lang-son"' in read(tour_site, "dia-phuong/loc-yen")
    assert "/ban-do/" not in read(tour_site, "dia-phuong/cao-bang").split("<footer")[0]


def test_season_pages_follow_best_months(tour_site):
    def listed(rel: str) -> list[str]:
        return re.findall(r'<li class="card">\s*<h\d><a href="/mo-hinh/([a-z-]+)/"', read(tour_site, rel))

    assert listed("mua/thang-9") == ["nuoi-ga"]
    assert listed("mua/thang-10") == ["lam-banh", "nuoi-ga"]
    assert not (tour_site / "mua/thang-1").exists()          # a month no model names gets no page
    index = read(tour_site, "mua")
    assert '<a href="/mua/thang-10/">Tháng 10</a> <span class="count">(2 mô hình)</span>' in index
    assert "/mua/thang-1/" not in index and "chỉ liệt kê các tháng có ít nhất một mô hình" in index


def test_sample_site_says_plainly_what_it_lacks(sample_site):
    """The seeds give no best months: the pages say so instead of inventing them. Coordinates come
    from the gazetteer (issue 14), so the map has every model."""
    html = read(sample_site, "ban-do")
    assert "Chưa có mô hình nào có tọa độ" not in html
    models = [p.stem for p in (REPO / "content/models").glob("*.md")]
    for model_id in models:
        assert f'href="/mo-hinh/{model_id}/"' in html
    assert (sample_site / "vendor/leaflet/leaflet.js").is_file()
    assert not list((sample_site / "mua").glob("thang-*"))   # no month has models: no empty month pages
    assert "Chưa mô hình nào ghi tháng nên đến" in read(sample_site, "mua")


def test_map_works_offline_without_tiles_or_any_cdn(tour_site, page):
    foreign: list[str] = []
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: (foreign.append(route.request.url), route.abort()))
    with serve_directory(tour_site) as url:
        page.goto(url + "ban-do/")
        markers = page.locator(".leaflet-marker-icon")
        markers.first.wait_for()
        assert markers.count() == 2
        assert sorted(m.get_attribute("title") for m in markers.all()) == [
            "Làm bánh ở phường Hoàn Kiếm", "Nuôi gà ở xã Lộc Yên; Trồng hồng ở xã Lộc Yên"]
        shared = page.get_by_role("button", name="Nuôi gà ở xã Lộc Yên; Trồng hồng ở xã Lộc Yên")
        shared.focus()
        page.keyboard.press("Enter")                  # markers are reachable from the keyboard
        popup = page.locator(".leaflet-popup-content")
        assert popup.get_by_role("link", name="Nuôi gà ở xã Lộc Yên").get_attribute("href") == "/mo-hinh/nuoi-ga/"
        assert popup.get_by_text("tỉnh Lạng Sơn").is_visible()
    assert foreign and all("tile.openstreetmap.org" in u for u in foreign)
