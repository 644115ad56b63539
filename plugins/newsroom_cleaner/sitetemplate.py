"""Site templates: lines that recur across many dumps of one site are its chrome, with certainty.

One dump alone shows a menu, a footer or a "Most Read" rail only by its shape; a batch of dumps
from the same site shows them by repetition: no story's text recurs in half of a site's pages.
``learn`` counts, over a batch, in how many dumps each normalised line occurs (copies of one
story, known by their title line, count once); the template is the lines found in at least
NEWSROOM_SITE_TEMPLATE_SHARE of at least NEWSROOM_SITE_TEMPLATE_MIN_PAGES dumps (settings.py).
The text-dump cleaner drops those lines (``template_lines``), except where they are the page's
own headline or its standfirst (a rail teasing the page's story repeats them).

What was learned is kept per site (the folder, named as the reader names it) in a JSON file
beside the build's caches (``TemplateStore``), so a later scrape of the same site, even a
single dump, is cleaned with what earlier batches taught.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import rules
from .dates import parse_date
from .decode import decode
from .errors import CleanerError
from .metadata import text_key
from .parse import looks_like_html
from .settings import DEFAULT_SITE_TEMPLATE_MIN_PAGES as MIN_PAGES
from .settings import DEFAULT_SITE_TEMPLATE_SHARE as SHARE
from .settings import MAX_INPUT_BYTES, TITLE_MAX_CHARS
from .write import write_atomic

_DATE_MAX_CHARS = 40  # a line this short that parses as a date is the page's date, not chrome
_STORE_VERSION = 1
_SENTENCE_END = tuple(".!?…。\"”’»")  # a standfirst is a sentence
_TITLE_ECHO = 0.6  # a line sharing this share of its words with the title is the page's headline
_STORY_LEFT = 0.25  # under this share of the kept words left, the template is the story, not chrome


@dataclass(frozen=True)
class SiteTemplate:
    """The normalised lines (``text_key``) a site repeats on its pages, and how many pages showed it."""

    lines: frozenset[str] = frozenset()
    pages: int = 0

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def digest(self) -> str:
        """Stable identity, for cache keys: the same template gives the same cleaned output."""
        return hashlib.blake2b("\n".join(sorted(self.lines)).encode(), digest_size=12).hexdigest()


def identity(text: str) -> str:
    """Which story a dump holds: its first line, the title (copies and updates of a story share it)."""
    return next((key for line in text.split("\n") if (key := text_key(line))), "")


def page_keys(text: str) -> set[str]:
    """A dump's normalised lines, each once (a page counts a line once however often it repeats)."""
    return {key for line in text.split("\n") if (key := text_key(line))}


def learn(texts: Iterable[str], *, min_pages: int = MIN_PAGES, share: float = SHARE) -> SiteTemplate:
    """The template of a batch of one site's dumps (a story's copies count once)."""
    counts: Counter[str] = Counter()
    seen = set()
    for text in texts:
        if (story := identity(text)) not in seen:
            seen.add(story)
            counts.update(page_keys(text))
    return from_counts(counts, len(seen), min_pages=min_pages, share=share)


def from_counts(counts: Counter[str], pages: int, *, min_pages: int = MIN_PAGES,
                share: float = SHARE) -> SiteTemplate:
    """The template of line counts over ``pages`` dumps (two at least must share a line; no
    template under ``min_pages`` pages, or with ``min_pages`` 0: templates turned off)."""
    if min_pages <= 0 or pages < min_pages:
        return SiteTemplate()
    need = max(2, share * pages)
    return SiteTemplate(frozenset(key for key, count in counts.items() if count >= need and not _is_date(key)),
                        pages)


def _is_date(key: str) -> bool:
    """A bare date line recurs across a day's pages but is each page's date: never template."""
    return len(key) <= _DATE_MAX_CHARS and parse_date(key) is not None


def template_lines(lines: list[str], template: SiteTemplate, title: str | None,
                   chrome: frozenset[int] = frozenset()) -> frozenset[int]:
    """Indices of ``lines`` (a dump's body) that are the site's template.

    A line repeating the page's headline, or the first prose line at most DUMP_LEDE_GAP lines
    after one (its standfirst, past a byline and date), is the page's own: a rail teasing this
    very story put it in the template. None are given when the template would take most of
    what the line model kept (``chrome``: the lines it dropped): the batch held copies of this
    story under other titles and learned the story itself.
    """
    if not template.lines:
        return frozenset()
    title_words = set(text_key(title).split()) if title else set()
    found = set()
    lede_gap = 0  # lines left in which the standfirst may follow the last headline
    for index, line in enumerate(lines):
        key = text_key(line)
        if not key:
            continue
        if _is_headline(key, title_words):
            lede_gap = rules.DUMP_LEDE_GAP + 1
            continue
        lede_gap -= 1
        if lede_gap > 0 and len(key) > rules.DUMP_SHORT_LINE_CHARS and key.endswith(_SENTENCE_END):
            lede_gap = 0  # the standfirst: the first prose line under the headline
            continue
        if key in template.lines:
            found.add(index)
    kept = [len(line.split()) for i, line in enumerate(lines) if i not in chrome]
    taken = sum(len(lines[i].split()) for i in found if i not in chrome)
    if taken > (1 - _STORY_LEFT) * sum(kept):
        return frozenset()
    return frozenset(found)


def _is_headline(key: str, title_words: set[str]) -> bool:
    if not title_words or len(key) > TITLE_MAX_CHARS:
        return False
    words = set(key.split())
    return len(words & title_words) >= _TITLE_ECHO * len(words | title_words)


