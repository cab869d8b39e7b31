"""site.yaml is read through one table of keys: every problem located, all of them at once."""
from __future__ import annotations

from conftest import MINIMAL_CONFIG, run_cli


def test_every_site_yaml_problem_is_reported_at_once_with_its_place(make_site) -> None:
    root = make_site(config=MINIMAL_CONFIG + "page_size: nhiều\nfeatured: trong-hong\nlicence: {url: https://x.vn/}\n"
                                             "search: {synonyms: [[heo]]}\n")
    lines = MINIMAL_CONFIG.count("\n")
    result = run_cli(root, "check")
    assert result.code == 2          # a configuration error, as a missing site.yaml is
    located = [line.split(": lỗi: ")[0] for line in result.err.splitlines() if ": lỗi: " in line]
    assert located == [f"site.yaml:{lines + 1}:12", f"site.yaml:{lines + 2}:11", f"site.yaml:{lines + 3}:10",
                       f"site.yaml:{lines + 4}:21"]


def test_a_misspelt_key_is_named_with_the_key_it_resembles(make_site) -> None:
    root = make_site(config=MINIMAL_CONFIG + "page_sise: 10\n")
    result = run_cli(root, "check")
    line = MINIMAL_CONFIG.count("\n") + 1
    assert f"site.yaml:{line}:1: cảnh báo: site.yaml: không có khóa 'page_sise'" in result.err
    assert "có phải ý bạn là 'page_size'?" in result.err
    assert run_cli(root, "check", "--strict").code == 2


def test_a_key_the_site_theme_uses_is_kept_without_a_word(make_site) -> None:
    root = make_site(config=MINIMAL_CONFIG + "banner_colour: '#0a5'\n")
    result = run_cli(root, "check", "--strict")
    assert result.code == 0 and "banner_colour" not in result.err


def test_a_malformed_visit_contact_is_located_in_site_yaml(make_site) -> None:
    config = MINIMAL_CONFIG + "visit_contact:\n  organisation: Văn phòng thử\n  phon: '0200'\n"
    result = run_cli(make_site(config=config), "check")
    line = len(MINIMAL_CONFIG.splitlines()) + 3
    assert result.code == 2                                   # a site.yaml problem: configuration
    assert f"site.yaml:{line}:9: lỗi: site.yaml: 'visit_contact.phon' không phải khóa đã biết; có phải ý bạn là 'phone'?" \
        in result.err
    result = run_cli(make_site(config=MINIMAL_CONFIG + "visit_contact: {email: a@b.vn}\n"), "check")
    assert "'visit_contact' phải có 'organisation'" in result.err
