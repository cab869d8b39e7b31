"""Property-based tests: no front matter an editor can write crashes the generator.

Front matter is generated from the field table (`generator/schema.py`): each field kept, dropped or
given a value of the wrong type, extra keys, odd Unicode, huge numbers and long or deeply nested
values; then the YAML text itself is damaged at random places. For models, localities and site.yaml:
- the exit code is 0, 1 or 2, never 70 (a crash), and no traceback is printed;
- every diagnostic is located: a file that exists, and a line for anything inside a file;
- on error the output folder is exactly as it was.

`make test` runs a small deterministic profile; `make fuzz` (SHOWCASE_FUZZ=fuzz) runs many more
random examples.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COMMUNE, MINIMAL_CONFIG, MODEL, PROVINCE, run_cli, snapshot
from generator.content.schema import LOCALITY_FIELDS, MODEL_FIELDS, Field

settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("SHOWCASE_FUZZ", "ci")

# Problems about a whole file or folder, where no line applies.
WHOLE_FILE = {"path_is_directory", "duplicate_id", "file_name_not_slug", "content_not_md", "content_stray",
              "content_subfolder", "content_misplaced", "config_missing"}

# Letters editors type, plus what copy-paste brings: NFD accents, zero-width and direction marks,
# non-breaking spaces, curly quotes, emoji, control characters, YAML's own punctuation.
ODD = "ắđĐơƯ\u0301\u0300\u200b\u200e\u202e\u00a0\u3000“”‘’😀\x07\x0b\x1b:#&*!|>%@`'\"{}[],-?\\\t"
texts = st.text(st.sampled_from(list("abc xyzÀẢÃ09") + list(ODD)), max_size=40) | st.text(max_size=20)
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**40, max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | texts
           | st.sampled_from(["2024-02-30", "15/03/2024", "1,7", "0205", "yes", "~", "2023-10", "images/x.jpg",
                              "https://", "javascript:alert(1)", "a" * 5000]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(texts | st.integers(), inner, max_size=4), max_leaves=12)
deep = st.integers(min_value=1, max_value=40).flatmap(
    lambda depth: values.map(lambda v: _nest(v, depth)))


def _nest(value: Any, depth: int) -> Any:
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def field_value(field: Field) -> st.SearchStrategy[Any]:
    """A value that fits `field` most of the time, and anything else otherwise."""
    fitting: dict[str, st.SearchStrategy[Any]] = {
        "text": texts, "int": st.integers(-5, 10**6), "number": st.floats(-1e6, 1e6) | st.integers(),
        "bool": st.booleans(), "year": st.integers(1900, 2200), "month": st.integers(-1, 14),
        "date": st.dates().map(str), "partial_date": st.sampled_from(["2023", "2023-10", "2023-10-05"]),
        "email": st.just("a@b.vn"), "url": st.just("https://example.vn/x"), "phone": st.just("0205 123"),
        "id": st.sampled_from(["loc-yen", "lang-son", "trong-hong", "khong-co"]),
        "enum": st.sampled_from(list(field.choices) or ["x"]),
        "vocab": st.sampled_from(["trong-trot", "ho-ngheo", "hoi-nong-dan", "Trồng trọt", "x"]),
        "image": st.sampled_from(["images/a.jpg", "../a.jpg", "images/ a.jpg"]),
    }
    if field.kind == "list":
        assert field.item is not None
        fit = st.lists(field_value(field.item), max_size=3)
    elif field.kind == "map":
        fit = front_matter(field.fields)
    else:
        fit = fitting[field.kind]
    return st.one_of(fit, fit, values, deep)


def front_matter(fields: tuple[Field, ...]) -> st.SearchStrategy[dict[Any, Any]]:
    kept = st.fixed_dictionaries({}, optional={f.name: field_value(f) for f in fields})
    extra = st.dictionaries(texts | st.sampled_from(["soures", "sumary", "7", "draft"]), values, max_size=2)
    return st.tuples(kept, extra).map(lambda pair: {**pair[1], **pair[0]})


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(meta: Any) -> str:
    return yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=70)


# Damage: insert, delete or replace characters of the YAML text at a random place.
edits = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "replace"]),
                           st.sampled_from(list(ODD) + ["\n", "  ", "- ", ": ", "---\n"])), max_size=3)


def damaged(text: str, changes: list[tuple[float, str, str]]) -> str:
    for where, how, what in changes:
        at = int(where * len(text))
        if how == "insert":
            text = text[:at] + what + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + what + text[at + len(what):]
    return text


def check_site(files: dict[str, str]) -> None:
    """Write the tiny site with `files` over it, check and build it, and assert the three properties."""
    root = Path(tempfile.mkdtemp(prefix="showcase-fuzz-"))
    try:
        all_files = {"site.yaml": MINIMAL_CONFIG, "content/localities/lang-son.md": PROVINCE,
                     "content/localities/loc-yen.md": COMMUNE, "content/models/trong-hong.md": MODEL, **files}
        for rel, text in all_files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
        out = root / "out"
        (out / "old").mkdir(parents=True)
        (out / "old" / "index.html").write_text("trang cũ", "utf-8")
        before = snapshot(out)

        checked = run_cli(root, "check", "--format", "json")
        assert checked.code in (0, 1, 2), checked.err
        assert "Traceback" not in checked.err, checked.err
        if checked.code == 2:     # site.yaml unusable: one located problem on stderr
            first = checked.err.splitlines()[0]
            assert first.startswith("site.yaml:") and first.split(":")[1].isdigit(), checked.err
        else:
            for problem in json.loads(checked.out)["diagnostics"]:
                assert (root / problem["path"]).exists(), problem
                assert problem["line"] >= 1 or problem["code"] in WHOLE_FILE, problem
                assert problem["message"], problem

        built = run_cli(root, "build", "--no-search", "--quiet", "--out", str(out))
        assert built.code in (0, 1, 2), built.err
        assert "Traceback" not in built.err, built.err
        assert built.code == (0 if checked.code == 0 else built.code)
        if built.code:
            assert snapshot(out) == before
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(settings.get_profile(PROFILE))
@given(meta=front_matter(MODEL_FIELDS), changes=edits)
def test_no_model_front_matter_crashes(meta: dict[Any, Any], changes: list[tuple[float, str, str]]) -> None:
    check_site({"content/models/fuzz.md": "---\n" + damaged(dump(meta), changes) + "---\n## Cách làm\n\nx\n"})


@settings(settings.get_profile(PROFILE))
@given(meta=front_matter(LOCALITY_FIELDS), changes=edits)
def test_no_locality_front_matter_crashes(meta: dict[Any, Any], changes: list[tuple[float, str, str]]) -> None:
    check_site({"content/localities/fuzz.md": "---\n" + damaged(dump(meta), changes) + "---\nx\n"})


SITE = yaml.safe_load(MINIMAL_CONFIG)
site_values = st.one_of(values, deep, st.sampled_from(["https://example.vn/", "default", 20]))


@settings(settings.get_profile(PROFILE))
@given(changed=st.dictionaries(st.sampled_from(sorted(SITE) + ["featured", "page_size", "feed_size", "theme",
                                                               "licence", "search", "x"]), site_values, max_size=3),
       dropped=st.sets(st.sampled_from(sorted(SITE)), max_size=2), changes=edits)
def test_no_site_yaml_crashes(changed: dict[str, Any], dropped: set[str],
                              changes: list[tuple[float, str, str]]) -> None:
    settings_ = {k: v for k, v in {**SITE, **changed}.items() if k not in dropped}
    check_site({"site.yaml": damaged(dump(settings_), changes)})
