"""The reads of one page render, recorded as digests (the hooks in tracking.py call it), and the
template files a template names, which a kept block depends on."""

from __future__ import annotations

import functools
import os
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Callable

from jinja2 import Environment, TemplateError, meta
from jinja2.runtime import Macro, missing
from pelican.contents import Content

from . import contract, interface
from .fingerprint import Fingerprinter, Volatile, combine
from .records import BlockReads, Reads
from .versions import LINKS, links_elsewhere

WHOLE = "*"  # pseudo-attribute: every attribute of a content object
TEMPLATE_FILE = "template file"  # kind of a recorded name: (path of a template file, TEMPLATE_FILE)
MISSING_DIGEST = b"\0missing"


class Recorder:
    """The reads of one page render, as digests."""

    def __init__(
        self,
        fingerprinter: Fingerprinter,
        lookup: Callable[[str], Any],
        covered: Callable[[Content], bool] = lambda obj: False,
        siteurl: Any = None,
        block: bool = False,
    ):
        """``covered``: objects checked whole by their field digest (versions.py); ``siteurl``:
        the site URL content objects see during this render; ``block``: this records a block
        (blocks.py), which also records the file of each macro it calls."""
        self.fp = fingerprinter
        self.block = block
        # a block: False if the files of its code are not all known (or macro calls are not seen)
        self.keepable = contract.replaced(Macro, contract.MACRO_INVOKE)
        self.lookup = lookup
        self.covered = covered
        self.siteurl = siteurl
        self.names: dict[tuple, bytes] = {}  # (name, *indices, kind) -> digest
        self.attrs: dict[tuple, bytes] = {}
        self.objects: set[str] = set()  # source paths of covered objects read
        self._covered_ids: set[int] = set()  # the same objects, for a one-lookup repeat read
        self.volatile: str | None = None
        self._views: dict[str, tuple[Any, Any]] = {}  # name -> (value, what the template got)

    def name(self, key: str, value: Any) -> Any:
        """Record a top-level name; returns what the template gets in its place.

        A list of content objects (``articles``, ``dates``...) becomes a ContentSeq that records
        its membership only if the template looks inside; in a list of groups such as
        ``categories`` = [(Category, [articles])] only the groups are recorded up front, so a
        menu listing sections does not depend on which articles each section holds.
        """
        if key in self._views:
            return self._views[key][1]
        plain = self.fp.names.get(key)  # most names hold the same value on every page
        if plain is not None and plain[0] is value:
            self.names.setdefault(plain[1], plain[2])
            self._views[key] = value, value
            return value
        view = value
        is_list = isinstance(value, list)  # most names hold a string: no list checks, no hasattr
        if is_list and _is_content_list(value):
            view = ContentSeq(value, self, (key,))
        elif interface.caches_blocks(value):
            # a block cache: its contents vary, its code does not
            self._put((key, "type"), lambda: self.fp.digest(type(value)))
        elif is_list and _is_grouped(value):
            self._put((key, "shape"), lambda: self.fp.derived("shape", value, shape))
            view = [
                tuple(ContentSeq(x, self, (key, i, j)) if _is_content_list(x) else x for j, x in enumerate(group))
                for i, group in enumerate(value)
            ]
        else:
            path, digest = self._put((key, "value"), lambda: MISSING_DIGEST if value is missing else self.fp.digest(value))
            if digest is not None:
                self.fp.names[key] = value, path, digest
        self._views[key] = value, view
        return view

    def _put(self, path: tuple, digest: Callable[[], bytes]) -> tuple[tuple, bytes | None]:
        """Record ``path`` with ``digest()`` unless it is recorded; returns the path as recorded
        and the digest if it was made here (None: recorded before, or no digest)."""
        path = _interned.setdefault(path, path)  # shared, so the saved records stay small
        made = None
        if path not in self.names:
            try:
                made = self.names[path] = digest()
            except Volatile as error:
                self.volatile = str(error)
                self.names[path] = MISSING_DIGEST
        return path, made

    def template(self, template: Any) -> None:
        """Record a template the page is made of, by its file's bytes."""
        filename = getattr(template, "filename", None)
        if not filename:
            self.volatile = f"template {template.name!r} has no file"
            return
        self._template_file(filename, template.environment)

    def macro(self, macro: Macro) -> None:
        """Record, in a block, the template file whose code a called macro runs (Jinja compiles a
        template's code under its file's name; a template made from a string has none)."""
        code = getattr(contract.macro_function(macro), "__code__", None)  # Jinja's compiled macro
        filename = getattr(code, "co_filename", "")
        if not os.path.isabs(filename):
            self.keepable = False
            return
        self._template_file(filename, contract.macro_environment(macro))

    def _template_file(self, filename: str, env: Environment | None) -> None:
        filename = os.path.abspath(filename)
        self._put((filename, TEMPLATE_FILE), lambda: self.fp.file(filename))
        if self.block:
            named = referenced_files(env, filename)
            if named is None:
                self.keepable = False
                return
            for path in named:
                self._put((path, TEMPLATE_FILE), functools.partial(self.fp.file, path))

    def covered_read(self, obj: Content) -> bool:
        """Record a read of ``obj`` as the object itself if versions.py covers it."""
        if id(obj) in self._covered_ids:
            return True
        if self.covered(obj):
            self._covered_ids.add(id(obj))
            self.objects.add(obj.source_path)
            return True
        return False

    def attr(self, obj: Content, attribute: str, value: Any, args: tuple | None = None) -> None:
        if self.covered_read(obj):
            if links_elsewhere(value):
                self.objects.add(obj.source_path + LINKS)
            return
        key = (obj.source_path, attribute, _siteurl_for(obj, attribute), args)
        if key not in self.attrs:
            self.attrs[key] = self._digest(value)

    def whole(self, obj: Content) -> None:
        if self.covered_read(obj):
            self.objects.add(obj.source_path + LINKS)
            return
        key = (obj.source_path, WHOLE, contract.context_of(obj).get("localsiteurl"), None)
        if key not in self.attrs:
            self.attrs[key] = self._digest(whole_state(obj))

    def _digest(self, value: Any) -> bytes:
        if value is missing:
            return MISSING_DIGEST
        try:
            return self.fp.digest(value)
        except Volatile as error:
            self.volatile = str(error)
            return MISSING_DIGEST

    def reads(self) -> BlockReads:
        """Everything recorded so far, for ``replay`` into another page's recorder."""
        return BlockReads(dict(self.names), dict(self.attrs), frozenset(self.objects), self.volatile)

    def replay(self, reads: BlockReads) -> None:
        """Record ``reads`` (of another recorder) as made by this page too."""
        names, attrs, objects, volatile = reads
        for table, found in ((self.names, names), (self.attrs, attrs)):
            for key, digest in found.items():
                table.setdefault(key, digest)
        self.objects.update(objects)
        self.volatile = self.volatile or volatile

    def record(self, own: frozenset = frozenset()) -> Reads | None:
        """What the page read (names, attribute keys, covered objects, their digest and the digest
        of its own names), or None if the page must always be rendered. ``own``: the names the page has apart from the context
        it shares with other pages (its arguments, e.g. ``article``); the digest combines the
        shared names', the own names' (each as one digest), the attributes' and the site URL's."""
        if self.volatile:
            return None
        names = tuple(self.names)
        names, attrs, objects = _interned.setdefault(names, names), tuple(self.attrs), tuple(sorted(self.objects))
        mine = combine([digest for path, digest in self.names.items() if path[0] in own])
        common = combine([digest for path, digest in self.names.items() if path[0] not in own])
        digests = [common, mine, *self.attrs.values()]
        if objects:
            digests.append(self._digest(self.siteurl))
        return Reads(names, attrs, objects, combine(digests), mine)


