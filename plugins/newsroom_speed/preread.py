"""Content files read over the process pool before Pelican's own reading loop.

Pelican reads its content files one after the other in its generator's ``generate_context``:
Markdown, metadata, the content object, the reading signals (the theme's facts about a story).
In a cold build of a big site that loop is the longest stretch on one core. Here, before
the loop, the files with no cached object are read in fork()ed workers, exactly as the loop
would read them, and each object is handed back pickled as the object cache keeps it; the loop
then finds every one of them in the cache, as in a rebuild (objects.py).

A worker keeps only what Pelican would keep: a file that fails, is skipped or is not valid is
left to the loop, which reads it again and reports it. What a worker logs while reading a kept
file is logged again by the parent, in file order. Markdown and cleaned scrapes a worker
converted go to the parent's cache too (store.take_entries).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable

from pelican import signals
from pelican.contents import Article, Page, SkipStub
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import FilteredMessage, LimitFilter

from . import contract
from .objects import ObjectCache
from .pool import WorkerDied, forked_map

logger = logging.getLogger(__name__)


class _Kind:
    """How a generator's ``generate_context`` reads its files (Pelican's arguments, as data)."""

    def __init__(self, content_class: type, paths: str, excludes: str, preread: str, context: str):
        self.content_class, self.paths, self.excludes = content_class, paths, excludes
        self.preread_signal, self.context_signal = getattr(signals, preread), getattr(signals, context)


_KINDS = {
    ArticlesGenerator: _Kind(Article, "ARTICLE_PATHS", "ARTICLE_EXCLUDES",
                             "article_generator_preread", "article_generator_context"),
    PagesGenerator: _Kind(Page, "PAGE_PATHS", "PAGE_EXCLUDES", "page_generator_preread", "page_generator_context"),
}
_CHUNK = 16  # files per task: a task's reply is a few hundred kilobytes


def install(cache: ObjectCache, workers: int, min_batch: int, done: Callable[[int], None]) -> None:
    """Read ahead before ``cache.generator``'s own reading loop, when the files it will not find
    in the cache are at least ``min_batch`` and there are ``workers`` to read them; ``done`` is
    told how many objects were read."""
    generator = cache.generator
    kind = _KINDS.get(type(generator))
    if kind is None or workers < 2:
        return
    plain = generator.generate_context

    def generate_context():
        done(read_ahead(cache, kind, workers, min_batch))
        return plain()

    contract.replace(generator, "generate_context", generate_context)


def read_ahead(cache: ObjectCache, kind: _Kind, workers: int, min_batch: int) -> int:
    """Read the generator's uncached files over ``workers`` processes into the object cache;
    returns how many objects were cached."""
    generator = cache.generator
    paths = generator.settings[kind.paths]
    uncached = cache.uncached(paths)
    if len(uncached) < min_batch:
        return 0
    listed = generator.get_files(paths, exclude=generator.settings[kind.excludes])
    files = sorted(f for f in listed if cache.name(f) in uncached)
    if len(files) < min_batch:
        return 0
    kept = 0
    chunks = [files[i:i + _CHUNK] for i in range(0, len(files), _CHUNK)]
    try:
        with forked_map(_read_chunk, (cache, kind), chunks, workers, initializer=_start_worker,
                        initargs=(cache,)) as done:
            for results, entries in done:
                cache.store.add_entries(entries)
                for filename, pickled, records in results:
                    for record in records:
                        _log_again(record)
                    cache.store_pickled(filename, pickled)
                    kept += 1
    except WorkerDied as error:  # the loop reads what is left, as without workers
        logger.warning("newsroom_speed: reading files over the workers stopped (%s); %d of %d files left to "
                       "Pelican's own reading", error, len(files) - kept, len(files))
    return kept


def _start_worker(cache: ObjectCache) -> None:
    """A worker starts with the parent's unsaved entries, which the parent keeps itself. Its
    records are filtered once, in the parent (Pelican drops repeated messages there)."""
    cache.store.take_entries()
    contract.replace(LimitFilter, "filter", lambda self, record: True)


def _log_again(record: logging.LogRecord) -> None:
    try:
        logging.getLogger(record.name).handle(record)
    except FilteredMessage:  # Pelican's logger dropped a repeated message
        pass


def _read_chunk(shared: tuple, files: list[str]) -> tuple[list[tuple[str, bytes, list]], dict[bytes, bytes]]:
    cache, kind = shared
    results = []
    for filename in files:
        with _Captured() as records:
            pickled = _read(cache, kind, filename)
        if pickled is not None:
            results.append((filename, pickled, records))
    return results, cache.store.take_entries()


def _read(cache: ObjectCache, kind: _Kind, filename: str) -> bytes | None:
    """What Pelican's loop does with an uncached file, up to ``cache_data``; None if the loop
    must read it itself (to report it)."""
    generator = cache.generator
    try:
        content = generator.readers.read_file(
            base_path=generator.path,
            path=filename,
            content_class=kind.content_class,
            context=generator.context,
            preread_signal=kind.preread_signal,
            preread_sender=generator,
            context_signal=kind.context_signal,
            context_sender=generator,
        )
    except Exception:  # noqa: BLE001 - the loop reads it again and logs it as Pelican does
        return None
    if isinstance(content, SkipStub) or not content.is_valid():
        return None
    return cache.pickled(filename, content)


class _Captured(logging.Handler):
    """While reading one file in a worker, the records that would have been logged, made
    picklable (traceback as text, arguments as text if need be) for the parent to log."""

    def __enter__(self) -> list[logging.LogRecord]:
        self.records: list[logging.LogRecord] = []
        root = logging.getLogger()
        self._handlers, root.handlers = root.handlers, [self]
        return self.records

    def __exit__(self, *exc) -> None:
        logging.getLogger().handlers = self._handlers

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        try:
            pickle.dumps(record)
        except Exception:  # noqa: BLE001 - e.g. a content object as an argument: sent as text
            record.msg, record.args = record.getMessage(), None
            for name, value in list(vars(record).items()):
                if not _picklable(value):  # a plugin's extra=...
                    delattr(record, name)
        self.records.append(record)


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - whatever pickling raises
        return False
    return True
