"""The editor's configuration comes from the schema; what it saves is checked and written in a stable form."""
from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.config import load_config
from generator.editor.admin_app import Refused, handle
from generator.editor.admin_config import admin_config
from generator.editor.save import normalise_entry
from generator.content.schema import FIELDS_BY_KIND, Field
from tests.conftest import REPO, run_cli

# The widget each kind of field must get: a form that cannot hold the wrong type of value.
WIDGETS = {"text": {"string", "text"}, "int": {"number"}, "number": {"number"}, "year": {"number"},
           "bool": {"boolean"}, "date": {"datetime"}, "partial_date": {"string"}, "email": {"string"},
           "url": {"string"}, "phone": {"string"}, "image": {"image"}, "enum": {"select"}, "vocab": {"select"},
           "map": {"object"}}


@pytest.fixture(scope="module")
def config() -> Any:
    return load_config(REPO)


@pytest.fixture(scope="module")
def decap(config: Any) -> dict[str, Any]:
    return admin_config(config)


def walk(fields: tuple[Field, ...], widgets: list[dict[str, Any]], path: str = "") -> Iterator[tuple[str, Field, dict[str, Any]]]:
    """Every schema field beside the widget of the same name, at every depth."""
    by_name = {w["name"]: w for w in widgets}
    for field in fields:
        assert field.name in by_name, f"{path}{field.name} has no widget"
        widget = by_name[field.name]
        yield path + field.name, field, widget
        if field.kind == "map":
            yield from walk(field.fields, widget["fields"], f"{path}{field.name}.")
        if field.kind == "list" and field.item and field.item.kind == "map":
            yield from walk(field.item.fields, widget["fields"], f"{path}{field.name}[].")


@pytest.mark.parametrize("kind", ["model", "locality"])
def test_every_schema_field_has_the_widget_of_its_kind(decap: dict[str, Any], config: Any, kind: str) -> None:
    collection = next(c for c in decap["collections"] if c["folder"] == f"content/{'models' if kind == 'model' else 'localities'}")
    seen = 0
    for path, field, widget in walk(FIELDS_BY_KIND[kind], collection["fields"]):
        seen += 1
        assert widget["label"] and widget["label"] != field.name, path
        item = field.item if field.kind == "list" else None
        if field.kind in ("id", "place", "ids") or item is not None and item.kind == "id":
            ref = field.ref or (item.ref if item else "")
            if ref:
                assert widget["widget"] == "relation", path
                assert widget["collection"] == ("models" if ref == "model" else "localities")
                assert widget.get("multiple", False) == (item is not None or field.kind == "ids"), path
            else:
                pattern = widget["pattern"] if item is None else widget["field"]["pattern"]
                assert pattern[0] == "^[a-z0-9]+(-[a-z0-9]+)*$", path
        elif item is not None and item.kind in ("vocab", "month"):
            assert widget["widget"] == "select" and widget["multiple"] is True, path
        elif item is not None:
            assert widget["widget"] == "list", path
        else:
            assert widget["widget"] in WIDGETS[field.kind], path
        # Vietnamese labels for every vocabulary, the ids as values.
        vocab = field.vocab or (item.vocab if item else "")
        if vocab:
            assert widget["options"] == [{"label": v, "value": k} for k, v in config.vocabularies[vocab].items()]
        if field.kind in ("int", "number", "year"):
            assert widget["value_type"] == ("float" if field.kind == "number" else "int"), path
        if field.kind == "date":
            assert widget["format"] == "YYYY-MM-DD" and widget["time_format"] is False
        if item is not None and item.kind == "month":
            assert [o["value"] for o in widget["options"]] == list(range(1, 13))
        if field.help and field.kind not in ("id", "place", "vocab") and not (item and item.kind in ("id", "vocab")):
            # The description, maybe followed by what the form adds (a field a GSO code stands for).
            hint = widget.get("hint")
            assert hint is None or hint.startswith(field.help.replace("`", "")) or field.kind == "image", path
    assert seen > len(FIELDS_BY_KIND[kind])
    names = [f["name"] for f in collection["fields"]]
    assert names == [f.name for f in FIELDS_BY_KIND[kind]] + ["body"]


