"""Open data: every published model and locality as JSON and CSV, plus one JSON file per model.

Input: the `SiteGraph`. Output: `OutputFile`s under du-lieu/. The front matter is exported as
written (after validation), so the data round-trips; what the site computes from it (the place
chain, the province, inherited coordinates, vocabulary labels) sits apart under `derived`.
CSV columns follow the field table in `schema.py`, so the header never depends on the content.
"""
from __future__ import annotations

import csv
import hashlib
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.graph import SiteGraph
from generator.core.outputs import OutputFile
from generator.content.schema import FIELDS_BY_KIND, Field
from generator.content.validate import Entry, Locality, PovertyModel

COLLECTIONS = {"model": "models", "locality": "localities"}
KIND_LABELS = {"text": "chuỗi", "int": "số nguyên", "number": "số", "bool": "true/false",
               "year": "năm", "month": "tháng (1–12)", "date": "ngày (YYYY-MM-DD)",
               "partial_date": "ngày, tháng hoặc năm (YYYY-MM-DD, YYYY-MM, YYYY)", "email": "email",
               "url": "địa chỉ web", "phone": "số điện thoại (chuỗi)", "id": "mã", "enum": "một giá trị",
               "vocab": "mã danh mục", "list": "danh sách (JSON)", "map": "nhóm trường"}
LICENCE_KEYS = ("name", "url", "statement")

# Columns every record has besides its front matter: (column, kind, Vietnamese description).
COMMON_COLUMNS = (("id", "id", "Mã, cũng là tên tệp nguồn"), ("url", "url", "Địa chỉ trang trên site"),
                  ("body", "text", "Nội dung bài viết (Markdown)"))
