"""The configuration of the editor in the browser (Decap CMS at /admin/), generated from the content model.

Never written by hand: every field of `generator/schema.py` becomes a form widget that makes the
common mistakes impossible (a select of vocabulary ids shown with their Vietnamese labels, a relation
to the localities on disk instead of a typed id, numbers as numbers, dates from a date picker), with
the field's description as the hint. `showcase admin-config` writes it for a team hosting the same
editor on a Git backend; `showcase serve` serves it at /admin/config.yml with its local backend.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.content.config import Config
from generator.content.graph import URLS
from generator.pages.render import LEVEL_LABELS, STATUS_LABELS
from generator.editor.scaffold import LOCALITY_BODY, MODEL_BODY
from generator.content.schema import FIELDS_BY_KIND, YEAR_MAX, YEAR_MIN, Field

MEDIA_FOLDER = "content/images"     # where uploaded photos go; front matter names them images/<file>
PUBLIC_FOLDER = "images"
COLLECTIONS = {"model": ("models", "Mô hình", "mô hình", "content/models", "title"),
               "locality": ("localities", "Địa phương", "địa phương", "content/localities", "name")}
ENUM_LABELS = {"status": STATUS_LABELS, "level": LEVEL_LABELS}
MONTHS = [{"label": f"Tháng {m}", "value": m} for m in range(1, 13)]
# Labels where the start of the field's description would not read as one.
LABELS = {"locality": "Địa phương", "related": "Mô hình liên quan", "parent": "Cấp trên",
          "merged_into": "Đã sáp nhập vào", "sectors": "Lĩnh vực", "target_groups": "Đối tượng hưởng lợi",
          "region": "Vùng", "level": "Cấp", "status": "Tình trạng", "source": "Nguồn số",
          "summary": "Tóm tắt", "src": "Ảnh", "draft": "Bản nháp", "aliases": "Mã cũ", "sources": "Nguồn"}
ID_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "chỉ chữ thường không dấu, số và dấu gạch ngang, ví dụ loc-yen"]
PATTERNS = {
    "partial_date": [r"^\d{4}(-\d{2}(-\d{2})?)?$", "năm (2023), tháng (2023-10) hoặc ngày (2023-10-05)"],
    "url": [r"^https?://\S+$", "địa chỉ bắt đầu bằng https://"],
    "email": [r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "địa chỉ email, ví dụ ten@coquan.gov.vn"],
}
# Text fields with a shape: a GSO code is 2 (province), 3 (district) or 5 digits (commune); any other
# text is certain to fail `showcase check` (code_unknown), so the form refuses it before saving.
FIELD_PATTERNS = {"code": [r"^(\d{2}|\d{3}|\d{5})$", "mã GSO gồm 2 chữ số (tỉnh), 3 (huyện) hoặc 5 (xã), ví dụ 06211"]}
# Where the description speaks of ids and files, the form shows a list instead: say so.
HINTS = {"id": "Chọn trong danh sách (gõ vài chữ để tìm)", "vocab": "Chọn trong danh sách",
         "image": "Ảnh .jpg, .png hoặc .webp, tên tệp không dấu cách; được lưu vào content/images/"}
NAMED_BY_CODE = ("name", "level")     # locality fields a GSO code can stand for
DEFAULT_BACKEND = {"name": "git-gateway", "branch": "main"}


def admin_config(config: Config, *, local_backend: str | None = None, site_url: str | None = None) -> dict[str, Any]:
    """The Decap CMS configuration; `local_backend` is the URL of the preview's file API, if any, and
    `site_url` where an entry's page is seen ("Xem bản hoàn chỉnh"; the site's base_url by default).

    The Git backend comes from site.yaml's `admin: {backend: …}` (Decap's own keys, e.g.
    `{name: github, repo: owner/repo, branch: main}`); see docs/xuat-ban.md.
    """
    admin = config.extra.get("admin")
    admin = admin if isinstance(admin, dict) else {}
    result: dict[str, Any] = {
        "backend": dict(admin.get("backend") or DEFAULT_BACKEND),
        "locale": "vi",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        # Ids are lowercase ASCII with hyphens, as `showcase new` makes them: "Lộc Yên" -> "loc-yen".
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "site_url": site_url or config.base_url,
        "collections": [collection(kind, config) for kind in COLLECTIONS],
    }
    if local_backend:
        result["local_backend"] = {"url": local_backend}
    return result


def collection(kind: str, config: Config) -> dict[str, Any]:
    name, label, singular, folder, identifier = COLLECTIONS[kind]
    fields = [_named_by_code(widget(f, config)) if kind == "locality" and f.name in NAMED_BY_CODE
              else widget(f, config) for f in FIELDS_BY_KIND[kind]]
    body = MODEL_BODY if kind == "model" else LOCALITY_BODY
    fields.append({"name": "body", "label": "Nội dung", "widget": "markdown", "required": False,
                   "default": body.lstrip("\n"),
                   "hint": "Các mục ## Bối cảnh, Cách làm, Kết quả… đã có sẵn: viết dưới mỗi mục."
                   if kind == "model" else "Vài câu giới thiệu địa phương."})
    return {"name": name, "label": label, "label_singular": singular, "folder": folder, "extension": "md",
            "preview_path": (URLS[kind][1] or "").format("{{slug}}"),
            "format": "frontmatter", "create": True, "delete": True, "identifier_field": identifier,
            "slug": "{{slug}}", "summary": "{{%s}}" % identifier,
            "sortable_fields": [identifier], "fields": fields}


def _named_by_code(spec: dict[str, Any]) -> dict[str, Any]:
    """A locality with a GSO `code` takes its name and level from the gazetteer (validate.py): the form
    cannot demand them, or a file with only a code could never be saved; `showcase check` (the panel)
    asks for them when there is no code."""
    return {**spec, "required": False,
            "hint": f"{spec.get('hint') or spec['label']}. Để trống nếu đã có mã GSO: lấy từ danh mục."}


def label(field: Field) -> str:
    if field.name in LABELS:
        return LABELS[field.name]
    text = re.split(r"[:(,;]| – ", field.help)[0].strip() if field.help else ""
    return text or field.name.replace("_", " ").capitalize()


def widget(field: Field, config: Config) -> dict[str, Any]:
    """The Decap widget of one schema field, with its label, hint and whether it is required."""
    spec: dict[str, Any] = {"name": field.name, "label": label(field), "required": field.required}
    value = field.item if field.kind == "list" and field.item else field
    # A place is picked from the list too: the description's ids, GSO codes and names are for files.
    kind = "id" if value.kind == "place" else value.kind
    hint = HINTS.get(kind, field.help) if kind != "id" or value.ref else field.help
    if hint and hint != spec["label"]:
        spec["hint"] = hint.replace("`", "")
    spec.update(_widget_of(field, config))
    return spec


def _widget_of(field: Field, config: Config) -> dict[str, Any]:
    kind = field.kind
    if kind == "text":
        long = field.max_length is not None and field.max_length > 150
        spec: dict[str, Any] = {"widget": "text" if long else "string"}
        if field.max_length:
            spec["pattern"] = [f"^[\\s\\S]{{0,{field.max_length}}}$", f"tối đa {field.max_length} ký tự"]
        if field.name in FIELD_PATTERNS:
            spec["pattern"] = FIELD_PATTERNS[field.name]
        return spec
    if kind in ("int", "number", "year"):
        spec = {"widget": "number", "value_type": "float" if kind == "number" else "int"}
        low, high = (YEAR_MIN, YEAR_MAX) if kind == "year" else (field.min, field.max)
        spec.update({k: v for k, v in (("min", low), ("max", high)) if v is not None})
        return spec
    if kind == "bool":
        # A new model is a draft until someone unticks the box: it is never published by accident.
        return {"widget": "boolean", "default": True} if field.name == "draft" else {"widget": "boolean"}
    if kind == "month":
        return {"widget": "select", "options": MONTHS}
    if kind == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                "picker_utc": True}
    if kind in PATTERNS or kind == "phone":
        return {"widget": "string", **({"pattern": PATTERNS[kind]} if kind in PATTERNS else {})}
    if kind == "image":
        return {"widget": "image", "choose_url": False, "media_library": {"config": {"multiple": False}}}
    if kind == "id":
        return _relation(field.ref) if field.ref else {"widget": "string", "pattern": ID_PATTERN}
    if kind == "place":
        # A locality picked from the site's files: the form writes an id, never a name to resolve.
        return _relation(field.ref)
    if kind == "ids":
        # One id or several (a unit split between successors): a multiple pick writes a list.
        return {**_relation(field.ref), "multiple": True}
    if kind == "enum":
        labels = ENUM_LABELS.get(field.name, {})
        return {"widget": "select", "options": [{"label": labels.get(c, c), "value": c} for c in field.choices]}
    if kind == "vocab":
        return {"widget": "select", "options": _vocabulary(config, field.vocab)}
    if kind == "list":
        return _list(field, config)
    if kind == "map":
        # Decap requires an optional group's required fields even when the group is left empty: there,
        # they are optional in the form, and `showcase check` (the panel) asks for them once one is filled.
        fields = [widget(f, config) if field.required else {**widget(f, config), "required": False}
                  for f in field.fields]
        return {"widget": "object", "collapsed": False, "fields": fields}
    raise ValueError(f"no widget for field kind {kind!r} ({field.name})")


def _list(field: Field, config: Config) -> dict[str, Any]:
    item = field.item
    assert item is not None
    # A list of choices is one multi-select: a label typed where an id goes cannot happen.
    if item.kind == "vocab":
        return {"widget": "select", "multiple": True, "options": _vocabulary(config, item.vocab),
                **({"min": 1} if field.required else {})}
    if item.kind == "month":
        return {"widget": "select", "multiple": True, "options": MONTHS}
    if item.kind == "id" and item.ref:
        return {**_relation(item.ref), "multiple": True}
    if item.kind == "map":
        return {"widget": "list", "collapsed": False, "summary": _summary(item),
                "fields": [widget(f, config) for f in item.fields]}
    return {"widget": "list", "field": {**widget(item, config), "label": label(field)}}


def _summary(item: Field) -> str:
    first = next((f.name for f in item.fields if f.required), item.fields[0].name)
    return "{{fields.%s}}" % first


def _relation(ref: str) -> dict[str, Any]:
    name, _, _, _, identifier = COLLECTIONS[ref]
    return {"widget": "relation", "collection": name, "value_field": "{{slug}}",
            "search_fields": [identifier], "display_fields": [identifier], "options_length": 50}


def _vocabulary(config: Config, vocab: str) -> list[dict[str, str]]:
    return [{"label": text, "value": ident} for ident, text in config.vocabularies[vocab].items()]


def write_admin(config: Config, out_dir: Path, own: Path, dist: Path) -> list[Path]:
    """Write the editor for a team's own hosting into `out_dir`: config.yml, its page and Decap's files.

    `own` holds the editor's page (index.html, the problems panel), `dist` Decap's dist folder (its
    source maps are left out). Stable output: the same site gives the same bytes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "config.yml"]
    written[0].write_text("# Generated by `showcase admin-config` from generator/schema.py and site.yaml: "
                          "do not edit.\n" + dump_config(admin_config(config)), "utf-8")
    for file in sorted(own.iterdir()) + sorted(dist.iterdir()):
        if file.parent == own or file.name == "decap-cms.js" or file.name.endswith((".decap-cms.js", ".wasm")):
            (out_dir / file.name).write_bytes(file.read_bytes())
            written.append(out_dir / file.name)
    return written


def dump_config(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
