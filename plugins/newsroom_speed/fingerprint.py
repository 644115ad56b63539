"""Deterministic digests of template inputs, stable across processes and builds.

A page is re-rendered only if the digest of something it read changed, so a digest must
change whenever the value could render differently: containers and plain objects are hashed
deeply, functions and classes by name (their code is covered by the build's code digest).
Content objects (articles, pages) are leaves identified by their source path: what a
template reads from them is tracked attribute by attribute (see tracking.py). Anything that
cannot be hashed deterministically raises Volatile, and the page is then always rendered.
"""

from __future__ import annotations

import datetime
import hashlib
import types
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

from . import contract
from .pickled import FAILURES, PickledDigest, Reducers, urlwrapper_extra


class Volatile(Exception):
    """A value has no deterministic digest (e.g. an object printed with its address)."""


# Fields of other Pelican objects that are not their state: the settings (in the global digest),
# lazily filled caches (a paginator's page count is set when first asked for, so its digest
# would depend on whether some template asked yet) and a page's stories, a slice of its
# paginator's given by its number (the paginator is digested once, not each of its pages).
_SKIPPED_FIELDS = {
    Paginator: frozenset({"settings"}) | contract.PAGINATOR_CACHED_FIELDS,
    Page: frozenset({"settings", "object_list"}),
}
# What Pelican's Page sets: the rest derives from full_name, base_url, number and paginator.
_PAGE_FIELDS = {"full_name", "name", "extension", "base_name", "base_url", "object_list", "number", "paginator",
                "settings"}
_CONTAINERS = frozenset({list, tuple, dict})
_FLAT = frozenset({str, int})
_SCALARS = (str, int, float, bool, bytes, type(None), complex)
_TIMES = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)
_NAMED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, types.ModuleType)


