"""Vietnamese alphabetical order, for every list a reader sees.

ICU's Vietnamese collator (CLDR tailoring) orders letters as readers expect: a ă â, d đ, o ô ơ,
u ư ("Cuộc" before "Cửa hàng"), with tones as a second-level difference. Place names are ordered by
the name itself, not by the level word in front of it ("thành phố Huế" files under H, beside
"tỉnh Hà Tĩnh", not under T).
"""
from __future__ import annotations

import functools
import re

import icu

# Level words that start a locality's name; longest first so "thị xã" wins over "xã".
LEVEL_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
_LEVEL = re.compile(r"^(?:%s)\s+" % "|".join(LEVEL_WORDS), re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> bytes:
    """The ICU sort key of `text`: compare keys with <, sort lists with `key=sort_key`."""
    return bytes(_collator().getSortKey(text))


def without_level(name: str) -> str:
    """'thành phố Huế' -> 'Huế'; a name without a level word is returned unchanged."""
    return _LEVEL.sub("", name, count=1) or name


def place_key(name: str) -> tuple[bytes, bytes]:
    """Order place names by the name after the level word, then by the whole name."""
    return sort_key(without_level(name)), sort_key(name)


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ('huyện Quảng Điền' -> 'Huyện Quảng Điền'), for a heading's start."""
    return text[:1].upper() + text[1:]
