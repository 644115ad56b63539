"""One digest per content object, so a page is checked per object it read, not per attribute.

A Pelican Article or Page computes every attribute a template can read (``url``, ``save_as``,
``content``, ``summary``...) from its own fields, the settings and the site URL of the page
being rendered, except where its text links to other content (``{filename}`` and the like,
resolved through the shared context). For such an object, "unchanged" is one comparison: the
digest of its fields against last build's. Checking a 20,000-article site then costs one
digest per article instead of one per attribute read by each of 33,000 pages.

Objects of other classes (a plugin's own content type, whose properties may read anything)
and objects with intrasite links are not covered: their reads are still tracked attribute by
attribute (tracking.py).
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import logging
import operator
import pickle

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from .fingerprint import Fingerprinter, Volatile, urlwrapper_extra
from .pool import forked_pool

logger = logging.getLogger(__name__)

# Fields that are not the object's own: the settings are in every build's global digest, the
# shared context is what "not covered" guards against.
_SHARED_FIELDS = frozenset({"settings", "_context"})


class Versions:
    """Field digests of this build's content objects, and last build's to compare with."""

    def __init__(self, fingerprinter: Fingerprinter, previous: dict[str, bytes]):
        self.fp = fingerprinter
        self.previous = previous
        self._covered: dict[int, tuple[Content, bool]] = {}
        self._now: dict[str, bytes | None] = {}
        self._reducers = _Reducers()
        self._same: set[str] | None = None  # paths of unchanged objects, once all are read
        self._ahead: tuple | None = None  # (exit stack, pending result) of digest_ahead

    def digest_ahead(self, contents: dict[str, Content]) -> None:
        """Start digesting every object in a fork()ed process, while this one goes on (Pelican
        queues the pages meanwhile); ``all`` waits for the result. Call it once the objects are
        final: after all generators' contexts are, nothing in Pelican changes them."""
        global _ahead_input
        stack = contextlib.ExitStack()
        _ahead_input = (self, contents)  # what the worker forked now inherits
        try:
            pool = stack.enter_context(forked_pool(1))
            self._ahead = stack, pool.apply_async(_digest_all)
        except OSError:  # no fork: digest in-process when asked
            stack.close()
        finally:
            _ahead_input = None

    def close(self) -> None:
        """Take the digests made ahead, if any (or leave them to be made here), and end the worker."""
        if self._ahead is None:
            return
        stack, pending = self._ahead
        self._ahead = None
        try:
            self._now.update(pending.get())
        except Exception as error:  # the worker died: the digests are made here instead
            logger.debug("newsroom_speed: digests made ahead lost (%s)", error)
        finally:
            stack.close()

    def covers(self, obj: Content) -> bool:
        """Is everything a template reads from ``obj`` a function of its fields (and page)?"""
        hit = self._covered.get(id(obj))
        if hit is None or hit[0] is not obj:
            hit = self._covered[id(obj)] = (obj, _self_contained(obj))
        return hit[1]

    def now(self, obj: Content) -> bytes | None:
        """The object's field digest in this build (None: not covered, or no stable digest)."""
        path = obj.source_path
        if path not in self._now:
            digest = None
            if self.covers(obj):
                state = {k: v for k, v in vars(obj).items() if k not in _SHARED_FIELDS}
                try:
                    digest = _pickled_digest((type(obj).__qualname__, state), self._reducers)
                except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
                    try:  # something pickle cannot take: the slower, more general digest
                        digest = self.fp.digest((type(obj).__qualname__, state))
                    except Volatile:
                        pass
            self._now[path] = digest
        return self._now[path]

    def unchanged(self, paths: tuple[str, ...], contents: dict[str, Content]) -> bool:
        """Are the objects at ``paths`` all covered, with their fields as in the last build?"""
        if self._same is None:
            self._same = {path for path, digest in self.all(contents).items() if digest == self.previous.get(path)}
        return self._same.issuperset(paths)

    def all(self, contents: dict[str, Content]) -> dict[str, bytes]:
        """Digests of every covered object, to compare with in the next build."""
        self.close()
        found = {}
        for path, obj in contents.items():
            digest = self.now(obj)
            if digest is not None:
                found[path] = digest
        return found


_ahead_input: tuple | None = None


def _digest_all() -> dict[str, bytes | None]:
    """In the worker of ``digest_ahead``: path -> digest of every object."""
    versions, contents = _ahead_input
    return {path: versions.now(obj) for path, obj in contents.items()}


def _self_contained(obj: Content) -> bool:
    if type(obj).__module__ != "pelican.contents" or not isinstance(obj, Content):
        return False
    links = obj._get_intrasite_link_regex()
    texts = [getattr(obj, "_content", None), *getattr(obj, "metadata", {}).values()]
    return not any(isinstance(text, str) and links.search(text) for text in texts)


class _Reducers(dict):
    """The pickler's dispatch table: content objects become their source path, Category, Tag
    and Author what identifies them (without the settings and lazily filled caches), other
    objects pickle as usual. The C pickler looks types up here, so dicts, lists and strings
    never call into Python (a ``reducer_override`` was called 46 times per article)."""

    def __init__(self):
        super().__init__()
        self._wrappers: dict[int, tuple] = {}  # id -> (wrapper, reduced): a tag is in many stories

    def __missing__(self, cls: type):
        if issubclass(cls, Content):
            reducer = _content_ref
        elif issubclass(cls, URLWrapper):
            reducer = self._wrapper_ref
        elif issubclass(cls, type):
            raise KeyError(cls)  # classes of a metaclass: pickled by name, as usual
        else:
            reducer = copyreg.dispatch_table.get(cls, _REDUCE_EX)
        self[cls] = reducer
        return reducer

    def _wrapper_ref(self, wrapper: URLWrapper) -> tuple:
        hit = self._wrappers.get(id(wrapper))
        if hit is None or hit[0] is not wrapper:
            fields = (type(wrapper).__qualname__, wrapper.name, wrapper.slug, urlwrapper_extra(wrapper))
            hit = self._wrappers[id(wrapper)] = (wrapper, (tuple, (fields,)))
        return hit[1]


def _content_ref(obj: Content) -> tuple:
    return str, (f"<{type(obj).__qualname__} {obj.source_path}>",)


_REDUCE_EX = operator.methodcaller("__reduce_ex__", 5)  # what the pickler calls by default


def _pickled_digest(state: tuple, reducers: _Reducers) -> bytes:
    """A digest of ``state`` through pickle: C speed, about ten times the Fingerprinter's. Equal
    bytes mean equal fields; the odd difference without a change (a set's order) only costs a
    re-render.

    No memo ("fast" mode): with it, a string shared by two fields (an interned key) is written
    once, so the same values unpickled from the object cache would give other bytes; cycles
    raise ValueError and the caller falls back to the Fingerprinter."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dispatch_table = reducers
    pickler.dump(state)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
