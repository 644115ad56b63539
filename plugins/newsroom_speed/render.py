"""Pages rendered with what they read recorded: the stale pages of a flush, over a fork()ed
process pool that inherits the whole site in memory when they are many."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from jinja2.runtime import missing
from pelican.paginator import Paginator

from . import tracking
from .blocks import BlockStore
from .fingerprint import Fingerprinter, Volatile
from .pool import forked_map
from .records import OutputEntry, Reads

logger = logging.getLogger(__name__)

CHUNK = 64  # pages per task sent to a rendering worker
# A rendering worker is replaced after this many tasks: each story it shows copies some of the
# parent's memory into it (reference counts written, summaries and teasers memoized), so a
# long-lived worker would near the parent's size; a fresh fork() costs a few milliseconds.
CHUNKS_PER_WORKER = 6


@dataclass
class PageJob:
    """One page to produce: what ``template.render`` would get, built lazily to save memory."""

    name: str  # output path relative to OUTPUT_PATH
    path: str  # absolute output path
    template: Any
    context: dict  # Pelican's shared context (mutated: localsiteurl)
    base: dict  # snapshot of the shared context
    kwargs: dict
    relative_urls: bool
    localsiteurl: Any  # the page's own localsiteurl
    render_siteurl: Any  # the shared context's localsiteurl while this page renders
    overrides: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._scopes = (self.kwargs, self.overrides, self.base, self.template.globals)
        self.shared = ((self.base, self.template.globals), frozenset(self.kwargs).union(self.overrides))

    def lookup(self, key: str) -> Any:
        """A name as the template sees it, without building the whole local context."""
        for scope in self._scopes:
            if key in scope:
                return scope[key]
        return missing

    def localcontext(self) -> dict:
        local = self.base.copy()
        local.update(self.overrides)
        local.update(self.kwargs)
        return local


def render_page(session, job: PageJob) -> tuple[Reads | None, OutputEntry]:
    """Render and write one page: (what it read, its ledger entry)."""
    recorder = tracking.Recorder(session.fingerprinter, job.lookup, session.checks.versions.covers,
                                 job.render_siteurl)
    job.context["localsiteurl"] = job.render_siteurl
    recorder.template(job.template)  # the page's own template (extends, imports: recorded as loaded)
    tracking.recording(recorder)
    try:
        output = job.template.render(job.localcontext())
    finally:
        tracking.recording(None)
    entry = session.ledger.write(job.name, job.path, output.encode("utf-8"))
    logger.info('Writing "%s"', job.path)
    return recorder.record(job.shared[1]), entry


def render_stale(session, jobs: list[PageJob], stale: list[int]) -> list[tuple[int, tuple]]:
    """Render ``jobs[i]`` for each i in ``stale``: [(i, (reads, entry))], in no set order; the
    blocks they render are stored as they come (a cold build renders many)."""
    blocks = BlockStore(session)
    blocks.read_ahead(len(stale))
    tracking.use_blocks(blocks)
    results = []
    try:
        if session.workers < 2 or len(stale) < session.min_batch:
            chunk, taken = _render_chunk((session, jobs), stale)
            results.extend(chunk)
            session.blocks_reused += blocks.store(taken)
            return results
        _digest_paginators(jobs, stale, session.fingerprinter)
        tracking.find_referenced_files({id(jobs[i].template): jobs[i].template for i in stale}.values())
        chunks = [stale[k:k + CHUNK] for k in range(0, len(stale), CHUNK)]
        with forked_map(_render_chunk, (session, jobs), chunks, session.workers, ordered=False,
                        tasks_per_worker=CHUNKS_PER_WORKER) as done:
            for chunk, taken in done:
                results.extend(chunk)
                session.blocks_reused += blocks.store(taken)
        return results
    finally:
        tracking.use_blocks(None)
        blocks.close()


def _render_chunk(shared: tuple, indices: list[int]) -> tuple[list[tuple], tuple]:
    """Render pages; also returns the blocks they rendered and how many they reused (blocks.py)."""
    session, jobs = shared
    return [(i, render_page(session, jobs[i])) for i in indices], tracking.blocks_taken()


def _digest_paginators(jobs: list[PageJob], indices: list[int], fingerprinter: Fingerprinter) -> None:
    """Digest, before the workers fork, the paginators the pages will record: a worker doing it
    walks every story of the listing, and each reference it takes writes to a story shared with
    the parent, copying its memory into the worker."""
    for i in indices:
        for value in jobs[i].kwargs.values():
            if isinstance(value, Paginator):
                try:
                    fingerprinter.digest(value)
                except Volatile:
                    pass  # the page records it as volatile itself
