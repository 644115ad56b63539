"""What one build leaves for the next, as named records (pickled by store.py under its FORMAT).

Bump store.FORMAT whenever one of these changes shape or meaning: a cache of another format is
deleted, never misread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

FEED_TEMPLATE = "<feed>"  # the template name of a feed's record


class OutputEntry(NamedTuple):
    """A file the build wrote: its stat when written, to spot outside edits, and its bytes' digest."""

    size: int
    mtime_ns: int
    digest: bytes

    def stat(self) -> tuple[int, int]:
        return self.size, self.mtime_ns


class Reads(NamedTuple):
    """What a page read while rendering (tracking.Recorder.record), as digests."""

    names: tuple  # recorded name paths: (name, *indices, kind)
    attrs: tuple  # attribute keys: (source path, attribute, site URL, call arguments)
    objects: tuple  # source paths of covered objects (versions.py), some plus versions.LINKS
    digest: bytes  # of everything read, combined
    own_digest: bytes  # of the page's own names (its arguments)


class PageRecord(NamedTuple):
    """A page's or feed's record: its template (FEED_TEMPLATE for a feed) and what it was made of
    (Reads for a page, None if it must always render; the digest of its inputs for a feed)."""

    template: str
    reads: Reads | bytes | None


class BlockReads(NamedTuple):
    """What a rendered block read (tracking.Recorder.reads): digests then, for a later check."""

    names: dict
    attrs: dict
    objects: frozenset
    volatile: str | None


class StoredBlock(NamedTuple):
    """A block kept between builds: its HTML, what it read, and the field digests of the objects
    it read at the time."""

    html: str
    reads: BlockReads
    objects: dict[str, bytes]


class ArticlePage(NamedTuple):
    """What a build wrote an article's page as, for the next build to check it with."""

    save_as: str
    url: str
    template: str  # template name
    name: str  # output path relative to OUTPUT_PATH
    path: str  # absolute output path
    localsiteurl: str | None
    relative_urls: bool


class StoredObject(NamedTuple):
    """A content object as the object cache keeps it (objects.py), with its body's digest."""

    body_digest: bytes | None
    obj: object


class RenderedDocument(NamedTuple):
    """A Markdown text's HTML and ``Meta`` block, cached by the text's digest (markdown_cache.py)."""

    html: str
    meta: dict | None


class Cleaned(NamedTuple):
    """A raw scrape cleaned (scrape_cache.py): the article, or the cleaner's error message."""

    ok: bool
    value: object


class Inputs(NamedTuple):
    """The digests and stats a build compares with the last build's (session.py)."""

    settings_code: bytes  # settings and code: what content objects are read with
    pages: bytes  # the same and which template files there are: what page records assume
    everything: bytes  # all but the content (templates' bytes too): the fast path's check
    content: dict[str, tuple]  # relative path -> stat of every file under PATH
    theme_static: dict[str, tuple]  # output path -> (source path, stat) of the theme's static files
    settings: dict[str, bytes]  # setting -> digest of its value (to say which changed: reasons.py)
    templates: dict[str, tuple]  # absolute path -> stat of every template file


@dataclass
class BuildState:
    """The small state every build reads (state.pickle)."""

    inputs: Inputs
    outputs: dict[str, OutputEntry]  # pages and feeds written, by output name
    produced: set[str]  # every output file, static copies included
    build: str = ""  # pairs it with the page records written by the same build
    expires: datetime | None = None  # earliest time another plugin's output goes stale
    due: datetime | None = None  # earliest date of a story held back until then


@dataclass
class PageRecords:
    """What a real build needs besides (records.pickle): how each page was made."""

    build: str
    records: dict[str, PageRecord] = field(default_factory=dict)
    versions: dict[str, bytes] = field(default_factory=dict)  # versions.Versions.all of the build
    articles: dict[str, ArticlePage] = field(default_factory=dict)  # source path -> its page