# Jinja environment -> referenced_files' memo (template file -> the files it names), for its build
referenced_memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_interned: dict[tuple, tuple] = {}


def compact(record: Reads | None) -> Reads | None:
    """The same record with its name tuples shared with other pages' (records come back from
    pool workers as separate copies; shared tuples are pickled once)."""
    if record is None:
        return None
    names = tuple(_interned.setdefault(path, path) for path in record.names)
    attrs = tuple(_interned.setdefault(key, key) for key in record.attrs)
    objects = tuple(_interned.setdefault(path, path) for path in record.objects)
    return Reads(_interned.setdefault(names, names), attrs, objects, record.digest, record.own_digest)


# Pelican's own properties that derive from an object's fields and the settings only; content
# and summary (and anything a plugin defines) also depend on the page's site URL.
_PURE_PROPERTIES = frozenset({"url", "save_as", "url_format", "status", "relative_dir"})
NO_SITEURL = "\0any"


def _siteurl_for(obj: Content, attribute: str) -> Any:
    """The site URL a read depends on, or a marker if it does not depend on any (fewer re-checks)."""
    if attribute in vars(obj) or (attribute in _PURE_PROPERTIES and type(obj).__module__ == "pelican.contents"):
        return NO_SITEURL
    return contract.context_of(obj).get("localsiteurl")


