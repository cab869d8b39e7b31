"""Open data: JSON and CSV round-trip every front-matter field of the content files."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import MINIMAL_CONFIG, REPO, run_cli
from generator.files.export import columns

CONTENT = {"model": REPO / "content" / "models", "locality": REPO / "content" / "localities"}
FILES = {"model": "models", "locality": "localities"}


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """The YAML front matter of a content file, read independently of the generator, and its body."""
    _, head, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def as_json_values(value: Any) -> Any:
    """What a YAML value looks like once exported: dates as ISO text."""
    if isinstance(value, dict):
        return {k: as_json_values(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [as_json_values(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def published(kind: str) -> dict[str, tuple[dict[str, Any], str]]:
    found = {p.stem: front_matter(p) for p in sorted(CONTENT[kind].glob("*.md"))}
    return {ident: fm for ident, fm in found.items() if not fm[0].get("draft")}


def read_json(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "du-lieu" / name).read_text("utf-8"))


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    data = (site / "du-lieu" / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("kind", ["model", "locality"])
def test_json_holds_every_front_matter_field_and_the_body(sample_site, kind):
    records = {r["id"]: r for r in read_json(sample_site, f"{FILES[kind]}.json")[FILES[kind]]}
    sources = published(kind)
    assert sorted(records) == sorted(sources)
    for ident, (meta, body) in sources.items():
        record = records[ident]
        exported = {k: v for k, v in record.items() if k not in ("id", "url", "body", "derived")}
        assert exported == as_json_values(meta), ident
        assert record["body"] == body.strip("\n")
        assert record["url"].endswith(f"/{ident}/")


def cell_value(text: str, kind: str) -> Any:
    """Parse a CSV cell back by the kind the data page documents for its column."""
    if kind == "list":
        return json.loads(text)
    if kind in ("int", "year", "month"):
        return int(text)
    if kind == "number":
        return float(text) if "." in text else int(text)
    if kind == "bool":
        return {"true": True, "false": False}[text]
    return text


def prune(value: Any) -> Any:
    """Drop empty values: a CSV cell cannot tell an absent field from an empty one."""
    if isinstance(value, dict):
        kept = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    return value


def unflatten(row: dict[str, str], kind: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column in columns(kind):
        if row[column.name] == "":
            continue
        *parents, leaf = column.name.split(".")
        target = record
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = cell_value(row[column.name], column.kind)
    return record


@pytest.mark.parametrize("kind", ["model", "locality"])
def test_csv_rows_rebuild_the_json_records(sample_site, kind):
    rows = read_csv(sample_site, f"{FILES[kind]}.csv")
    assert list(rows[0]) == [c.name for c in columns(kind)]
    records = read_json(sample_site, f"{FILES[kind]}.json")[FILES[kind]]
    assert len(rows) == len(records) == len(published(kind))
    for row, record in zip(rows, records):
        assert prune(unflatten(row, kind)) == prune(record)


def test_each_model_page_links_its_own_json(sample_site):
    models = read_json(sample_site, "models.json")["models"]
    for record in models:
        html = (sample_site / "mo-hinh" / record["id"] / "index.html").read_text("utf-8")
        href = f"/du-lieu/mo-hinh/{record['id']}.json"
        assert f'href="{href}"' in html
        own = json.loads((sample_site / href.lstrip("/")).read_text("utf-8"))
        assert own["model"] == record
        assert own["licence"]["name"] == "CC BY 4.0"


def test_data_page_documents_every_column_and_states_the_licence(sample_site):
    html = (sample_site / "du-lieu" / "index.html").read_text("utf-8")
    licence = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["licence"]
    assert licence["statement"] in html
    assert f'<a href="{licence["url"]}" rel="license">{licence["name"]}</a>' in html
    for kind in ("model", "locality"):
        for column in columns(kind):
            assert f"<code>{column.name}</code>" in html, column.name
        for ext in ("json", "csv"):
            assert f'href="/du-lieu/{FILES[kind]}.{ext}"' in html


def test_a_site_without_licence_says_so_and_a_malformed_one_is_an_error(make_site, tmp_path):
    root = make_site()
    out = tmp_path / "out"
    assert run_cli(root, "build", "--strict", "--quiet", "--out", str(out)).code == 0
    assert json.loads((out / "du-lieu/models.json").read_text("utf-8"))["licence"] is None
    assert "chưa công bố giấy phép" in (out / "du-lieu/index.html").read_text("utf-8")

    (root / "site.yaml").write_text(MINIMAL_CONFIG + "licence: CC BY\n", "utf-8")
    result = run_cli(root, "build", "--out", str(tmp_path / "other"))
    assert result.code != 0
    assert "site.yaml:9:10: lỗi: site.yaml: 'licence' phải là nhóm trường có 'name'" in result.err
    assert not (tmp_path / "other").exists()
    # `check` reports it too: site.yaml is checked in one place, before any stage runs.
    checked = run_cli(root, "check")
    assert checked.code == 2 and "site.yaml:9:10: lỗi: site.yaml: 'licence'" in checked.err
