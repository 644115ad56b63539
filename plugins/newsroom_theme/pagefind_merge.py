"""One exact Pagefind index merged from the indexes of parts of the site.

Pagefind cannot update an index in place, and indexing every page again after each edit takes
seconds on a small archive and minutes on a large one. So the site is indexed in parts (its
stories by period of publication), only parts with changed pages are indexed again, and the
parts' indexes are merged here into one: the pages part after part, each word's page list the
parts' lists one after another. The data is then what Pagefind writes for the same pages in the
same order (a test compares them decoded), so every query gets the same results, ranking and
excerpts. The word list is cut into files where Pagefind cuts it (its search page loads one file
per query word, so the cuts decide what a prefix finds); only the files' names are ours.

Pagefind's files are gzip of ``pagefind_dcd`` + CBOR. The meta file: [version, pages
([fragment name, word count]), chunks ([first word, last word, name]), filters, sorts, meta
fields]. A chunk: [[[word, postings, [[form with diacritics, postings], ...]], ...]]; a posting:
[page number (the first absolute, then the step from the one before), word locations, meta
locations (-1 marks the first meta field's)]. Fragments (one per page) are the parts' own files.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import cbor2

FORMATS = ("1.5.",)  # the Pagefind versions whose files this reads and writes
ENTRY = "pagefind-entry.json"
_SIGNATURE = b"pagefind_dcd"
# Pagefind ends a chunk of the word list after the word that brings it to this many numbers (a
# posting's page, locations and meta locations, in the word's own postings). Its search page loads
# one chunk per query word, so a prefix finds only the words of that chunk: the cuts must be Pagefind's.
_CHUNK_NUMBERS = 20000


class NotMergeable(ValueError):
    """A part's index holds what the merge does not handle (filters, sort keys, another
    format): the site is then indexed whole by Pagefind."""


# One part's postings of a word: (count, first page, last page, numbers in them, the encoded
# postings after the first one's page number), or None when it has none.
Postings = tuple[int, int, int, int, bytes] | None


class Part(NamedTuple):
    """What the merge needs of one part's index. ``words``: word -> (its postings, and those of
    each form of it written with diacritics: ((form, postings), ...))."""

    version: str
    language: str
    entry: dict  # Pagefind's entry file, read
    pages: list  # [fragment name, word count] per page, in order
    meta_fields: list
    words: dict[str, tuple[Postings, tuple[tuple[str, Postings], ...]]]


def read_part(files: dict[str, bytes]) -> Part:
    """The ``Part`` of an index as Pagefind returned it (path in the bundle -> bytes)."""
    entry = json.loads(files[ENTRY])
    if len(entry.get("languages", {})) != 1:
        raise NotMergeable("an index in more than one language")
    [(language, about)] = entry["languages"].items()
    version, pages, chunks, filters, sorts, meta_fields = _decode(files[f"pagefind.{about['hash']}.pf_meta"])
    if not str(version).startswith(FORMATS):
        raise NotMergeable(f"Pagefind {version}'s index format")
    if filters or sorts:
        raise NotMergeable("pages with Pagefind filters or sort keys")
    words = {}
    for _, _, name in chunks:
        [entries] = _decode(files[f"index/{name}.pf_index"])
        for word, postings, variants in entries:
            words[word] = (_postings(postings), tuple((form, _postings(found)) for form, found in variants))
    return Part(version, language, entry, pages, meta_fields, words)


def _postings(postings: list) -> Postings:
    if not postings:
        return None
    first = postings[0]
    rest = cbor2.dumps(postings[1:])[len(_head(4, len(postings) - 1)):]
    numbers = sum(1 + len(places) + len(marks) for _, places, marks in postings)
    return (len(postings), first[0], sum(p[0] for p in postings), numbers,
            cbor2.dumps(first[1]) + cbor2.dumps(first[2]) + rest)


def merge(parts: list[Part], present: set[str] = frozenset()) -> tuple[dict[str, bytes], list[str]]:
    """The parts merged, in their order: the index files to write (chunks, meta file, entry;
    the fragments are the parts' own) and the paths of every file of the index, fragments
    included. Files in ``present`` (named by their contents) are already written: left out."""
    head = parts[0]
    for part in parts[1:]:
        if (part.version, part.language, part.entry.get("include_characters")) != (
                head.version, head.language, head.entry.get("include_characters")):
            raise NotMergeable("parts indexed with different Pagefind settings")
    fields = sorted({field for part in parts for field in part.meta_fields})  # as Pagefind lists them
    pages, lists = [], {}  # word -> (its postings, {form: postings}), each [count, last page, encoded, numbers]
    for part in parts:
        offset = len(pages)
        pages.extend(part.pages)
        moved = {-n - 1: -fields.index(field) - 1 for n, field in enumerate(part.meta_fields)}
        for word, (postings, variants) in part.words.items():
            found = lists.get(word)
            if found is None:
                found = lists[word] = ([0, 0, [], 0], {})
            _append(found[0], _renumbered(postings, moved), offset)
            for form, form_postings in variants:
                _append(found[1].setdefault(form, [0, 0, [], 0]), _renumbered(form_postings, moved), offset)
    new, chunks, paths = {}, [], [f"fragment/{name}.pf_fragment" for name, _ in pages]
    cut = list(_chunks((word, lists[word]) for word in sorted(lists)))
    for n, (first, last, body) in enumerate(cut):
        data = _SIGNATURE + body
        name = f"{head.language}_{hashlib.sha256(data).hexdigest()[:7]}"
        paths.append(f"index/{name}.pf_index")
        if paths[-1] not in present:
            new[paths[-1]] = data
        start = _prefix(first, cut[n - 1][1]) if n else first
        end = _prefix(last, cut[n + 1][0]) if n + 1 < len(cut) else last
        chunks.append([start, last if end < start else end, name])
    meta = _SIGNATURE + cbor2.dumps([head.version, pages, chunks, [], [], fields])
    meta_name = f"{head.language}_{hashlib.sha256(meta).hexdigest()[:10]}"
    paths.append(f"pagefind.{meta_name}.pf_meta")
    if paths[-1] not in present:
        new[paths[-1]] = meta
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # zlib lets other threads run while it works
        files = dict(zip(new, pool.map(_compress, new.values())))
    entry = dict(head.entry, languages={head.language: dict(head.entry["languages"][head.language],
                                                            hash=meta_name, page_count=len(pages))})
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return files, sorted(paths + [ENTRY])


def _renumbered(postings: Postings, moved: dict[int, int]) -> Postings:
    """``postings`` with their meta locations' field markers (-1 for the part's first meta
    field...) renumbered as ``moved`` says, for a part that has fewer meta fields than the site."""
    if postings is None or all(old == new for old, new in moved.items()):
        return postings
    count, first, last, numbers, tail = postings
    locations, marks, *rest = cbor2.loads(_head(4, count + 1) + tail)
    rest = [[step, places, _marks(moved, others)] for step, places, others in rest]
    tail = cbor2.dumps(locations) + cbor2.dumps(_marks(moved, marks)) + cbor2.dumps(rest)[len(_head(4, count - 1)):]
    return count, first, last, numbers, tail


def _marks(moved: dict[int, int], places: list[int]) -> list[int]:
    return [moved.get(place, place) for place in places]


def _append(merged: list, postings: Postings, offset: int) -> None:
    """Add a part's postings (its pages from ``offset``) to a word's ``merged`` ones: only the
    first one's page number changes (a step from the last page before it)."""
    if postings is None:
        return
    count, first, last, numbers, tail = postings
    step = first + offset - (merged[1] if merged[0] else 0)
    merged[0] += count
    merged[1] = last + offset
    merged[2].append(b"\x83" + _head(0, step) + tail)
    merged[3] += numbers


