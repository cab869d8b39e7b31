"""The search index on disk: what it holds, folding, compounds, stable numbers, incremental updates."""
from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, MODEL, REPO, photo, run_cli, snapshot

from generator.build import build
from generator.core.memo import MemoryMemo
from generator.content.config import load_config
from generator.pages.search_text import fold, segments
from generator.publish.search_index import FOLDER
from generator.publish.search_vectors import Vocabulary, term_vector
from generator.pages.search_terms import SearchRecord

VISITED_MODEL = """\
---
title: Nuôi lợn ở xã Lộc Yên
summary: Hội Nông dân giúp hộ nghèo nuôi lợn.
locality: loc-yen
sectors: [chan-nuoi]
target_groups: [ho-ngheo]
host: {name: Hội Nông dân xã Lộc Yên, type: hoi-nong-dan}
visiting: {accepts_visits: true, best_months: [9, 10]}
updated: 2024-01-05
---
Nội dung.
"""
SYNONYMS = "search:\n  synonyms:\n    - [heo, lợn]\n    - [dứa, thơm]\n    - [heo đất, lợn đất]\n  compounds: [heo đất]\n"


def read(path: Path) -> object:
    return json.loads(gzip.decompress(path.read_bytes()))


def manifest(site: Path) -> dict:
    return read(site / FOLDER / "manifest.gz")


def undelta(deltas: list[int]) -> list[int]:
    return [sum(deltas[:i + 1]) for i in range(len(deltas))]


def keys(site: Path) -> dict[str, list]:
    """Every key of every chunk: key -> [forms, documents (absolute), weights, masks]."""
    found = {}
    for _, name in manifest(site)["chunks"]:
        for key, forms, deltas, weights, *masks in read(site / FOLDER / name):
            found[key] = [forms, undelta(deltas), weights, masks[0] if masks else None]
    return found


def card_of(site: Path, url: str) -> tuple[int, dict]:
    for path in (site / FOLDER / "c").glob("*.gz"):
        card = read(path)
        if card["u"] == url:
            return int(path.name.split(".")[0]), card
    raise AssertionError(f"no card for {url}")


def record(title: str = "", summary: str = "", body: str = "", names: tuple[str, ...] = ()) -> SearchRecord:
    return SearchRecord("/x/", "mo-hinh", title, "", summary, names, body, (), ())


def vector_of(rec: SearchRecord, synonyms=(), compounds=()) -> dict[str, tuple[int, tuple[str, ...]]]:
    v = term_vector(rec, Vocabulary.from_settings(tuple(synonyms), tuple(compounds)))
    return {k: (w, f) for k, w, f in zip(v.keys, v.weights, v.forms)}


def test_folding_matches_what_readers_type():
    assert fold("Điện") == "dien" and fold("ĐỒNG") == "dong" and fold("Lộc") == "loc"
    nfd = unicodedata.normalize("NFD", "Thừa Thiên Huế")
    assert [fold(w) for w in segments(nfd)[0]] == ["thua", "thien", "hue"]
    # every tone on every vowel folds to its base letter
    for base, toned in {"a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "o": "oòóỏõọôồốổỗộơờớởỡợ",
                        "u": "uùúủũụưừứửữự", "i": "iìíỉĩị", "y": "yỳýỷỹỵ"}.items():
        assert {fold(c) for c in toned + toned.upper()} == {base}


def test_fields_weigh_title_above_places_above_summary_above_body():
    v = vector_of(record(title="Trồng hồng", names=("xã Lộc Yên",), summary="Nuôi ong", body="Dệt vải"))
    assert v["hong"][0] > v["loc"][0] > v["ong"][0] > v["vai"][0]
    assert v["hong"][1] == ("hồng",) and v["loc"][1] == ("lộc",)       # accented forms kept for the boost
    assert "trong hong" in v and "loc yen" in v and "det vai" not in v  # bigrams: short fields only


def test_synonyms_apply_to_whole_words_and_never_to_a_word_inside_a_compound():
    groups, compounds = [("heo", "lợn"), ("heo đất", "lợn đất"), ("hợp tác xã", "HTX")], ["heo đất"]
    piggy = vector_of(record(title="Câu lạc bộ nuôi heo đất"), groups, compounds)
    assert "lon dat" in piggy and piggy["lon dat"][1] == ("lợn đất",)
    assert "lon" not in piggy                     # "lợn" alone: not on a page about piggy banks
    pig = vector_of(record(title="Nuôi heo thịt", body="heo"), groups, compounds)
    assert pig["lon"][1] == ("lợn",) and pig["heo"][0] > pig["lon"][0] > 0   # below the word itself
    shop = vector_of(record(body="Hợp tác xã bán rau má"), groups, compounds)
    assert "htx" in shop and "hop tac" in shop and "tac xa" in shop   # a phrase in the body makes its bigrams
    assert "htx" not in vector_of(record(body="xã Tác, hợp lại"), groups, compounds)


