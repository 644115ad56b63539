"""newsroom_speed: fast Pelican builds of big news archives, with the site unchanged.

- content objects of unchanged files are reused from the last build instead of read again
  (objects.py), and pages are checked with one digest per object they read (versions.py);
- Pelican's list-in-list scans (tag, category, author and period lists, translations) are
  replaced by lookups giving the same lists (listing.py);
- Markdown is rendered once per text (one reused ``Markdown`` instance, cached by digest)
  (markdown_cache.py); files with no cached object are read over a process pool before
  Pelican's reading loop, which then finds them in the object cache (preread.py);
- pages are rendered only if something they read or a template file they were made of
  changed (tracking.py records, outdated.py decides, reasons.py says why), over a process pool
  (render.py), and written only if their bytes changed (writer.py, ledger.py, feeds.py);
- what Pelican recomputes again and again (relative paths, formatted dates, ISO dates) is
  memoised for the build (pathmemo.py, timememo.py, fastdate.py; URLs and output paths once
  Pelican writes, urlmemo.py), its intrasite-link scans skip text that cannot hold a link
  (linkscan.py), and the garbage collector
  is kept off the site's objects (pool.py);
- templates are compiled once per settings, templates and code (Jinja's bytecode cache);
- a build whose inputs did not change is skipped (inputs.py), files no build produces any more
  are deleted (cleanup.py); what one build leaves the next is typed (records.py); every cached
  value carries a digest checked when it is read, and a damaged cache is dropped with a
  one-line notice, its work done again (sealed.py, store.py);
- one build at a time per cache folder: a second one waits (lock.py).
Every place it reaches inside Pelican, Jinja2 and Markdown is declared in contract.py, which
keeps it off (stock Pelican, same site) outside the library versions it was written for; the
theme and other plugins talk to it through interface.py. Settings: see settings.py. Enable with
``PLUGINS += ["newsroom_speed"]``.

Limits, by design: a page is re-rendered when something a template read through the Jinja
context changed; a theme or plugin function that reads other things (files, the clock) behind
the template's back is not seen. Pages are rendered when a generator has queued them all
(``article_writer_finalized``/``page_writer_finalized``/``finalized``), and ``content_written``
is sent for every page after rendering, in order. A reused content object skips the reading
signals, as with Pelican's own content cache; the object cache stays off while a plugin that is
not marked cacheable listens to them (objects.py). Content objects are digested when the first
pages are checked, after ``all_generators_finalized``; a plugin that changes them while pages are
written is not seen.
"""

from __future__ import annotations

import functools
import logging

from pelican import signals
from pelican.contents import Content
from pelican.generators import CachingGenerator
from pelican.readers import MarkdownReader

from . import contract, preread, scrape_cache, tracking
from .markdown_cache import CachedMarkdownReader
from .lock import build_lock
from .objects import ObjectCache
from .pool import frozen_heap
from .interface import output_expires
from .session import Session
from .settings import speed_settings
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)


def _wrap_run(pelican) -> None:
    """Each ``Pelican.run`` (one per build, several under --autoreload) gets its own Session,
    unless a library is outside the versions the plugin was written for (contract.py)."""
    problems = contract.unsupported()
    if problems:
        logger.warning("newsroom_speed: off, building as stock Pelican: %s", "; ".join(problems))
        return
    plain_run = pelican.run

    @functools.wraps(plain_run)
    def run():
        with build_lock(speed_settings(pelican.settings).cache_path):
            _forget_memoized_content()
            with frozen_heap():
                Session(pelican).run(plain_run)

    contract.replace_for_life(pelican, "run", run)


def _forget_memoized_content() -> None:
    """Pelican memoises ``get_content`` and ``get_summary`` in a dict on the class, keyed by the
    content object: every object of every build stays alive. Emptied as a build starts, so a
    live-reload process holds one build, not all of them."""
    for cache in contract.memoised_caches(Content, ("get_content", "get_summary")):
        cache.clear()


def _get_writer(pelican):
    if IncrementalWriter.session is None:
        return None
    IncrementalWriter.session.writing()
    return IncrementalWriter


def _prepare_generator(generator) -> None:
    """Readers serve conversions from the caches; unchanged files' objects come from the object
    cache; templates record what they read."""
    session = IncrementalWriter.session
    if session is None:
        return
    tracking.install(generator.env)
    contract.replace(generator.env, "bytecode_cache", session.template_cache())
    if session.objects_enabled and isinstance(generator, CachingGenerator):
        cache = ObjectCache(session.store, generator, session.inputs.settings_code, session.inputs.content,
                            session.checks.bodies)
        cache.install()
        preread.install(cache, session.workers, session.min_batch, session.read_ahead_done)
    for reader in getattr(getattr(generator, "readers", None), "readers", {}).values():
        if type(reader) is MarkdownReader:
            contract.swap_class(reader, CachedMarkdownReader)
        elif scrape_cache.cleaner_reader and type(reader) is scrape_cache.cleaner_reader.ScrapedArticleReader:
            contract.swap_class(reader, scrape_cache.CachedScrapedReader)


class _FinishOutput:
    """Runs as the last generator: renders the queued pages and deletes stale files.

    Pelican writes with the generators in this list, then sends ``finalized``. Blinker calls
    a signal's receivers in no fixed order, so a ``finalized`` receiver of another plugin (the
    theme's search indexer) must find the output already complete.
    """

    def generate_output(self, writer) -> None:
        session = IncrementalWriter.session
        if session is not None:
            if session.writer is not None:
                session.writer.flush()
            session.finish_output()


def _remember_generators(generators) -> None:
    if IncrementalWriter.session is not None:
        IncrementalWriter.session.contexts_ready(list(generators))
        generators.append(_FinishOutput())  # the very list Pelican.run writes with next


def _flush(sender, writer=None) -> None:
    if isinstance(writer, IncrementalWriter):
        writer.flush()


def _output_expires(sender, at) -> None:
    if IncrementalWriter.session is not None:
        IncrementalWriter.session.output_expires(at)


def register() -> None:
    output_expires.connect(_output_expires)
    signals.initialized.connect(_wrap_run)
    signals.get_writer.connect(_get_writer)
    signals.generator_init.connect(_prepare_generator)
    signals.all_generators_finalized.connect(_remember_generators)
    signals.article_writer_finalized.connect(_flush)
    signals.page_writer_finalized.connect(_flush)
