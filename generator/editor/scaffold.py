"""Write new content files whose front matter lists every field of the content model, commented."""
from __future__ import annotations

import json
from pathlib import Path

from generator.content.load import CONTENT_DIRS, Kind
from generator.content.schema import FIELDS_BY_KIND, Field
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


def scaffold_path(root: Path, kind: Kind, name: str) -> Path:
    ident = slug(name)
    if not ident:
        raise ScaffoldError(f"không tạo được mã từ tên {name!r}: hãy dùng tên có chữ cái")
    return root / CONTENT_DIRS[kind] / f"{ident}.md"


def create_scaffold(root: Path, kind: Kind, name: str) -> Path:
    """Create the file for `name` and return its path; never overwrite an existing file."""
    path = scaffold_path(root, kind, name)
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} đã có, không ghi đè. "
                            f"Mở tệp đó để sửa, hoặc chọn tên khác")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(scaffold_text(kind, name))
    return path


def scaffold_text(kind: Kind, name: str) -> str:
    """The front matter with every field (optional ones commented out) and the usual sections."""
    lines = ["---", "# Trường có (bắt buộc) phải điền; bỏ dấu # ở đầu dòng để dùng trường tuỳ chọn.",
             "# Hướng dẫn đầy đủ: docs/huong-dan-bien-tap.md"]
    first = "title" if kind == "model" else "name"
    for field in FIELDS_BY_KIND[kind]:
        lines += _field_lines(field, "", name if field.name == first else None)
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
