"""fork()ed process pools that keep sharing the parent's memory.

Workers inherit the whole site in memory (pages render from the parent's objects), shared
copy-on-write. CPython's cyclic garbage collector would walk every inherited container in a
worker's full collection, writing to its header and so copying nearly every page of the heap
into each worker; ``gc.freeze()`` before the fork moves those objects out of its reach.

The same walk costs the parent too: a big site is millions of containers, walked by every full
collection while the build adds more, and once more when the process exits. During a build (``frozen_heap``) the objects alive at a few points (the content just
read, the site before rendering) are frozen, and at its end everything is: the site lives as
long as the build anyway, and the next build in the same process (live reload) thaws it first.

A worker that dies mid-task (killed, crashed) raises WorkerDied in the parent instead of leaving
it waiting forever for the lost task (multiprocessing's Pool would).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import Any


_frozen_build = False  # inside frozen_heap(): what is frozen stays frozen until it ends
# During a build, a full collection at most once per this many middle-generation ones (Python's
# default is 10): what lives long is frozen anyway, short-lived cycles go in the younger ones.
_FULL_EVERY = 100
# During a build, a young-generation collection once per this many new containers (Python's
# default is 700): most of a build's containers die young, freed by their reference count before
# any collection sees them, so collecting more often finds little.
_YOUNG_EVERY = 50_000


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """One build: what an earlier build in this process froze goes back to the collector first,
    and is collected (its objects are garbage now, held in cycles: left to a later full
    collection, they were frozen again with this build's and a live-reload process grew by the
    size of a build each time); what this one leaves stays frozen until the next build or the
    process exit."""
    global _frozen_build
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _YOUNG_EVERY), thresholds[1], max(thresholds[2], _FULL_EVERY))
    _frozen_build = True
    try:
        yield
    finally:
        _frozen_build = False
        gc.set_threshold(*thresholds)
        gc.freeze()


def settle() -> None:
    """Inside ``frozen_heap``: take every object alive now out of the collector's reach."""
    if _frozen_build:
        gc.freeze()


@contextlib.contextmanager
def forked_pool(
    workers: int, initializer: Callable | None = None, initargs: tuple = (), tasks_per_worker: int | None = None
) -> Iterator[Pool]:
    """``tasks_per_worker``: replace a worker after that many tasks, dropping what it cached
    (Pelican memoizes every rendered content and summary), so memory stays near the parent's."""
    gc.freeze()
    try:
        with _WatchedPool(workers, initializer, initargs, tasks_per_worker, multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        if not _frozen_build:
            gc.unfreeze()


_shared: tuple[Callable, Any] | None = None  # forked_map's function and shared value, for its workers


@contextlib.contextmanager
def forked_map(function: Callable[[Any, Any], Any], shared: Any, items: Iterable, workers: int, *,
               ordered: bool = True, chunksize: int = 1, tasks_per_worker: int | None = None,
               initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[Iterator]:
    """``function(shared, item)`` for each item, over ``workers`` fork()ed processes: ``shared``
    (the site, a cache) is inherited, never pickled; only items and results cross. Yields the
    results as they come (in order if ``ordered``)."""
    global _shared
    _shared = (function, shared)
    try:
        with forked_pool(workers, initializer, initargs, tasks_per_worker) as pool:
            imap = pool.imap if ordered else pool.imap_unordered
            yield imap(_call_shared, items, chunksize)
    finally:
        _shared = None


def _call_shared(item: Any) -> Any:
    function, shared = _shared
    return function(shared, item)


class WorkerDied(RuntimeError):
    """A pool's worker process ended abnormally (killed, crashed): its task is lost."""


class _WatchedPool(Pool):
    """multiprocessing's Pool, except that a worker killed or crashed (out of memory, a fault in
    a C library) raises WorkerDied in the parent: Pool itself replaces the worker and waits
    forever for the lost task's result, and the build would hang without a word.

    ``imap``, ``imap_unordered`` and ``map`` are watched (the ones this plugin uses)."""

    def __init__(self, *args, **kwargs):
        self._started: list = []
        super().__init__(*args, **kwargs)

    def Process(self, ctx, *args, **kwargs):  # noqa: N802 - Pool's own name for its process factory
        process = ctx.Process(*args, **kwargs)
        self._started.append(process)
        return process

    def _watched(self, results: Iterator) -> Iterator:
        while True:
            try:
                yield results.next(timeout=_WATCH_SECONDS)
            except StopIteration:
                return
            except multiprocessing.TimeoutError:
                dead = [p.exitcode for p in self._started if p.exitcode not in (None, 0)]
                if dead:
                    raise WorkerDied(f"a worker process ended with exit code {dead[0]}") from None

    def imap(self, func, iterable, chunksize=1):
        return self._chunked(super().imap, func, iterable, chunksize)

    def imap_unordered(self, func, iterable, chunksize=1):
        return self._chunked(super().imap_unordered, func, iterable, chunksize)

    def _chunked(self, imap: Callable, func: Callable, iterable, chunksize: int) -> Iterator:
        """Pool's own chunked imap returns a plain generator, which cannot wait with a timeout:
        the chunks are made here."""
        if chunksize == 1:
            return self._watched(imap(func, iterable))
        items = iter(iterable)
        chunks = iter(lambda: (func, list(itertools.islice(items, chunksize))), (func, []))
        return (result for chunk in self._watched(imap(_call_chunk, chunks)) for result in chunk)

    def map(self, func, iterable, chunksize=None):
        return list(self.imap(func, iterable, chunksize or 1))


def _call_chunk(task: tuple[Callable, list]) -> list:
    func, items = task
    return [func(item) for item in items]


_WATCH_SECONDS = 0.5  # how often a wait for results looks for dead workers
