"""Every kind of bad input gives a located Vietnamese error with a hint, and nothing is written."""
from __future__ import annotations

import pytest

from conftest import MODEL, run_cli, snapshot

# (files to add to the tiny site, expected first line, expected hint line)
CASES = {
    "malformed_yaml": (
        {"content/models/b.md": "---\ntitle: A\ntags: [a, b\n---\n"},
        "content/models/b.md:4:1: lỗi: YAML không hợp lệ: thiếu dấu ']' hoặc ',' trong danh sách [ … ]",
        "    gợi ý: kiểm tra dấu hai chấm, ngoặc và dấu nháy từ dòng 3; giá trị có dấu ':' hoặc '#' "
        "cần đặt trong ngoặc kép"),
    "colon_in_value": (
        {"content/models/b.md": "---\ntitle: A\nsummary: Kết quả: tốt: lắm\n---\n"},
        "content/models/b.md:3:17: lỗi: YAML không hợp lệ: có dấu ':' ở chỗ không được phép "
        "(giá trị chứa ':' cần đặt trong ngoặc kép)",
        "    gợi ý: kiểm tra dấu hai chấm, ngoặc và dấu nháy; giá trị có dấu ':' hoặc '#' cần đặt trong ngoặc kép"),
    "missing_front_matter": (
        {"content/models/b.md": "Chỉ có nội dung.\n"},
        "content/models/b.md:1:1: lỗi: thiếu phần đầu (front matter): dòng đầu tiên phải là ---",
        "    gợi ý: thêm một dòng --- ở đầu tệp, các trường (title: …), rồi một dòng --- trước nội dung"),
    "unclosed_front_matter": (
        {"content/models/b.md": "---\ntitle: A\nsummary: B\n"},
        "content/models/b.md:4:1: lỗi: phần đầu mở bằng --- ở dòng 1 nhưng không có dòng --- đóng",
        "    gợi ý: thêm một dòng chỉ có --- ngay sau trường cuối cùng"),
    "empty_file": (
        {"content/models/b.md": ""},
        "content/models/b.md:1:1: lỗi: tệp rỗng",
        '    gợi ý: thêm phần đầu giữa hai dòng ---, hoặc tạo tệp mẫu bằng: showcase new model "Tên mô hình"'),
    "tab_indentation": (
        {"content/models/b.md": "---\ntitle: A\nhost:\n\tname: Hội Nông dân\n---\n"},
        "content/models/b.md:4:1: lỗi: dòng này thụt lề bằng phím Tab",
        "    gợi ý: YAML chỉ cho phép dấu cách: thay mỗi Tab bằng 2 dấu cách"),
    "duplicate_key": (
        {"content/models/b.md": "---\ntitle: A\nsummary: B\ntitle: C\n---\n"},
        "content/models/b.md:4:1: lỗi: trường 'title' xuất hiện hai lần (lần đầu ở dòng 2)",
        "    gợi ý: giữ một dòng 'title:' và xóa dòng còn lại, nếu không một giá trị sẽ bị mất"),
    "not_utf8": (
        {"content/models/b.md": "---\ntitle: Tr".encode() + "ồng".encode("cp1258", errors="replace")
         + b"\xe1\n---\n"},
        "content/models/b.md:2:13: lỗi: tệp không được lưu bằng bảng mã UTF-8 (gặp byte 0xe1)",
        "    gợi ý: mở tệp và lưu lại với bảng mã UTF-8 (VS Code: nhấp vào tên bảng mã ở thanh dưới › "
        "Save with Encoding › UTF-8)"),
    "directory_named_md": (
        {"content/models/x.md/readme.txt": "not content"},
        "content/models/x.md: lỗi: đây là một thư mục, không phải tệp Markdown",
        "    gợi ý: đổi tên thư mục (bỏ đuôi .md) hoặc chuyển nó ra khỏi content/"),
    "own_parent": (
        {"content/localities/loc-yen.md": "---\nname: xã Lộc Yên\nlevel: xa\nparent: loc-yen\n---\n"},
        "content/localities/loc-yen.md:4:9: lỗi: địa phương 'loc-yen' lấy chính nó làm cấp trên",
        "    gợi ý: đặt 'parent' là mã của đơn vị cấp trên"),
    "parent_cycle": (
        {"content/localities/a.md": "---\nname: xã A\nlevel: xa\nparent: b\n---\n",
         "content/localities/b.md": "---\nname: huyện B\nlevel: huyen\nparent: a\n---\n"},
        "content/localities/a.md:4:9: lỗi: vòng lặp cấp trên: a → b → a",
        "    gợi ý: sửa 'parent' để chuỗi cấp trên kết thúc ở một tỉnh"),
    "missing_locality": (
        {"content/models/trong-hong.md": MODEL.replace("locality: loc-yen", "locality: loc-yenn")},
        "content/models/trong-hong.md:4:11: lỗi: không có địa phương 'loc-yenn' (trường 'locality')",
        "    gợi ý: có phải ý bạn là 'loc-yen'?"),
    "missing_locality_far": (
        {"content/models/trong-hong.md": MODEL.replace("locality: loc-yen", "locality: ha-noi")},
        "content/models/trong-hong.md:4:11: lỗi: không có địa phương 'ha-noi' (trường 'locality')",
        '    gợi ý: tạo tệp bằng: showcase new locality "Tên", hoặc dùng một mã có sẵn trong content/localities/'),
    "unknown_vocabulary_id": (
        {"content/models/trong-hong.md": MODEL.replace("[trong-trot]", "[trong-trott]")},
        "content/models/trong-hong.md:5:11: lỗi: mã 'trong-trott' ở 'sectors[1]' không có trong danh mục "
        "sectors của site.yaml",
        "    gợi ý: có phải ý bạn là 'trong-trot'? Các mã hợp lệ: trong-trot, chan-nuoi"),
    "missing_required_field": (
        {"content/models/trong-hong.md": MODEL.replace("summary: Trồng hồng giúp hộ nghèo tăng thu nhập.\n", "")},
        "content/models/trong-hong.md:1:1: lỗi: thiếu trường bắt buộc 'summary'",
        "    gợi ý: thêm dòng 'summary: …' (Tóm tắt 1–2 câu (≤ 300 ký tự): làm gì, ở đâu, cho ai, kết quả chính)"),
    "wrong_type": (
        {"content/models/trong-hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\nstarted: năm 2018")},
        "content/models/trong-hong.md:6:10: lỗi: 'started' = 'năm 2018' không phải năm hợp lý",
        "    gợi ý: viết năm bốn chữ số từ 1945 đến 2100"),
    "figure_source_missing": (
        {"content/models/trong-hong.md": MODEL.replace(
            "sectors: [trong-trot]\n", "sectors: [trong-trot]\nfigures:\n"
            "  - {label: Hộ thoát nghèo, value: 7, unit: hộ, year: 2023, source: 2}\nsources:\n  - title: Bài báo\n")},
        "content/models/trong-hong.md:7:69: lỗi: 'figures[1].source' trỏ tới nguồn số 2, nhưng 'sources' chỉ có 1 nguồn",
        "    gợi ý: thêm nguồn vào 'sources' hoặc sửa số thứ tự (1 = nguồn đầu tiên)"),
    "coordinates_outside_vietnam": (
        {"content/localities/loc-yen.md": "---\nname: xã Lộc Yên\nlevel: xa\nparent: lang-son\n"
                                          "coordinates: {lat: 106.8, lon: 21.9}\n---\n"},
        "content/localities/loc-yen.md:5:20: lỗi: 'coordinates.lat' = 106.8 nằm ngoài khoảng 6 – 23.5",
        "    gợi ý: kiểm tra lại số liệu (với tọa độ: vĩ độ lat trước, kinh độ lon sau, trong lãnh thổ Việt Nam)"),
    "invalid_date": (
        {"content/models/trong-hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\npublished: 2023-02-30")},
        "content/models/trong-hong.md:6:12: lỗi: 'published' = '2023-02-30' không phải ngày hợp lệ",
        "    gợi ý: viết theo dạng YYYY-MM-DD, ví dụ 2024-01-05"),
    "province_without_region": (
        {"content/localities/lang-son.md": "---\nname: tỉnh Lạng Sơn\nlevel: tinh\n---\n"},
        "content/localities/lang-son.md:3:8: lỗi: địa phương cấp 'tinh' phải có trường 'region'",
        "    gợi ý: thêm 'region: …' với một trong: trung-du-mien-nui-phia-bac, dong-bang-song-hong"),
    "phone_unquoted": (
        {"content/models/trong-hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\ncontact: {phone: 0205123}")},
        "content/models/trong-hong.md:6:18: lỗi: số điện thoại 'contact.phone' phải đặt trong ngoặc kép",
        "    gợi ý: viết contact.phone: \"…\" để giữ số 0 ở đầu (YAML đọc 0123 thành số 83)"),
    "related_unknown": (
        {"content/models/trong-hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\nrelated: [nuoi-ga]")},
        "content/models/trong-hong.md:6:11: lỗi: không có mô hình 'nuoi-ga' (trường 'related[1]')",
        "    gợi ý: dùng tên tệp (không có .md) của một mô hình trong content/models/"),
    "duplicate_id_by_slug": (
        {"content/models/Trong-Hong.md": MODEL},
        "content/models/trong-hong.md: lỗi: mã 'trong-hong' trùng với tệp content/models/Trong-Hong.md",
        "    gợi ý: đổi tên một trong hai tệp để mỗi mã là duy nhất"),
    "image_without_alt": (
        {"content/models/trong-hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trot]\nimages:\n  - src: images/a.jpg")},
        "content/models/trong-hong.md:7:5: lỗi: thiếu trường bắt buộc 'images[1].alt'",
        "    gợi ý: thêm dòng 'images[1].alt: …' (Mô tả ảnh cho người khiếm thị (bắt buộc))"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_located_and_nothing_is_written(make_site, tmp_path, name):
    files, first_line, hint = CASES[name]
    root = make_site(files)
    out = tmp_path / "out"
    (out / "old").mkdir(parents=True)
    (out / "old" / "index.html").write_text("trang cũ", "utf-8")
    before = snapshot(out)

    result = run_cli(root, "build", "--out", str(out))

    assert result.code == 1
    lines = result.err.splitlines()
    assert first_line in lines, result.err
    assert lines[lines.index(first_line) + 1:].count(hint) >= 1, result.err
    assert "Traceback" not in result.err
    assert snapshot(out) == before