def test_required_fields_are_required_and_new_models_are_drafts(decap: dict[str, Any]) -> None:
    models = decap["collections"][0]
    by_name = {f["name"]: f for f in models["fields"]}
    assert [n for n, f in by_name.items() if f["required"]] == [f.name for f in FIELDS_BY_KIND["model"] if f.required]
    assert by_name["draft"]["default"] is True
    for section in ("## Bối cảnh", "## Cách làm", "## Kết quả", "## Bài học kinh nghiệm", "## Điều kiện nhân rộng"):
        assert section in by_name["body"]["default"]
    image = next(f for f in by_name["images"]["fields"] if f["name"] == "alt")
    assert image["required"] is True
    assert decap["media_folder"] == "content/images" and decap["public_folder"] == "images"


def test_the_form_takes_every_gso_code_and_refuses_text_that_cannot_be_one(decap: dict[str, Any]) -> None:
    """`code` is free text in the schema, but only the gazetteer's codes pass `showcase check`: the form
    refuses anything that is not shaped like one (a name, a code with a letter or a digit too many)."""
    import re

    from generator.content.gazetteer import load_gazetteer

    localities = next(c for c in decap["collections"] if c["name"] == "localities")
    pattern = re.compile(next(f for f in localities["fields"] if f["name"] == "code")["pattern"][0])
    codes = list(load_gazetteer().by_code)
    assert len(codes) > 10_000 and all(pattern.match(code) for code in codes)
    for wrong in ("xã Lộc Yên", "6211", "062111", "06 211", "0621a", ""):
        assert not pattern.match(wrong), wrong


def test_a_locality_named_by_its_code_alone_can_be_picked_and_saved(decap: dict[str, Any]) -> None:
    """Most sample localities hold only a GSO code: the form must not demand a name or a level, and the
    backend gives Decap the name the site shows, so the picker lists it and the form does not show a blank."""
    localities = next(c for c in decap["collections"] if c["name"] == "localities")
    by_name = {f["name"]: f for f in localities["fields"]}
    assert by_name["name"]["required"] is False and by_name["level"]["required"] is False
    assert "mã GSO" in by_name["name"]["hint"]
    path = "content/localities/quang-tho.md"
    assert "name:" not in (REPO / path).read_text("utf-8")
    served = handle(REPO, {"action": "getEntry", "params": {"path": path}}, {"quang-tho": "xã Quảng Thọ"})
    meta = yaml.safe_load(served["data"].split("---\n")[1])
    assert meta["name"] == "xã Quảng Thọ" and meta["code"] == "19894"
    listed = handle(REPO, {"action": "entriesByFolder", "params": {"folder": "content/localities"}},
                    {"quang-tho": "xã Quảng Thọ", "dien-bien": "tỉnh Điện Biên"})
    named = {e["file"]["path"]: yaml.safe_load(e["data"].split("---\n")[1]).get("name") for e in listed}
    assert named[path] == "xã Quảng Thọ" and named["content/localities/dien-bien.md"] == "tỉnh Điện Biên"
    # A file that has a name keeps its own.
    assert normalise_entry("locality", served["data"]).startswith('---\ncode: \'19894\'\nname: xã Quảng Thọ\n')


