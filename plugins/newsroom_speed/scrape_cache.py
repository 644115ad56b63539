"""Raw scrapes cleaned once: ``newsroom_cleaner``'s ``clean_article`` results cached by input.

The key is the raw bytes' digest, ``CLEANER_VERSION`` (the cleaner bumps it whenever its output
for the same input changes), the URL and the source name (it appears in error messages). A
failure is cached too, and raised again with its message. During a build the cleaner's reader
calls the cached function; uncached pages are cleaned beforehand over a process pool.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import contract
from .markdown_cache import CachedMarkdownReader, render_cached
from .pool import forked_map
from .records import Cleaned
from .store import RenderCache

try:
    from newsroom_cleaner import reader as cleaner_reader
    from newsroom_cleaner.errors import CleanerError
    from newsroom_cleaner.article import CLEANER_VERSION
    from newsroom_cleaner.settings import reader_settings
except ImportError:  # the cleaner plugin is optional for this one
    cleaner_reader = None


if cleaner_reader is not None:
    class CachedScrapedReader(cleaner_reader.ScrapedArticleReader):
        """The cleaner's reader with the cleaned Markdown rendered through the build's MarkdownCache."""

        def _render(self, text: str):
            if CachedMarkdownReader.cache is None:
                return super()._render(text)
            return render_cached(self, CachedMarkdownReader.cache, text)


class ScrapeCache:
    def __init__(self, store: RenderCache):
        self.store = store

    @staticmethod
    def key(raw: bytes, url: str | None, source_name: str, template: Any = None) -> bytes:
        site = template.digest if template else ""  # a site template learned from a batch changes the output
        head = f"clean\0{CLEANER_VERSION}\0{url}\0{source_name}\0{site}\0".encode()
        return hashlib.blake2b(head + raw, digest_size=20).digest()

    def clean(self, raw: bytes | str, url: str | None = None, *, source_name: str = "<input>",
              template: Any = None) -> Any:
        """``clean_article`` with the result (or the error) served from the cache when known."""
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        key = self.key(data, url, source_name, template)
        hit = self.store.get(key)
        if hit is None:
            hit = _clean(raw, url, source_name, template)
            self.store.put(key, hit)
        ok, value = hit
        if not ok:
            raise CleanerError(value)
        return value

    def install(self) -> None:
        """Route the cleaner's Pelican reader through this cache (until ``uninstall``)."""
        self._undo = contract.replace(cleaner_reader, "clean_article", self.clean)

    def uninstall(self) -> None:
        self._undo()

    def preclean(self, files: Iterable[tuple[str, str]], workers: int, min_batch: int,
                 template_of: Callable[[str], Any] | None = None) -> int:
        """Clean every uncached (path, source name) over ``workers`` processes; returns how many.

        ``template_of``: the site template the reader will clean each path with (``template_finder``).
        """
        known = self.store.keys()
        missing = []
        for path, name in files:
            template = template_of(path) if template_of else None
            key = self.key(Path(path).read_bytes(), None, name, template)
            if key not in known:
                missing.append((path, name, key, template))
        if workers < 2 or len(missing) < min_batch:
            for job in missing:
                self.store.put(*_clean_file(None, job))
        else:
            with forked_map(_clean_file, None, missing, workers, ordered=False, chunksize=4) as done:
                for key, result in done:
                    self.store.put(key, result)
        self.store.flush()
        return len(missing)


def _clean(raw: bytes | str, url: str | None, source_name: str, template: Any = None) -> Cleaned:
    from newsroom_cleaner.pipeline import clean_article  # imported when a page is cleaned (slow to import)

    try:
        return Cleaned(True, clean_article(raw, url, source_name=source_name, template=template))
    except CleanerError as error:
        return Cleaned(False, str(error))


def _clean_file(_: None, job: tuple[str, str, bytes, Any]) -> tuple[bytes, tuple[bool, Any]]:
    path, name, key, template = job
    return key, _clean(Path(path).read_bytes(), None, name, template)


def template_finder(settings: dict) -> Callable[[str], Any]:
    """The site template the cleaner's reader will use for each scrape, so a scrape is not
    cleaned ahead without it and then again by the reader with it."""
    reader = cleaner_reader.ScrapedArticleReader(settings)
    return lambda path: reader.site_template(Path(path))


def scraped_files(settings: dict) -> list[tuple[str, str]]:
    """(path, source name) of every raw scrape the cleaner's reader will clean, named as it names them."""
    if cleaner_reader is None or "newsroom_cleaner" not in settings.get("PLUGINS", ()):
        return []
    content = Path(settings["PATH"]).resolve()
    found = []
    for folder in reader_settings(settings).scraped_paths:
        for path in sorted((content / folder).rglob("*")):
            if path.suffix.lower() in (".html", ".htm", ".txt") and path.is_file():
                found.append((str(path), path.relative_to(content).as_posix()))
    return found
