"""The gazetteer built in (issue 14): counts, the id rule, resolving names, and sites built with it."""
from __future__ import annotations

import re
import sqlite3
import sys

import pytest
import yaml

from generator.content.gazetteer import data_dir, fast_slug, fold, load_gazetteer
from generator.content.places import resolve_locality
from generator.content.regions import REGIONS
from generator.core.slugs import slug
from generator.content.config import load_config
from generator.build import build
from generator.pages.search_terms import SearchFields
from tests.conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))
from gazetteer_corpus import make_gazetteer_corpus  # noqa: E402

# What the reform's texts say (Nghị quyết 202/2025/QH15 and the ordinances on communes, as counted in
# the issue): 34 provinces and 3,321 communes from 1 July 2025; 63 provinces, 696 districts and
# 10,035 communes before it. The package is pinned; an upgrade that changes these fails here.
REFORM_COUNTS = {"current_province": 34, "current_commune": 3321,
                 "former_province": 63, "former_district": 696, "former_commune": 10035}

REGIONS_YAML = "\n".join(f"    {key}: {key}" for key in REGIONS)
CONFIG = f"""\
title: Trang thử
description: Trang thử nghiệm.
base_url: https://example.vn/
gazetteer: true
vocabularies:
  regions:
{REGIONS_YAML}
  sectors: {{trong-trot: Trồng trọt}}
  target_groups: {{ho-ngheo: Hộ nghèo}}
  host_types: {{hoi-nong-dan: Hội Nông dân}}
"""


def model(locality: str, title: str = "Trồng hồng") -> str:
    return (f"---\ntitle: {title}\nsummary: Trồng hồng giúp hộ nghèo tăng thu nhập.\n"
            f"locality: {locality}\nsectors: [trong-trot]\n---\nNội dung.\n")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_counts_are_the_reforms_and_the_packages(gaz):
    assert gaz.counts() == {**REFORM_COUNTS, "current_district": 0}
    with sqlite3.connect(data_dir() / "dataset.db") as db:
        shipped = {
            "current_province": db.execute("SELECT COUNT(DISTINCT provinceCode) FROM admin_units").fetchone()[0],
            "current_commune": db.execute("SELECT COUNT(DISTINCT wardCode) FROM admin_units").fetchone()[0],
            "former_province": db.execute("SELECT COUNT(DISTINCT provinceCode) FROM admin_units_legacy").fetchone()[0],
            "former_district": db.execute("SELECT COUNT(DISTINCT districtCode) FROM admin_units_legacy").fetchone()[0],
            "former_commune": db.execute("SELECT COUNT(DISTINCT wardCode) FROM admin_units_legacy").fetchone()[0],
        }
    assert shipped == REFORM_COUNTS


def test_every_level_is_labelled_and_names_carry_their_level_word(gaz):
    from generator.content.schema import LEVEL_LABELS
    levels = {u.level for u in gaz.units.values()}
    assert levels == set(LEVEL_LABELS)
    quan = next(u for u in gaz.units.values() if u.level == "quan")
    assert quan.name.startswith("quận ")


def test_id_rule(gaz):
    assert len(gaz.units) == len({u.id for u in gaz.units.values()})
    # Provinces: the name without level word; one whose name the new province keeps is the same unit.
    assert gaz.units["lang-son"].current and gaz.units["lang-son"].former
    assert gaz.units["bac-giang"].successors == ("bac-ninh",)
    # A unique name keeps its bare slug; a repeated one takes its parent's name, then its code.
    assert gaz.units["xa-dong-than"].name == "xã Đồng Than"
    lộc_yên = sorted(u.id for u in gaz.units.values() if u.name == "xã Lộc Yên")
    assert lộc_yên == ["xa-loc-yen-cao-loc", "xa-loc-yen-huong-khe"]
    cẩm = sorted((u.name, u.id) for u in gaz.units.values() if u.parent == "hai-phong" and fold(u.short) == "cam giang")
    assert cẩm == [("xã Cẩm Giang", "xa-cam-giang-hai-phong-10888"), ("xã Cẩm Giàng", "xa-cam-giang-hai-phong-10903")]


def test_fast_slug_agrees_with_the_site_slug(gaz):
    names = sorted({u.name for u in gaz.units.values()})
    assert [n for n in names if fast_slug(n) != slug(n)] == []


def test_every_province_has_a_region_of_the_site(gaz):
    vocabulary = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["vocabularies"]["regions"]
    provinces = [u for u in gaz.units.values() if not u.parent]
    assert {u.name: gaz.region(u.id) for u in provinces if gaz.region(u.id) not in vocabulary} == {}
    assert sum(len(names) for names in REGIONS.values()) == REFORM_COUNTS["former_province"]


def test_split_commune_lists_every_successor(gaz):
    split = [u for u in gaz.units.values() if len(u.successors) > 1 and len(u.code) == 5]
    assert split, "the 2025 mapping has communes divided between several new ones"
    for unit in split:
        for successor in unit.successors:
            assert unit.id in gaz.predecessors[successor]


