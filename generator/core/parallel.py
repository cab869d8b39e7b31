"""Map a function over a list in forked worker processes, results in input order.

Workers are forked after the parent has built everything they need (the graph, the page specs, the
Jinja environment), so that state is inherited, never pickled; only chunk bounds go to a worker and
only results come back. Each worker sets up its own per-process helper once (a Markdown converter,
reset between bodies). The output is exactly what the serial loop gives: same function, same order.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 64          # most items per task: enough that task overhead is small, few enough to balance
AHEAD = 4           # tasks submitted per worker beyond the one whose results are being used
FORK_FROM = 48      # fewer items than this are done here: forking costs more than it saves

# What a forked worker inherited from its parent: (function, items, per-process helper). Set only
# inside worker processes by `_start`; the parent never reads or writes it.
_worker: list[Any] = []


def default_workers() -> int:
    """One worker per core the process may use, at most 4 (rendering is CPU-bound)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def fork_map(func: Callable[[T, Any], R], items: Sequence[T], workers: int,
             setup: Callable[[], Any] = lambda: None) -> Iterator[R]:
    """Yield `func(item, helper)` for every item, in order; `helper = setup()` once per process.

    With one worker, few items or no `fork` (Windows, macOS default), it runs in this process.
    """
    if workers <= 1 or len(items) < FORK_FROM or "fork" not in multiprocessing.get_all_start_methods():
        helper = setup()
        yield from (func(item, helper) for item in items)
        return
    context = multiprocessing.get_context("fork")
    # The garbage collector writes into every object it scans; in a forked worker that copies the
    # parent's whole heap page by page. Frozen objects are never scanned, so workers share them.
    gc.freeze()
    size = max(1, min(CHUNK, len(items) // (4 * workers)))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(func, items, setup)) as pool:
            # A bounded window of tasks: results wait here only while the caller (writing pages to
            # disk) is behind, and never more than AHEAD tasks per worker (pool.map would queue every
            # result: ~450 MB of pages at 10,000 models).
            pending: deque[Future[list[Any]]] = deque()
            for bound in bounds:
                pending.append(pool.submit(_run, bound))
                if len(pending) >= AHEAD * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        gc.unfreeze()


def _start(func: Callable[..., Any], items: Sequence[Any], setup: Callable[[], Any]) -> None:
    _worker[:] = [func, items, setup()]


def _run(bounds: tuple[int, int]) -> list[Any]:
    func, items, helper = _worker
    return [func(items[i], helper) for i in range(*bounds)]
