"""The one slug function used for ids, URLs and heading anchors."""
from __future__ import annotations

from slugify import slugify


def slug(text: str) -> str:
    """Return the lowercase ASCII slug of Vietnamese text: 'Đắk Lắk' -> 'dak-lak'."""
    return slugify(text)


def fold(text: str) -> str:
    """Return text without diacritics, lowercased, for matching: 'Lộc Yên' -> 'loc yen'."""
    return slugify(text, separator=" ")
