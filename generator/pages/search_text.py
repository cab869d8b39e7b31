"""Vietnamese text as the search index sees it: words, folded keys, syllable bigrams. No I/O.

A key is a word folded to base letters ("Điện" -> "dien"), so readers who type without diacritics
find it; the accented form is kept beside the key, so a reader who does type them sees exact matches
first. Vietnamese writes one syllable per word and compounds as neighbouring syllables ("hợp tác xã",
"heo đất"), so two neighbouring words also make a key ("heo dat") that ranks a compound as a unit.
The client (themes/default/static/search.js) folds queries the same way: change both together.
"""
from __future__ import annotations

import functools
import re
import unicodedata

WORD = re.compile(r"\w+")
# Bigrams never cross a sentence or a list item: "... Lạng Sơn. Hộ nghèo ..." is not "son ho".
SEGMENT = re.compile(r"[.,;:!?()\[\]{}\"“”‘’/|\n•–—-]+")


@functools.lru_cache(maxsize=131072)   # the same few thousand syllables, over and over
def fold(word: str) -> str:
    """'Điện' -> 'dien': lowercase, combining marks removed, đ -> d."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def words(text: str) -> list[str]:
    """Lowercase NFC words of `text`, in order (text is NFC from the load stage: checked, cheaply)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return WORD.findall(text.lower())


def segments(text: str) -> list[list[str]]:
    """The words of each clause of `text`: bigrams are taken within a clause only."""
    return [found for part in SEGMENT.split(text) if (found := words(part))]


def folded_phrase(text: str) -> str:
    """'Hợp tác xã' -> 'hop tac xa': how a phrase is compared on word boundaries."""
    return " ".join(fold(w) for w in words(text))
