"""Issue 16 at build level: Vietnamese order, the site-wide visit contact, share cards, one date style."""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from conftest import MINIMAL_CONFIG, REPO, run_cli
from generator.core.collate import place_key, sort_key
from generator.pages.render import vi_date

CONTACT = "visit_contact:\n  organisation: Văn phòng thử\n  email: thu@example.vn\n"


def read(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text("utf-8")


def test_vietnamese_order_puts_u_before_u_horn_and_places_by_name():
    assert sorted(["Cửa hàng", "Cuộc vận động", "Đà Nẵng", "Dương"], key=sort_key) == [
        "Cuộc vận động", "Cửa hàng", "Dương", "Đà Nẵng"]
    assert sorted(["tỉnh Lạng Sơn", "thành phố Huế", "tỉnh Hà Tĩnh"], key=place_key) == [
        "tỉnh Hà Tĩnh", "thành phố Huế", "tỉnh Lạng Sơn"]


def test_every_sorted_list_of_the_sample_follows_vietnamese_order(sample_site):
    listing = re.findall(r'<li class="card">\s*<h2><a href="[^"]+">([^<]+)</a>', read(sample_site, "mo-hinh"))
    assert len(listing) == len(list((REPO / "content/models").glob("*.md")))
    assert listing == sorted(listing, key=sort_key)
    starts = [t for t in listing if t.startswith(("Cuộc", "Cửa"))]
    assert [t.split()[0] for t in starts] == ["Cuộc", "Cửa"]


def test_one_date_style_without_padding():
    assert [vi_date("2025-06-30"), vi_date("2025-07-01"), vi_date("2023-10"), vi_date("2023")] == [
        "30/6/2025", "1/7/2025", "10/2023", "2023"]


def test_visit_contact_is_shown_when_a_model_names_none(make_site, tmp_path):
    out = tmp_path / "out"
    assert run_cli(make_site(config=MINIMAL_CONFIG + CONTACT), "build", "--strict", "--quiet", "--out",
                   str(out)).code == 0
    page = read(out, "mo-hinh/trong-hong")
    assert "chưa ghi đầu mối đón đoàn" in page and "<strong>Văn phòng thử</strong>" in page
    assert 'href="mailto:thu@example.vn"' in page


def test_models_without_a_photo_share_a_card_and_its_cache_is_used(make_site, tmp_path, rich_site):
    root, out = make_site(), tmp_path / "out"
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(out)).code == 0
    page = read(out, "mo-hinh/trong-hong")
    url = re.search(r'<meta property="og:image" content="https://example.vn/(mo-hinh/trong-hong/[^"]+\.png)">', page)
    assert url, page[:2000]
    with Image.open(out / url.group(1)) as card:
        assert card.size == (1200, 630)
    # The card comes from .cache/sharecards/ when nothing on it changed: a marked cached copy is published.
    [cached] = (root / ".cache" / "sharecards").glob("*.png")
    cached.write_bytes(cached.read_bytes() + b"cached")
    other = tmp_path / "other"                        # a fresh output folder: a full build, not a no-op
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(other)).code == 0
    assert (other / url.group(1)).read_bytes().endswith(b"cached")
    # A card already published as written is kept without being read; one damaged in the output is not.
    body = root / "content/models/trong-hong.md"
    body.write_text(body.read_text("utf-8") + "\nMột câu nữa.\n", "utf-8")
    cached.write_bytes(b"not used")
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(other)).code == 0
    assert (other / url.group(1)).read_bytes().endswith(b"cached")
    (other / url.group(1)).write_bytes(b"damaged")
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(other)).code == 0
    assert (other / url.group(1)).read_bytes() == b"not used"
    cached.unlink()
    # A new title draws a new card at a new address (share previews cache images by address).
    model = root / "content/models/trong-hong.md"
    model.write_text(model.read_text("utf-8").replace("Trồng hồng ở xã Lộc Yên", "Trồng hồng ở Lộc Yên"), "utf-8")
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(out)).code == 0
    assert url.group(1) not in read(out, "mo-hinh/trong-hong")
    assert len(list((root / ".cache" / "sharecards").glob("*.png"))) == 1      # the old card is pruned
    # A model with a photo shares its photo, not a card.
    assert "the-chia-se-" not in read(rich_site, "mo-hinh/to-hop-tac")


def test_share_cards_open_in_chromium_with_vietnamese_text_drawn(sample_site, sample_url, page):
    for folder in sorted((sample_site / "mo-hinh").glob("*/the-chia-se-*.png"))[:3]:
        rel = folder.relative_to(sample_site).as_posix()
        page.goto(sample_url + rel.rsplit("/", 1)[0] + "/")
        og = page.locator('meta[property="og:image"]').get_attribute("content")
        assert og.endswith(rel)
        page.goto(sample_url + rel)
        size = page.evaluate("() => [document.images[0].naturalWidth, document.images[0].naturalHeight]")
        assert size == [1200, 630]
        with Image.open(folder) as card:
            title_band = card.convert("L").crop((72, 72, 1128, 300))
            assert title_band.getextrema()[0] < 60          # dark title text is drawn, not an empty card
