"""The site's search index: written by the build from the page records, chunked by key, incremental.

Files, all under `tim-kiem/chi-muc/`, gzip-compressed JSON (the client inflates them itself, so the
bytes on the wire do not depend on the host), see README "Search index":
- `manifest.gz`: the document count, the first key of every chunk and the file names below; the
  only file whose name never changes (the client revalidates it);
- `k-<hash>.gz`: index chunks, keys in sorted order; each key has its accented forms, its documents
  (delta-coded), their weights and, when it has several forms, a bit mask of the forms on each page;
- `f-<key>-<hash>.gz`: one per filter, value -> documents; `s-<key>-<hash>.gz`: one per sort, the
  documents in order; fetched only when a filter or sort is used;
- `c/<doc>.gz`: one result card per document (title, URL, place, summary, image).

Document numbers are stable: a page keeps its number while it exists, a deleted page's number goes
to the next new page. Chunk boundaries depend on the keys (a cut after a key whose CRC is 0 modulo
CUT_EVERY, once a chunk holds MIN_POSTINGS), so an edit re-encodes only the chunks of the keys whose
postings changed. The state (postings, vectors, encoded files) lives in the build cache; without it
the index is built from the records, numbering pages by URL. Same inputs, same bytes.
"""
from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.publish.search_vectors import Vector, Vocabulary, term_vector
from generator.core.outputs import OutputFile
from generator.core.parallel import fork_map
from generator.pages.search_terms import SearchRecord
from generator.content.graph import URLS

FOLDER = URLS["search_index"][0]
MANIFEST = FOLDER + "manifest.gz"
FORMAT = 1                # bump when the files change shape: the client checks it
CUT_EVERY = 8
MIN_POSTINGS = 1500
MAX_POSTINGS = 6000


@dataclass(slots=True)
class Postings:
    docs: array = field(default_factory=lambda: array("I"))      # ascending
    weights: bytearray = field(default_factory=bytearray)
    forms: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(slots=True)
