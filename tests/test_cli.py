"""The command line: help on every command, exit codes, scaffolding, check output."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import MINIMAL_CONFIG, REPO, run_cli
from generator.content.schema import LOCALITY_FIELDS, MODEL_FIELDS


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"]])
def test_every_command_has_help(make_site, command):
    result = run_cli(make_site(), *command, "--help")
    assert result.code == 0
    assert "Cách dùng: showcase" in result.out


def test_usage_errors_exit_2_in_vietnamese(make_site):
    root = make_site()
    unknown = run_cli(root, "publish")
    assert unknown.code == 2
    assert unknown.err.splitlines()[-1] == ("showcase: lỗi: đối số LỆNH: không có lựa chọn 'publish' "
                                            "(chọn một trong: 'build', 'check', 'serve', 'schema', 'admin-config', 'new')")
    missing = run_cli(root, "new")
    assert missing.code == 2
    assert missing.err.splitlines()[-1] == "showcase new: lỗi: thiếu đối số bắt buộc: kind, name"


def test_module_and_console_script_both_run():
    for cmd in ([sys.executable, "-m", "generator", "--version"],
                [str(REPO / ".venv/bin/showcase"), "--version"]):
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        assert done.stdout.startswith("showcase ")


def test_new_model_scaffold_lists_every_field_and_refuses_to_overwrite(make_site):
    root = make_site()
    result = run_cli(root, "new", "model", "Trồng hồng ở xã Lộc Yên")
    assert result.code == 0
    path = root / "content/models/trong-hong-o-xa-loc-yen.md"
    assert result.out.splitlines()[0].endswith("content/models/trong-hong-o-xa-loc-yen.md")
    text = path.read_text("utf-8")
    for field in MODEL_FIELDS:
        assert f"{field.name}:" in text, field.name
    assert 'title: "Trồng hồng ở xã Lộc Yên"' in text

    again = run_cli(root, "new", "model", "Trồng hồng ở xã Lộc Yên")
    assert again.code == 1
    assert "đã có, không ghi đè" in again.err
    assert path.read_text("utf-8") == text


def test_new_model_is_a_draft_that_names_what_to_fill_in_and_never_blocks(make_site, tmp_path):
    root = make_site()
    created = run_cli(root, "new", "model", "Nuôi ong")
    assert created.out.splitlines()[-1] == ("Đã tạo bản nháp (draft: true). Xem trước: chạy 'showcase serve' rồi mở "
                                            "http://127.0.0.1:8000/mo-hinh/nuoi-ong/")
    check = run_cli(root, "check", "--strict")
    assert check.code == 0, check.err                  # a draft's problems are warnings on that file only
    empty = sorted(line.split("'")[1] for line in check.err.splitlines() if "đang để trống" in line)
    assert empty == ["locality", "sectors", "summary"]
    assert all(": cảnh báo: " in line for line in check.err.splitlines() if line.startswith("content/"))
    draft = run_cli(root, "build", "--strict", "--out", str(tmp_path / "draft"))
    assert draft.code == 0, draft.err
    assert (tmp_path / "draft/mo-hinh/trong-hong/index.html").is_file()
    assert not (tmp_path / "draft/mo-hinh/nuoi-ong").exists()

    path = root / "content/models/nuoi-ong.md"
    text = path.read_text("utf-8")
    text = text.replace("\nsummary:\n", "\nsummary: Nuôi ong lấy mật.\n").replace(
        "\nlocality:\n", "\nlocality: loc-yen\n").replace("\nsectors:\n", "\nsectors: [chan-nuoi]\n").replace(
        "\ndraft: true\n", "\ndraft: false\n")
    path.write_text(text, "utf-8")
    build = run_cli(root, "build", "--strict", "--out", str(tmp_path / "out"))
    assert build.code == 0, build.err
    assert (tmp_path / "out/mo-hinh/nuoi-ong/index.html").is_file()


def test_new_locality_scaffold(make_site):
    root = make_site()
    result = run_cli(root, "new", "locality", "xã Quảng Thọ")
    assert result.code == 0
    text = (root / "content/localities/xa-quang-tho.md").read_text("utf-8")
    for field in LOCALITY_FIELDS:
        assert f"{field.name}:" in text, field.name
    assert '\nlevel: "xa"\n' in text                   # from the level word: the file is valid as written


@pytest.mark.parametrize("gazetteer", [False, True])
def test_new_locality_never_blocks_the_build(make_site, gazetteer):
    """A locality has no draft: a new file must be valid as written (level, region), or not written."""
    # The tiny site's invented places contradict the real gazetteer: with it, the new files stand alone.
    root = make_site(config=MINIMAL_CONFIG + ("gazetteer: true\n" if gazetteer else ""), defaults=not gazetteer)
    made = {"xã Bình Minh Thượng": ("xa-binh-minh-thuong", "xa", None),          # level from the level word
            "thị trấn Nà Phặc Mới": ("thi-tran-na-phac-moi", "thi-tran", None),
            "tỉnh Sông Lam": ("tinh-song-lam", "tinh", "dong-bang-song-hong")}   # region from --region
    for name, (ident, level, region) in made.items():
        created = run_cli(root, "new", "locality", name, *(["--region", region] if region else []))
        assert created.code == 0, created.err
        text = (root / f"content/localities/{ident}.md").read_text("utf-8")
        assert f'\nlevel: "{level}"\n' in text
        assert (f'\nregion: "{region}"\n' in text) == bool(region)
    named = run_cli(root, "new", "locality", "Bản Mới", "--level", "xa")          # no level word: --level
    assert named.code == 0, named.err
    if not gazetteer:   # the gazetteer knows tỉnh Cao Bằng (a code, no level); without it the region table does
        province = run_cli(root, "new", "locality", "tỉnh Cao Bằng")
        assert province.code == 0, province.err
        assert '\nregion: "trung-du-mien-nui-phia-bac"\n' in (root / "content/localities/tinh-cao-bang.md").read_text()
    check = run_cli(root, "check", "--strict")
    assert check.code == 0, check.err
    assert "content/localities/" not in check.err


def test_new_locality_whose_level_or_region_cannot_be_known_is_refused(make_site):
    root = make_site()
    before = sorted(p.name for p in (root / "content/localities").iterdir())
    no_level = run_cli(root, "new", "locality", "Bình Minh")
    assert no_level.code == 1
    assert no_level.err == (
        "showcase new: không biết 'Bình Minh' thuộc cấp hành chính nào: tên không bắt đầu bằng thành phố, "
        "thị trấn, thị xã, đặc khu, phường, huyện, quận, tỉnh, xã. Viết tên có cấp (ví dụ \"xã Bình Minh\") "
        "hoặc thêm --level với một trong các mã: tinh (Tỉnh), thanh-pho (Thành phố trực thuộc trung ương), "
        "quan (Quận), huyen (Huyện), thi-xa (Thị xã), thanh-pho-thuoc-tinh (Thành phố thuộc tỉnh), xa (Xã), "
        "phuong (Phường), thi-tran (Thị trấn), dac-khu (Đặc khu)\n")
    city = run_cli(root, "new", "locality", "thành phố Sông Lam")
    assert city.err == ("showcase new: 'thành phố Sông Lam' có thể là thành phố trực thuộc trung ương hoặc "
                        "thành phố thuộc tỉnh. Thêm --level thanh-pho hoặc --level thanh-pho-thuoc-tinh\n")
    province = run_cli(root, "new", "locality", "tỉnh Sông Lam")
    assert province.err == (
        "showcase new: 'tỉnh Sông Lam' là cấp tỉnh nên cần vùng (region). Thêm --region với một trong các mã: "
        "trung-du-mien-nui-phia-bac (Trung du và miền núi phía Bắc), dong-bang-song-hong (Đồng bằng sông Hồng)\n")
    wrong = run_cli(root, "new", "locality", "tỉnh Sông Lam", "--region", "tay-bac")
    assert wrong.err.startswith("showcase new: vùng 'tay-bac' không có trong site.yaml › vocabularies › regions. ")
    bad_level = run_cli(root, "new", "locality", "Bình Minh", "--level", "commune")
    assert bad_level.code == 2
    assert "--level: không có lựa chọn 'commune'" in bad_level.err
    model = run_cli(root, "new", "model", "Nuôi ong", "--level", "xa")
    assert model.err == "showcase new: --level và --region chỉ dùng khi tạo địa phương (showcase new locality …)\n"
    assert sorted(p.name for p in (root / "content/localities").iterdir()) == before
    assert not (root / "content/models/nuoi-ong.md").exists()


def test_check_writes_nothing_and_reports_json(make_site):
    root = make_site({"content/models/b.md": "---\ntitle: A\ntitle: B\n---\n"})
    result = run_cli(root, "check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["ok"] is False
    assert report["diagnostics"][0] == {
        "severity": "error", "path": "content/models/b.md", "line": 3, "col": 1, "code": "yaml_duplicate_key",
        "message": "trường 'title' xuất hiện hai lần (lần đầu ở dòng 2)",
        "hint": "giữ một dòng 'title:' và xóa dòng còn lại, nếu không một giá trị sẽ bị mất"}
    assert not (root / "site").exists()


def test_build_defaults_to_site_folder_and_prints_nothing_when_not_a_terminal(make_site):
    root = make_site()
    result = run_cli(root, "build")
    assert result.code == 0
    assert (root / "site/index.html").is_file()
    assert result.out == "" and result.err == ""
