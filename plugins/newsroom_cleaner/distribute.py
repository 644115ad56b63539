"""Where an import's shards are cleaned: in this process, on local worker processes, or on Dask.

Each way is a ``Runner``: ``submit(fn, *args)`` sends one shard's work out, ``result(task)``
waits for it. ``in_order`` keeps a bounded window of shards in flight and hands results back in
the order the shards were cut, so the client writes the same posts in the same order whatever
ran them, and holds no more than the window in memory however large the crawl.
A worker that dies costs nothing written: workers only return results. Its shard is sent again
(local processes: a new pool, up to ``ATTEMPTS`` times; Dask: the scheduler's own retries);
past that the shard's pages fail with ``WorkerDied`` and a re-run tries them again.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

ATTEMPTS = 3  # a shard whose worker died this many times fails (as Dask's allowed-failures does)
WINDOW_PER_WORKER = 2  # shards in flight per worker: one running, one waiting, so none idles

Job = TypeVar("Job")


class WorkerDied(Exception):
    """The worker process cleaning a shard died, each time it was sent."""


class Runner(Protocol):
    workers: int

    def submit(self, fn: Callable, *args: Any) -> Any: ...

    def result(self, task: Any) -> Any: ...


class InProcess:
    """Cleans in the calling process, at submit time: no start-up cost, for a few pages."""

    workers = 1

    def submit(self, fn: Callable, *args: Any) -> Future:
        done: Future = Future()
        try:
            done.set_result(fn(*args))
        except Exception as error:  # noqa: BLE001 - handed to the caller as a failed shard
            done.set_exception(error)
        return done

    def result(self, task: Future) -> Any:
        return task.result()


@dataclass
class _Sent:
    fn: Callable
    args: tuple
    future: Future
    pool: ProcessPoolExecutor
    attempts: int = 1


class Processes:
    """``workers`` local processes (spawned: a fresh interpreter shares no state with the client)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, fn: Callable, *args: Any) -> _Sent:
        return _Sent(fn, args, self.pool.submit(fn, *args), self.pool)

    def result(self, task: _Sent) -> Any:
        while True:
            try:
                return task.future.result()
            except BrokenProcessPool:  # a worker died: every shard in flight is lost with the pool
                if task.attempts >= ATTEMPTS:
                    raise WorkerDied(f"a worker process died {task.attempts} times cleaning it") from None
                if task.pool is self.pool:
                    self.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool = self._new_pool()
                task.pool, task.attempts = self.pool, task.attempts + 1
                task.future = self.pool.submit(task.fn, *task.args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class OnDask:
    """A Dask distributed client: each shard one task; results come back to the client."""

    def __init__(self, client: Any):
        self.client = client
        self.workers = max(1, sum(w["nthreads"] for w in client.scheduler_info()["workers"].values()))

    def submit(self, fn: Callable, *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def result(self, task: Any) -> Any:
        from distributed import KilledWorker

        try:
            return task.result()
        except KilledWorker as error:
            raise WorkerDied(f"Dask workers died running it ({error})") from None


@contextmanager
def processes(workers: int) -> Iterator[Processes]:
    runner = Processes(workers)
    try:
        yield runner
    finally:
        runner.close()


@contextmanager
def dask(scheduler: str | None, workers: int | None, say: Callable[[str], None]) -> Iterator[OnDask]:
    """A client of the cluster at ``scheduler``, else of a LocalCluster of ``workers`` single-threaded
    processes (one per core when None); ``say`` hears the dashboard's address."""
    import dask as dask_config

    # Each comm keeps its last messages for debugging (a thousand by default): with shards of
    # pages in them, the client's memory would grow with the crawl.
    with dask_config.config.set({"distributed.admin.low-level-log-length": 0}), _client(scheduler, workers) as client:
        say(dashboard_line(client))
        yield OnDask(client)


@contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler)
        except OSError as error:
            raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        with client:
            yield client
        return
    workers = workers or len(os.sched_getaffinity(0))
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        yield client


def dashboard_line(client: Any) -> str:
    """The dashboard's address, or one line saying there is none (it needs bokeh)."""
    if "dashboard" in client.scheduler_info().get("services", {}) and importlib.util.find_spec("bokeh"):
        return f"Dask dashboard: {client.dashboard_link}"
    return "Dask dashboard: none (the scheduler has no bokeh; pip install 'bokeh>=3.1' for one)"


def in_order(runner: Runner, fn: Callable, jobs: Iterable[tuple[Job, tuple]]) -> Iterator[tuple[Job, Any]]:
    """``(job, fn(*args) or the exception it raised)`` for each job, in the jobs' order, with at
    most WINDOW_PER_WORKER shards a worker in flight."""
    window = WINDOW_PER_WORKER * runner.workers
    flying: deque[tuple[Job, Any]] = deque()

    def oldest() -> tuple[Job, Any]:
        job, task = flying.popleft()
        try:
            return job, runner.result(task)
        except Exception as error:  # noqa: BLE001 - a lost shard fails its pages, not the import
            return job, error

    for job, args in jobs:
        flying.append((job, runner.submit(fn, *args)))
        if len(flying) >= window:
            yield oldest()
    while flying:
        yield oldest()


class Progress:
    """A progress bar on a terminal (pages, pages/s, time left by the input bytes read); silent
    when stderr is not a terminal (a log, a test)."""

    def __init__(self, total_bytes: int):
        from tqdm import tqdm

        self.pages, self.start = 0, time.monotonic()
        self.bar = tqdm(total=total_bytes, disable=not sys.stderr.isatty(), unit="B", unit_scale=True,
                        leave=False, bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")

    def advance(self, pages: int, upto: int) -> None:
        self.pages += pages
        self.bar.update(max(0, upto - self.bar.n))
        rate = self.pages / max(time.monotonic() - self.start, 1e-9)
        self.bar.set_description_str(f"{self.pages} pages, {rate:.1f} pages/s", refresh=False)

    def close(self) -> None:
        self.bar.close()
