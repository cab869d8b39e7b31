"""Fill every field of an entry through Decap's form, as an editor would (tests/test_admin_browser.py).

The walk is driven by the generated configuration (the one /admin/ serves) next to the schema, so a
field added to `generator/content/schema.py` is filled by the browser test as soon as it exists, and a
widget the walk does not know how to use fails the test. Each field is filled through its widget
(typing, picking an option, toggling, uploading) and the walk returns the front matter the saved file
must then hold, with its types: ints, floats, dates, lists of ids.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.content.schema import Field

Choice = tuple[str, Any]      # what the editor picks in a list (its label) -> what the file holds
# Plain values by schema kind, typed into the form; a field whose meaning needs more has an override.
TYPED: dict[str, Callable[[Field], tuple[str, Any]]] = {
    "text": lambda f: (f"Thử {f.name.replace('_', ' ')}", f"Thử {f.name.replace('_', ' ')}"),
    "int": lambda f: ("12", 12),
    "year": lambda f: ("2021", 2021),
    "number": lambda f: ("7.5", 7.5),
    "date": lambda f: ("2024-01-05", dt.date(2024, 1, 5)),
    "partial_date": lambda f: ("2023-10", "2023-10"),
    "url": lambda f: ("https://example.vn/bai-thu", "https://example.vn/bai-thu"),
    "email": lambda f: ("lienhe@example.vn", "lienhe@example.vn"),
    "phone": lambda f: ("0200 000 000", "0200 000 000"),
    "id": lambda f: (f"{f.name}-cu", f"{f.name}-cu"),
}


def control(scope: Any, name: str) -> Any:
    """The control of field `name` in `scope` (the form, a group or a list item): Decap labels each
    control `<label for="NAME-field-N">` at the top of its container, which says what it is."""
    return scope.locator(f'[aria-label$=" field"]:has(> div > label[for^="{name}-field-"])').first


class FormWalk:
    """Fill the fields of a Decap form from their widgets; `overrides` (dotted path -> value for the
    form and value expected on disk, or a list of choices) where a plain value would mean nothing."""

    def __init__(self, page: Any, photo: Path, overrides: dict[str, Any]) -> None:
        self.page, self.photo, self.overrides = page, photo, overrides
        self.visited: list[str] = []

    def fill(self, scope: Any, specs: list[dict[str, Any]], fields: tuple[Field, ...], prefix: str = "") -> dict[str, Any]:
        by_name = {f.name: f for f in fields}
        assert [s["name"] for s in specs if s["name"] != "body"] == list(by_name), "the form has every field"
        return {s["name"]: self.one(control(scope, s["name"]), s, by_name[s["name"]], prefix + s["name"])
                for s in specs if s["name"] != "body"}

    def one(self, box: Any, spec: dict[str, Any], field: Field, path: str) -> Any:
        self.visited.append(path)
        box.scroll_into_view_if_needed()
        widget, wanted = spec["widget"], self.overrides.get(path)
        if widget == "object":
            return self.fill(box, spec["fields"], field.fields, path + ".")
        if widget == "list":
            assert field.item is not None
            box.locator("button", has_text=re.compile("^Thêm")).first.click()
            item = box.locator('[class*="-ListItem-"]').last
            if "fields" in spec:
                return [self.fill(item, spec["fields"], field.item.fields, path + ".")]
            return [self.one(control(item, spec["field"]["name"]), spec["field"], field.item, path + "[]")]
        if widget in ("select", "relation"):
            choices = wanted or self._choices(spec, field)
            for text, _ in choices:
                box.locator("input[role=combobox]").fill(text)
                self.page.get_by_role("option", name=text, exact=True).click()
            values = [value for _, value in choices]
            return values if spec.get("multiple") else values[0]
        if widget == "boolean":
            value = True if wanted is None else wanted
            switch = box.locator("button[role=switch]")
            if (switch.get_attribute("aria-checked") == "true") != value:
                switch.click()
            return value
        if widget == "image":
            box.get_by_role("button", name="Chọn một hình").click()
            self.page.locator("input[type=file]").set_input_files(self.photo)
            self.page.get_by_role("button", name="Lấy những cái đã chọn").click()
            return f"images/{self.photo.name}"
        if widget in ("string", "text", "number", "datetime"):
            typed, value = wanted or TYPED[field.kind](field)
            box.locator("input, textarea").first.fill(typed)
            return value
        raise AssertionError(f"no way to fill a {widget} widget ({path}): teach tests/admin_form.py")

    @staticmethod
    def _choices(spec: dict[str, Any], field: Field) -> list[Choice]:
        """The first option, or the first two of a multiple select (a list of one would hide a list bug)."""
        assert "options" in spec, f"{field.name}: a relation needs a value to pick (an override)"
        options = [(o["label"], o["value"]) for o in spec["options"]]
        return options[:2] if spec.get("multiple") else options[:1]


def schema_paths(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    """Every field of the schema as the walk names it (`figures.label`, `aliases[]`)."""
    paths = []
    for field in fields:
        path = prefix + field.name
        paths.append(path)
        if field.kind == "map":
            paths += schema_paths(field.fields, path + ".")
        elif field.kind == "list" and field.item is not None:
            paths += schema_paths(field.item.fields, path + ".") if field.item.kind == "map" else []
    return paths
