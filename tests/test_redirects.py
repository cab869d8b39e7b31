"""Renames keep links alive: `aliases:` publishes redirect pages; a rename without it is a warning."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.publish.redirects import REDIRECTS_MAP
from tests.conftest import MODEL, run_cli

RENAMED = MODEL.replace("sectors: [trong-trot]\n", "sectors: [trong-trot]\naliases: [trong-hong]\n")


def test_an_alias_publishes_a_redirect_page_and_a_server_map(make_site: Callable[..., Path]) -> None:
    root = make_site({"content/models/trong-hong-loc-yen.md": RENAMED}, defaults=True)
    (root / "content/models/trong-hong.md").unlink()
    result = run_cli(root, "build", "--strict", "--quiet", "--out", str(root / "site"))
    assert result.code == 0, result.err
    page = (root / "site/mo-hinh/trong-hong/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/mo-hinh/trong-hong-loc-yen/">' in page
    assert '<link rel="canonical" href="https://example.vn/mo-hinh/trong-hong-loc-yen/">' in page
    assert '<a href="/mo-hinh/trong-hong-loc-yen/">Trồng hồng ở xã Lộc Yên</a>' in page
    assert (root / "site" / REDIRECTS_MAP).read_text("utf-8") == "/mo-hinh/trong-hong/ /mo-hinh/trong-hong-loc-yen/;\n"
    # The old address is not a page of its own: no sitemap entry.
    assert "/mo-hinh/trong-hong/<" not in (root / "site/sitemap.xml").read_text("utf-8")


def test_a_rename_without_alias_of_a_published_page_is_a_warning(make_site: Callable[..., Path]) -> None:
    root = make_site()
    out = root / "site"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    (root / "content/models/trong-hong.md").rename(root / "content/models/trong-hong-loc-yen.md")
    result = run_cli(root, "build", "--strict", "--quiet", "--out", str(out))
    assert result.code == 1
    assert ("content/models/trong-hong-loc-yen.md:1:1: lỗi: trang mới này xuất hiện khi trang đã xuất bản "
            "/mo-hinh/trong-hong/ biến mất") in result.err
    assert "thêm 'aliases: [trong-hong]' để trang cũ tự chuyển tới đây" in result.err
    # Added as the hint says, the rename publishes, and the old address redirects.
    (root / "content/models/trong-hong-loc-yen.md").write_text(RENAMED, "utf-8")
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(out)).code == 0
    assert "url=/mo-hinh/trong-hong-loc-yen/" in (out / "mo-hinh/trong-hong/index.html").read_text("utf-8")


def test_deleting_a_model_is_not_a_rename(make_site: Callable[..., Path]) -> None:
    root = make_site({"content/models/hai.md": MODEL.replace("Trồng hồng", "Trồng na")})
    out = root / "site"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    (root / "content/models/hai.md").unlink()
    result = run_cli(root, "build", "--strict", "--quiet", "--out", str(out))
    assert result.code == 0, result.err
    assert not (out / "mo-hinh/hai").exists()
    assert not (out / REDIRECTS_MAP).exists()       # no renames, no map: nginx includes it by a pattern


def test_an_alias_may_not_take_an_existing_address(make_site: Callable[..., Path]) -> None:
    root = make_site({"content/models/hai.md": MODEL.replace("sectors: [trong-trot]\n",
                                                             "sectors: [trong-trot]\naliases: [trong-hong, hai]\n")})
    result = run_cli(root, "check")
    assert result.code == 1
    assert ("content/models/hai.md:6:11: lỗi: mã cũ 'trong-hong' trong 'aliases' đang là mã của "
            "content/models/trong-hong.md") in result.err
    assert "content/models/hai.md:6:23: lỗi: 'aliases' có 'hai', chính là mã của tệp này" in result.err
