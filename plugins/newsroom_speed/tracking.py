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
import types
from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_NAMESPACE, DEFAULT_TESTS
from jinja2.runtime import Context, Macro, missing
from pelican.contents import Content

from . import contract, interface
from .recheck import current_digest, reads_current
from .recorder import TEMPLATE_FILE, WHOLE, Recorder, compact, find_referenced_files, referenced_files, referenced_memo
from .records import BlockReads
from .versions import NEVER_LINKS, links_elsewhere

# The hooks are here; what they record, and how a record is checked, are recorder.py's and recheck.py's.
__all__ = ["TEMPLATE_FILE", "WHOLE", "Recorder", "capture", "compact", "current_digest", "find_referenced_files",
           "install", "reads_current", "recording", "referenced_files", "replay", "use_blocks", "blocks_taken",
           "missing"]

_SIMPLE_ARGS = (str, int, float, bool, type(None))
_METHODS = (types.MethodType, types.BuiltinMethodType, functools.partial)  # e.g. get_content

_current: Recorder | None = None
_blocks: Any = None  # the build's blocks.BlockStore while pages render (use_blocks)

def recording(recorder: Recorder | None) -> None:
    """Make ``recorder`` receive the reads of the render that follows (None: stop)."""
    global _current
    _current = recorder


def capture(key: tuple, render: Callable[[], str]) -> tuple[str, BlockReads | None]:
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


def replay(reads: BlockReads | None) -> None:
    """A block rendered before is reused by the page being rendered: it read the same."""
    page = _current
    if page is not None:
        if reads is None:  # rendered while nothing was recorded: its reads are unknown
            page.volatile = "a reused block's reads are unknown"
        else:
            page.replay(reads)


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
        # Jinja's Context.resolve_or_missing, inlined (contract.COPIES): a page resolves many
        # names, and this is the hottest call of rendering
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
    referenced_memo[env] = {}
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
        if interface.caches_blocks(value):
            interface.connect_block_cache(value, capture, replay)
        elif (
            callable(value)
            and DEFAULT_NAMESPACE.get(name) is not value
            and not isinstance(value, type)
            and not getattr(value, "newsroom_watched", False)
        ):
            env.globals[name] = _watch_arguments(value)