class Fingerprinter:
    """Digests values, memoising containers for the length of one build.

    The memo holds a reference to every object it keyed by ``id`` so ids are not reused
    while the memo lives; create one per build phase and drop it afterwards.
    """

    def __init__(self) -> None:
        self._memo: dict[Any, tuple[Any, bytes]] = {}
        self._busy: set[int] = set()
        self._short: dict[tuple, bytes] = {}
        self._files: dict[str, bytes] = {}
        self._pickled = PickledDigest(Reducers(strict=True), sets=False)
        # tracking.Recorder's, for the build: template name -> (its value, record path, digest)
        self.names: dict[str, tuple[Any, tuple, bytes]] = {}

    def file(self, path: str) -> bytes:
        """Digest of a file's bytes (or of its absence), read once per build: the template files
        pages use (the session reads the theme's as the build starts)."""
        digest = self._files.get(path)
        if digest is None:
            try:
                with open(path, "rb") as f:
                    digest = _leaf("file", f.read())
            except OSError:
                digest = _leaf("no file", path.encode("utf-8", "surrogatepass"))
            self._files[path] = digest
        return digest

    def digest(self, value: Any) -> bytes:
        """16-byte digest of ``value``; raises Volatile if it has none."""
        # Objects digested before, first: a paginator's stories and the pages' shared values are
        # asked for again and again. Only objects the memo holds are in it, so the id is theirs.
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[1]
        if type(value) in _CONTAINERS:
            digest = self._plain(value)
            if digest is not None:
                return digest
        if isinstance(value, str) and len(value) < 64:  # names, keys, URLs: seen again and again
            hit = self._short.get((type(value), value))
            if hit is None:
                hit = self._short[(type(value), value)] = _leaf(type(value).__name__, repr(value).encode())
            return hit
        if isinstance(value, _SCALARS):
            return _leaf(type(value).__name__, value if isinstance(value, bytes) else repr(value).encode())
        if isinstance(value, _TIMES):
            return _leaf("time", repr(value).encode())
        if isinstance(value, Content):
            leaf = _leaf("content", f"{type(value).__name__}:{value.source_path}".encode())
            self._memo[id(value)] = (value, leaf)
            return leaf
        if isinstance(value, _NAMED):
            name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}"
            owner = getattr(value, "__self__", None)
            extra = self.digest(owner) if isinstance(value, types.MethodType) else b""
            return _leaf("named", name.encode() + extra)
        key = id(value)
        if isinstance(value, URLWrapper):  # Category, Tag, Author: name, slug and what plugins add
            extra = urlwrapper_extra(value)
            # every story has its own Category object: plain ones are memoised by what they hold
            plain = None if extra else (type(value), value.name, value.slug)
            digest = self._short.get(plain) if plain else None
            if digest is None:
                payload = f"{type(value).__qualname__}\0{value.name}\0{value.slug}".encode()
                digest = _leaf("urlwrapper", payload + self.digest(extra))
                if plain:
                    self._short[plain] = digest
            self._memo[key] = (value, digest)
            return digest
        if type(value) is Page and vars(value).keys() == _PAGE_FIELDS:
            # one of a paginator's pages: the paginator (digested once) and which page it is
            fields = (value.full_name, value.base_url, value.number)
            self._memo[key] = (value, _leaf("page", repr(fields).encode() + self.digest(value.paginator)))
            return self._memo[key][1]
        if key in self._busy:
            raise Volatile(f"cycle through {type(value).__name__}")
        self._busy.add(key)
        try:
            result = self._compound(value)
        finally:
            self._busy.discard(key)
        self._memo[key] = (value, result)
        return result

    def _plain(self, value: list | tuple | dict) -> bytes | None:
        """Digest of a container of plain data (most of a page's own names) in one C pass, or
        None if it is not plain data (it is then digested part by part). A list of stories is
        left to the part by part digest, where each story is a memo hit; a short tuple of
        strings and numbers (a period) is memoised by its value and its items' types (1, 1.0
        and True are equal in Python, not on a page)."""
        if type(value) is list and value and isinstance(value[0], Content):
            return None
        key = None
        if type(value) is tuple and len(value) < 5:
            kinds = tuple(map(type, value))
            if _FLAT.issuperset(kinds):
                key = (kinds, value)
                hit = self._short.get(key)
                if hit is not None:
                    return hit
        try:
            digest = self._pickled(value)
        except FAILURES:
            return None
        if key is not None:
            self._short[key] = digest
        else:
            self._memo[id(value)] = (value, digest)
        return digest

    def derived(self, tag: str, value: Any, transform) -> bytes:
        """Digest of ``transform(value)``, memoised on ``value`` for the build."""
        key = (tag, id(value))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = (value, self.digest(transform(value)))
        return hit[1]

    def _compound(self, value: Any) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode())
        if isinstance(value, (list, tuple)):
            for item in value:
                h.update(self.digest(item))
        elif isinstance(value, dict):  # in order: a template iterating it shows that order
            for k, v in value.items():
                h.update(self.digest(k) + self.digest(v))
        elif isinstance(value, (set, frozenset)):
            for item in sorted(self.digest(v) for v in value):
                h.update(item)
        elif hasattr(value, "__dict__") or hasattr(type(value), "__slots__"):
            state = getattr(value, "__dict__", {})
            skipped = _SKIPPED_FIELDS.get(type(value))
            if skipped:
                state = {k: v for k, v in state.items() if k not in skipped}
            slots = [n for n in getattr(type(value), "__slots__", ()) if hasattr(value, n)]
            for name in sorted([*state, *slots]):
                h.update(self.digest(name) + self.digest(state[name] if name in state else getattr(value, name)))
        elif type(value).__repr__ is not object.__repr__:
            h.update(repr(value).encode())
        else:
            raise Volatile(f"no digest for {type(value).__qualname__}")
        return h.digest()


def _leaf(tag: str, payload: bytes) -> bytes:
    return hashlib.blake2b(tag.encode() + b"\0" + payload, digest_size=16).digest()


def combine(digests: list[bytes]) -> bytes:
    """One digest for an ordered list of digests."""
    return hashlib.blake2b(b"".join(digests), digest_size=16).digest()
