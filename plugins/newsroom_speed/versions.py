"""One digest per content object, so a page is checked per object it read, not per attribute.

A Pelican Article or Page computes every attribute a template can read (``url``, ``save_as``,
``content``, ``summary``...) from its own fields, the settings and the site URL of the page
being rendered, except where its text links to other content (``{filename}`` and the like,
resolved through the shared context). For such an object, "unchanged" is one comparison: the
digest of its fields against last build's. Checking a site then costs one digest per article
instead of one per attribute read by each page.

Fields that link to other content (related stories, a section's previous and next story: a
content object or a list of them, set by plugins from the rest of the site) have a digest of
their own, under the object's path plus LINKS: a story added next to this one changes them,
and the listing pages showing this story's teaser do not read them. A page that reads such a
field depends on both digests (tracking.py). Pelican's own properties (``url``,
``summary``...) read no such field.

Objects of other classes (a plugin's own content type, whose properties may read anything)
and objects with intrasite links are not covered: their reads are still tracked attribute by
attribute (tracking.py).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime

from . import contract
from .fingerprint import Fingerprinter, Volatile
from .linkscan import default_syntax, may_hold_link
from .pickled import FAILURES, PickledDigest, Reducers
from .pool import forked_map

logger = logging.getLogger(__name__)

# Fields that are not the object's own: the settings are in every build's global digest, the
# shared context is what "not covered" guards against.
_SHARED_FIELDS = frozenset({"settings", contract.CONTEXT_FIELD})
LINKS = "\0links"  # added to a source path: the digest of that object's links to other content
# A field holding the very object its metadata holds under the same key (title, date, tags...):
# digested once, in the metadata.
_IN_METADATA, _ABSENT = "\0in metadata", object()
# Types of most fields, which links_elsewhere need not look at (a story has about 30 fields).
NEVER_LINKS = frozenset({str, int, float, bool, type(None), dict, SafeDatetime, Category, Tag, Author})
# A story's body, digested on its own (BodyDigests) and stood for by that digest in the object's.
_BODY, _BODY_DIGEST = contract.BODY_FIELD, "\0body digest"


def body_digest(body: str) -> bytes:
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class BodyDigests:
    """Digests of story bodies known without hashing them again.

    A body is most of the bytes of an object's digest. The object cache stores each body's digest with the object
    and hands it over here when it loads it; strings are immutable, so while the object holds
    that very string, the digest holds too."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[str, bytes]] = {}

    def remember(self, body: str, digest: bytes) -> None:
        self._known[id(body)] = (body, digest)

    def __call__(self, body: str) -> bytes:
        hit = self._known.get(id(body))
        return hit[1] if hit is not None and hit[0] is body else body_digest(body)


