"""The one slug function used for ids, URLs and heading anchors."""
from __future__ import annotations

import functools

from slugify import slugify


# Heading anchors repeat across pages ("Kết quả", "Cách làm"), and slugify costs ~0.1 ms a call.
@functools.lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Return the lowercase ASCII slug of Vietnamese text: 'Đắk Lắk' -> 'dak-lak'."""
    return slugify(text)


# Sorting by name folds the same titles over and over (O(n²) in `graph._related`), and slugify costs
# ~0.1 ms a call: without the cache a 1,000-model site spends minutes here.
@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return text without diacritics, lowercased, for matching: 'Lộc Yên' -> 'loc yen'."""
    return slugify(text, separator=" ")
