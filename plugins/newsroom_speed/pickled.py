"""Digests through pickle: one C pass over a value, many times faster than walking it in Python.

The C pickler writes dicts, lists, tuples, strings, numbers, bytes and sets itself and looks
every other type up in a dispatch table (``Reducers``), so plain data never calls into Python.
The table names content objects by their source path and Category, Tag and Author by what
identifies them (without the settings and lazily filled caches), as the Fingerprinter does.
Equal bytes mean equal values; the odd difference without a change (a set's order, which
follows string hashes) only costs a re-render.
"""

from __future__ import annotations

import copyreg
import datetime
import hashlib
import io
import operator
import pickle
import zoneinfo

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from . import contract


# URLWrapper's own fields: the settings are in every build's global digest, the slug is a lazily
# filled cache of ``slug``, and ``as_dict()`` copies name and slug into the instance dict the
# first time a URL is built (all digested through the properties instead).
_URLWRAPPER_FIELDS = frozenset({"settings", "name", "slug"}) | contract.URLWRAPPER_CACHED_FIELDS


def urlwrapper_extra(wrapper: URLWrapper) -> dict:
    """What a plugin added to a Category, Tag or Author besides its name and slug."""
    state = vars(wrapper)
    if state.keys() <= _URLWRAPPER_FIELDS:  # the common case, tested in C
        return {}
    return {k: v for k, v in state.items() if k not in _URLWRAPPER_FIELDS}


class NotPlain(Exception):
    """A value holds an object a strict table does not take (the Fingerprinter digests it)."""


# What a strict table pickles as usual besides content objects and URL wrappers: values whose
# pickle is their whole value (named tuples, Markup, dates and times).
_PLAIN_BASES = (tuple, str, datetime.date, datetime.time, datetime.timedelta, datetime.timezone)
# What a digest through pickle cannot take: the caller digests the value another way.
FAILURES = (NotPlain, pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError)


class Reducers(dict):
    """The pickler's dispatch table (the C pickler looks a type up here, so a ``reducer_override``,
    called for every value, is not needed). ``strict``: any other object raises NotPlain instead
    of pickling as usual."""

    def __init__(self, strict: bool = False):
        super().__init__()
        self.strict = strict

    def __missing__(self, cls: type):
        if issubclass(cls, Content):
            reducer = _content_ref
        elif issubclass(cls, URLWrapper):
            reducer = _wrapper_ref
        elif issubclass(cls, zoneinfo.ZoneInfo):
            reducer = _zone_ref
        elif issubclass(cls, type):
            raise KeyError(cls)  # classes of a metaclass: pickled by name, as usual
        elif not self.strict or issubclass(cls, _PLAIN_BASES):
            reducer = copyreg.dispatch_table.get(cls, _REDUCE_EX)
        else:
            reducer = _refuse
        self[cls] = reducer
        return reducer


def _wrapper_ref(wrapper: URLWrapper) -> tuple:
    return tuple, ((type(wrapper).__qualname__, wrapper.name, wrapper.slug, urlwrapper_extra(wrapper)),)


def _zone_ref(zone: zoneinfo.ZoneInfo) -> tuple:
    """A time zone by its key (every story's date and timezone hold one; its own reduce is Python
    code); one made from a file has no key and pickles as usual."""
    return (str, (f"<ZoneInfo {zone.key}>",)) if isinstance(zone.key, str) else _REDUCE_EX(zone)


def _content_ref(obj: Content) -> tuple:
    # pickled as a call of str, so it differs from a plain string with the same text
    return str, (f"<{type(obj).__qualname__} {obj.source_path}>",)


def _refuse(value: object) -> tuple:
    raise NotPlain(type(value).__qualname__)


_REDUCE_EX = operator.methodcaller("__reduce_ex__", 5)  # what the pickler calls by default
_EMPTY_SET, _FROZENSET = pickle.EMPTY_SET, pickle.FROZENSET  # the opcodes starting a set


class PickledDigest:
    """16-byte digest of a value's pickle (raises one of FAILURES if it has none). One pickler and
    buffer serve every value (made anew after an error).

    No memo ("fast" mode): with it, a string shared by two fields (an interned key) is written
    once, so equal values unpickled from a cache would give other bytes; it also keeps one dump
    independent of the ones before. Cycles raise ValueError."""

    def __init__(self, reducers: Reducers, sets: bool = True):
        """``sets``: False raises NotPlain for a value holding a set, which pickles in the order of
        its strings' hashes, so differently in each process (so does, now and then, a value with
        those opcodes' bytes in its data)."""
        self._reducers = reducers
        self._sets = sets
        self._pickler: pickle.Pickler | None = None

    def __call__(self, value: object) -> bytes:
        if self._pickler is None:
            self._buffer = io.BytesIO()
            self._pickler = pickle.Pickler(self._buffer, protocol=5)
            self._pickler.fast = True
            self._pickler.dispatch_table = self._reducers
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        try:
            self._pickler.dump(value)
        except BaseException:
            self._pickler = None
            raise
        data = buffer.getvalue()
        if not self._sets and (_EMPTY_SET in data or _FROZENSET in data):
            raise NotPlain("a set")
        return hashlib.blake2b(data, digest_size=16).digest()
