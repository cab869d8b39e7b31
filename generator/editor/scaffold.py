"""Write new content files whose front matter lists every field of the content model, commented."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from generator.content.config import Config, load_config
from generator.content.graph import URLS
from generator.core.errors import ConfigError
from generator.content.gazetteer import LEVEL_WORDS, bare_name, level_of, load_gazetteer
from generator.content.places import MAX_CANDIDATES, gazetteer_enabled, resolve_locality
from generator.content.load import CONTENT_DIRS, Kind
from generator.content.regions import region_of
from generator.content.schema import FIELDS_BY_KIND, LEVEL_LABELS, PROVINCE_LEVELS, Field
from generator.core.slugs import slug

MODEL_BODY = """
## Bối cảnh

## Cách làm

## Kết quả

## Bài học kinh nghiệm

## Điều kiện nhân rộng
"""
LOCALITY_BODY = "\nGiới thiệu ngắn về địa phương.\n"


class ScaffoldError(Exception):
    """The name gives no usable id, or the file already exists."""


def scaffold_path(root: Path, kind: Kind, name: str, unit: tuple[str, str, str] | None = None) -> Path:
    ident = unit[0] if unit else slug(name)
    if not ident:
        raise ScaffoldError(f"không tạo được mã từ tên {name!r}: hãy dùng tên có chữ cái")
    return root / CONTENT_DIRS[kind] / f"{ident}.md"


def preview_path(root: Path, kind: Kind, ident: str) -> str:
    """The page's path in `showcase serve` (site-relative, with the base path of site.yaml when readable)."""
    base = "/"
    try:
        base = load_config(root).base_path
    except ConfigError:
        pass
    return base + (URLS[kind][1] or "").format(ident)


def _site_config(root: Path) -> Config | None:
    try:
        return load_config(root)
    except ConfigError:
        return None


def gazetteer_unit(root: Path, name: str) -> tuple[str, str, str] | None:
    """(id, code, name) of the unit `name` means when the site uses the gazetteer, by its id rule.

    A name several units share is refused with the candidates, so two files never claim one id
    and an editor never gets xã Tân Lập of the wrong province.
    """
    config = _site_config(root)
    if config is None or not gazetteer_enabled(config):
        return None
    gaz = load_gazetteer(root / ".cache")
    found = resolve_locality(gaz, name)
    if len(found) > 1:
        shown = "; ".join(f"{gaz.address(i)} (mã {i})" for i in found[:MAX_CANDIDATES])
        more = f" và {len(found) - MAX_CANDIDATES} đơn vị khác" if len(found) > MAX_CANDIDATES else ""
        raise ScaffoldError(f"{name!r} là tên của {len(found)} đơn vị: {shown}{more}. Ghi thêm huyện, tỉnh, "
                            f"ví dụ: showcase new locality \"{gaz.address(found[0])}\", hoặc dùng mã")
    if not found:
        return None
    unit = gaz.units[found[0]]
    return unit.id, unit.code, unit.name


def create_scaffold(root: Path, kind: Kind, name: str, level: str | None = None,
                    region: str | None = None) -> Path:
    """Create the file for `name` and return its path; never overwrite an existing file.

    A locality has no `draft`, so its file must be valid as written: the gazetteer's unit (by
    `code`), or a level (`level`, else the level word the name starts with) and, at province level,
    a region. When these cannot be known the scaffold is refused, never written broken.
    """
    if kind == "model" and (level or region):
        raise ScaffoldError("--level và --region chỉ dùng khi tạo địa phương (showcase new locality …)")
    unit = gazetteer_unit(root, name) if kind == "locality" else None
    facts = locality_facts(root, name, level, region) if kind == "locality" and unit is None else {}
    path = scaffold_path(root, kind, name, unit)
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} đã có, không ghi đè. "
                            f"Mở tệp đó để sửa, hoặc chọn tên khác")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(scaffold_text(kind, unit[2] if unit else name, unit[1] if unit else None, facts))
    return path


