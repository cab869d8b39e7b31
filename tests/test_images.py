"""Photos: published only as resized variants without metadata, in <picture>, cached, with located errors."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import MODEL, photo, run_cli, serve_directory, snapshot
from generator.build import build
from generator.content.config import load_config
from generator.core.errors import Diagnostics
from generator.pages.image_refs import image_refs
from generator.files.images import CACHE_DIR, process_images
from generator.pages.render import model_images

GPS = {1: "N", 2: (21.0, 50.0, 12.5), 3: "E", 4: (106.0, 45.0, 3.0)}   # a household's position
ORIENTATION, ROTATE_90_CW = 0x0112, 6
SECRET_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>21,50.2N</exif:GPSLatitude></x:xmpmeta>'


def with_images(front: str = "", body: str = "Nội dung.") -> str:
    """The tiny site's model with an `images:` block (YAML lines) and a Markdown body."""
    text = MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\nimages:\n" + front) if front else MODEL
    return text.replace("Nội dung.", body)


def red_top_blue_bottom(exif: dict[int, object]) -> bytes:
    image = Image.new("RGB", (80, 60), "blue")
    image.paste((255, 0, 0), (0, 0, 80, 30))
    tags = Image.Exif()
    tags.update(exif)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=tags.tobytes(), quality=95)
    return out.getvalue()


GALLERY = with_images(
    "  - {src: images/rong.png, alt: Cánh đồng hồng}\n"
    "  - {src: images/gps.jpg, alt: Hộ gia đình bên vườn, caption: Vườn hồng}\n",
    "![Quả hồng phơi gió](images/xoay.jpg)\n")


def gallery_files() -> dict[str, str | bytes]:
    return {"content/models/trong-hong.md": GALLERY,
            "content/images/rong.png": photo(1300, 100, "PNG"),
            "content/images/gps.jpg": photo(800, 600, gps=GPS, xmp=SECRET_XMP, comment=b"nha ong A, thon B"),
            "content/images/xoay.jpg": red_top_blue_bottom({ORIENTATION: ROTATE_90_CW})}


def published_images(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(out).items() if rel.startswith("images/")}


def test_no_metadata_survives_and_exif_orientation_is_applied(make_site, tmp_path):
    root = make_site(gallery_files())
    out = tmp_path / "out"
    assert run_cli(root, "build", "--out", str(out)).code == 0
    images = published_images(out)
    originals = [p.read_bytes() for p in (root / "content/images").iterdir()]
    assert images and not set(images.values()) & set(originals)
    assert not {"images/gps.jpg", "images/rong.png", "images/xoay.jpg"} & set(images)
    for rel, data in images.items():
        for secret in (b"Exif", b"GPS", b"nha ong A", b"xmpmeta", b"ICC_PROFILE"):
            assert secret not in data, (rel, secret)
        with Image.open(io.BytesIO(data)) as image:
            assert len(image.getexif()) == 0, rel
            assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info), rel
    rotated = [rel for rel in images if rel.startswith("images/xoay-")]
    assert rotated
    for rel in rotated:
        with Image.open(io.BytesIO(images[rel])) as image:
            assert image.size == (60, 80)          # stored 80×60, shown upright as 60×80
            rgb = image.convert("RGB")
            # Turned 90° clockwise: the red top of the sensor image is now the right side.
            assert rgb.getpixel((50, 40))[0] > 200 and rgb.getpixel((10, 40))[2] > 200


def test_model_page_shows_pictures_with_srcset_dimensions_and_preload(make_site, tmp_path):
    root = make_site(gallery_files())
    out = tmp_path / "out"
    assert run_cli(root, "build", "--out", str(out)).code == 0
    html = (out / "mo-hinh/trong-hong/index.html").read_text("utf-8")
    names = sorted(published_images(out))
    assert [re.sub(r"\.[0-9a-f]{10}\.", ".", n) for n in names if "/rong-" in n] == [
        "images/rong-1300.jpg", "images/rong-1300.webp", "images/rong-480.jpg", "images/rong-480.webp",
        "images/rong-960.jpg", "images/rong-960.webp", "images/rong-og.jpg"]   # never upscaled to 1600
    og = next(n for n in names if "/rong-og." in n)
    assert Image.open(out / og).size == (1200, 92)
    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 3                       # the body photo and both gallery photos
    body, hero, second = pictures
    assert 'alt="Quả hồng phơi gió"' in body and 'width="60" height="80"' in body
    assert 'alt="Cánh đồng hồng"' in hero and 'width="1300" height="100"' in hero
    assert 'width="800" height="600"' in second
    for picture in pictures:
        assert '<source type="image/webp" srcset="/images/' in picture and 'decoding="async"' in picture
        assert 'sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)"' in picture
    assert 'loading="lazy"' not in hero and 'loading="lazy"' in second and 'loading="lazy"' in body
    hero_webp = [n for n in names if "/rong-" in n and n.endswith(".webp")]
    srcset = ", ".join(f"/{n} {w}w" for n, w in zip(sorted(hero_webp, key=len), (480, 960, 1300)))
    assert f'srcset="{srcset}"' in hero
    assert f'<link rel="preload" as="image" type="image/webp" imagesrcset="{srcset}"' in html