def test_sample_index_holds_every_model_and_locality_with_filters_and_cards(sample_site: Path):
    # Localities: the files and the units the gazetteer adds (ancestors, successors), one page each.
    count = len(list((REPO / "content" / "models").glob("*.md"))) + len(list((sample_site / "dia-phuong").glob("*/index.html")))
    m = manifest(sample_site)
    assert m["n"] == count and len(list((sample_site / FOLDER / "c").glob("*.gz"))) == count
    assert set(m["filters"]) == {"loai", "vung", "tinh", "linh-vuc", "doi-tuong", "don-vi"}
    assert set(m["sorts"]) == {"ten", "cap-nhat"}
    doc, card = card_of(sample_site, "/mo-hinh/chan-nuoi-gia-cam-lien-ho-hai-duong/")
    assert doc in undelta(read(sample_site / FOLDER / m["filters"]["tinh"])["hai-phong"])   # merged province
    index = keys(sample_site)
    assert doc in index["hai phong"][1] and doc in index["hai duong"][1]                    # new and old name
    shop, card = card_of(sample_site, "/mo-hinh/cua-hang-rau-ma-quang-tho/")
    assert card["s"].startswith("Cửa hàng rau má tại xã Quảng Thọ") and card["p"].startswith("xã Quảng Thọ")
    for key in ("thua thien", "quang dien", "htx", "dien"):
        assert shop in index[key][1], key
    names = json.loads((sample_site / "tim-kiem" / "goi-y.json").read_text("utf-8"))
    assert ["Điện Biên", "/dia-phuong/dien-bien/"] in names["places"]
    # nothing of Pagefind is left
    assert not (sample_site / "pagefind").exists() and "pagefind" not in (sample_site / "tim-kiem" / "index.html").read_text("utf-8")


def test_ids_and_paths_in_front_matter_are_not_search_text(make_site, tmp_path):
    # `related: [nuoi-ong-lay-mat]` is an id: the persimmon page must not be found by "ong" or "mat"
    bees = MODEL.replace("Trồng hồng", "Nuôi ong lấy mật")
    root = make_site({"content/models/nuoi-ong-lay-mat.md": bees, "content/models/trong-hong.md": MODEL.replace(
        "sectors:", "related: [nuoi-ong-lay-mat]\nimages: []\nsectors:")})
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    doc, _ = card_of(out, "/mo-hinh/trong-hong/")
    bees_doc, _ = card_of(out, "/mo-hinh/nuoi-ong-lay-mat/")
    assert keys(out)["ong"][1] == [bees_doc] and doc not in keys(out)["mat"][1]


def test_filters_sorts_and_a_published_image_from_front_matter(make_site, tmp_path):
    root = make_site({"content/models/nuoi-lon.md": VISITED_MODEL.replace(
        "updated:", "images: [{src: images/lon.jpg, alt: Chuồng lợn}]\nupdated:"),
        "content/images/lon.jpg": photo(800, 600)}, config=MINIMAL_CONFIG + SYNONYMS)
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    m = manifest(out)
    doc, card = card_of(out, "/mo-hinh/nuoi-lon/")
    filters = {key: {v: undelta(d) for v, d in read(out / FOLDER / name).items()} for key, name in m["filters"].items()}
    assert {k: sorted(v for v, docs in values.items() if doc in docs) for k, values in filters.items()} == {
        "doi-tuong": ["ho-ngheo"], "don-vi": ["hoi-nong-dan"], "linh-vuc": ["chan-nuoi"], "loai": ["mo-hinh"],
        "tham-quan": ["co"], "thang": ["10", "9"], "tinh": ["lang-son"], "vung": ["trung-du-mien-nui-phia-bac"]}
    assert read(out / FOLDER / m["sorts"]["cap-nhat"]) == [doc]        # the undated model is not in it
    # the card's image is a published variant, never the editor's original (which is not published)
    assert card["i"].startswith("/") and card["i"] != "/images/lon.jpg" and (out / card["i"][1:]).is_file()
    assert card["a"] == "Chuồng lợn" and not (out / "images" / "lon.jpg").exists()


def test_second_build_writes_nothing_and_output_is_byte_identical(make_site, tmp_path):
    root = make_site({"content/models/nuoi-lon.md": VISITED_MODEL}, config=MINIMAL_CONFIG + SYNONYMS)
    first = build(load_config(root), tmp_path / "a")
    assert first.ok and first.search.index.documents == 4
    assert build(load_config(root), tmp_path / "a").report.written == 0
    build(load_config(root), tmp_path / "b")
    index = {p: b for p, b in snapshot(tmp_path / "a").items() if p.startswith(FOLDER)}
    assert index == {p: b for p, b in snapshot(tmp_path / "b").items() if p.startswith(FOLDER)}