@pytest.mark.parametrize("text, expected", [
    ("xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn", ["xa-loc-yen-cao-loc"]),
    ("Lộc Yên, Lạng Sơn", ["xa-loc-yen-cao-loc"]),
    ("xa dong than", ["xa-dong-than"]),
    ("06211", ["xa-cao-loc"]),                       # the current commune kept the old code
    ("xa-loc-yen-huong-khe", ["xa-loc-yen-huong-khe"]),
    ("xã Cẩm Giàng, thành phố Hải Phòng", ["xa-cam-giang-hai-phong-10903"]),
    ("tỉnh Lạng Sơn", ["lang-son"]),
])
def test_resolve_locality(gaz, text, expected):
    assert resolve_locality(gaz, text) == expected


def test_a_name_shared_by_two_units_is_ambiguous(gaz):
    assert sorted(resolve_locality(gaz, "xã Lộc Yên")) == ["xa-loc-yen-cao-loc", "xa-loc-yen-huong-khe"]


# --- Sites built with the gazetteer ---

def test_model_on_an_address_gets_pages_for_the_unit_its_ancestors_and_successors(make_site):
    root = make_site({"content/models/trong-hong.md": model('"xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn"')},
                     config=CONFIG, defaults=False)
    out = root / "site"
    result = run_cli(root, "build", "--strict", "--quiet", "--no-search", "--out", str(out))
    assert result.code == 0, result.err
    gaz = load_gazetteer()
    for ident in ("xa-loc-yen-cao-loc", "huyen-cao-loc", "lang-son", *gaz.units["xa-loc-yen-cao-loc"].successors):
        assert (out / "dia-phuong" / ident / "index.html").is_file(), ident
    commune = (out / "dia-phuong/xa-loc-yen-cao-loc/index.html").read_text("utf-8")
    assert "<dd>Xã</dd>" in commune and "06211" in commune
    assert "Nay thuộc" in commune
    successor = gaz.units[gaz.units["xa-loc-yen-cao-loc"].successors[0]]
    assert successor.name in commune
    page = (out / "mo-hinh/trong-hong/index.html").read_text("utf-8")
    assert "xã Lộc Yên" in page and "huyện Cao Lộc" in page and "tỉnh Lạng Sơn" in page
    listing = (out / "mo-hinh/index.html").read_text("utf-8")      # cards name every level
    assert '<p class="where">xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn' in listing


def test_ambiguous_locality_is_a_located_error_listing_candidates(make_site):
    root = make_site({"content/models/trong-hong.md": model('"xã Lộc Yên"')}, config=CONFIG, defaults=False)
    result = run_cli(root, "check")
    assert result.code == 1
    assert ("content/models/trong-hong.md:4:11: lỗi: 'xã Lộc Yên' (trường 'locality') là tên của 2 đơn vị: "
            "xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn; xã Lộc Yên, huyện Hương Khê, tỉnh Hà Tĩnh") in result.err
    assert "xa-loc-yen-cao-loc, xa-loc-yen-huong-khe" in result.err


def test_file_adds_to_the_gazetteer_and_a_contradiction_is_warned(make_site):
    files = {
        "content/models/trong-hong.md": model("loc-yen"),
        # Found by name and parent: no code needed; the narrative and the poverty series are the file's.
        "content/localities/loc-yen.md": "---\nname: xã Lộc Yên\nlevel: xa\nparent: huyen-cao-loc\n---\nXã vùng cao.\n",
        "content/localities/huyen-cao-loc.md": "---\ncode: \"183\"\nparent: ha-tinh\n---\n",
    }
    root = make_site(files, config=CONFIG, defaults=False)
    result = run_cli(root, "check")
    assert ("content/localities/huyen-cao-loc.md:3:9: cảnh báo: Cấp trên khác với danh mục đơn vị hành chính: "
            "tệp ghi 'ha-tinh', danh mục ghi 'lang-son'") in result.err
    fixed = root / "content/localities/huyen-cao-loc.md"
    fixed.write_text("---\ncode: \"183\"\n---\n", "utf-8")
    out = root / "site"
    result = run_cli(root, "build", "--strict", "--quiet", "--no-search", "--out", str(out))
    assert result.code == 0, result.err
    page = (out / "dia-phuong/loc-yen/index.html").read_text("utf-8")
    assert "Xã vùng cao." in page and "06211" in page and 'href="/dia-phuong/huyen-cao-loc/"' in page


