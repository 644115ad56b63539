"""fork()ed process pools that keep sharing the parent's memory.

Workers inherit the whole site in memory (pages render from the parent's objects), shared
copy-on-write. CPython's cyclic garbage collector would walk every inherited container in a
worker's full collection, writing to its header and so copying nearly every page of the heap
into each worker; ``gc.freeze()`` before the fork moves those objects out of its reach.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator
from multiprocessing.pool import Pool


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
        gc.unfreeze()