class Versions:
    """Field digests of this build's content objects, and last build's to compare with."""

    def __init__(self, fingerprinter: Fingerprinter, previous: dict[str, bytes], bodies: BodyDigests | None = None):
        self.fp = fingerprinter
        self.previous = previous
        self.bodies = bodies or BodyDigests()
        self._covered: dict[int, tuple[Content, bool]] = {}
        self._now: dict[str, tuple[bytes, bytes] | None] = {}  # path -> (own, links) digests
        self._pickled_digest = PickledDigest(Reducers())
        self._same: set[str] | None = None  # paths of unchanged objects, once all are read
        self._all: tuple | None = None  # (contents, digests) once ``all`` has run on them

    def _digest_in_workers(self, items: list[tuple[str, Content]], workers: int) -> None:
        """Digest the objects in ``workers`` fork()ed processes, one part each, this one waiting.

        A fresh process per part: pickling an object writes to the reference count of all it
        holds, copying those memory pages into the worker; a part is a run of objects read one
        after the other (so mostly near in memory), and its copies go with it. The parent waits
        rather than goes on: while the workers live, every shared page the parent writes to is
        copied too, which slowed Pelican's listing loops run meanwhile several times over."""
        try:
            with forked_map(_digest_part, (self, items, workers), range(workers), workers, tasks_per_worker=1) as done:
                found = [made for part in done for made in part]
            for (path, obj), (digests, covered) in zip(items, found, strict=True):
                self._now[path] = digests
                self._covered[id(obj)] = (obj, covered)
        except Exception as error:  # no fork, or a worker died: the digests are made here instead
            logger.debug("newsroom_speed: digests not made in workers (%s)", error)

    def covers(self, obj: Content) -> bool:
        """Is everything a template reads from ``obj`` a function of its fields (and page)?"""
        hit = self._covered.get(id(obj))
        if hit is None or hit[0] is not obj:
            hit = self._covered[id(obj)] = (obj, _self_contained(obj))
        return hit[1]

    def now(self, obj: Content) -> tuple[bytes, bytes] | None:
        """The digests of the object's own fields and of its links to other content in this
        build (None: not covered, or no stable digest)."""
        path = obj.source_path
        if path not in self._now:
            digests = None
            if self.covers(obj):
                fields = vars(obj)
                metadata = fields.get("metadata")
                metadata = metadata if type(metadata) is dict else {}
                own, links = {}, {}
                for key, value in fields.items():
                    if key in _SHARED_FIELDS:
                        continue
                    if metadata.get(key, _ABSENT) is value:  # Pelican sets most fields from metadata
                        own[key] = _IN_METADATA
                    elif key == _BODY and type(value) is str:
                        own[key] = (_BODY_DIGEST, self.bodies(value))
                    else:
                        (own if type(value) in NEVER_LINKS or not links_elsewhere(value) else links)[key] = value
                states = ((type(obj).__qualname__, own), links)
                try:
                    digests = tuple(map(self._pickled_digest, states))
                except FAILURES:
                    try:  # something pickle cannot take: the slower, more general digest
                        digests = tuple(map(self.fp.digest, states))
                    except Volatile:
                        pass
            self._now[path] = digests
        return self._now[path]

    def unchanged(self, paths: tuple[str, ...], contents: dict[str, Content]) -> bool:
        """Are the objects at ``paths`` all covered, with their fields as in the last build?
        (A path plus LINKS: with their links to other content as in the last build.)"""
        if self._same is None:
            self._same = {path for path, digest in self.all(contents).items() if digest == self.previous.get(path)}
        return self._same.issuperset(paths)

    def all(self, contents: dict[str, Content], workers: int = 1) -> dict[str, bytes]:
        """Digests of every covered object (its path) and of its links (path plus LINKS), to
        compare with in the next build (made once for a build's contents, which are final:
        checks, article pages and the saved state ask), over ``workers`` processes if more
        than one."""
        if self._all is not None and self._all[0] is contents:
            return self._all[1]
        if workers > 1:
            self._digest_in_workers(list(contents.items()), workers)
        found = {}
        for path, obj in contents.items():
            digests = self.now(obj)
            if digests is not None:
                found[path], found[path + LINKS] = digests
        self._all = (contents, found)
        return found


def links_elsewhere(value: Any) -> bool:
    """Is this field's value other content: a content object, or a list or tuple of them?"""
    if isinstance(value, Content):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(x, Content) for x in value)


def _digest_part(shared: tuple, index: int) -> list[tuple[tuple[bytes, bytes] | None, bool]]:
    """In a worker of ``_digest_in_workers``: (digests, covered?) of every object of one part, in
    order (whether an object is covered scans its text: the render workers need not do it again)."""
    versions, items, parts = shared
    size = -(-len(items) // parts)
    return [(versions.now(obj), versions.covers(obj)) for _, obj in items[index * size:(index + 1) * size]]


def _self_contained(obj: Content) -> bool:
    if type(obj).__module__ != "pelican.contents" or not isinstance(obj, Content):
        return False
    texts = [t for t in (contract.body_or_none(obj), *getattr(obj, "metadata", {}).values()) if isinstance(t, str)]
    if default_syntax(obj):
        texts = [text for text in texts if may_hold_link(text)]
    if not texts:
        return True
    links = contract.link_regex(obj)
    return not any(links.search(text) for text in texts)
