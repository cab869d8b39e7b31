"""Mistakes editors really make, each with the exact message (file:line:col, text, hint) it now gets.

A case is (files to add to the tiny site, the diagnostic's first line, its hint line); `check` runs
once per case and the build must fail on errors (exit 1, never the crash code 70).
"""
from __future__ import annotations


import pytest

from conftest import MODEL, run_cli

COMMUNE_POVERTY = ("---\nname: xã Lộc Yên\nlevel: xa\nparent: lang-son\nsources:\n  - title: Báo cáo\n"
                   "poverty:\n  - {year: 2023, poor: 1,7, source: 1}\n---\n")


def model(extra: str, old: str = "sectors: [trong-trot]") -> dict[str, str]:
    """The tiny site's model with `old` replaced by `extra`."""
    return {"content/models/trong-hong.md": MODEL.replace(old, extra)}


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))

CASES = {
    "locality_as_list": (
        model("[lang-son]", "loc-yen"),
        "content/models/trong-hong.md:4:11: lỗi: 'locality' chỉ nhận một mã, không phải danh sách [lang-son]",
        "    gợi ý: bỏ dấu ngoặc vuông: viết locality: lang-son"),
    "title_as_list": (
        model("title: [a, b]", "title: Trồng hồng ở xã Lộc Yên"),
        "content/models/trong-hong.md:2:8: lỗi: 'title' phải là chuỗi, nhưng đang là danh sách ([a, b])",
        "    gợi ý: xem ví dụ trong docs/huong-dan-bien-tap.md"),
    "published_as_mapping": (
        model("sectors: [trong-trot]\npublished: {year: 2026}"),
        "content/models/trong-hong.md:6:12: lỗi: 'published' = {year: 2026} không phải ngày hợp lệ",
        "    gợi ý: viết theo dạng YYYY-MM-DD, ví dụ 2024-01-05"),
    "empty_summary_line": (
        model("summary:", "summary: Trồng hồng giúp hộ nghèo tăng thu nhập."),
        "content/models/trong-hong.md:3:1: lỗi: trường bắt buộc 'summary' đang để trống",
        "    gợi ý: viết nội dung ngay sau 'summary: ' trên cùng dòng đó (Tóm tắt 1–2 câu (≤ 300 ký tự): làm gì, "
        "ở đâu, cho ai, kết quả chính); đừng thêm dòng 'summary:' thứ hai"),
    "decimal_comma_in_flow_row": (
        {"content/localities/loc-yen.md": COMMUNE_POVERTY},
        "content/localities/loc-yen.md:8:24: lỗi: 'poverty[1].poor' = 1,7: số thập phân phải dùng dấu chấm, "
        "không dùng dấu phẩy",
        "    gợi ý: viết 1.7"),
    "decimal_comma_in_block": (
        model("sectors: [trong-trot]\nfigures:\n  - label: Thu nhập\n    value: 2,5\n    unit: triệu đồng\n"
              "    year: 2023\n    source: 1\nsources:\n  - title: Báo\n"),
        "content/models/trong-hong.md:8:12: lỗi: 'figures[1].value' = 2,5: số thập phân phải dùng dấu chấm, "
        "không dùng dấu phẩy",
        "    gợi ý: viết 2.5"),
    "near_miss_key": (
        model("sectors: [trong-trot]\nsoures:\n  - title: Báo"),
        "content/models/trong-hong.md:6:1: lỗi: trường 'soures' không có trong mô hình nội dung",
        "    gợi ý: có phải ý bạn là 'sources'?"),
    "value_cut_at_hash": (
        model("sectors: [trong-trot]\nhost:\n  name: Hội LHPN #1 toàn quốc"),
        "content/models/trong-hong.md:7:18: cảnh báo: giá trị bị cắt ở ' #': chỉ còn 'Hội LHPN', phần '#1 toàn quốc' "
        "bị bỏ vì YAML coi là ghi chú",
        "    gợi ý: nếu '#1 toàn quốc' là một phần của giá trị, đặt cả giá trị trong ngoặc kép: "
        "\"Hội LHPN #1 toàn quốc\""),
    "indentation_key_under_value": (
        model("sectors: [trong-trot]\n target_groups: [ho-ngheo]"),
        "content/models/trong-hong.md:6:2: lỗi: dòng này thụt lề 1 dấu cách, không thẳng hàng với dòng 5 (0 dấu cách)",
        "    gợi ý: các trường cùng một nhóm phải bắt đầu ở cùng một cột: thêm hoặc bớt dấu cách ở đầu dòng cho "
        "thẳng với trường cùng nhóm ở trên (chỉ dùng dấu cách, không dùng Tab)"),
    "indentation_in_list_item": (
        model("sectors: [trong-trot]\nsources:\n  - title: Báo\n  publisher: Báo Lạng Sơn"),
        "content/models/trong-hong.md:8:3: lỗi: dòng này thụt lề 2 dấu cách, không thẳng hàng với dòng 7 (4 dấu cách)",
        "    gợi ý: các trường cùng một nhóm phải bắt đầu ở cùng một cột: thêm hoặc bớt dấu cách ở đầu dòng cho "
        "thẳng với trường cùng nhóm ở trên (chỉ dùng dấu cách, không dùng Tab)"),
    "curly_quotes": (
        model("summary: “Kết quả: thu nhập tăng”", "summary: Trồng hồng giúp hộ nghèo tăng thu nhập."),
        "content/models/trong-hong.md:3:10: lỗi: dòng này dùng ngoặc kép cong “ ”, YAML không hiểu loại ngoặc này",
        "    gợi ý: thay “ và ” bằng dấu nháy thẳng \" (trình soạn thảo văn bản như Word tự đổi dấu nháy; hãy soạn "
        "bằng Notepad, TextEdit ở chế độ văn bản thuần hoặc VS Code)"),
    "curly_quotes_that_parse": (
        model("title: “Nuôi gà”", "title: Trồng hồng ở xã Lộc Yên"),
        "content/models/trong-hong.md:2:8: cảnh báo: giá trị “Nuôi gà” nằm trong ngoặc kép cong “ ”: YAML coi chúng "
        "là chữ, trang sẽ hiện cả hai dấu ngoặc",
        "    gợi ý: thay “ và ” bằng dấu nháy thẳng \" hoặc bỏ chúng đi: \"Nuôi gà\""),
    "curly_quotes_in_a_list_item": (
        model("sectors: [trong-trot]\npartners:\n  - name: “Hội Phụ nữ”  # đối tác"),
        "content/models/trong-hong.md:7:11: cảnh báo: giá trị “Hội Phụ nữ” nằm trong ngoặc kép cong “ ”: YAML coi "
        "chúng là chữ, trang sẽ hiện cả hai dấu ngoặc",
        "    gợi ý: thay “ và ” bằng dấu nháy thẳng \" hoặc bỏ chúng đi: \"Hội Phụ nữ\""),
    "vocabulary_label_instead_of_id": (
        model("sectors: [Chăn Nuôi]"),
        "content/models/trong-hong.md:5:11: lỗi: 'Chăn Nuôi' ở 'sectors[1]' là tên hiển thị ('Chăn nuôi'); "
        "ở đây cần viết mã",
        "    gợi ý: có phải ý bạn là 'chan-nuoi'?"),
    "vocabulary_label_without_accents": (
        model("sectors: [trong-trot]\ntarget_groups: [ho ngheo]"),
        "content/models/trong-hong.md:6:17: lỗi: 'ho ngheo' ở 'target_groups[1]' là tên hiển thị ('Hộ nghèo'); "
        "ở đây cần viết mã",
        "    gợi ý: có phải ý bạn là 'ho-ngheo'?"),
    "region_name_instead_of_id": (
        {"content/localities/lang-son.md": "---\nname: tỉnh Lạng Sơn\nlevel: tinh\n"
                                           "region: Trung du và miền núi phía Bắc\n---\n"},
        "content/localities/lang-son.md:4:9: lỗi: 'Trung du và miền núi phía Bắc' ở 'region' là tên hiển thị "
        "('Trung du và miền núi phía Bắc'); ở đây cần viết mã",
        "    gợi ý: có phải ý bạn là 'trung-du-mien-nui-phia-bac'?"),
    "date_day_first": (
        model("sectors: [trong-trot]\npublished: 15/03/2024"),
        "content/models/trong-hong.md:6:12: lỗi: 'published' = '15/03/2024' viết ngày trước, năm sau",
        "    gợi ý: viết năm trước: 2024-03-15"),
    "partial_date_month_first": (
        model("sectors: [trong-trot]\nsources:\n  - {title: Báo, date: 10/2023}"),
        "content/models/trong-hong.md:7:24: lỗi: 'sources[1].date' = '10/2023' viết ngày trước, năm sau",
        "    gợi ý: viết năm trước: 2023-10"),
    "yaml_alias": (
        model("sectors: &s [trong-trot]\ntarget_groups: *s"),
        "content/models/trong-hong.md:5:10: lỗi: phần đầu dùng neo/bí danh YAML ('&s' hoặc '*s'), điều này "
        "không được phép",
        "    gợi ý: viết thẳng giá trị ở mỗi chỗ cần dùng; nếu '&' hoặc '*' là một phần của chữ, đặt cả giá trị "
        "trong ngoặc kép, ví dụ: title: \"Nông nghiệp & du lịch\""),
    "alias_bomb": (
        {"content/models/bomb.md": "---\n" + BOMB + "---\n"},
        "content/models/bomb.md:2:4: lỗi: phần đầu dùng neo/bí danh YAML ('&a' hoặc '*a'), điều này không được phép",
        "    gợi ý: viết thẳng giá trị ở mỗi chỗ cần dùng; nếu '&' hoặc '*' là một phần của chữ, đặt cả giá trị "
        "trong ngoặc kép, ví dụ: title: \"Nông nghiệp & du lịch\""),
    "too_deep": (
        model("sectors: [trong-trot]\nhost: " + "[" * 20 + "]" * 20),
        "content/models/trong-hong.md:6:19: lỗi: phần đầu lồng quá nhiều tầng (quá 12 tầng ngoặc hoặc thụt lề)",
        "    gợi ý: kiểm tra dấu ngoặc [ ] { } và thụt lề; không trường nào cần lồng sâu như vậy"),
    "front_matter_too_large": (
        model("sectors: [trong-trot]\nsummary_notes: \"" + "a" * 210_000 + "\""),
        "content/models/trong-hong.md:2:1: lỗi: phần đầu quá dài (210 nghìn ký tự, tối đa 200 nghìn)",
        "    gợi ý: phần đầu chỉ chứa các trường ngắn; đưa bài viết dài xuống phần nội dung sau dòng --- thứ hai"),
    "file_too_large": (
        {"content/models/trong-hong.md": MODEL + "x" * 2_100_000},
        "content/models/trong-hong.md:1:1: lỗi: tệp quá lớn (2.1 MB, tối đa 2 MB)",
        "    gợi ý: một bài giới thiệu mô hình chỉ vài chục KB; ảnh đưa vào content/images/, không dán vào tệp"),
    "backslash_in_double_quotes": (
        model("sectors: [trong-trot]\nhost: {name: \"Hội\\q Nông dân\"}"),
        "content/models/trong-hong.md:6:18: lỗi: YAML không hợp lệ: dấu '\\' trong ngoặc kép \" \" phải đi cùng "
        "một ký tự đặc biệt",
        "    gợi ý: kiểm tra dấu hai chấm, ngoặc và dấu nháy từ dòng 6; giá trị có dấu ':' hoặc '#' cần đặt trong "
        "ngoặc kép"),
}

