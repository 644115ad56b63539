"""What a template read while rendering one page, recorded so the page is skipped next time
unless one of those things changed.

Four hooks on the Jinja environment see every read a template makes of Pelican data, and the
templates it is made of:
- the context class records each top-level name taken from the page's context (``articles``,
  ``article``, ``SITENAME``...), with a digest of its value (content objects inside are leaves);
- ``Environment.getattr``/``getitem`` record each attribute read from a content object
  (``article.title``, ``article.content`` at the page's site URL, ``article.get_content(x)``);
- theme/plugin filters, tests and globals that receive a content object record the whole
  object, as they may read any of it in Python where no hook sees it; a global caching
  rendered blocks (``reads_hooks``, the theme's ``fragment``) instead reports, each time it
  reuses a block, what the block read when rendered;
- the environment's template loading, through which ``extends``, ``import`` and ``include`` fetch a
  template, records each template file a page is made of (with the page's own template): after
  a template edit only the pages made with that file are rendered again. A block kept between
  builds (blocks.py) records the files whose code it ran: each template fetched while it
  rendered, and the file of each macro it called (Jinja's macro call, its ``caller`` included),
  with the templates those files name (``import``, ``from``, ``include``, ``extends``: a value
  set in one, and imported, is used without running its code), so it is reused after an edit of
  any other template.
Checking a record means re-reading exactly those things from the new build and comparing one
combined digest; Jinja's own filters read attributes through ``getattr``/``getitem`` (tracked).
Reads of an object that versions.py covers are recorded as the object's path alone: the page
is then checked with the object's field digest, and the page's site URL is part of the record.
A read of its fields linking to other content, which that digest leaves out, is recorded as
the path plus ``versions.LINKS``: the page is checked with the digest of those fields too.
"""

from __future__ import annotations

import functools
import os
import types
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, Callable

from jinja2 import Environment, TemplateError, meta
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_NAMESPACE, DEFAULT_TESTS
from jinja2.runtime import Context, Macro, missing
from pelican.contents import Content

from . import contract
from .fingerprint import Fingerprinter, Volatile, combine
from .versions import LINKS, NEVER_LINKS, Versions, links_elsewhere

