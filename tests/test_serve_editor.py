"""Editor helpers: the front-matter JSON Schema and `showcase check --format json`."""
from __future__ import annotations

import json
from pathlib import Path

from generator.content.config import load_config
from generator.editor.editor_schema import front_matter_schema
from generator.content.schema import FIELDS_BY_KIND
from tests.conftest import MODEL, REPO, run_cli


def test_schema_follows_the_validators_field_table_and_site_vocabularies(make_site) -> None:
    config = load_config(make_site())
    model = front_matter_schema("model", config)
    assert list(model["properties"]) == [f.name for f in FIELDS_BY_KIND["model"]]
    assert model["required"] == [f.name for f in FIELDS_BY_KIND["model"] if f.required]
    assert model["additionalProperties"] is False
    sectors = model["properties"]["sectors"]
    assert sectors["items"]["enum"] == ["trong-trot", "chan-nuoi"] and sectors["minItems"] == 1
    assert model["properties"]["status"]["enum"] == ["active", "pilot", "ended"]
    assert model["properties"]["contact"]["properties"]["phone"]["type"] == "string"
    locality = front_matter_schema("locality", config)
    assert locality["properties"]["coordinates"]["properties"]["lat"]["minimum"] == 6.0


def test_committed_schemas_are_up_to_date_and_referenced_from_the_guide(tmp_path: Path) -> None:
    result = run_cli(REPO, "schema", "--out", str(tmp_path))
    assert result.code == 0, result.err
    for kind in FIELDS_BY_KIND:
        fresh = (tmp_path / f"{kind}.schema.json").read_text("utf-8")
        assert fresh == (REPO / "docs" / "schema" / f"{kind}.schema.json").read_text("utf-8"), \
            "run `showcase schema` and commit docs/schema/"
        assert json.loads(fresh)["$schema"].startswith("http://json-schema.org/draft-07")
    guide = (REPO / "docs" / "huong-dan-bien-tap.md").read_text("utf-8")
    assert "schema/model.schema.json" in guide and "schema/locality.schema.json" in guide


def test_check_format_json_lists_every_problem_with_its_place(make_site) -> None:
    root = make_site({"content/models/hong.md": MODEL.replace("sectors: [trong-trot]", "sectors: [trong-trott]")
                      .replace("title:", "titel: x\ntitle:")})
    result = run_cli(root, "check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["ok"] is False and report["drafts"] == []
    problems = {(d["severity"], d["path"], d["line"], d["code"]) for d in report["diagnostics"]}
    assert ("error", "content/models/hong.md", 6, "unknown_vocab_closest") in problems
    assert ("error", "content/models/hong.md", 2, "unknown_key_closest") in problems     # a near miss
    assert all(d["message"] and "col" in d and "hint" in d for d in report["diagnostics"])


def test_check_format_json_on_a_good_site(make_site) -> None:
    result = run_cli(make_site(), "check", "--format", "json")
    assert result.code == 0 and json.loads(result.out) == {"ok": True, "diagnostics": [], "drafts": []}
