"""fork()ed process pools that keep sharing the parent's memory.

Workers inherit the whole site in memory (pages render from the parent's objects), shared
copy-on-write. CPython's cyclic garbage collector would walk every inherited container in a
worker's full collection, writing to its header and so copying nearly every page of the heap
into each worker; ``gc.freeze()`` before the fork moves those objects out of its reach.

The same walk costs the parent too: a 20,000-article site is millions of containers, walked
by every full collection while the build adds more, and once more when the process exits
(2 s). During a build (``frozen_heap``) the objects alive at a few points (the content just
read, the site before rendering) are frozen, and at its end everything is: the site lives as
long as the build anyway, and the next build in the same process (live reload) thaws it first.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator
from multiprocessing.pool import Pool


_frozen_build = False  # inside frozen_heap(): what is frozen stays frozen until it ends
# During a build, a full collection at most once per this many middle-generation ones (Python's
# default is 10): what lives long is frozen anyway, short-lived cycles go in the younger ones.
_FULL_EVERY = 100


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
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], _FULL_EVERY))
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
        with multiprocessing.get_context("fork").Pool(workers, initializer, initargs, tasks_per_worker) as pool:
            yield pool
    finally:
        if not _frozen_build:
            gc.unfreeze()
