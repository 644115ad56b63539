"""The importer's inputs as pages to clean: scraped files, and the HTML pages of WARC archives.

A WARC archive (Heritrix, Browsertrix, ``wget --warc-file``, the Common Crawl) holds every
response a crawl received: pages, but also images, style sheets, redirects and the same page
fetched twice. Only HTML responses with status 200 become pages; the rest is passed over and
counted by kind (``passed_over``), since a crawl holds far more of them than anyone reads
one line each about. A record's target URI is the page's source URL and its WARC-Date the time
it was captured.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from .read_errors import cannot_open
from .settings import MAX_INPUT_BYTES, WARC_SUFFIXES

WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
HTML_TYPES = ("text/html", "application/xhtml+xml")  # the Content-Type of a web page
# Kinds of WARC records passed over, as the summary names them.
NOT_HTML, NOT_200, DUPLICATE, ALREADY = "not HTML", "not status 200", "duplicate", "already imported"
PASSED_OVER_KINDS = (ALREADY, DUPLICATE, NOT_HTML, NOT_200)


@dataclass(frozen=True)
class Page:
    """One page to clean, as sent to a worker, with what the client needs to write its post."""

    name: str  # how outcome lines name it
    raw: bytes
    path: Path  # the file it came from (a scrape, or the WARC archive)
    url: str | None = None  # a record's target URI: the source URL unless the page says otherwise
    captured: datetime | None = None  # a record's WARC-Date
    key: str | None = None  # a record's payload digest and URL, as the ledger keeps it
    site: str | None = None  # a text dump's folder: the site whose template cleans it
    upto: int = 0  # input bytes read when this page was (for the progress bar)


@dataclass(frozen=True)
class Unreadable:
    """An input (or the rest of one) that could not be read: ``reason`` says why, in one line."""

    source: Path
    reason: str


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def file_page(path: Path, upto: int) -> Page | Unreadable:
    """A scraped file as a page; a text dump's site is its folder (one site a folder)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Unreadable(path, f"cannot read it: {cannot_open(error)}")
    site = str(path.parent) if path.suffix.lower() == ".txt" else None
    return Page(str(path), raw, path, site=site, upto=upto)


def warc_pages(path: Path, passed_over: Counter[str], seen: set[bytes], imported: set[bytes],
               base: int) -> Iterator[Page | Unreadable]:
    """The HTML pages with status 200 of the archive at ``path``, each payload once.

    ``seen`` holds the payload digests met so far in this import (updated here); ``imported``
    the ledger keys of pages earlier imports took. A damaged archive yields, after the pages
    before the damage, an Unreadable naming the offset of the record that could not be read.
    ``base``: input bytes read before this file (progress).
    """
    from warcio.archiveiterator import ArchiveIterator  # loaded only when an archive is imported

    try:
        stream = path.open("rb")
    except OSError as error:
        yield Unreadable(path, f"cannot read it: {cannot_open(error)}")
        return
    with stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                offset = records.offset  # where this record starts (the iterator is past its header)
                declared = record.rec_headers.get_header("Content-Length") or ""
                if record.rec_type not in WARC_TYPES or not declared.isdigit():  # half a compressed record
                    raise _Damaged(offset, "not a whole WARC record")
                page = _page(record, path, passed_over, seen, imported)
                length = records.get_record_length()  # reads the record to its end
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise _Damaged(offset, "the file ends inside it")
                if page is not None:
                    yield replace(page, name=f"{path}#{offset} {page.url}", upto=base + offset + length)
            if records.offset < path.stat().st_size:  # warcio ends quietly at a cut compressed record
                raise _Damaged(records.offset, "the file ends inside it")
        except Exception as error:  # noqa: BLE001 - any damage costs the rest of this file, not the import
            at, why = (error.offset, error.why) if isinstance(error, _Damaged) else \
                (records.offset, f"{type(error).__name__}: {' '.join(str(error).split())}")
            yield Unreadable(path, f"damaged at record offset {at} ({why}); the records after it are not read")


class _Damaged(Exception):
    def __init__(self, offset: int, why: str):
        super().__init__(offset, why)
        self.offset, self.why = offset, why


def _page(record, path: Path, passed_over: Counter[str], seen: set[bytes], imported: set[bytes]) -> Page | None:
    if record.rec_type == "revisit":  # the crawler's own note that it fetched the same payload again
        passed_over[DUPLICATE] += 1
        return None
    if record.rec_type != "response" or record.http_headers is None:
        return None  # requests, metadata, warcinfo: no page
    if record.http_headers.get_statuscode() != "200":
        passed_over[NOT_200] += 1
        return None
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        passed_over[NOT_HTML] += 1
        return None
    raw = record.content_stream().read(MAX_INPUT_BYTES + 1)  # one byte over: the cleaner refuses it by name
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or \
        "sha1:" + base64.b32encode(hashlib.sha1(raw).digest()).decode()
    url = record.rec_headers.get_header("WARC-Target-URI")
    if (payload := _short(digest)) in seen:
        passed_over[DUPLICATE] += 1
        return None
    seen.add(payload)
    key = f"{digest} {url}"
    if _short(key) in imported:
        passed_over[ALREADY] += 1
        return None
    return Page("", raw, path, url, _captured(record.rec_headers.get_header("WARC-Date")), key)


def _short(text: str) -> bytes:
    """A compact stand-in for a digest or key: the sets of them grow with the crawl."""
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=10).digest()


def ledger_keys(lines: Iterator[str]) -> set[bytes]:
    """The keys of a ledger's lines (``<payload digest> <URL>\\t<outcome>\\t<post>``)."""
    return {_short(line.split("\t", 1)[0]) for line in lines if "\t" in line}


def _captured(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value).replace(microsecond=0) if value else None
    except ValueError:
        return None