WHOLE = "*"  # pseudo-attribute: every attribute of a content object
TEMPLATE_FILE = "template file"  # kind of a recorded name: (path of a template file, TEMPLATE_FILE)
_MISSING = b"\0missing"
_SIMPLE_ARGS = (str, int, float, bool, type(None))
_METHODS = (types.MethodType, types.BuiltinMethodType, functools.partial)  # e.g. get_content


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
        elif type(value) is not str and hasattr(value, "reads_hooks"):
            # a block cache: its contents vary, its code does not
            self._put((key, "type"), lambda: self.fp.digest(type(value)))
        elif is_list and _is_grouped(value):
            self._put((key, "shape"), lambda: self.fp.derived("shape", value, _shape))
            view = [
                tuple(ContentSeq(x, self, (key, i, j)) if _is_content_list(x) else x for j, x in enumerate(group))
                for i, group in enumerate(value)
            ]
        else:
            path, digest = self._put((key, "value"), lambda: _MISSING if value is missing else self.fp.digest(value))
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
                self.names[path] = _MISSING
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
            return _MISSING
        try:
            return self.fp.digest(value)
        except Volatile as error:
            self.volatile = str(error)
            return _MISSING

    def reads(self) -> tuple:
        """Everything recorded so far, for ``replay`` into another page's recorder."""
        return dict(self.names), dict(self.attrs), frozenset(self.objects), self.volatile

    def replay(self, reads: tuple) -> None:
        """Record ``reads`` (of another recorder) as made by this page too."""
        names, attrs, objects, volatile = reads
        for table, found in ((self.names, names), (self.attrs, attrs)):
            for key, digest in found.items():
                table.setdefault(key, digest)
        self.objects.update(objects)
        self.volatile = self.volatile or volatile

    def record(self, own: frozenset = frozenset()) -> tuple | None:
        """(names, attribute keys, covered objects, digest, digest of its own names), or None if
        the page must always be rendered. ``own``: the names the page has apart from the context
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
        return names, attrs, objects, combine(digests), mine


_current: Recorder | None = None
# Jinja environment -> referenced_files' memo (template file -> the files it names), for its build
_referenced: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_blocks: Any = None  # the build's blocks.BlockStore while pages render (use_blocks)
_interned: dict[tuple, tuple] = {}


def compact(record: tuple | None) -> tuple | None:
    """The same record with its name tuples shared with other pages' (records come back from
    pool workers as separate copies; shared tuples are pickled once)."""
    if record is None:
        return None
    names = tuple(_interned.setdefault(path, path) for path in record[0])
    attrs = tuple(_interned.setdefault(key, key) for key in record[1])
    objects = tuple(_interned.setdefault(path, path) for path in record[2])
    return _interned.setdefault(names, names), attrs, objects, *record[3:]


# Pelican's own properties that derive from an object's fields and the settings only; content
# and summary (and anything a plugin defines) also depend on the page's site URL.
_PURE_PROPERTIES = frozenset({"url", "save_as", "url_format", "status", "relative_dir"})
_NO_SITEURL = "\0any"


def _siteurl_for(obj: Content, attribute: str) -> Any:
    """The site URL a read depends on, or a marker if it does not depend on any (fewer re-checks)."""
    if attribute in vars(obj) or (attribute in _PURE_PROPERTIES and type(obj).__module__ == "pelican.contents"):
        return _NO_SITEURL
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


def _shape(value: list) -> list:
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


def recording(recorder: Recorder | None) -> None:
    """Make ``recorder`` receive the reads of the render that follows (None: stop)."""
    global _current
    _current = recorder


def capture(key: tuple, render: Callable[[], str]) -> tuple[str, tuple | None]:
    """A block for the page being rendered: (html, what it read), the page having read it too.
    Taken from the blocks kept by the last build if it read the same (``use_blocks``), else
    rendered with its reads recorded apart."""
    page = _current
    if page is None:
        return render(), None
    kept = _blocks.reuse(key, page) if _blocks is not None else None
    if kept is not None:
        page.replay(kept[1])
        return kept
    block = Recorder(page.fp, page.lookup, page.covered, page.siteurl, block=True)
    recording(block)
    try:
        html = render()
    finally:
        recording(page)
    reads = block.reads()
    page.replay(reads)
    if _blocks is not None and not block.volatile and block.keepable:
        _blocks.keep(key, page, html, reads)
    return html, reads


def use_blocks(blocks: Any) -> None:
    """Reuse and keep rendered blocks through ``blocks`` (a blocks.BlockStore; None: stop)."""
    global _blocks
    _blocks = blocks


def blocks_taken() -> tuple[list, int]:
    """The blocks rendered and the number reused since the last call (``BlockStore.take``)."""
    return _blocks.take() if _blocks is not None else ([], 0)


def replay(reads: tuple | None) -> None:
    """A block rendered before is reused by the page being rendered: it read the same."""
    page = _current
    if page is not None:
        if reads is None:  # rendered while nothing was recorded: its reads are unknown
            page.volatile = "a reused block's reads are unknown"
        else:
            page.replay(reads)


def whole_state(obj: Content) -> tuple:
    """Everything a Python function could read from a content object, minus the shared context."""
    state = {k: v for k, v in vars(obj).items() if k != contract.CONTEXT_FIELD}
    return state, obj.content, obj.summary, obj.url, obj.save_as


class _TrackedCall:
    """A content object's method as a template sees it: the call and its result are recorded."""

    def __init__(self, recorder: Recorder, obj: Content, attribute: str, method: Callable):
        self._recorder, self._obj, self._attribute, self._method = recorder, obj, attribute, method

    def __call__(self, *args, **kwargs):
        result = self._method(*args, **kwargs)
        if kwargs or not all(isinstance(a, _SIMPLE_ARGS) for a in args):
            self._recorder.volatile = f"{self._attribute}() called with complex arguments"
        else:
            self._recorder.attr(self._obj, self._attribute, result, args)
        return result


def _content_read(obj: Content, attribute: Any, value: Any) -> Any:
    recorder = _current
    if recorder is None or not isinstance(attribute, str):
        return value
    # the common case first, without calls: an object already read, a value that is no link
    if (id(obj) in recorder._covered_ids or recorder.covered_read(obj)) and (
            type(value) in NEVER_LINKS or not links_elsewhere(value)):
        return value
    if isinstance(value, _METHODS):
        return _TrackedCall(recorder, obj, attribute, value)
    recorder.attr(obj, attribute, value)
    return value


class TrackingContext(Context):
    """Jinja context that reports names read from the page's own context."""

    def resolve_or_missing(self, key: str) -> Any:
        # Jinja's Context.resolve_or_missing, inlined: a page resolves some 75 names, and a
        # Python call less for each is 1-2% of a cold build's rendering
        if key in self.vars:  # template-local variables are derived, not inputs
            return self.vars[key]
        value = self.parent[key] if key in self.parent else missing
        recorder = _current
        if recorder is None:
            return value
        seen = recorder._views.get(key)  # a page resolves the same names again and again
        if seen is not None and seen[0] is value:
            return seen[1]
        if recorder.lookup(key) is value:
            return recorder.name(key, value)
        return value


def _watch_arguments(function: Callable) -> Callable:
    """Wrap a theme or plugin filter/test/global so content objects passed to it are recorded whole."""
    if getattr(function, "jinja_pass_arg", None) is contract.PASS_CONTEXT:

        @functools.wraps(function)
        def whole_context(*args, **kwargs):
            if _current is not None:
                _current.volatile = f"{getattr(function, '__name__', function)} reads the whole context"
            return function(*args, **kwargs)

        whole_context.newsroom_watched = True
        return whole_context

    @functools.wraps(function)
    def watched(*args, **kwargs):
        if _current is not None:
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, Content):
                    _current.whole(arg)
                elif isinstance(arg, (list, tuple)):
                    for item in arg:
                        if isinstance(item, Content):
                            _current.whole(item)
        return function(*args, **kwargs)

    watched.newsroom_watched = True
    return watched