def test_og_image_is_exposed_to_the_theme_as_an_absolute_url(make_site):
    root = make_site(gallery_files())
    graph, diag = build(load_config(root), None).graph, Diagnostics()
    found = process_images(image_refs(graph.models, graph.models, diag), root, diag).images
    context = model_images(graph, graph.models[0], found)
    assert diag.items == []
    assert context["hero_image"] is found["images/rong.png"]
    assert re.fullmatch(r"https://example\.vn/images/rong-og\.[0-9a-f]{10}\.jpg", context["og_image"]["url"])
    assert (context["og_image"]["width"], context["og_image"]["alt"]) == (1200, "Cánh đồng hồng")


def test_cache_second_build_processes_nothing_one_change_reprocesses_one_deleted_photo_is_pruned(
        make_site, tmp_path):
    root = make_site(gallery_files())
    config, out = load_config(root), tmp_path / "out"
    first = build(config, out)
    assert first.ok and first.images_processed == 3
    second = build(config, out)
    assert (second.images_processed, second.report.written) == (0, 0)

    (root / "content/images/gps.jpg").write_bytes(photo(800, 600, color="orange"))
    third = build(config, out)
    assert third.images_processed == 1
    # 480 and 800 px in WebP and JPEG under new names, the page that shows them; the old four removed.
    assert (third.report.written, third.report.removed) == (4 + 1, 4)

    (root / "content/images/xoay.jpg").unlink()
    (root / "content/models/trong-hong.md").write_text(GALLERY.replace(
        "![Quả hồng phơi gió](images/xoay.jpg)", "Nội dung."), "utf-8")
    fourth = build(config, out)
    assert fourth.ok and fourth.images_processed == 0
    assert not [rel for rel in published_images(out) if "/xoay-" in rel]
    assert len(list((root / CACHE_DIR).iterdir())) == 2


