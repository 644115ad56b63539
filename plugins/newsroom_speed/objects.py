"""Content objects of unchanged files, reused from the last build instead of read again.

Pelican has this as its content cache (CACHE_CONTENT): generators ask ``get_cached_data``
before reading a file and ``cache_data`` after. Its version pickles every object with the
context of the build that made it, so a reused article resolves links and relative URLs
against a stale context, and it trusts a file's mtime alone. Here the same three generator
hooks store each object as it was just after reading, pickled with the settings and the
shared context left out and put back on load (this build's), under a key made of the file's
path and stat and the build's digest of settings and code (plugins' and libraries'; templates are
left out, as reading never uses them: after a template edit the objects are still good). A
rebuild then unpickles objects instead of reading and parsing every file.

Like Pelican's cache, a reused object skips the reading signals (``*_preread``, ``*_context``,
``content_object_init``), so the cache stays off while another plugin listens to them, unless
the receiver is marked ``newsroom_speed_cacheable = True``: it only changes the object it is
given, from that object and the settings, so its work is part of what the cache keeps.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import weakref
from datetime import UTC, datetime
from typing import Any

from pelican import signals
from pelican.urlwrappers import URLWrapper

from . import contract, interface
from .pool import settle
from .records import StoredObject
from .store import RenderCache
from .versions import BodyDigests, body_digest

logger = logging.getLogger(__name__)

# Signals a reused object does not go through; a plugin listening to them may expect every object.
READING_SIGNALS = (
    "content_object_init",
    "article_generator_preread",
    "article_generator_context",
    "page_generator_preread",
    "page_generator_context",
    "static_generator_preread",
    "static_generator_context",
)
_SETTINGS, _CONTEXT = "settings", "context"
_HERE = os.curdir + os.sep
_SETTLE_EVERY = 1000  # objects loaded between two gc freezes (pool.settle)


def scheduled(obj: Any) -> datetime | None:
    """The date of a story Pelican holds as a draft only because it is in the future
    (WITH_FUTURE_DATES off), as an aware datetime; None for any other object."""
    date = getattr(obj, "date", None)
    if getattr(obj, "status", None) != "draft" or not isinstance(date, datetime) or date.year == datetime.max.year:
        return None
    if str(getattr(obj, "metadata", {}).get("status", "")).lower() == "draft":
        return None  # a draft by its own header
    date = date if date.tzinfo else date.astimezone()
    return date if date > datetime.now(UTC) else None


def reading_signals_free() -> bool:
    """True if no plugin listens to a signal that reused objects skip (but cacheable receivers)."""
    for name in READING_SIGNALS:
        for ref in getattr(signals, name).receivers.values():
            receiver = ref() if isinstance(ref, weakref.ref) else ref
            if receiver is not None and not interface.cacheable(receiver):
                return False
    return True


class _Pickler(pickle.Pickler):
    def __init__(self, file, generator):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = {id(generator.settings): _SETTINGS, id(generator.context): _CONTEXT}

    def persistent_id(self, obj):
        return self._shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, generator, classes: dict[tuple[str, str], Any]):
        """``classes``: the classes found so far, shared by the loads of one build. An object
        names several (its class, Tag, Category, SafeDatetime...), and the C unpickler imports
        each name through the import machinery every time."""
        super().__init__(file)
        self._shared = {_SETTINGS: generator.settings, _CONTEXT: generator.context}
        self._classes = classes

    def persistent_load(self, pid):
        return self._shared[pid]

    def find_class(self, module: str, name: str) -> Any:
        found = self._classes.get((module, name))
        if found is None:
            found = self._classes[module, name] = super().find_class(module, name)
        return found


def _fill_slugs(obj: Any) -> None:
    """Compute the slugs of the object's tags, category and authors before it is pickled.

    A URLWrapper computes its slug when first asked and keeps it; pickled before that, every
    tag of the site would be slugified again on every build. The slug
    is a function of the name and the settings, both part of the cache key."""
    for value in vars(obj).values():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, URLWrapper):
                item.slug  # noqa: B018 - fills the lazily computed slug


class ObjectCache:
    """The three cache hooks of one CachingGenerator, backed by the build's RenderCache."""

    def __init__(self, store: RenderCache, generator, settings_code: bytes, stats: dict[str, tuple],
                 bodies: BodyDigests | None = None):
        """``settings_code``: the build's digest of settings and code; ``stats``: relative path
        (to PATH) -> stat of every content file, as the session saw them; ``bodies``: where the
        digests of the loaded objects' bodies, stored with them, are handed over."""
        self.store = store
        self.bodies = bodies or BodyDigests()
        self.generator = generator
        self.stats = stats
        self.generation = settings_code
        self._prefix = settings_code + type(generator).__qualname__.encode() + b"\0"
        self._loaded = 0
        self._keys: dict[str, bytes] = {}  # computed once: uncached() then the reading loop ask
        self._classes: dict[tuple[str, str], Any] = {}  # the loads' find_class

    def install(self) -> None:
        self.store.prefetch_objects(self.generation)
        for hook in (self.get_cached_data, self.cache_data, self.save_cache):
            contract.replace(self.generator, hook.__name__, hook)

    @staticmethod
    def name(filename: str) -> str:
        """A file's name in ``stats`` from its name as Pelican's get_files gives it (files at the
        top of PATH come as ./name)."""
        return filename[len(_HERE):] if filename.startswith(_HERE) else filename

    def _key(self, filename: str) -> bytes | None:
        filename = self.name(filename)
        key = self._keys.get(filename)
        if key is None:
            stat = self.stats.get(filename)
            if stat is None:
                return None
            key = self._keys[filename] = hashlib.blake2b(
                self._prefix + filename.encode() + repr(stat).encode(), digest_size=20).digest()
        return key

    def get_cached_data(self, filename: str, default: Any = None) -> Any:
        key = self._key(filename)
        data = self.store.get_object(key) if key else None
        if data is None:
            return default
        try:
            digest, obj = _Unpickler(io.BytesIO(data), self.generator, self._classes).load()
        except Exception as error:  # noqa: BLE001 - intact but unloadable: read the file instead
            self.store.drop_value("objects", key, error)
            return default
        if digest is not None:
            self.bodies.remember(contract.body_of(obj), digest)
        self._loaded += 1
        if self._loaded % _SETTLE_EVERY == 0:
            settle()
        return obj

    def cache_data(self, filename: str, data: Any) -> None:
        """Pickle the object now: plugins change it later in the build (related stories...)."""
        if self._key(filename) is None:  # not among the files the build started with
            return
        pickled = self.pickled(filename, data)
        if pickled is not None:
            self.store_pickled(filename, pickled)

    def pickled(self, filename: str, data: Any) -> bytes | None:
        """The object as the cache keeps it, or None if it cannot be kept."""
        if scheduled(data):  # its status changes with the clock: read it again until it is due
            return None
        _fill_slugs(data)
        body = contract.body_or_none(data)
        digest = None
        if type(body) is str:  # the object read in this process keeps it too (an edited file)
            digest = body_digest(body)
            self.bodies.remember(body, digest)
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self.generator).dump(StoredObject(digest, data))
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            logger.debug("newsroom_speed: %s not cached (%s)", filename, error)
            return None
        return buffer.getvalue()

    def store_pickled(self, filename: str, pickled: bytes) -> None:
        key = self._key(filename)
        if key is not None:
            self.store.put_object(key, self.generation, pickled)

    def uncached(self, paths: list[str]) -> set[str]:
        """Content files under ``paths`` (relative to PATH, as ARTICLE_PATHS) with no object
        stored for this generation."""
        paths = [paths] if isinstance(paths, str) else paths
        if "" in paths:
            names = self.stats
        else:
            folders = tuple(os.path.join(os.path.normpath(p), "") for p in paths)
            names = [name for name in self.stats if name.startswith(folders) or name in paths]
        return {name for name in names if not self.store.has_object(self._key(name))}

    def save_cache(self) -> None:
        """Nothing to do: the session flushes the store once the build is done."""
