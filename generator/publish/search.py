"""The search stage: page records in, index files out (generator/publish/search_index.py).

It runs inside the build, after the pages are planned and before the write stage commits: the
index files are staged with the pages, written only where their bytes changed and pruned like any
other output, so `showcase build` and `showcase serve` update pages and index in the same run and a
failed build leaves both as they were. `memo` keeps the index state between runs (the preview's
memory, or the build cache on disk): an edit re-tokenises only the changed pages.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from generator.content.graph import SiteGraph
from generator.publish.search_index import Digested, IndexReport, record_digest, update_index
from generator.publish.search_vectors import Vocabulary
from generator.core.outputs import OutputFile
from generator.pages.search_terms import SearchFields


@dataclass(slots=True)
class SearchReport:
    index: IndexReport | None = None
    seconds: float = 0.0


def search_outputs(graph: SiteGraph, bodies: Mapping[str, Any], pictures: Mapping[str, Any],
                   memo: MutableMapping[str, Any], report: SearchReport, *, workers: int = 1,
                   records: Iterable[Digested] | None = None) -> Iterator[OutputFile]:
    """Every file of the index; `report` is filled in once they are made. `records`: every page's
    record with its digest, when the caller kept them from an earlier run (else made here). Pages are
    tokenised in `workers` processes."""
    started = time.perf_counter()
    fields = SearchFields.from_graph(graph)
    vocabulary = Vocabulary.from_settings(fields.synonyms, fields.compounds)
    if records is None:
        records = map(record_digest, fields.records(bodies, pictures))
    memo["state"], files, report.index = update_index(memo.get("state"), records, vocabulary, workers)
    report.seconds = time.perf_counter() - started
    yield from files