def test_split_commune_is_listed_and_searchable_on_every_successor(make_site):
    gaz = load_gazetteer()
    old = gaz.units["phuong-cong-vi"]
    assert len(old.successors) == 2
    root = make_site({"content/models/trong-hong.md": model("phuong-cong-vi")}, config=CONFIG, defaults=False)
    out = root / "site"
    result = run_cli(root, "build", "--strict", "--quiet", "--no-search", "--out", str(out))
    assert result.code == 0, result.err
    graph = build(load_config(root), None).graph
    search = SearchFields.from_graph(graph)
    for successor in old.successors:
        page = (out / "dia-phuong" / successor / "index.html").read_text("utf-8")
        assert 'href="/dia-phuong/phuong-cong-vi/"' in page, successor
        # The index is written from these records: the old name is among the names merged into the successor.
        record = search.for_locality(graph.locality[successor], "")
        assert old.name in record.merged, (successor, record.merged)


def test_sample_map_places_every_model(sample_site):
    models = [p for p in (REPO / "content/models").glob("*.md") if "\ndraft: true" not in p.read_text("utf-8")]
    html = (sample_site / "ban-do/index.html").read_text("utf-8")
    placed = re.findall(r'<li id="mo-hinh-([a-z0-9-]+)">', html)
    assert sorted(placed) == sorted(p.stem for p in models)
    assert "Mô hình chưa có tọa độ" not in html


LISTING_LIMIT = 200_000    # bytes of HTML: no listing page of places may be larger (issue 14)


def test_real_gazetteer_corpus_builds_strict(tmp_path):
    """bench/gazetteer_corpus.py reduced to one province's units, old and new, with 40 models."""
    root = make_gazetteer_corpus(tmp_path / "corpus", 40, province="lang-son")
    out = tmp_path / "site"
    result = run_cli(root, "build", "--strict", "--quiet", "--no-search", "--out", str(out))
    assert result.code == 0, result.err
    files = {p.stem for p in (root / "content/localities").glob("*.md")}
    pages = {p.parent.name for p in (out / "dia-phuong").glob("*/index.html")}
    assert files <= pages
    values = [re.search(r"^locality: (.*)$", p.read_text("utf-8"), re.M).group(1)
              for p in (root / "content/models").glob("*.md")]
    assert any(v.startswith('"0') for v in values) and any("," in v for v in values)   # codes, addresses
    listings = [out / "dia-phuong/index.html", *(out / "dia-phuong" / p / "index.html" for p in ("lang-son",))]
    assert max(p.stat().st_size for p in listings) < LISTING_LIMIT
    province = (out / "dia-phuong/lang-son/index.html").read_text("utf-8")
    assert 'id="truoc-day"' in province and "nay thuộc" in province
    html = (out / "ban-do/index.html").read_text("utf-8")
    assert len(re.findall(r'<li id="mo-hinh-', html)) == 40


def test_a_build_leaves_the_gazetteer_pickled_in_cache_and_check_writes_nothing(make_site, gaz):
    """A new process loads the gazetteer from .cache/gazetteer/ (issue 14: 0.6–1 s -> ~0.1 s): what it
    reads equals what the package's tables give; a damaged pickle is rebuilt; `check` writes nothing."""
    import subprocess

    from generator.content.gazetteer import _read_pickle

    root = make_site({"content/models/trong-hong.md": model("xã Đồng Than")}, config=CONFIG, defaults=False)
    showcase = [sys.executable, "-m", "generator", "--root", str(root)]
    subprocess.run([*showcase, "check"], check=True, capture_output=True)   # new processes: nothing in memory
    assert not (root / ".cache").exists()
    subprocess.run([*showcase, "build", "--quiet", "--no-search"], check=True, capture_output=True)
    pickles = list((root / ".cache/gazetteer").iterdir())
    assert [p.suffix for p in pickles] == [".pickle"]          # written atomically: no temporary file left
    assert _read_pickle(root / ".cache") == gaz
    pickles[0].write_bytes(pickles[0].read_bytes()[:1000])     # damaged: read as missing, rebuilt by the next build
    assert _read_pickle(root / ".cache") is None
    (root / "content/models/trong-hong.md").write_text(model("xã Đồng Than", "Trồng hồng đỏ"), "utf-8")
    subprocess.run([*showcase, "build", "--quiet", "--no-search"], check=True, capture_output=True)
    assert _read_pickle(root / ".cache") == gaz


def test_a_code_alone_without_the_gazetteer_is_a_located_error_not_a_crash(make_site):
    # MINIMAL_CONFIG has no `gazetteer: true`: nothing can give this file a name or a level.
    root = make_site({"content/localities/dien-bien.md": '---\ncode: "11"\n---\n'})
    for command in (("check",), ("build", "--quiet", "--out", str(root / "site"))):
        result = run_cli(root, *command)
        assert result.code == 1, result.err
        assert ("content/localities/dien-bien.md:2:7: lỗi: mã '11' chỉ tự điền tên và cấp khi trang dùng danh mục "
                "hành chính") in result.err
        assert "gợi ý: ghi 'name' và 'level' cho địa phương này, hoặc thêm dòng 'gazetteer: true' vào site.yaml" \
            in result.err
    assert not (root / "site").exists()