def read_dump(path: Path) -> str | None:
    """The text of a dump file, or None for one that cannot be a dump (unreadable, binary, HTML)."""
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            return None
        raw = path.read_bytes()
        try:  # a folder is read at every build: the full decoder (charset detection) only when needed
            text = raw.decode("utf-8").lstrip("\ufeff").replace("\r", "\n")
        except UnicodeDecodeError:
            text = decode(raw, str(path))
    except (OSError, CleanerError):
        return None
    return None if looks_like_html(text) else text


class TemplateStore:
    """Line counts learned per site, kept in a JSON file so later scrapes of the site benefit.

    Each site's entry holds the digests of the titles of the dumps already counted (a folder
    read again at the next build, or a story scraped again, adds nothing twice) and the lines
    seen in two dumps or more (lines seen once are story text; dropping them keeps the file small).
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._sites: dict[str, dict] | None = None

    def _load(self) -> dict[str, dict]:
        if self._sites is None:
            self._sites = {}
            if self.path is not None:
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                    if data.get("version") == _STORE_VERSION and isinstance(data.get("sites"), dict):
                        self._sites = {site: entry for site, entry in data["sites"].items() if _well_formed(entry)}
                except (OSError, ValueError, AttributeError):
                    pass  # no store yet, or a damaged one: learn again from the batch
        return self._sites

    def learn(self, site: str, dumps: Iterable[str], *, min_pages: int = MIN_PAGES,
              share: float = SHARE) -> SiteTemplate:
        """Count the dumps not yet counted for ``site``; return the site's template (saved when it grew)."""
        entry = self._load().setdefault(site, {"pages": [], "lines": {}})
        seen = set(entry["pages"])
        counts = Counter(entry["lines"])
        grew = False
        for text in dumps:  # a folder read again costs a first line per dump, not all its lines
            digest = hashlib.blake2b(identity(text).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
            if digest not in seen:
                seen.add(digest)
                counts.update(page_keys(text))
                grew = True
        if grew:
            entry["pages"] = sorted(seen)
            entry["lines"] = dict(counts)
            self._save()
        return from_counts(counts, len(seen), min_pages=min_pages, share=share)

    def _save(self) -> None:
        if self.path is None:
            return
        sites = {site: {"pages": entry["pages"], "lines": {k: c for k, c in entry["lines"].items() if c > 1}}
                 for site, entry in self._load().items()}
        data = json.dumps({"version": _STORE_VERSION, "sites": sites}, ensure_ascii=False, sort_keys=True)
        try:
            write_atomic(self.path, data.encode("utf-8"))
        except OSError:  # a read-only or full cache: the template still serves this run
            pass


def _well_formed(entry: object) -> bool:
    """A stored site entry of the expected shape (the file may have been damaged or hand-edited)."""
    return (isinstance(entry, dict) and isinstance(entry.get("pages"), list)
            and all(isinstance(page, str) for page in entry["pages"])
            and isinstance(entry.get("lines"), dict)
            and all(isinstance(count, int) for count in entry["lines"].values()))


def folder_template(folder: Path, site: str, store: TemplateStore, *, min_pages: int = MIN_PAGES,
                    share: float = SHARE) -> SiteTemplate:
    """The template of the site whose dumps are the .txt files in ``folder`` (not below it)."""
    if min_pages <= 0:
        return SiteTemplate()
    paths = sorted(p for p in folder.glob("*") if p.suffix.lower() == ".txt" and p.is_file())
    return store.learn(site, _dumps(paths), min_pages=min_pages, share=share)


def batch_templates(files: Iterable[Path], run: Callable[[Callable, Iterable[tuple]], Iterator[tuple]],
                    shard_pages: int, *, min_pages: int = MIN_PAGES, share: float = SHARE) -> dict[str, SiteTemplate]:
    """Each folder's site template (one site a folder, keyed by the folder's path), learned from
    the import's dumps in it by map-reduce: ``run(count_lines, jobs)`` (distribute.in_order on a
    runner) counts shards of dumps on the workers; the client adds the counts up.

    The client reads each dump once and sends each story once (copies known by their title
    line), so the counts are ``learn``'s however the dumps are sharded; folders with fewer
    dumps than ``min_pages`` are not read.
    """
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        if path.suffix.lower() == ".txt":
            by_folder.setdefault(path.parent, []).append(path)
    if min_pages <= 0:
        return {}
    stories: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = {}

    def shards() -> Iterator[tuple[list[tuple[str, str]], tuple[list[tuple[str, str]]]]]:
        shard: list[tuple[str, str]] = []
        for folder, paths in by_folder.items():
            if len(paths) < min_pages:
                continue
            site, seen = str(folder), set()
            for text in _dumps(paths):
                if (story := identity(text)) not in seen:
                    seen.add(story)
                    shard.append((site, text))
                    if len(shard) == shard_pages:
                        yield shard, (shard,)
                        shard = []
            stories[site] = len(seen)
        if shard:
            yield shard, (shard,)

    for shard, result in run(count_lines, shards()):
        if isinstance(result, Exception):  # its workers died: counted here instead
            result = count_lines(shard)
        for site, found in result.items():
            counts.setdefault(site, Counter()).update(found)
    return {site: from_counts(counts.get(site, Counter()), pages, min_pages=min_pages, share=share)
            for site, pages in stories.items()}


def count_lines(dumps: list[tuple[str, str]]) -> dict[str, Counter[str]]:
    """The map step: in how many of a shard's dumps each line occurs, per site."""
    counts: dict[str, Counter[str]] = {}
    for site, text in dumps:
        counts.setdefault(site, Counter()).update(page_keys(text))
    return counts


def _dumps(paths: Iterable[Path]) -> list[str]:
    return [text for text in map(read_dump, paths) if text is not None]
