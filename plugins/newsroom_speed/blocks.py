"""Rendered template blocks (the theme's story teasers) kept from one build to the next.

Adding a story moves every other story of the front page, its section, tags and author down
by one: those listing pages are rendered again, and most of their time goes into teasers that
did not change. A template global that caches rendered
blocks (``reads_hooks``, see tracking.py; the theme's ``fragment``) has each block it renders
stored here with what the block read. A later build reuses a stored block if everything it
read is as it was then (names, attributes, content objects: the digests they had when it was
rendered, not last build's, as a block may be stored builds ago) and renders it otherwise.

A block is stored under the digest of settings, code and the list of template files (a file
added may shadow another: session.py), the global's key (the arguments that identify the block,
content objects by source path) and the site URL content objects see on the page. The template
files whose code it ran are among what it read (tracking.py): an edit of another template, such
as the front page's, leaves it reusable.
"""

from __future__ import annotations

import hashlib
import pickle

from pelican.contents import Content

from . import tracking
from .fingerprint import Volatile
from .records import BlockReads, StoredBlock

_PLAIN = (str, int, float, bool, type(None))
# New blocks a rendering task keeps until it returns (bytes): a task of month pages in a cold
# build renders a great many teasers, held in each worker. The ones past this are rendered again
# when next needed; pages that change in an edit or an add hold far fewer.
_KEEP_PER_TASK = 4 * 1024 * 1024
# Rendering this many pages, every stored block is read in one query first: reading all of them
# costs as much as the single lookups of about this many pages.
_READ_AHEAD_PAGES = 400


class BlockStore:
    """One build's stored blocks: looked up by the page being rendered (in a worker too), and
    the new ones collected for the parent to write."""

    def __init__(self, session):
        self.session = session
        self._generation = session.inputs.pages
        # Blocks are stored under the generation that rendered them: after a cold build or a
        # change of settings, code or the list of templates, none can be found (and none is
        # looked up).
        self._stored = session.previous is not None and session.previous.inputs.pages == self._generation
        self._new: list[tuple[bytes, bytes]] = []
        self._new_size = self._reused = 0

    def read_ahead(self, pages: int) -> None:
        """About to render ``pages`` pages: if they are many, have the stored blocks read in one
        query, before the workers fork (a listing page looks up about ten, each a query)."""
        if self._stored and pages >= _READ_AHEAD_PAGES:
            self.session.store.prefetch_blocks(self._generation)

    def close(self) -> None:
        """The pages are rendered: the blocks read ahead are let go."""
        self.session.store.prefetch_blocks(None)

    def _key(self, key: tuple, page: tracking.Recorder) -> bytes | None:
        h = hashlib.blake2b(self._generation, digest_size=20)
        for part in (*key, page.siteurl):
            if isinstance(part, _PLAIN):  # a teaser's key: the story, the page's SITEURL, flags
                h.update(f"{type(part).__name__}:{part!r}\0".encode("utf-8", "surrogatepass"))
            elif isinstance(part, Content):
                h.update(f"<{type(part).__qualname__} {part.source_path}>\0".encode("utf-8", "surrogatepass"))
            else:
                try:
                    h.update(self.session.fingerprinter.digest(part))
                except Volatile:
                    return None
        return h.digest()

    def reuse(self, key: tuple, page: tracking.Recorder) -> tuple[str, tuple] | None:
        """(html, reads) of a stored block whose reads are all as they were, or None."""
        stored_key = self._key(key, page) if self._stored else None
        data = self.session.store.get_block(stored_key) if stored_key else None
        if data is None:
            return None
        try:
            block = pickle.loads(data)
            if not isinstance(block, StoredBlock):
                raise TypeError(f"a {type(block).__name__}, not a StoredBlock")
        except Exception as error:  # noqa: BLE001 - intact but unloadable: rendered instead
            self.session.store.drop_value("blocks", stored_key, error)
            return None
        digests = self._digests()
        if any(digests.get(path) != digest for path, digest in block.objects.items()):
            return None
        if not tracking.reads_current(block.reads.names, block.reads.attrs, page.lookup, self._contents(),
                                      self.session.fingerprinter, self.session.checks.attr_memo):
            return None
        self._reused += 1
        return block.html, block.reads

    def keep(self, key: tuple, page: tracking.Recorder, html: str, reads: BlockReads) -> None:
        """Remember a block just rendered, with the digests of the objects it read, to be stored
        once it is back in the parent."""
        if self._new_size > _KEEP_PER_TASK:
            return
        stored_key = self._key(key, page)
        digests = self._digests()
        objects = {path: digests.get(path) for path in reads.objects}
        if stored_key is not None and None not in objects.values():
            data = pickle.dumps(StoredBlock(html, reads, objects), protocol=pickle.HIGHEST_PROTOCOL)
            self._new.append((stored_key, data))
            self._new_size += len(data)

    def _contents(self) -> dict:
        return self.session.checks.contents()

    def _digests(self) -> dict[str, bytes]:
        """This build's digests of every covered object (made before the workers fork)."""
        return self.session.checks.versions.all(self._contents())

    def take(self) -> tuple[list[tuple[bytes, bytes]], int]:
        """The blocks rendered and the number reused since the last call (a worker returns them
        with its pages)."""
        taken = self._new, self._reused
        self._new, self._new_size, self._reused = [], 0, 0
        return taken

    def store(self, taken: tuple[list[tuple[bytes, bytes]], int]) -> int:
        """Store blocks a ``take`` returned (here or in a worker); returns how many were reused."""
        new, reused = taken
        for stored_key, data in new:
            self.session.store.put_block(stored_key, self._generation, data)
        return reused