def install(env: Environment) -> None:
    """Add the recording hooks to a generator's Jinja environment; called again before pages are
    rendered, so filters and globals other plugins added after the first call are watched too."""
    _watch_functions(env)
    if contract.replaced(env, "context_class"):
        return
    _referenced[env] = {}
    plain_getattr, plain_getitem = env.getattr, env.getitem
    contract.replace(env, "getattr", lambda obj, attribute: (
        _content_read(obj, attribute, plain_getattr(obj, attribute))
        if isinstance(obj, Content)
        else plain_getattr(obj, attribute)
    ))
    contract.replace(env, "getitem", lambda obj, argument: (
        _content_read(obj, argument, plain_getitem(obj, argument))
        if isinstance(obj, Content)
        else plain_getitem(obj, argument)
    ))
    contract.replace(env, "context_class", TrackingContext)
    plain_load = contract.load_template_function(env)

    def load_template(name, globals):
        template = plain_load(name, globals)
        if _current is not None:
            _current.template(template)
        return template

    contract.replace(env, contract.LOAD_TEMPLATE, load_template)
    _watch_macros()


def referenced_files(env: Environment | None, filename: str) -> tuple[str, ...] | None:
    """The files of the templates ``filename`` names (import, from, include, extends), theirs
    included, as ``env``'s loader finds them; None if one is named by an expression, is not
    found, or names resolve relative to the template (a custom ``join_path``)."""
    memo = _referenced.get(env) if env is not None else None
    if memo is None or type(env).join_path is not Environment.join_path:
        return None
    if filename not in memo:
        memo[filename] = ()  # a cycle of templates ends here
        memo[filename] = _named_files(env, filename)
    return memo[filename]


def find_referenced_files(templates: Iterable[Any]) -> None:
    """``referenced_files`` of these page templates, so of the files they name too (the macros
    whose code blocks run), found before render workers fork: each worker would parse them again
    (5 ms for the theme's macros; a cold 5,000-article build forked 23 workers that did)."""
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


def _watch_macros() -> None:
    """Have a block being recorded note the file of each macro it calls (once per process: Macro
    is Jinja's class, shared by every environment)."""
    if contract.replaced(Macro, contract.MACRO_INVOKE):
        return
    plain_invoke = getattr(Macro, contract.MACRO_INVOKE)

    def invoke(self, arguments, autoescape):
        recorder = _current
        if recorder is not None and recorder.block:
            recorder.macro(self)
        return plain_invoke(self, arguments, autoescape)

    contract.replace(Macro, contract.MACRO_INVOKE, invoke)


def _watch_functions(env: Environment) -> None:
    for table, builtins in ((env.filters, DEFAULT_FILTERS), (env.tests, DEFAULT_TESTS)):
        for name, function in list(table.items()):
            if builtins.get(name) is not function and not getattr(function, "newsroom_watched", False):
                table[name] = _watch_arguments(function)
    for name, value in list(env.globals.items()):
        if hasattr(value, "reads_hooks"):
            value.reads_hooks = (capture, replay)
        elif (
            callable(value)
            and DEFAULT_NAMESPACE.get(name) is not value
            and not isinstance(value, type)
            and not getattr(value, "newsroom_watched", False)
        ):
            env.globals[name] = _watch_arguments(value)


def current_digest(
    record: tuple,
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
    names, attrs, objects = record[:3]
    if not versions.unchanged(objects, contents):
        return None
    try:
        digests = _names_digests(names, lookup, fp, memo, shared, own_digest)
        for key in attrs:
            digest = _attr_now(key, contents, fp, memo)
            if digest is _MISSING:
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
        digest = _MISSING
    else:
        digest = fp.derived("shape", value, _shape) if kind == "shape" else fp.digest(
            type(value) if kind == "type" else value)
    memo[path] = (value, digest)
    return digest


def _attr_digest(key: tuple, contents: dict[str, Content], fp: Fingerprinter) -> bytes:
    path, attribute, siteurl, args = key
    obj = contents.get(path)
    if obj is None:
        return _MISSING
    context = contract.context_of(obj)
    saved = context.get("localsiteurl")
    if siteurl != _NO_SITEURL:
        context["localsiteurl"] = siteurl
    try:
        if attribute == WHOLE:
            return fp.digest(whole_state(obj))
        value = Environment.getattr(_ENV, obj, attribute)
        return fp.digest(value(*args) if args is not None else value)
    finally:
        context["localsiteurl"] = saved


_ENV = Environment()  # only for Jinja's getattr fallback rules (attribute, then item, then Undefined)