def _encoded(word: str, postings: list, variants: dict[str, list]) -> bytes:
    """A word's entry: [word, postings, [[form, postings], ...]]."""
    forms = b"".join(b"\x82" + _text(form) + _head(4, variants[form][0]) + b"".join(variants[form][2])
                     for form in variants)  # in the order first met, as Pagefind keeps them
    return (b"\x83" + _text(word) + _head(4, postings[0]) + b"".join(postings[2]) + _head(4, len(variants))
            + forms)


def _chunks(entries):
    """(first word, last word, encoded chunk) of the word list, cut where Pagefind cuts it."""
    words, body, numbers = [], [], 0
    for word, (postings, variants) in entries:
        words.append(word)
        body.append(_encoded(word, postings, variants))
        numbers += postings[3]  # (Pagefind does not count the forms with diacritics)
        if numbers >= _CHUNK_NUMBERS:
            yield words[0], words[-1], b"\x81" + _head(4, len(body)) + b"".join(body)
            words, body, numbers = [], [], 0
    if body:
        yield words[0], words[-1], b"\x81" + _head(4, len(body)) + b"".join(body)


def _prefix(word: str, neighbour: str) -> str:
    """The shortest beginning of ``word`` that does not begin ``neighbour``: how Pagefind names
    a chunk's first and last words (the last one whole where that would sort before the first)."""
    for n in range(1, len(word) + 1):
        if not neighbour.startswith(word[:n]):
            return word[:n]
    return word


def _decode(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise NotMergeable("a file that is not a Pagefind index file")
    return cbor2.loads(raw[len(_SIGNATURE):])


def _compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)  # the same bytes for the same index


def _head(major: int, n: int) -> bytes:
    """A CBOR item's head: its major type and length (or, for an integer, value)."""
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError(f"{n} does not fit a CBOR head")


def _text(word: str) -> bytes:
    encoded = word.encode()
    return _head(3, len(encoded)) + encoded
