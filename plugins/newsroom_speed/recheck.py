"""A page's record checked against this build: the digest it would have now, from the same
names, attributes and content objects read again."""

from __future__ import annotations

from typing import Any, Callable

from jinja2 import Environment
from jinja2.runtime import missing
from pelican.contents import Content

from . import contract
from .fingerprint import Fingerprinter, Volatile, combine
from .recorder import MISSING_DIGEST, NO_SITEURL, TEMPLATE_FILE, WHOLE, shape, whole_state
from .records import Reads
from .versions import Versions


def current_digest(
    record: Reads,
    lookup: Callable[[str], Any],
    contents: dict[str, Content],
    fp: Fingerprinter,
    memo: dict,
    versions: Versions,
    siteurl: Any,
    shared: tuple | None = None,
    own_digest: bytes | None = None,
) -> bytes | None:
    """The digest ``record`` would have now, or None if something it read is gone, volatile or
    (for covered objects, compared first as it is cheap) changed.

    ``memo`` caches digests across pages of one build: attributes (the same article is read by
    many listing pages) and names. ``shared``: (scopes, own names) of a page whose names come
    from ``scopes`` (objects shared with other pages, e.g. the site context) unless they are
    among its ``own``; the digest of the shared ones is then taken once for all such pages.
    ``own_digest``: the digest of the own names, if the caller knows they are as last time.
    """
    names, attrs, objects = record.names, record.attrs, record.objects
    if not versions.unchanged(objects, contents):
        return None
    try:
        digests = _names_digests(names, lookup, fp, memo, shared, own_digest)
        for key in attrs:
            digest = _attr_now(key, contents, fp, memo)
            if digest is MISSING_DIGEST:
                return None
            digests.append(digest)
        if objects:
            digests.append(fp.digest(siteurl))
    except (Volatile, LookupError, TypeError):
        return None
    return combine(digests)


def reads_current(names: dict, attrs: dict, lookup: Callable[[str], Any], contents: dict[str, Content],
                  fp: Fingerprinter, memo: dict) -> bool:
    """Are the names and attributes a Recorder read (path or key -> digest then) as they are
    now, for a page whose context is ``lookup``? (Covered objects are the caller's to check.)"""
    try:
        return all(_name_digest(path, lookup, fp, memo) == digest for path, digest in names.items()) and all(
            _attr_now(key, contents, fp, memo) == digest for key, digest in attrs.items())
    except (Volatile, LookupError, TypeError):
        return False


def _attr_now(key: tuple, contents: dict[str, Content], fp: Fingerprinter, memo: dict) -> bytes:
    digest = memo.get(key)
    if digest is None:
        digest = memo[key] = _attr_digest(key, contents, fp)
    return digest


def _names_digests(names: tuple, lookup: Callable[[str], Any], fp: Fingerprinter, memo: dict,
                   shared: tuple | None, own_digest: bytes | None) -> list[bytes]:
    """[digest of the shared names, digest of the own names], as ``Recorder.record`` makes them."""
    if shared is None:
        return [combine([_name_digest(path, lookup, fp, memo) for path in names]), combine([])]
    scopes, own = shared
    # (Name paths end in a str, attribute keys in None or a tuple, so they share ``memo``.)
    key = ("names", id(names), *map(id, scopes), own)
    hit = memo.get(key)
    if hit is None or hit[0] is not names or any(a is not b for a, b in zip(hit[1], scopes)):
        common = combine([_name_digest(path, lookup, fp, memo) for path in names if path[0] not in own])
        hit = memo[key] = (names, scopes, common, [path for path in names if path[0] in own])
    if own_digest is None:
        own_digest = combine([_name_digest(path, lookup, fp, memo) for path in hit[3]])
    return [hit[2], own_digest]


def _name_digest(path: tuple, lookup: Callable[[str], Any], fp: Fingerprinter, memo: dict) -> bytes:
    key, *steps, kind = path
    if kind == TEMPLATE_FILE:
        return fp.file(key)
    value = lookup(key)
    for step in steps:
        value = value[step]
    # Most names hold the same object on every page: digest it once.
    hit = memo.get(path)
    if hit is not None and hit[0] is value:
        return hit[1]
    if value is missing:
        digest = MISSING_DIGEST
    else:
        digest = fp.derived("shape", value, shape) if kind == "shape" else fp.digest(
            type(value) if kind == "type" else value)
    memo[path] = (value, digest)
    return digest


def _attr_digest(key: tuple, contents: dict[str, Content], fp: Fingerprinter) -> bytes:
    path, attribute, siteurl, args = key
    obj = contents.get(path)
    if obj is None:
        return MISSING_DIGEST
    context = contract.context_of(obj)
    saved = context.get("localsiteurl")
    if siteurl != NO_SITEURL:
        context["localsiteurl"] = siteurl
    try:
        if attribute == WHOLE:
            return fp.digest(whole_state(obj))
        value = Environment.getattr(_ENV, obj, attribute)
        return fp.digest(value(*args) if args is not None else value)
    finally:
        context["localsiteurl"] = saved


_ENV = Environment()  # only for Jinja's getattr fallback rules (attribute, then item, then Undefined)