# Where a record is, computed the same way for models and localities (from the locality chain).
_WHERE_COLUMNS = (
    ("derived.place", "text", "Địa bàn, từ cấp thấp nhất lên tỉnh"),
    ("derived.province.id", "id", "Mã tỉnh, thành phố"), ("derived.province.name", "text", "Tên tỉnh, thành phố"),
    ("derived.region.id", "vocab", "Mã vùng (kế thừa từ cấp trên)"), ("derived.region.label", "text", "Tên vùng"),
    ("derived.coordinates.lat", "number", "Vĩ độ (của địa phương hoặc cấp trên gần nhất có tọa độ)"),
    ("derived.coordinates.lon", "number", "Kinh độ"),
    ("derived.coordinates.from", "id", "Mã địa phương cho tọa độ"),
)
DERIVED_COLUMNS = {
    "model": _WHERE_COLUMNS + (
        ("derived.sectors", "list", "Tên các lĩnh vực"), ("derived.target_groups", "list", "Tên các đối tượng"),
        ("derived.host_type", "text", "Tên loại đơn vị chủ trì"),
        ("derived.qr", "url", "Mã QR (SVG) dẫn tới trang mô hình"),
    ),
    "locality": _WHERE_COLUMNS + (
        ("derived.models", "list", "Mã các mô hình ở đơn vị này và các đơn vị trực thuộc"),
    ),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its dotted name, the kind of its values, whether it is required, what it means."""

    name: str
    kind: str
    required: bool
    help: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def columns(kind: str) -> tuple[Column, ...]:
    """The CSV header of a collection: common columns, the front matter flattened, then derived ones."""
    common = [Column(name, k, True, text) for name, k, text in COMMON_COLUMNS]
    derived = [Column(name, k, False, text) for name, k, text in DERIVED_COLUMNS[kind]]
    return tuple(common[:2] + list(_field_columns(FIELDS_BY_KIND[kind], "", True)) + common[2:] + derived)


def _field_columns(fields: tuple[Field, ...], prefix: str, required: bool) -> Iterator[Column]:
    """Maps become dotted columns; lists stay one cell holding JSON, so any depth fits one row."""
    for f in fields:
        if f.kind == "map":
            yield from _field_columns(f.fields, f"{prefix}{f.name}.", required and f.required)
        else:
            yield Column(prefix + f.name, f.kind, required and f.required, f.help)


def data_url(graph: SiteGraph, kind: str, ident: str = "", ext: str = "json") -> str:
    """Where a collection (no ident) or one model's own file is published."""
    name = f"mo-hinh/{ident}" if ident else COLLECTIONS[kind]
    return graph.url("data", f"{name}.{ext}")


def qr_url(graph: SiteGraph, model_id: str) -> str:
    return graph.url("model", model_id) + "qr.svg"


# A record ready to place, UTF-8: for a model its own file, for a locality its piece of the collection
# file; and its CSV row. Remembered between builds by `record_key` (see build.py).
Encoded = tuple[bytes, bytes]
_OWN_END = b"\n}\n"


def records(graph: SiteGraph) -> list[tuple[str, Entry]]:
    """(kind, entry) of every record of the open data, in file order."""
    return [("model", m) for m in graph.models] + [("locality", loc) for loc in graph.localities]


def encode_record(graph: SiteGraph, kind: str, entry: Entry) -> Encoded:
    """One record, encoded once (the indenting JSON encoder is pure Python) for both its collection and,
    for a model, its own file; `record_key` says what it depends on."""
    record = model_record(graph, entry) if kind == "model" else locality_record(graph, entry)  # type: ignore[arg-type]
    text = json.dumps(record, ensure_ascii=False, indent=1)
    first = _own_start(graph) + _at_depth(text, 1).encode("utf-8") + _OWN_END if kind == "model" \
        else ("  " + _at_depth(text, 2)).encode("utf-8")
    return first, _csv_row([_cell(_lookup(record, c.name)) for c in columns(kind)])


def _licence_text(graph: SiteGraph) -> str:
    return _at_depth(json.dumps(dict(graph.config.licence) if graph.config.licence else None, ensure_ascii=False, indent=1), 1)


def _own_start(graph: SiteGraph) -> bytes:
    return f'{{\n "licence": {_licence_text(graph)},\n "model": '.encode("utf-8")


def export_data(graph: SiteGraph, encoded: Mapping[str, Encoded]) -> Iterator[OutputFile]:
    """One JSON file per model, then the four collection files, from each record's encoding (by path).

    Collections are gathered as UTF-8 pieces, so 10,000 records are never held as dicts or text.
    """
    own_start, licence_text = _own_start(graph), _licence_text(graph)
    base = graph.config.base_path
    for kind, entries in (("model", graph.models), ("locality", graph.localities)):
        pieces: list[bytes] = []
        rows = [_csv_row([c.name for c in columns(kind)])]
        for entry in entries:
            first, row = encoded[entry.path]
            if kind == "model":
                # The record in its own file sits one level deep; in the collection, two.
                pieces.append(b"  " + first[len(own_start):-len(_OWN_END)].replace(b"\n", b"\n "))
                yield OutputFile(data_url(graph, "model", entry.id)[len(base):], first)
            else:
                pieces.append(first)
            rows.append(row)
        path = data_url(graph, kind)[len(base):]
        name = COLLECTIONS[kind].encode()
        # Joined once (67 MB at 10,000 models): concatenating the parts would copy it three times.
        parts = [b'{\n "licence": ' + licence_text.encode("utf-8") + b",\n " + b'"' + name + b'": [']
        for index, piece in enumerate(pieces):
            parts += (b",\n" if index else b"\n", piece)
        parts.append(b"\n ]\n}\n" if pieces else b"]\n}\n")
        pieces.clear()
        data = b"".join(parts)
        parts.clear()
        yield OutputFile(path, data)
        # UTF-8 with a byte-order mark, so Excel (what most offices open CSV with) shows Vietnamese right.
        rows[0] = "\ufeff".encode("utf-8") + rows[0]
        data = b"".join(rows)
        rows.clear()
        yield OutputFile(path[:-len("json")] + "csv", data)


def record_key(graph: SiteGraph, kind: str, entry: Entry) -> str:
    """Everything a record is computed from: its file, the files of its locality chain (place, province,
    region, coordinates), for a locality the ids of its models, and site.yaml (labels, base URL)."""
    place = entry.locality if kind == "model" else entry.id  # type: ignore[attr-defined]
    parts = [kind, entry.path, entry.digest, graph.config.digest,
             *(loc.digest for loc in graph.chain.get(place, ()))]
    if kind == "locality":
        parts += ["\0", *(m.id for m in graph.models_within[entry.id])]
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()


def _at_depth(text: str, depth: int) -> str:
    """Indented JSON moved `depth` levels in (JSON strings never hold a raw line break)."""
    return text.replace("\n", "\n" + " " * depth)


def model_record(graph: SiteGraph, m: PovertyModel) -> dict[str, Any]:
    host_type = (m.host or {}).get("type")
    return {**_front_matter(graph, "model", m), "derived": {
        **_where(graph, m.locality),
        "sectors": [graph.label("sectors", s) for s in m.sectors],
        "target_groups": [graph.label("target_groups", t) for t in m.target_groups or ()],
        "host_type": host_type and graph.label("host_types", host_type),
        "qr": graph.config.base_url.rstrip("/") + qr_url(graph, m.id),
    }}


def locality_record(graph: SiteGraph, loc: Locality) -> dict[str, Any]:
    return {**_front_matter(graph, "locality", loc), "derived": {
        **_where(graph, loc.id), "models": [m.id for m in graph.models_within[loc.id]]}}


def _where(graph: SiteGraph, locality_id: str) -> dict[str, Any]:
    province = graph.province(locality_id)
    region = graph.region.get(locality_id)
    return {"place": place(graph, locality_id),
            "province": province and {"id": province.id, "name": province.name},
            "region": region and {"id": region, "label": graph.label("regions", region)},
            "coordinates": coordinates(graph, locality_id)}


def place(graph: SiteGraph, locality_id: str) -> str:
    return ", ".join(loc.name for loc in reversed(graph.chain[locality_id]))


def coordinates(graph: SiteGraph, locality_id: str) -> dict[str, Any] | None:
    """The coordinates of the locality or of its nearest ancestor that has them."""
    for loc in reversed(graph.chain[locality_id]):
        if loc.coordinates:
            return {"lat": loc.coordinates.lat, "lon": loc.coordinates.lon, "from": loc.id}
    return None


def _front_matter(graph: SiteGraph, kind: str, entry: Entry) -> dict[str, Any]:
    fields = {k: _plain(v) for k, v in entry.data.items() if v is not None}
    return {"id": entry.id, "url": graph.config.base_url.rstrip("/") + graph.url(kind, entry.id),
            **fields, "body": entry.body.strip("\n")}


def _plain(value: Any) -> Any:
    """Frozen records and tuples back to JSON's dicts and lists; dates as ISO text."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_row(cells: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue().encode("utf-8")


def _lookup(record: Mapping[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