def _is_content_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Content)


def _is_grouped(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and isinstance(value[0], tuple)
        and any(_is_content_list(x) for x in value[0])
    )


def shape(value: list) -> list:
    """A list of groups with each list of content objects replaced by a marker."""
    return [tuple("<contents>" if _is_content_list(x) else x for x in group) for group in value]


class ContentSeq(Sequence):
    """A list of content objects whose membership is recorded when a template looks inside."""

    def __init__(self, items: list, recorder: Recorder, path: tuple):
        self._items, self._recorder, self._path = items, recorder, path + ("value",)

    def _touch(self) -> list:
        self._recorder._put(self._path, lambda: self._recorder.fp.digest(self._items))
        return self._items

    def __len__(self) -> int:
        return len(self._touch())

    def __getitem__(self, index):
        return self._touch()[index]

    def __iter__(self):
        return iter(self._touch())

    def __reversed__(self):
        return reversed(self._touch())

    def __contains__(self, item) -> bool:
        return item in self._touch()

    def __eq__(self, other) -> bool:
        return self._touch() == (list(other) if isinstance(other, ContentSeq) else other)

    def __add__(self, other) -> list:
        return self._touch() + list(other)

    def __repr__(self) -> str:
        return repr(self._touch())



def whole_state(obj: Content) -> tuple:
    """Everything a Python function could read from a content object, minus the shared context."""
    state = {k: v for k, v in vars(obj).items() if k != contract.CONTEXT_FIELD}
    return state, obj.content, obj.summary, obj.url, obj.save_as


def referenced_files(env: Environment | None, filename: str) -> tuple[str, ...] | None:
    """The files of the templates ``filename`` names (import, from, include, extends), theirs
    included, as ``env``'s loader finds them; None if one is named by an expression, is not
    found, or names resolve relative to the template (a custom ``join_path``)."""
    memo = referenced_memo.get(env) if env is not None else None
    if memo is None or type(env).join_path is not Environment.join_path:
        return None
    if filename not in memo:
        memo[filename] = ()  # a cycle of templates ends here
        memo[filename] = _named_files(env, filename)
    return memo[filename]


def find_referenced_files(templates: Iterable[Any]) -> None:
    """``referenced_files`` of these page templates, so of the files they name too (the macros
    whose code blocks run), found before render workers fork: each worker would parse them again."""
    for template in templates:
        if template.filename:
            referenced_files(template.environment, os.path.abspath(template.filename))


def _named_files(env: Environment, filename: str) -> tuple[str, ...] | None:
    try:
        with open(filename, encoding="utf-8") as f:
            names = list(meta.find_referenced_templates(env.parse(f.read())))
        found = []
        for name in names:
            path = env.loader.get_source(env, name)[1] if name is not None and env.loader else None
            nested = referenced_files(env, os.path.abspath(path)) if path else None
            if nested is None:
                return None
            found += [os.path.abspath(path), *nested]
        return tuple(dict.fromkeys(found))
    except (OSError, UnicodeDecodeError, TemplateError):
        return None