ERRORS = {
    "missing_file": (
        {"content/models/trong-hong.md": with_images("  - {src: images/khong-co.jpg, alt: Ảnh}\n")},
        "content/models/trong-hong.md:7:11: lỗi: không tìm thấy ảnh 'images/khong-co.jpg' "
        "(đã tìm content/images/khong-co.jpg)"),
    "truncated": (
        {"content/models/trong-hong.md": with_images("  - {src: images/cut.jpg, alt: Ảnh}\n"),
         "content/images/cut.jpg": photo(300, 200)[:700]},
        "content/models/trong-hong.md:7:11: lỗi: không đọc được ảnh 'images/cut.jpg': tệp hỏng hoặc chưa chép hết"),
    "not_an_image": (
        {"content/models/trong-hong.md": with_images("  - {src: images/note.jpg, alt: Ảnh}\n"),
         "content/images/note.jpg": "ghi chú, không phải ảnh"},
        "content/models/trong-hong.md:7:11: lỗi: không đọc được ảnh 'images/note.jpg': tệp hỏng hoặc chưa chép hết"),
    "unsupported_extension": (
        {"content/models/trong-hong.md": with_images(body="Ảnh:\n\n![Vườn hồng](images/iphone.heic)"),
         "content/images/iphone.heic": b"\x00\x00\x00\x18ftypheic"},
        "content/models/trong-hong.md:11:14: lỗi: ảnh 'images/iphone.heic' có định dạng HEIC, "
        "trang chưa nhận định dạng này"),
    "unsupported_content": (
        {"content/models/trong-hong.md": with_images("  - {src: images/dong.jpg, alt: Ảnh}\n"),
         "content/images/dong.jpg": photo(20, 20, "GIF")},
        "content/models/trong-hong.md:7:11: lỗi: ảnh 'images/dong.jpg' có định dạng GIF, "
        "trang chưa nhận định dạng này"),
    "body_image_without_alt": (
        {"content/models/trong-hong.md": with_images(body="![](images/a.jpg)"),
         "content/images/a.jpg": photo()},
        "content/models/trong-hong.md:9:5: lỗi: ảnh 'images/a.jpg' trong bài thiếu mô tả (alt)"),
    "front_matter_url": (
        {"content/models/trong-hong.md": with_images("  - {src: 'https://example.vn/a.jpg', alt: Ảnh}\n")},
        "content/models/trong-hong.md:7:11: lỗi: 'images[1].src' = 'https://example.vn/a.jpg' "
        "không phải đường dẫn tới một ảnh trong content/images/"),
    "body_path_outside_images": (
        {"content/models/trong-hong.md": with_images(body="![Vườn](../a.jpg)")},
        "content/models/trong-hong.md:9:9: lỗi: 'ảnh trong bài' = '../a.jpg' "
        "không phải đường dẫn tới một ảnh trong content/images/"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_photo_is_a_located_error_and_nothing_is_written(make_site, tmp_path, name):
    files, first_line = ERRORS[name]
    root = make_site(files)
    out = tmp_path / "out"
    result = run_cli(root, "build", "--out", str(out))
    assert result.code == 1
    assert result.err.splitlines()[0] == first_line
    assert not out.exists()


def test_code_samples_in_a_body_are_not_images(make_site, tmp_path):
    body = "Viết ảnh như sau: `![](images/a.jpg)`\n\n```\n![](images/b.jpg)\n```\n"
    root = make_site({"content/models/trong-hong.md": with_images(body=body)})
    assert run_cli(root, "build", "--out", str(tmp_path / "out")).code == 0


def test_a_broken_picture_macro_in_a_site_theme_is_located(make_site, tmp_path):
    files = gallery_files() | {"themes/default/templates/_images.html": "{% macro picture(img, alt, base) %}\n{{ img.\n"}
    result = run_cli(make_site(files), "build", "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert result.err.startswith("themes/default/templates/_images.html:2: lỗi: lỗi trong mẫu giao diện")


def test_oversize_original_is_a_warning_and_an_error_under_strict(make_site):
    # Uncompressed, so the file is over 10 MB while decoding and resizing stay cheap.
    big = photo(1900, 1900, "PNG", compress_level=0)
    assert len(big) > 10 * 1024 * 1024
    root = make_site({"content/models/trong-hong.md": with_images("  - {src: images/to.png, alt: Ảnh}\n"),
                      "content/images/to.png": big})
    expected = "content/models/trong-hong.md:7:11: {}: ảnh gốc 'images/to.png' nặng 10,3 MB, quá 10,0 MB"
    relaxed = run_cli(root, "check")
    assert relaxed.code == 0 and relaxed.err.splitlines()[0] == expected.format("cảnh báo")
    strict = run_cli(root, "check", "--strict")
    assert strict.code == 1 and strict.err.splitlines()[0] == expected.format("lỗi")


def test_phone_viewport_requests_the_small_webp_and_reserves_the_photo_box(make_site, tmp_path, browser):
    root = make_site(gallery_files())
    out = tmp_path / "out"
    assert run_cli(root, "build", "--out", str(out)).code == 0
    context = browser.new_context(viewport={"width": 390, "height": 800})
    held: list[str] = []
    try:
        tab = context.new_page()
        # Hold every photo request unanswered: the box must already have the photo's shape.
        tab.route("**/images/**", lambda route: held.append(route.request.url))
        with serve_directory(out) as url:
            with tab.expect_request(lambda request: "/rong-" in request.url, timeout=10_000):
                tab.goto(url + "mo-hinh/trong-hong/", wait_until="domcontentloaded")
            box = tab.get_by_role("img", name="Cánh đồng hồng").bounding_box()
    finally:
        context.close()
    hero_requests = {u for u in held if "/rong-" in u}
    assert len(hero_requests) == 1                 # the preload and the <picture> choose the same file
    assert re.search(r"/images/rong-480\.[0-9a-f]{10}\.webp$", hero_requests.pop())
    assert box["width"] > 200 and abs(box["height"] - box["width"] * 100 / 1300) < 1