class IndexState:
    """Everything an incremental update needs; kept in memory by `serve`, pickled by `build`."""

    vocabulary: Vocabulary
    numbers: dict[str, int] = field(default_factory=dict)          # URL -> document number
    digests: dict[int, bytes] = field(default_factory=dict)        # document -> digest of its record
    vectors: dict[int, Vector] = field(default_factory=dict)
    facets: dict[int, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = field(
        default_factory=dict)                                      # document -> (filters, sorts)
    postings: dict[str, Postings] = field(default_factory=dict)
    sorted_keys: list[str] = field(default_factory=list)
    chunks: dict[tuple[str, str], OutputFile] = field(default_factory=dict)   # (first, last key) -> file
    cards: dict[int, OutputFile] = field(default_factory=dict)
    side: list[OutputFile] | None = None                            # filter and sort files


@dataclass(frozen=True, slots=True)
class IndexReport:
    documents: int
    changed: int          # documents whose record changed, came or went
    chunks: int
    chunks_encoded: int


Digested = tuple[SearchRecord, bytes]      # a record and its `record_digest`


def record_digest(record: SearchRecord) -> Digested:
    """A record with the digest that tells whether its page changed (a caller may keep both)."""
    return record, hashlib.blake2b(repr(record).encode(), digest_size=16).digest()


def update_index(state: IndexState | None, digested: Iterable[Digested], vocabulary: Vocabulary,
                 workers: int = 1) -> tuple[IndexState, list[OutputFile], IndexReport]:
    """Bring `state` up to the records; return it with every file of the index (unchanged ones from memory)."""
    if state is None or state.vocabulary != vocabulary:
        state = IndexState(vocabulary)
    pairs = sorted(digested, key=lambda pair: pair[0].url)
    records = [record for record, _ in pairs]
    fresh = not state.numbers
    seen = {r.url for r in records}
    dirty: set[str] = set()
    changed = 0
    facets_changed = False
    for url in [u for u in state.numbers if u not in seen]:
        doc = state.numbers.pop(url)
        _replace(state, doc, None, dirty)
        del state.digests[doc], state.facets[doc]
        state.cards.pop(doc, None)
        changed += 1
        facets_changed = True
    free = sorted(set(range(max(state.numbers.values(), default=-1) + 1)) - set(state.numbers.values()))
    todo = [(record, digest, known) for record, digest in pairs
            if (known := state.numbers.get(record.url)) is None or state.digests.get(known) != digest]
    # Tokenising is most of a cold index build: in the build's workers (results in order).
    vectors = fork_map(lambda one, _: term_vector(one[0], vocabulary), todo, workers)
    for (record, digest, known), vector in zip(todo, vectors):
        doc = known if known is not None else free.pop(0) if free else len(state.numbers)
        state.numbers[record.url] = doc
        changed += 1
        facets = (record.filters, record.sorts)
        facets_changed = facets_changed or state.facets.get(doc) != facets
        state.digests[doc], state.facets[doc] = digest, facets
        _replace(state, doc, vector, dirty)
        state.cards[doc] = _card(doc, record)
    if fresh or len(state.sorted_keys) != len(state.postings) or any(k not in state.postings for k in dirty):
        state.sorted_keys = sorted(state.postings)
    encoded = 0
    chunks: dict[tuple[str, str], OutputFile] = {}
    for keys in _cut(state):
        span = (keys[0], keys[-1])
        chunk = state.chunks.get(span)
        if chunk is None or any(k in dirty for k in keys):
            chunk = _encode_chunk(state, keys)
            encoded += 1
        chunks[span] = chunk
    state.chunks = chunks
    if facets_changed or state.side is None:
        state.side = list(_side_files(state))
    files = [*chunks.values(), *state.side, *(state.cards[d] for d in sorted(state.cards))]
    files.append(_manifest(state))
    return state, files, IndexReport(len(state.numbers), changed, len(chunks), encoded)


def _replace(state: IndexState, doc: int, vector: Vector | None, dirty: set[str]) -> None:
    """Swap a document's postings for those of `vector` (None: remove); note the keys that changed."""
    old = state.vectors.pop(doc, None)
    if old is None and vector is not None:   # a new page: no diff, and mostly appended at the end
        state.vectors[doc] = vector
        for key, weight, forms in zip(vector.keys, vector.weights, vector.forms):
            postings = state.postings.get(key)
            if postings is None:
                postings = state.postings[key] = Postings()
            if not postings.docs or postings.docs[-1] < doc:
                postings.docs.append(doc)
                postings.weights.append(weight)
                postings.forms.append(forms)
            else:
                at = bisect.bisect_left(postings.docs, doc)
                postings.docs.insert(at, doc)
                postings.weights.insert(at, weight)
                postings.forms.insert(at, forms)
        dirty.update(vector.keys)
        return
    before = {k: (w, f) for k, w, f in zip(old.keys, old.weights, old.forms)} if old else {}
    after = {k: (w, f) for k, w, f in zip(vector.keys, vector.weights, vector.forms)} if vector else {}
    if vector is not None:
        state.vectors[doc] = vector
    for key in before.keys() - after.keys():
        postings = state.postings[key]
        at = bisect.bisect_left(postings.docs, doc)
        del postings.docs[at], postings.weights[at], postings.forms[at]
        if not postings.docs:
            del state.postings[key]
        dirty.add(key)
    for key, (weight, forms) in after.items():
        if before.get(key) == (weight, forms):
            continue
        postings = state.postings.setdefault(key, Postings())
        at = bisect.bisect_left(postings.docs, doc)
        if at < len(postings.docs) and postings.docs[at] == doc:
            postings.weights[at], postings.forms[at] = weight, forms
        else:
            postings.docs.insert(at, doc)
            postings.weights.insert(at, weight)
            postings.forms.insert(at, forms)
        dirty.add(key)


def _cut(state: IndexState) -> Iterator[list[str]]:
    """Runs of sorted keys; a cut depends on the key itself and on a size floor and ceiling."""
    run: list[str] = []
    size = 0
    for key in state.sorted_keys:
        run.append(key)
        size += len(state.postings[key].docs)
        if size >= MAX_POSTINGS or (size >= MIN_POSTINGS and zlib.crc32(key.encode()) % CUT_EVERY == 0):
            yield run
            run, size = [], 0
    if run:
        yield run


def _encode_chunk(state: IndexState, keys: list[str]) -> OutputFile:
    entries = []
    for key in keys:
        p = state.postings[key]
        forms = sorted({f for fs in p.forms for f in fs})
        docs = [p.docs[0], *(b - a for a, b in zip(p.docs, p.docs[1:]))]
        entry: list[Any] = [key, forms, docs, list(p.weights)]
        if len(forms) > 1:
            bit = {f: 1 << i for i, f in enumerate(forms)}
            entry.append([sum(bit[f] for f in fs) for fs in p.forms])
        entries.append(entry)
    return _hashed("k", entries)


def _side_files(state: IndexState) -> Iterator[OutputFile]:
    by_filter: dict[str, dict[str, list[int]]] = {}
    by_sort: dict[str, list[tuple[str, int]]] = {}
    for doc in sorted(state.facets):
        filters, sorts = state.facets[doc]
        for key, value in filters:
            by_filter.setdefault(key, {}).setdefault(value, []).append(doc)
        for key, value in sorts:
            by_sort.setdefault(key, []).append((value, doc))
    for key in sorted(by_filter):
        values = by_filter[key]
        yield _hashed(f"f-{key}", {v: _deltas(values[v]) for v in sorted(values)})
    for key in sorted(by_sort):
        yield _hashed(f"s-{key}", [doc for _, doc in sorted(by_sort[key])])


def _manifest(state: IndexState) -> OutputFile:
    def name(file: OutputFile) -> str:
        return file.path[len(FOLDER):]

    def key(file: OutputFile) -> str:   # "f-linh-vuc-<hash>.gz" -> "linh-vuc"
        return name(file)[2:].rsplit("-", 1)[0]

    side = state.side or []
    data = {"v": FORMAT, "n": len(state.numbers), "docs": max(state.numbers.values(), default=-1) + 1,
            "chunks": [[span[0], name(f)] for span, f in state.chunks.items()],
            "filters": {key(f): name(f) for f in side if name(f).startswith("f-")},
            "sorts": {key(f): name(f) for f in side if name(f).startswith("s-")}}
    return OutputFile(MANIFEST, _gzip(data))


def _card(doc: int, record: SearchRecord) -> OutputFile:
    card = {"u": record.url, "t": record.title, "k": record.kind, "p": record.place, "s": record.summary}
    if record.image:
        card |= {"i": record.image, "a": record.image_alt}
    return OutputFile(f"{FOLDER}c/{doc}.gz", _gzip(card))


def _hashed(prefix: str, data: Any) -> OutputFile:
    payload = _gzip(data)
    return OutputFile(f"{FOLDER}{prefix}-{hashlib.sha1(payload).hexdigest()[:10]}.gz", payload)


def _gzip(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Level 6, not 9: a fifth of the time (5 s of a cold index at 10,000 models) for 3–4 % more bytes.
    return gzip.compress(text.encode(), compresslevel=6, mtime=0)


def _deltas(docs: list[int]) -> list[int]:
    return [docs[0], *(b - a for a, b in zip(docs, docs[1:]))] if docs else []