SKIPPED = {
    "notepad_txt": ("content/models/ten.md.txt",
                    "content/models/ten.md.txt: cảnh báo: tệp 'ten.md.txt' không được đọc: chỉ tệp có đuôi .md mới "
                    "thành trang",
                    "    gợi ý: đổi tên tệp thành ten.md (Notepad: chọn Save as type › All files rồi gõ tên có đuôi .md)"),
    "markdown_suffix": ("content/models/ten.markdown",
                        "content/models/ten.markdown: cảnh báo: tệp 'ten.markdown' không được đọc: chỉ tệp có đuôi .md "
                        "mới thành trang",
                        "    gợi ý: đổi tên tệp thành ten.md (Notepad: chọn Save as type › All files rồi gõ tên có "
                        "đuôi .md)"),
    "subfolder": ("content/models/cu/ten.md",
                  "content/models/cu: cảnh báo: thư mục con content/models/cu/ không được đọc: các tệp trong đó "
                  "không thành trang",
                  "    gợi ý: chuyển các tệp .md trong đó ra thẳng thư mục cha, rồi xóa thư mục con"),
    "top_level": ("content/ten.md",
                  "content/ten.md: cảnh báo: tệp 'ten.md' nằm thẳng trong content/ nên không được đọc",
                  "    gợi ý: chuyển vào content/models/ (mô hình) hoặc content/localities/ (địa phương) và đặt đuôi .md"),
    "photo_in_models": ("content/models/anh.jpg",
                        "content/models/anh.jpg: cảnh báo: tệp 'anh.jpg' trong content/models/ không phải bài Markdown "
                        "(.md) nên bị bỏ qua",
                        "    gợi ý: ảnh để trong content/images/; tệp khác hãy chuyển ra khỏi content/"),
}