def test_every_problem_of_a_build_is_reported_in_one_run(make_site):
    root = make_site({
        "content/models/b.md": "---\ntitle: A\ntitle: B\n---\n",
        "content/models/trong-hong.md": MODEL.replace("loc-yen", "loc-yenn").replace("[trong-trot]", "[x]"),
    })
    result = run_cli(root, "check")
    assert result.code == 1
    located = [line.split(": lỗi:")[0] for line in result.err.splitlines() if ": lỗi:" in line]
    assert located == ["content/models/b.md:3:1", "content/models/trong-hong.md:4:11",
                       "content/models/trong-hong.md:5:11"]


def test_excerpt_marks_the_offending_column(make_site):
    root = make_site({"content/models/trong-hong.md": MODEL.replace("[trong-trot]", "[trong-trott]")})
    err = run_cli(root, "check").err.splitlines()
    index = err.index("     5 | sectors: [trong-trott]")
    assert err[index + 1] == "       |           ^"


def test_unknown_key_close_to_a_known_one_is_an_error_naming_it(make_site, tmp_path):
    # `soures:` would drop the whole Sources section without a word: a near miss is an error.
    root = make_site({"content/models/trong-hong.md": MODEL.replace("summary:", "sumary: x\nsummary:")})
    result = run_cli(root, "build", "--out", str(tmp_path / "a"))
    assert result.code == 1
    lines = result.err.splitlines()
    first = "content/models/trong-hong.md:3:1: lỗi: trường 'sumary' không có trong mô hình nội dung"
    assert first in lines and lines[lines.index(first) + 3] == "    gợi ý: có phải ý bạn là 'summary'?"
    assert not (tmp_path / "a").exists()