def test_the_team_backend_comes_from_site_yaml(tmp_path: Path) -> None:
    shutil.copy(REPO / "site.yaml", tmp_path / "site.yaml")
    with (tmp_path / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("admin:\n  backend: {name: gitea, repo: phong-truyen-thong/trang, base_url: https://git.example.vn}\n")
    decap = admin_config(load_config(tmp_path))
    assert decap["backend"] == {"name": "gitea", "repo": "phong-truyen-thong/trang", "base_url": "https://git.example.vn"}
    assert "local_backend" not in decap


@pytest.mark.parametrize("kind,folder", [("model", "models"), ("locality", "localities")])
def test_saving_the_sample_content_keeps_every_value(kind: str, folder: str) -> None:
    """Every sample file round-trips: the same data, and a second save changes nothing."""
    for path in sorted((REPO / "content" / folder).glob("*.md")):
        text = path.read_text("utf-8")
        saved = normalise_entry(kind, text)
        assert normalise_entry(kind, saved) == saved, path.name
        assert yaml.safe_load(saved.split("---\n")[1]) == yaml.safe_load(text.split("---\n")[1]), path.name
        assert saved.split("\n---\n", 1)[1].strip() == text.split("\n---\n", 1)[1].strip(), path.name


# Front matter as the editor's form sends it: numbers as text, blanks, keys in the order typed.
FROM_THE_FORM = """\
---
draft: false
sectors:
  - trong-trot
  - chan-nuoi
title: Trồng hồng ở xã Lộc Yên
summary: "Trồng hồng giúp hộ nghèo tăng thu nhập. "
locality: loc-yen
target_groups: []
host:
  name: ""
  type: ""
started: "2018"
participants:
  households: "45"
figures:
  - label: Hộ thoát nghèo
    value: "7"
    unit: hộ
    year: "2023"
    source: "1"
visiting:
  best_months: ["9", "10"]
sources:
  - title: Bài báo
    date: 2023-11-10
published: 2024-01-05T00:00:00.000Z
contact:
  phone: "0912345678"
---
## Bối cảnh

Nội dung.
"""

SAVED = """\
---
title: Trồng hồng ở xã Lộc Yên
summary: Trồng hồng giúp hộ nghèo tăng thu nhập.
locality: loc-yen
sectors: [trong-trot, chan-nuoi]
started: 2018
participants:
  households: 45
figures:
  - {label: Hộ thoát nghèo, value: 7, unit: hộ, year: 2023, source: 1}
visiting:
  best_months: [9, 10]
contact:
  phone: '0912345678'
sources:
  - {title: Bài báo, date: '2023-11-10'}
published: 2024-01-05
draft: false
---

## Bối cảnh

Nội dung.
"""


def test_what_the_form_sends_is_saved_as_a_person_would_write_it() -> None:
    assert normalise_entry("model", FROM_THE_FORM) == SAVED
    assert normalise_entry("model", SAVED) == SAVED


def test_the_backend_writes_only_content_and_photos(make_site: Any) -> None:
    root = make_site()
    data = bytes(range(256))       # bytes as uploaded: the backend stores them as they are
    handle(root, {"action": "persistEntry", "params": {
        "dataFiles": [{"path": "content/models/trong-hong.md", "raw": FROM_THE_FORM}],
        "assets": [{"path": "content/images/hong.jpg", "content": base64.b64encode(data).decode(), "encoding": "base64"}]}})
    assert (root / "content/models/trong-hong.md").read_text("utf-8") == SAVED
    assert (root / "content/images/hong.jpg").read_bytes() == data
    result = run_cli(root, "check", "--strict")
    assert result.code == 0, result.err
    listed = handle(root, {"action": "entriesByFolder", "params": {"folder": "content/models", "extension": "md"}})
    assert [e["file"]["path"] for e in listed] == ["content/models/trong-hong.md"] and listed[0]["data"] == SAVED
    for bad in ("site.yaml", "content/models/../../site.yaml", "content/models/x.md.txt", "themes/default/a.md",
                "content/models/sub/x.md", "/etc/passwd"):
        with pytest.raises(Refused):
            handle(root, {"action": "persistEntry", "params": {"dataFiles": [{"path": bad, "raw": "x"}]}})
    with pytest.raises(Refused):
        handle(root, {"action": "deleteFiles", "params": {"paths": ["site.yaml"]}})
    handle(root, {"action": "deleteFiles", "params": {"paths": ["content/models/trong-hong.md"]}})
    assert not (root / "content/models/trong-hong.md").exists() and (root / "site.yaml").exists()
