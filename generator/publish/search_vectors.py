"""One page's term vector: for every key on the page, its weight and the accented forms written there.

Weights are BM25 term weights computed at build time from the page alone (its weighted term
frequency and its own length against a fixed norm), so an edit changes the postings of that page
and of no other; the client multiplies by the key's IDF, which it computes from the posting count.
Field weights: title > place names (also former ones) > summary > body; the names of the units merged
into a place weigh most, with the kind's own factor but without the title bit and without making the
page longer (a former district's name finds the city it is part of now, after the pages that bear
that name and the models inside it: tests/test_gazetteer_browser.py); a synonym weighs half the
word it stands for in the same field, so a page with the word the reader typed ranks above one found
by a synonym.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from generator.pages.search_text import fold, folded_phrase, segments, words
from generator.pages.search_terms import SearchRecord

FIELD_WEIGHTS = (("title", 5.0), ("aliases", 5.0), ("merged", 8.0), ("names", 3.0), ("summary", 2.0), ("body", 1.0))
NAME_FIELDS = ("title", "aliases")   # the page's own names: their keys carry the title bit
OWN_FIELDS = (*NAME_FIELDS, "merged")   # the kind's own factor: the page's names and those merged into it
UNMEASURED = ("merged",)   # a province that took in dozens of units is not a longer page for it
SYNONYM_FACTOR = 0.5     # a synonym weighs half the word it stands for, in the field where that word is
K1, B = 2.0, 0.5         # a higher K1 keeps a title word well above a body word (BM25F-like)
LENGTH_NORM = 400.0      # weighted words of a typical model page: longer pages weigh each word less
SCALE = 42               # a weight is stored as one byte: round(w * SCALE) <= 127 (w <= K1 + 1) …
IN_TITLE = 1             # … shifted left by one, the low bit set when the key is in the title
# The site is about models: a locality page matching as well as a model ranks just below it, except
# for the words of its own name: "Quảng Điền" finds the district's page first, then its models.
KIND_FACTOR = {"mo-hinh": (1.0, 1.0), "dia-phuong": (0.85, 1.1)}     # (other keys, keys of the title)
MAX_FORMS = 31           # accented forms per key a posting can name (bits of a 32-bit mask)


@dataclass(frozen=True, slots=True)
class Vector:
    """Keys sorted; `weights[i]` and `forms[i]` belong to `keys[i]`."""

    keys: tuple[str, ...]
    weights: bytes
    forms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The `search:` settings of site.yaml, folded once."""

    synonyms: tuple[tuple[tuple[str, str], ...], ...]   # each group: (folded, as written) phrases
    compounds: tuple[str, ...]                  # folded phrases

    @classmethod
    def from_settings(cls, synonyms: tuple[tuple[str, ...], ...], compounds: tuple[str, ...]) -> Vocabulary:
        groups = tuple(tuple((folded_phrase(w), " ".join(words(w))) for w in group) for group in synonyms)
        return cls(groups, tuple(folded_phrase(c) for c in compounds))

    @property
    def phrases(self) -> tuple[str, ...]:
        """Phrases of two or more words: in the body, only these make bigram keys."""
        found = {p for group in self.synonyms for p, _ in group if " " in p} | set(self.compounds)
        return tuple(sorted(found))


def term_vector(record: SearchRecord, vocabulary: Vocabulary) -> Vector:
    counts: dict[str, float] = defaultdict(float)
    forms: dict[str, set[str]] = defaultdict(set)
    folded_fields = []
    title_keys: list[str] = []
    own_keys: set[str] = set()
    unmeasured = 0.0
    for field, weight in FIELD_WEIGHTS:
        text = getattr(record, field)
        text = " \n".join(text) if isinstance(text, tuple) else text
        if field == "body":
            # Most of a page's words, and no pairs: count whole words in C, fold each distinct one once.
            tokens = words(text)
            for word, n in Counter(tokens).items():
                key = fold(word)
                counts[key] += weight * n
                forms[key].add(word)
            folded_fields.append([" ".join(map(fold, tokens))])
            continue
        folded_clauses = []
        for clause in segments(text):
            keys = [fold(w) for w in clause]
            folded_clauses.append(" ".join(keys))
            for word, key in zip(clause, keys):
                counts[key] += weight
                forms[key].add(word)
            for i in range(len(keys) - 1):   # every neighbouring pair of a short field
                pair = f"{keys[i]} {keys[i + 1]}"
                counts[pair] += weight
                forms[pair].add(f"{clause[i]} {clause[i + 1]}")
            if field in UNMEASURED and keys:
                unmeasured += weight * (2 * len(keys) - 1)
        folded_fields.append(folded_clauses)
        if field in NAME_FIELDS:
            title_keys = list(counts)
        if field in OWN_FIELDS:
            own_keys = set(counts)
    body = f" {folded_fields[-1][0]} "
    for phrase in vocabulary.phrases:   # in the body, only known phrases make pairs
        occurrences = body.count(f" {phrase} ")
        parts = phrase.split()
        for i in range(len(parts) - 1 if occurrences else 0):
            counts[f"{parts[i]} {parts[i + 1]}"] += occurrences
    for (_, weight), clauses in zip(FIELD_WEIGHTS, folded_fields):
        _add_synonyms(counts, forms, f" {' | '.join(clauses)} ", weight, vocabulary)
    length = sum(counts.values()) - unmeasured
    norm = K1 * (1 - B + B * length / LENGTH_NORM)
    other, own = KIND_FACTOR.get(record.kind, (1.0, 1.0))
    title = set(title_keys)
    ordered = tuple(sorted(counts))
    weights = bytearray()
    key_forms: list[tuple[str, ...]] = []
    for k in ordered:
        tf, in_title = counts[k], k in title
        weight = round(tf * (K1 + 1) / (tf + norm) * SCALE * (own if k in own_keys else other))
        weights.append(max(1, min(127, weight)) * 2 + (IN_TITLE if in_title else 0))
        seen = forms.get(k)
        if not seen:
            key_forms.append(())
        elif len(seen) == 1:
            key_forms.append(_interned(tuple(seen)))
        else:
            key_forms.append(_interned(tuple(sorted(seen))[:MAX_FORMS]))
    return Vector(ordered, bytes(weights), tuple(key_forms))


_FORMS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _interned(forms: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple per distinct set of forms: 10,000 pages share a few thousand."""
    return _FORMS.setdefault(forms, forms)


def _add_synonyms(counts: dict[str, float], forms: dict[str, set[str]], text: str, weight: float,
                  vocabulary: Vocabulary) -> None:
    """A group with a member on the page adds the others. A single word inside a compound ("heo" in
    "heo đất") is not that word: compounds are masked before single words are looked for."""
    masked = text
    for compound in vocabulary.compounds:
        masked = masked.replace(f" {compound} ", " # ")
    single = set(masked.split())
    for group in vocabulary.synonyms:
        present = [p for p, _ in group if (f" {p} " in text if " " in p else p in single)]
        if not present:
            continue
        for phrase, written in group:
            if phrase in present:
                continue
            parts, spelled = phrase.split(), written.split()
            keys = [*parts, *(f"{parts[i]} {parts[i + 1]}" for i in range(len(parts) - 1))]
            shown = [*spelled, *(f"{spelled[i]} {spelled[i + 1]}" for i in range(len(spelled) - 1))]
            for key, form in zip(keys, shown):
                # "lợn đất" adds its pair only: "lợn" alone is not on a page about piggy banks (the
                # client counts a pair as both its words)
                if len(parts) == 1 or " " in key:
                    counts[key] += weight * SYNONYM_FACTOR
                    forms[key].add(form)