def locality_facts(root: Path, name: str, level: str | None, region: str | None) -> dict[str, str]:
    """`level` (and `region` at province level) of a locality the gazetteer does not name."""
    level = level or _level_word(name)
    if level not in LEVEL_LABELS:
        ids = ", ".join(f"{ident} ({label})" for ident, label in LEVEL_LABELS.items())
        raise ScaffoldError(f"không biết {name!r} thuộc cấp hành chính nào: tên không bắt đầu bằng "
                            f"{', '.join(LEVEL_WORDS)}. Viết tên có cấp (ví dụ \"xã {name}\") hoặc thêm "
                            f"--level với một trong các mã: {ids}")
    facts = {"level": level}
    if level in PROVINCE_LEVELS or region:
        config = _site_config(root)
        known = config.vocabularies.get("regions", {}) if config else {}
        region = region or region_of(bare_name(name))
        if region is None or (config is not None and region not in known):
            ids = ", ".join(f"{ident} ({label})" for ident, label in known.items())
            what = f"vùng {region!r} không có trong site.yaml › vocabularies › regions" if region else \
                f"{name!r} là cấp tỉnh nên cần vùng (region)"
            raise ScaffoldError(f"{what}. Thêm --region với một trong các mã: {ids}")
        facts["region"] = region
    return facts


def _level_word(name: str) -> str:
    """The level id the name's level word gives ("" without one); 'thành phố' alone is refused."""
    level = level_of(name.strip(), province_level=True)
    if level == "thanh-pho":
        raise ScaffoldError(f"{name!r} có thể là thành phố trực thuộc trung ương hoặc thành phố thuộc tỉnh. "
                            f"Thêm --level thanh-pho hoặc --level thanh-pho-thuoc-tinh")
    return level


def scaffold_text(kind: Kind, name: str, code: str | None = None, facts: dict[str, str] | None = None) -> str:
    """The front matter with every field (optional ones commented out) and the usual sections.

    With a gazetteer `code` the file names its unit; what the gazetteer knows (level, parent,
    coordinates, successors) is left commented, to be written only to correct it. `facts` are
    values known at creation (a locality's level and region).
    """
    lines = ["---", "# Trường có (bắt buộc) phải điền; bỏ dấu # ở đầu dòng để dùng trường tuỳ chọn.",
             "# Hướng dẫn đầy đủ: docs/huong-dan-bien-tap.md"]
    first = "title" if kind == "model" else "name"
    given = {first: name, **({"code": code} if code else {}), **(facts or {})}
    for field in FIELDS_BY_KIND[kind]:
        if field.name == "draft":
            # A new file is a draft: its empty fields are warnings on it alone, never a blocked site.
            lines += ["# Bản nháp: chỉ hiện trong bản xem trước (showcase serve). Khi đã điền đủ, "
                      "đổi thành false hoặc xóa dòng này để xuất bản.", "draft: true"]
            continue
        if code and field.name == "level":
            field = dataclasses.replace(field, required=False)
        lines += _field_lines(field, "", given.get(field.name))
    lines.append("---")
    return "\n".join(lines) + "\n" + (MODEL_BODY if kind == "model" else LOCALITY_BODY)


def _field_lines(field: Field, indent: str, value: str | None) -> list[str]:
    note = field.help + (" (bắt buộc)" if field.required else "")
    required_here = field.required and not indent
    if required_here and value is None and field.example is not None:
        note += f", ví dụ: {_example(field)}"
    out = [f"{indent}# {note}"] if note else []
    comment = "" if required_here else "# "
    if value is not None:
        return out + [f"{indent}{field.name}: {json.dumps(value, ensure_ascii=False)}"]
    if required_here:
        return out + [f"{indent}{field.name}:"]
    if field.kind == "map":
        out.append(f"{indent}{comment}{field.name}:")
        for child in field.fields:
            out.append(f"{indent}{comment}  {child.name}: {_example(child)}".rstrip())
    elif field.kind == "list" and field.item is not None and field.item.kind == "map":
        out.append(f"{indent}{comment}{field.name}:")
        children = field.item.fields
        for i, child in enumerate(children):
            lead = "  - " if i == 0 else "    "
            out.append(f"{indent}{comment}{lead}{child.name}: {_example(child)}".rstrip())
    else:
        out.append(f"{indent}{comment}{field.name}: {_example(field)}".rstrip())
    return out


def _example(field: Field) -> str:
    if field.example is not None:
        return json.dumps(field.example, ensure_ascii=False)
    if field.kind == "list":
        return "[]"
    return ""
