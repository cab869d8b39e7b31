"""Field definitions of the content model (DESIGN.md §2), as data.

One table drives validation, the `showcase new` scaffolds and the JSON Schema for editors, so the
three can never disagree. `help` is the short Vietnamese comment an editor sees in a scaffold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Field:
    """One front-matter key: its kind, whether it is required, and what it means."""

    name: str
    kind: str                          # text | int | number | bool | year | month | date | partial_date
                                       # | email | url | phone | id | ids | place | enum | vocab | image | list | map
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()      # for enum
    vocab: str = ""                    # for vocab: a key of site.yaml `vocabularies`
    ref: str = ""                      # for id, ids (one id or a list): "model" or "locality"
    item: Field | None = None          # for list
    fields: tuple[Field, ...] = ()     # for map
    example: Any = None                # shown in scaffolds
    min: float | None = None
    max: float | None = None
    max_length: int | None = None

    def child(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _map(name: str, help: str, *fields: Field, **kw: Any) -> Field:
    return Field(name, "map", help, fields=fields, **kw)


def _list(name: str, help: str, item: Field, **kw: Any) -> Field:
    return Field(name, "list", help, item=item, **kw)


YEAR_MIN, YEAR_MAX = 1945, 2100
# A photo under content/images/, written as the site will serve it: no URL, space, backslash or "..".
IMAGE_PATH = re.compile(r"images/(?!(?:.*/)?\.\.?(?:/|$))[^\s\\?#:]+")
# Mainland Việt Nam with Hoàng Sa and Trường Sa: a coordinate outside is a typo or a swapped pair.
LAT_RANGE, LON_RANGE = (6.0, 23.5), (102.0, 117.9)

SOURCES = _list("sources", "Nguồn: bài báo, báo cáo; `source: 1` trỏ tới nguồn đầu tiên", _map(
    "source", "",
    Field("title", "text", "Tiêu đề bài viết", required=True, example="Tên bài báo"),
    Field("publisher", "text", "Cơ quan xuất bản", example="Báo …"),
    Field("author", "text", "Tác giả như trong bài"),
    Field("date", "partial_date", "Ngày đăng: YYYY-MM-DD, hoặc YYYY-MM, YYYY", example="2023-10"),
    Field("url", "url", "Địa chỉ bài viết (https://…)"),
))

# Old ids of a renamed file: their addresses redirect to the page (generator/publish/redirects.py).
ALIASES = _list("aliases", "Mã cũ (khi đổi tên tệp): địa chỉ cũ tự chuyển tới trang này", Field("alias", "id"))

_SOURCE_INDEX = Field("source", "int", "Số thứ tự nguồn trong `sources` (1 = nguồn đầu tiên)",
                      required=True, min=1, example=1)

MODEL_FIELDS: tuple[Field, ...] = (
    Field("title", "text", "Tên mô hình", required=True, max_length=150),
    Field("summary", "text", "Tóm tắt 1–2 câu (≤ 300 ký tự): làm gì, ở đâu, cho ai, kết quả chính",
          required=True, max_length=300),
    Field("locality", "place", "Địa phương: mã (tên tệp trong content/localities/, không có .md), mã GSO "
          "hoặc tên, địa chỉ cũ hay mới (\"xã Lộc Yên, huyện Cao Lộc, tỉnh Lạng Sơn\")",
          required=True, ref="locality", example="loc-yen"),
    _list("sectors", "Lĩnh vực: mã trong site.yaml › vocabularies › sectors", required=True,
          item=Field("sector", "vocab", vocab="sectors"), example=["trong-trot"]),
    _list("target_groups", "Đối tượng hưởng lợi: mã trong site.yaml › target_groups",
          Field("target_group", "vocab", vocab="target_groups"), example=["ho-ngheo"]),
    _map("host", "Đơn vị chủ trì",
         Field("name", "text", "Tên đơn vị", required=True),
         Field("type", "vocab", "Loại đơn vị: mã trong site.yaml › host_types", vocab="host_types")),
    _list("partners", "Đơn vị phối hợp", _map(
        "partner", "", Field("name", "text", "Tên", required=True), Field("role", "text", "Vai trò"))),
    Field("started", "year", "Năm bắt đầu", example=2018),
    Field("status", "enum", "Tình trạng: active (đang hoạt động), pilot (thí điểm), ended (đã kết thúc)",
          choices=("active", "pilot", "ended")),
    _map("participants", "Số hộ tham gia",
         Field("households", "int", "Tổng số hộ", min=0), Field("poor", "int", "Hộ nghèo", min=0),
         Field("near_poor", "int", "Hộ cận nghèo", min=0)),
    _list("figures", "Số liệu: mỗi số có đơn vị, năm và nguồn", _map(
        "figure", "",
        Field("label", "text", "Nội dung", required=True), Field("value", "number", "Giá trị", required=True),
        Field("unit", "text", "Đơn vị", required=True), Field("year", "year", "Năm", required=True),
        _SOURCE_INDEX)),
    _map("replication", "Điều kiện nhân rộng",
         _list("suitable_when", "Phù hợp khi", Field("item", "text")),
         _list("prerequisites", "Điều kiện cần có", Field("item", "text")),
         _list("risks", "Rủi ro", Field("item", "text")),
         Field("time_to_first_result", "text", "Thời gian đến kết quả đầu tiên", example="3 năm")),
    _map("visiting", "Thông tin tham quan, học tập",
         Field("accepts_visits", "bool", "Có đón đoàn tham quan không (true/false)"),
         _list("best_months", "Tháng nên đến (1–12)", Field("month", "month")),
         Field("season_note", "text", "Ghi chú về mùa vụ"),
         Field("duration", "text", "Thời gian tham quan", example="nửa ngày"),
         Field("max_group", "int", "Số người tối đa mỗi đoàn", min=1),
         Field("notice_days", "int", "Báo trước bao nhiêu ngày", min=0),
         Field("arrange_via", "text", "Liên hệ sắp xếp qua"),
         Field("access", "text", "Đường đi")),
    _map("contact", "Liên hệ công khai (chỉ số điện thoại, email cơ quan)",
         Field("name", "text", "Họ tên"), Field("role", "text", "Chức vụ"),
         Field("organisation", "text", "Cơ quan"), Field("phone", "phone", "Điện thoại (đặt trong ngoặc kép)"),
         Field("email", "email", "Email")),
    _list("images", "Ảnh", _map(
        "image", "",
        Field("src", "image", "Đường dẫn ảnh trong content/, ví dụ images/hong.jpg", required=True),
        Field("alt", "text", "Mô tả ảnh cho người khiếm thị (bắt buộc)", required=True),
        Field("caption", "text", "Chú thích"), Field("credit", "text", "Tác giả ảnh"))),
    SOURCES,
    _list("related", "Mô hình liên quan: mã của mô hình khác",
          Field("model", "id", ref="model")),
    Field("published", "date", "Ngày đăng trên trang (YYYY-MM-DD)", example="2024-01-05"),
    Field("updated", "date", "Ngày cập nhật (YYYY-MM-DD)"),
    ALIASES,
    Field("draft", "bool", "Bản nháp: true thì không xuất bản", example=False),
)

# Level id -> label shown to readers. The 2025 reform left provinces and communes; the district tier
# (quận, huyện, thị xã, thành phố thuộc tỉnh) and thị trấn remain for the units before it.
LEVEL_LABELS = {
    "tinh": "Tỉnh", "thanh-pho": "Thành phố trực thuộc trung ương", "quan": "Quận", "huyen": "Huyện",
    "thi-xa": "Thị xã", "thanh-pho-thuoc-tinh": "Thành phố thuộc tỉnh", "xa": "Xã", "phuong": "Phường",
    "thi-tran": "Thị trấn", "dac-khu": "Đặc khu",
}
LOCALITY_LEVELS = tuple(LEVEL_LABELS)
PROVINCE_LEVELS = ("tinh", "thanh-pho")

LOCALITY_FIELDS: tuple[Field, ...] = (
    # name and level are required unless `code` names the unit in the gazetteer (fields.py).
    Field("code", "text", "Mã đơn vị hành chính (mã GSO, ví dụ \"06211\"): tên, cấp, tọa độ lấy từ danh mục",
          example="06211"),
    Field("name", "text", "Tên có cấp hành chính", required=True, example="xã Lộc Yên"),
    Field("level", "enum", "Cấp: " + ", ".join(LOCALITY_LEVELS), required=True, choices=LOCALITY_LEVELS),
    Field("parent", "id", "Mã đơn vị hành chính cấp trên", ref="locality"),
    Field("region", "vocab", "Vùng (bắt buộc ở cấp tỉnh): mã trong site.yaml › regions", vocab="regions"),
    _map("coordinates", "Tọa độ",
         Field("lat", "number", "Vĩ độ", required=True, min=LAT_RANGE[0], max=LAT_RANGE[1]),
         Field("lon", "number", "Kinh độ", required=True, min=LON_RANGE[0], max=LON_RANGE[1])),
    _list("former_names", "Tên cũ (để tìm kiếm)", Field("name", "text")),
    Field("merged_into", "ids", "Đã sáp nhập vào: mã địa phương mới, hoặc danh sách nếu bị chia cho nhiều đơn vị",
          ref="locality"),
    Field("valid_until", "date", "Tồn tại đến ngày (YYYY-MM-DD)", example="2025-06-30"),
    _list("poverty", "Tỷ lệ hộ nghèo theo năm, mỗi điểm có nguồn", _map(
        "point", "",
        Field("year", "year", "Năm", required=True),
        Field("poor", "number", "Tỷ lệ hộ nghèo (%)", min=0, max=100),
        Field("near_poor", "number", "Tỷ lệ hộ cận nghèo (%)", min=0, max=100),
        _SOURCE_INDEX)),
    SOURCES,
    ALIASES,
)

FIELDS_BY_KIND = {"model": MODEL_FIELDS, "locality": LOCALITY_FIELDS}
