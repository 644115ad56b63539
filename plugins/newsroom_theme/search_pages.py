"""Which output pages the search index holds, and in which shard: one pass over the output
that reads only the HTML files whose size or time changed since the last pass."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Mapping

# Pagefind indexes only the pages carrying this attribute once any page does (the theme marks
# published stories and pages; drafts and hidden stories lack it). An attribute in a tag, not
# the words in a story's text, which would be escaped (&lt;).
_BODY_MARKER = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=/>]")
# What Pagefind reads of a page: the elements carrying its attributes (the body, and filters,
# meta and sort keys, which count outside the body too), whole, and the <title> (the result's
# title when the body has no <h1>). A page whose other parts change (a new "related stories"
# teaser, a stylesheet link) keeps its digest, so its shard is not indexed again.
_PAGEFIND_TAG = re.compile(rb"<([a-zA-Z][\w-]*)[^<>]*\sdata-pagefind-[^<>]*>")
_TITLE = re.compile(rb"<title[\s>].*?</title\s*>", re.S | re.I)
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source",
         b"track", b"wbr"}
# The story's publication date as the article template prints it (its shard).
_PUBLISHED = re.compile(rb'<meta property="article:published_time" content="([^"]+)"')
# Shard names become folder names in the bundle.
_SHARD_NAME = re.compile(r"[\w.-]+")
UNDATED = ""  # the shard of pages without a publication date (about, contact ...)

# path relative to the output -> [size, mtime_ns, content digest or None when not indexed, shard]
Records = dict[str, list]


class ShardNameError(ValueError):
    """NEWSROOM_SEARCH_SHARD gives a name that cannot be a folder."""


def html_files(output: str, skip: Callable[[str], bool]) -> Iterator[tuple[str, os.stat_result]]:
    """(path relative to ``output``, stat) of every ``.html`` file, as ``pagefind --site``
    finds them, leaving out the top folders ``skip`` names (the search bundle itself)."""
    stack = [("", output)]
    while stack:
        relative, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = relative + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not (relative == "" and skip(entry.name)):
                        stack.append((name + "/", entry.path))
                elif entry.name.endswith(".html"):
                    yield name, entry.stat()


def indexed_parts(html: bytes) -> Iterator[bytes]:
    """The parts of a page Pagefind's index depends on (see _PAGEFIND_TAG)."""
    title = _TITLE.search(html)
    if title:
        yield title.group()
    position = 0
    for tag in _PAGEFIND_TAG.finditer(html):
        if tag.start() < position:
            continue  # inside an element already taken whole
        position = _element_end(html, tag)
        yield html[tag.start():position]


def _element_end(html: bytes, tag: re.Match) -> int:
    """Where the element that ``tag`` opens ends (the document's end if it is never closed)."""
    name = tag.group(1).lower()
    if name in _VOID or tag.group().endswith(b"/>"):
        return tag.end()
    depth = 1
    for found in re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])", re.I).finditer(html, tag.end()):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = html.find(b">", found.end())
            return len(html) if close < 0 else close + 1
    return len(html)


def shard_of(html: bytes, shard_format: str) -> str:
    """The shard of a page: its publication date in ``shard_format``, or UNDATED (every
    page's, when the pattern has no date in it: one bundle, no merging)."""
    found = _PUBLISHED.search(html) if "%" in shard_format else None
    if not found:
        return UNDATED
    try:
        date = datetime.datetime.fromisoformat(found.group(1).decode())
    except ValueError:
        return UNDATED
    name = date.strftime(shard_format)
    if not _SHARD_NAME.fullmatch(name) or name.strip(".") == "":
        raise ShardNameError(f"NEWSROOM_SEARCH_SHARD {shard_format!r} names a shard {name!r}: "
                             "use letters, digits, '-', '_' and '.' only")
    return name


def scan(output: str, previous: Mapping[str, list], shard_format: str, skip: Callable[[str], bool]) -> Records:
    """The record of every HTML page of the output; pages whose size and time equal the
    previous pass's keep its record unread."""
    records: Records = {}
    for path, st in html_files(output, skip):
        old = previous.get(path)
        if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            records[path] = old
            continue
        with open(os.path.join(output, path), "rb") as f:
            html = f.read()
        indexed = _BODY_MARKER.search(html) is not None
        digest = hashlib.blake2b(b"".join(indexed_parts(html)), digest_size=16).hexdigest() if indexed else None
        records[path] = [st.st_size, st.st_mtime_ns, digest, shard_of(html, shard_format) if indexed else None]
    return records


def shards(records: Records) -> dict[str, list[str]]:
    """Shard name -> its pages' paths, sorted (the order they are indexed in). Like
    ``pagefind --site``, a site where no page is marked has every page indexed."""
    marked = any(record[2] is not None for record in records.values())
    grouped: dict[str, list[str]] = {}
    for path in sorted(records):
        record = records[path]
        if record[2] is not None:
            grouped.setdefault(record[3], []).append(path)
        elif not marked:
            grouped.setdefault(UNDATED, []).append(path)
    return grouped


def signature(records: Records, paths: list[str]) -> str:
    """Changes when a page of the shard is added, removed or changed."""
    digest = hashlib.blake2b(digest_size=16)
    for path in paths:
        digest.update(f"{path}\0{records[path][2] or records[path][:2]}\0".encode())
    return digest.hexdigest()