def test_unknown_key_far_from_any_warns_and_fails_under_strict(make_site, tmp_path):
    root = make_site({"content/models/trong-hong.md": MODEL.replace("summary:", "ghi_chu_rieng: x\nsummary:")})
    warning = "content/models/trong-hong.md:3:1: cảnh báo: trường 'ghi_chu_rieng' không có trong mô hình nội dung"
    relaxed = run_cli(root, "build", "--out", str(tmp_path / "a"))
    assert relaxed.code == 0
    assert warning in relaxed.err.splitlines()
    assert relaxed.err.splitlines()[relaxed.err.splitlines().index(warning) + 3].startswith(
        "    gợi ý: các trường hợp lệ: title, summary, locality, sectors,")

    strict = run_cli(root, "build", "--strict", "--out", str(tmp_path / "b"))
    assert strict.code == 1
    assert warning.replace("cảnh báo", "lỗi") in strict.err.splitlines()
    assert not (tmp_path / "b").exists()


def test_config_error_exits_2_with_location(make_site):
    root = make_site(config="title: X\nbase_url: ftp://x\nvocabularies: {}\n")
    result = run_cli(root, "build")
    assert result.code == 2
    assert result.err.splitlines()[0] == "site.yaml:2:11: lỗi: site.yaml: 'base_url' phải bắt đầu bằng https://"


def test_unknown_featured_model_is_located_in_site_yaml(make_site):
    from conftest import MINIMAL_CONFIG

    root = make_site(config=MINIMAL_CONFIG + "featured:\n  - trong-hong\n  - trong-hongg\n")
    result = run_cli(root, "check")
    assert result.code == 0
    lines = result.err.splitlines()
    first = ("site.yaml:11:5: cảnh báo: site.yaml: 'featured' có mã 'trong-hongg' nhưng không có mô hình "
             "nào mang mã này")
    assert first in lines and lines[lines.index(first) + 3] == "    gợi ý: có phải ý bạn là 'trong-hong'?"
    assert run_cli(root, "check", "--strict").code == 1
