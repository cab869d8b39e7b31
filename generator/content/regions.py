"""The six socio-economic regions of the provinces (the gazetteer has none).

Source: Nghị quyết số 81/2023/QH15 của Quốc hội về Quy hoạch tổng thể quốc gia thời kỳ 2021 – 2030,
tầm nhìn đến năm 2050 (9/1/2023), mục "Phương án tổ chức không gian phát triển": the 63 provinces
of the time, by region. The ids are those of `site.yaml › vocabularies › regions`.

The 34 provinces in force since 1 July 2025 (Nghị quyết số 202/2025/QH15) each keep the name of one
former province; until the regions are defined again they are placed in that province's region
(so Gia Lai, which took in Bình Định, is in Tây Nguyên). A locality file's `region` overrides this.
"""
from __future__ import annotations

REGIONS: dict[str, tuple[str, ...]] = {
    "trung-du-mien-nui-phia-bac": (
        "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Yên Bái", "Thái Nguyên", "Lạng Sơn",
        "Bắc Giang", "Phú Thọ", "Điện Biên", "Lai Châu", "Sơn La", "Hòa Bình"),
    "dong-bang-song-hong": (
        "Hà Nội", "Hải Phòng", "Quảng Ninh", "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hưng Yên", "Hà Nam",
        "Nam Định", "Thái Bình", "Ninh Bình"),
    "bac-trung-bo-duyen-hai-mien-trung": (
        "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Nam",
        "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận"),
    "tay-nguyen": ("Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng"),
    "dong-nam-bo": ("Hồ Chí Minh", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Bình Dương", "Bình Phước", "Tây Ninh"),
    "dong-bang-song-cuu-long": (
        "Cần Thơ", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang",
        "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau"),
}

_BY_PROVINCE = {name: region for region, names in REGIONS.items() for name in names}


def region_of(province: str) -> str | None:
    """The region id of a province named without its level word ('Lạng Sơn'), or None if unknown."""
    return _BY_PROVINCE.get(province)