def test_an_edit_rewrites_only_its_chunks_and_numbers_stay_stable(make_site, tmp_path):
    # 40 models whose words differ, so the index has several chunks.
    models = {f"content/models/mo-hinh-{i:02d}.md": MODEL.replace("Trồng hồng", f"Mô hình số {i} trồng cây {i * 7919}")
              .replace("Nội dung.", " ".join(f"từ{i}x{j}" for j in range(150))) for i in range(40)}
    root = make_site(models)
    out = tmp_path / "out"
    memo = MemoryMemo()
    assert build(load_config(root), out, memo=memo).ok
    before = snapshot(out)
    chunks = [name for _, name in manifest(out)["chunks"]]
    assert len(chunks) >= 4
    numbers = {card["u"]: doc for doc, card in ((int(p.name[:-3]), read(p)) for p in (out / FOLDER / "c").glob("*.gz"))}
    edited = root / "content" / "models" / "mo-hinh-07.md"
    edited.write_text(edited.read_text("utf-8").replace("từ7x3 ", "rau má "), "utf-8")
    result = build(load_config(root), out, memo=memo)
    assert result.search.index.changed == 1
    after = snapshot(out)
    changed = {p for p in after if p.startswith(FOLDER) and before.get(p) != after[p]}
    # a body edit: new chunks for the keys that changed, a new manifest naming them; no card, no filter
    assert f"{FOLDER}manifest.gz" in changed and all("/k-" in p or p.endswith("manifest.gz") for p in changed)
    assert 1 <= len(changed) - 1 < len(chunks) / 2
    # a deleted page's number goes to the next new page; the others keep theirs
    (root / "content" / "models" / "mo-hinh-03.md").unlink()
    (root / "content" / "models" / "moi.md").write_text(MODEL.replace("Trồng hồng", "Nuôi ong"), "utf-8")
    assert build(load_config(root), out, memo=memo).ok
    renumbered = {card["u"]: doc for doc, card in ((int(p.name[:-3]), read(p)) for p in (out / FOLDER / "c").glob("*.gz"))}
    assert renumbered["/mo-hinh/moi/"] == numbers["/mo-hinh/mo-hinh-03/"]
    assert all(renumbered[u] == n for u, n in numbers.items() if u != "/mo-hinh/mo-hinh-03/")
    # the same content built from nothing gives the same index, up to numbering by URL
    fresh = tmp_path / "fresh"
    assert build(load_config(root), fresh).ok
    assert manifest(fresh)["n"] == manifest(out)["n"]


def test_preview_updates_the_index_in_the_same_rebuild(make_site, tmp_path):
    from generator.preview.serve import Preview

    root = make_site()
    preview = Preview(root, tmp_path / "out", lambda _: None)
    preview.rebuild()
    doc, card = card_of(tmp_path / "out", "/mo-hinh/trong-hong/")
    model = root / "content" / "models" / "trong-hong.md"
    model.write_text(model.read_text("utf-8").replace("Trồng hồng ở", "Trồng cam sành ở"), "utf-8")
    preview.rebuild()
    assert card_of(tmp_path / "out", "/mo-hinh/trong-hong/") == (doc, {**card, "t": "Trồng cam sành ở xã Lộc Yên"})
    assert doc in keys(tmp_path / "out")["cam sanh"][1]


def test_a_failed_build_keeps_the_previous_index(make_site, tmp_path):
    root = make_site()
    out = tmp_path / "out"
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 0
    before = {p: b for p, b in snapshot(out).items() if p.startswith(FOLDER)}
    (root / "content" / "models" / "trong-hong.md").write_text(MODEL.replace("locality: loc-yen", "locality: khong-co"), "utf-8")
    assert run_cli(root, "build", "--quiet", "--out", str(out)).code == 1
    assert {p: b for p, b in snapshot(out).items() if p.startswith(FOLDER)} == before


def test_old_chunk_sizing_key_is_a_located_warning(make_site, tmp_path):
    root = make_site(config=MINIMAL_CONFIG + "search:\n  chunk_sizing: 6\n")
    result = run_cli(root, "build", "--quiet", "--out", str(tmp_path / "out"))
    line = len(MINIMAL_CONFIG.splitlines()) + 2
    assert result.code == 0 and f"site.yaml:{line}:17: cảnh báo: site.yaml: 'search.chunk_sizing' không còn được dùng" in result.err


@pytest.mark.parametrize(("setting", "field"), [("synonyms:\n    - [heo, lợn]\n    - heo\n", "search.synonyms[2]"),
                                                ("compounds: [heo]\n", "search.compounds")])
def test_malformed_search_settings_are_located_in_site_yaml(make_site, setting, field):
    root = make_site(config=MINIMAL_CONFIG + "search:\n  " + setting)
    result = run_cli(root, "check")
    assert result.code == 2 and f"'{field}' phải là" in result.err and "site.yaml:" in result.err