def hint_after(err: str, first: str) -> str:
    """The hint printed under `first` (after the excerpt and its caret, when there is one)."""
    lines = err.splitlines()
    assert first in lines, err
    return next(line for line in lines[lines.index(first) + 1:] if line.startswith("    gợi ý:"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_gets_its_message_word_for_word(make_site, name):
    files, first, hint = CASES[name]
    result = run_cli(make_site(files), "check")
    assert result.code == (1 if ": lỗi:" in first else 0), result.err
    assert hint_after(result.err, first) == hint
    assert "Traceback" not in result.err


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_skipped_content_file_is_named(make_site, name):
    path, first, hint = SKIPPED[name]
    result = run_cli(make_site({path: MODEL}), "check")
    assert hint_after(result.err, first) == hint
    assert run_cli(make_site({path: MODEL}), "check", "--strict").code == 1


def test_hidden_files_and_editor_backups_are_not_reported(make_site):
    root = make_site({"content/models/.trong-hong.md.swp": "x", "content/models/trong-hong.md~": "x",
                      "content/images/anh.jpg": b"x"})
    assert run_cli(root, "check", "--strict").code == 0


def test_yaml_problem_without_a_translation_is_never_shown_in_english():
    from generator.core.messages import render_message

    message, _ = render_message("yaml_syntax", {"problem": "found a new kind of mistake", "context_line": None})
    assert message == "YAML không hợp lệ: cú pháp không đúng ở vị trí này"


def test_alias_bomb_is_refused_before_it_expands(make_site):
    # Expanded, the bomb is 9**9 (387 million) items: refusing it must not depend on expanding it.
    from generator.core.yamldoc import YamlProblem, parse_yaml

    with pytest.raises(YamlProblem) as caught:
        parse_yaml(BOMB * 50, line_offset=1)
    assert (caught.value.code, caught.value.line, caught.value.col) == ("yaml_anchor", 2, 4)


def test_text_with_ampersand_and_asterisk_is_not_an_anchor(make_site):
    root = make_site(model("sectors: [trong-trot]\nhost: {name: \"Nông nghiệp & du lịch\"}\npartners:\n"
                           "  - name: Hợp tác xã *Lộc Yên*"))
    assert run_cli(root, "check", "--strict").code == 0


def test_same_problems_in_the_same_order_whatever_the_input_order():
    from generator.core.errors import Diagnostics, Location

    def collect(order):
        diag = Diagnostics()
        problems = [("error", "bad_year", {"field": "a", "value": [1], "min": 1, "max": 2}),
                    ("error", "bad_month", {"field": "a", "value": {"x": 1}}),
                    ("warning", "unknown_key", {"key": "b", "valid": "x"}),
                    ("error", "bad_year", {"field": "a", "value": [1], "min": 1, "max": 2})]
        for index in order:
            severity, code, params = problems[index]
            diag.add(severity, Location("content/models/a.md", 3, 5), code, **params)
        return [d.format() for d in diag.sorted()]

    first = collect([0, 1, 2, 3])
    assert len(first) == 3
    assert collect([3, 2, 1, 0]) == first == collect([2, 0, 3, 1])


def test_check_and_build_agree_on_a_licence_without_a_name(make_site, tmp_path):
    # Found by tests/test_fuzz.py: a `licence:` without a name passed `check` and then failed `build`.
    from conftest import MINIMAL_CONFIG

    for value, first in (("", None), ("CC BY", "site.yaml:9:10: lỗi: site.yaml: 'licence' phải là nhóm trường "
                                                "có 'name'")):
        root = make_site(config=MINIMAL_CONFIG + f"licence: {value}\n")
        checked, built_ = run_cli(root, "check"), run_cli(root, "build", "--out", str(tmp_path / "out"))
        assert checked.code == built_.code and (checked.code != 0) == bool(first), (checked.err, built_.err)
        if first:
            assert checked.err.startswith(first) and built_.err.startswith(first)


def test_curly_quotes_inside_a_value_are_text_not_a_mistake(make_site):
    root = make_site(model("summary: Bà con nói “thu nhập tăng” nhờ trồng hồng.",
                           "summary: Trồng hồng giúp hộ nghèo tăng thu nhập."))
    result = run_cli(root, "check", "--strict")
    assert result.code == 0, result.err
    assert "cong" not in result.err
