"""newsroom_speed's contract with Pelican, Jinja2 and Python-Markdown: every place it reaches inside them.

Only this module names what those libraries keep private or patches them; the rest of the plugin
goes through it, so an upgrade is checked here (tests/test_speed_contract.py) and nowhere else:
- ``SUPPORTED``: the versions it was written for; outside them ``unsupported()`` names the
  library and the plugin stays off for the build (stock Pelican, slower, same site);
- ``PATCHES``: attributes replaced on a class, a module or one object, installed by ``replace``
  and undone when the build's ``build_scope`` ends (a class never keeps a patch after a build);
- ``SWAPS``: objects whose class becomes a subclass (``swap_class``);
- ``PRIVATES``: private fields and functions read, each through an accessor below;
- ``COPIES``: upstream code re-implemented here, with the version it was copied from and the
  digest of that upstream source (the test fails by name when upstream changes it).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import inspect
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from jinja2.utils import _PassArg

SUPPORTED = {  # distribution -> (lowest, first unsupported); the same ranges are pinned in pyproject.toml
    "pelican": ("4.12", "4.13"),
    "jinja2": ("3.1", "3.2"),
    "markdown": ("3.11", "3.12"),
}


class Reach(NamedTuple):
    """One place newsroom_speed touches outside itself."""

    target: str  # dotted path in the upstream library ("module:Class.attribute")
    where: str  # newsroom_speed module that uses it
    why: str


PATCHES = (
    Reach("pelican:Pelican.run", "__init__", "each build runs in a Session (instance, for the Pelican object's life)"),
    Reach("pelican.generators:ArticlesGenerator.generate_tags", "listing", "group lists without a list scan"),
    Reach("pelican.generators:ArticlesGenerator.generate_categories", "listing", "the same, per category"),
    Reach("pelican.generators:ArticlesGenerator.generate_authors", "listing", "the same, per author"),
    Reach("pelican.generators:ArticlesGenerator._build_period_archives", "listing", "period lists, no scan"),
    Reach("pelican.generators:ArticlesGenerator.dates", "listing", "hidden while a group writer runs (instance)"),
    Reach("pelican.generators:process_translations", "listing", "translations grouped before the scan"),
    Reach("pelican.generators:ArticlesGenerator.generate_articles", "article_pages", "unchanged pages deferred"),
    Reach("pelican.generators:ArticlesGenerator.generate_context", "preread", "files read by workers first (instance)"),
    Reach("pelican.generators:PagesGenerator.generate_context", "preread", "the same, for pages (instance)"),
    Reach("pelican.generators:CachingGenerator.get_cached_data", "objects", "the object cache (instance)"),
    Reach("pelican.generators:CachingGenerator.cache_data", "objects", "the object cache (instance)"),
    Reach("pelican.generators:CachingGenerator.save_cache", "objects", "the object cache (instance)"),
    Reach("pelican.readers:get_date", "fastdate", "plain ISO dates without dateutil"),
    Reach("pelican.contents:Content._update_content", "linkscan", "skipped on text that cannot hold a link"),
    Reach("pelican.contents:Content.get_static_links", "linkscan", "the same"),
    Reach("pelican.contents:Content.get_relative_source_path", "pathmemo", "memoised for the build"),
    Reach("pelican.contents:Content.get_url_setting", "urlmemo", "memoised while pages are written"),
    Reach("pelican.utils:SafeDatetime.strftime", "timememo", "memoised for the build"),
    Reach("pelican.log:LimitFilter.filter", "preread", "in a reading worker only: the parent filters records"),
    Reach("jinja2.environment:Environment.getattr", "tracking", "records attribute reads (instance)"),
    Reach("jinja2.environment:Environment.getitem", "tracking", "records item reads (instance)"),
    Reach("jinja2.environment:Environment._load_template", "tracking", "records template files (instance)"),
    Reach("jinja2.environment:Environment.context_class", "tracking", "records names read (instance)"),
    Reach("jinja2.environment:Environment.bytecode_cache", "__init__", "compiled templates kept (instance)"),
    Reach("jinja2.runtime:Macro._invoke", "tracking", "a kept block records the files of the macros it runs"),
    Reach("markdown.treeprocessors:InlineProcessor.run", "markdown_cache", "only patterns a text can match (instance)"),
    Reach("markdown.treeprocessors:InlineProcessor.inlinePatterns", "markdown_cache", "the same (instance)"),
    Reach("newsroom_cleaner.reader:clean_article", "scrape_cache", "cleaned scrapes served from the cache"),
)

SWAPS = (
    Reach("pelican.readers:MarkdownReader", "__init__", "becomes CachedMarkdownReader: cached conversions"),
    Reach("newsroom_cleaner.reader:ScrapedArticleReader", "__init__", "becomes CachedScrapedReader: the same"),
)

PRIVATES = (
    Reach("pelican.contents:Content._content", "versions, objects, linkscan", "a story's body, digested apart"),
    Reach("pelican.contents:Content._context", "versions, recorder, recheck, feeds", "the shared context"),
    Reach("pelican.contents:Content._get_intrasite_link_regex", "versions, linkscan", "Pelican's link regex"),
    Reach("pelican.contents:Content.get_content.cache", "__init__", "Pelican's memo, emptied as a build starts"),
    Reach("pelican.urlwrappers:URLWrapper._name", "pickled", "not digested (name is)"),
    Reach("pelican.urlwrappers:URLWrapper._slug", "pickled", "lazily filled slug"),
    Reach("pelican.urlwrappers:URLWrapper._slug_from_name", "pickled", "not digested (slug is)"),
    Reach("pelican.paginator:Paginator._num_pages", "fingerprint", "lazily filled: not digested"),
    Reach("pelican.paginator:Paginator._count", "fingerprint", "lazily filled: not digested"),
    Reach("pelican.writers:Writer._written_files", "writer", "stock rules for writing a file twice"),
    Reach("pelican.writers:Writer._overridden_files", "writer", "the same"),
    Reach("pelican.writers:Writer._open_w", "feeds", "overridden: feeds go through the output ledger"),
    Reach("pelican.readers:MarkdownReader._md", "markdown_cache", "formatted fields served from the cache"),
    Reach("pelican.readers:MarkdownReader._source_path", "markdown_cache", "set as read() sets it"),
    Reach("pelican.readers:MarkdownReader._parse_metadata", "markdown_cache", "Pelican's own metadata code"),
    Reach("jinja2.utils:_PassArg", "tracking", "a filter asking for the whole context"),
    Reach("jinja2.runtime:Macro._func", "recorder", "the file a macro's code was compiled from"),
    Reach("jinja2.runtime:Macro._environment", "recorder", "the environment that finds what it names"),
    Reach("jinja2.bccache:FileSystemBytecodeCache._get_cache_filename", "sealed", "a compiled template's file"),
    Reach("markdown.util:Registry._priority", "markdown_cache", "a registry's names and priorities"),
    Reach("multiprocessing.pool:Pool.Process", "pool", "overridden: a dead worker is noticed"),
)


class Copy(NamedTuple):
    """Upstream code newsroom_speed re-implements: it must change when upstream's does."""

    upstream: str  # "module:qualified.name"
    version: str  # the release it was copied from
    where: str  # the newsroom_speed function doing the same
    digest: str  # blake2b (16 bytes, hex) of the upstream source as copied


COPIES = (
    Copy("pelican.writers:Writer.write_file", "pelican 4.12.0", "writer.IncrementalWriter.write_file",
         "bd3889644c54dafb2e1074a6f1c4f1e5"),
    Copy("pelican.writers:Writer._open_w", "pelican 4.12.0", "writer.IncrementalWriter._claim",
         "d919a6ec10e27c832ed9e4cbdddcc1a6"),
    Copy("pelican.writers:Writer._add_item_to_the_feed", "pelican 4.12.0", "feeds.FEED_FIELDS",
         "57aa4411b943e698033ac14b6a4728b4"),
    Copy("pelican.utils:get_relative_path", "pelican 4.12.0", "writer._to_root", "dd23f44de830f5a23560a6a303d7d71c"),
    Copy("pelican.generators:ArticlesGenerator.generate_articles", "pelican 4.12.0", "article_pages.write_article",
         "62cacba1b1a398407264dbf51d84bc75"),
    Copy("pelican.generators:ArticlesGenerator.generate_context", "pelican 4.12.0", "preread._read",
         "c7e8843a7c788c985bea77c4de97e742"),
    Copy("pelican.readers:MarkdownReader.read", "pelican 4.12.0", "markdown_cache.render_cached",
         "057dd2e944c1e7d0669c653f206c45b2"),
    Copy("pelican.contents:Content.get_relative_source_path", "pelican 4.12.0", "pathmemo.install",
         "1524ac3c65a80b4a204341ab85dae19e"),
    Copy("pelican.utils:get_date", "pelican 4.12.0", "fastdate.fast_get_date", "b674d90979117e3cd0199ce6a3bd03bf"),
    Copy("jinja2.runtime:Context.resolve_or_missing", "jinja2 3.1.6", "tracking.TrackingContext.resolve_or_missing",
         "21fadb81f5cbfd0088a345e99b808a2c"),
)


# -- versions ------------------------------------------------------------------------------------
def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.match(r"\d+(?:\.\d+)*", version).group().split("."))


def installed_version(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def unsupported() -> list[str]:
    """``name version (written for low to below high)`` for each library outside its range."""
    found = []
    for name, (low, high) in SUPPORTED.items():
        try:
            version = installed_version(name)
            inside = _release(low) <= _release(version) < _release(high)
        except (importlib.metadata.PackageNotFoundError, AttributeError):
            version, inside = "missing", False
        if not inside:
            found.append(f"{name} {version} (written for {low} to below {high})")
    return found


# -- patches -------------------------------------------------------------------------------------
class _Replaced(NamedTuple):
    owner: Any
    name: str
    plain: Any  # the value in the owner's own namespace before, or _ABSENT
    value: Any


_ABSENT = object()
_active: dict[tuple[int, str], _Replaced] = {}
_scopes: list[list[Callable[[], None]]] = []  # one per build in progress (a build may start another)
_DECLARED: dict[str, list[Reach]] = {}
for _reach in PATCHES:
    _DECLARED.setdefault(_reach.target.rsplit(".", 1)[-1].split(":")[-1], []).append(_reach)


def _declared(owner: Any, name: str) -> None:
    """Raise LookupError unless PATCHES declares ``name`` on ``owner`` (a module, a class or its instance)."""
    cls = owner if isinstance(owner, type) else type(owner)
    names = {c.__name__ for c in cls.__mro__} | {getattr(owner, "__name__", "")}
    for reach in _DECLARED.get(name, ()):
        module, path = reach.target.split(":")
        if (path.rsplit(".", 1)[0] if "." in path else module) in names:
            return
    raise LookupError(f"newsroom_speed patches {name!r} on {owner!r}, which contract.PATCHES does not declare")


def replace_for_life(owner: Any, name: str, value: Any) -> None:
    """Set ``owner.name`` (a declared patch of one object) for as long as the object lives."""
    _declared(owner, name)
    setattr(owner, name, value)


def replace(owner: Any, name: str, value: Any) -> Callable[[], None]:
    """Set ``owner.name`` (a declared patch) to ``value``; returns its undo. Inside
    ``build_scope`` it is also undone when the build ends."""
    _declared(owner, name)
    own = owner.__dict__ if hasattr(owner, "__dict__") else {}
    entry = _Replaced(owner, name, own.get(name, _ABSENT), value)
    setattr(owner, name, value)
    _active[id(owner), name] = entry
    return at_build_end(lambda: _undo(entry))


def at_build_end(undo: Callable[[], None]) -> Callable[[], None]:
    """Have ``undo`` run when the build in progress ends (if one is); returns it."""
    if _scopes:
        _scopes[-1].append(undo)
    return undo


def _undo(entry: _Replaced) -> None:
    if _active.get((id(entry.owner), entry.name)) is entry:
        del _active[id(entry.owner), entry.name]
    if entry.plain is _ABSENT:
        with contextlib.suppress(AttributeError):
            delattr(entry.owner, entry.name)
    else:
        setattr(entry.owner, entry.name, entry.plain)


def together(*undos: Callable[[], None]) -> Callable[[], None]:
    """One undo for several patches, undone last first."""

    def undo_all() -> None:
        for undo in reversed(undos):
            undo()

    return undo_all


def replaced(owner: Any, name: str) -> bool:
    """Is ``owner.name`` a patch installed and not undone?"""
    entry = _active.get((id(owner), name))
    return entry is not None and entry.owner is owner


@contextlib.contextmanager
def build_scope() -> Iterator[None]:
    """Every patch ``replace`` installs inside is undone, last first, when the block ends."""
    scope: list[Callable[[], None]] = []
    _scopes.append(scope)
    try:
        yield
    finally:
        _scopes.remove(scope)
        for undo in reversed(scope):
            undo()


@contextlib.contextmanager
def replaced_for(owner: Any, name: str, value: Any) -> Iterator[None]:
    """``owner.name`` (an attribute of the object itself) is ``value`` for the block only."""
    _declared(owner, name)
    plain = owner.__dict__[name]
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, plain)


def swap_class(obj: Any, cls: type) -> None:
    """Make ``obj`` an instance of ``cls``, a subclass of its class declared in SWAPS."""
    if not isinstance(obj, cls.__mro__[1]) or not any(s.target.endswith(":" + cls.__mro__[1].__name__)
                                                       for s in SWAPS):
        raise LookupError(f"newsroom_speed swaps the class of a {type(obj).__name__}, undeclared")
    obj.__class__ = cls


# -- names of private methods patched, and accessors of private fields -----------------------------------------------------------------
UPDATE_CONTENT = "_update_content"  # Content: resolves a text's intrasite links
PERIOD_ARCHIVES = "_build_period_archives"  # ArticlesGenerator: the year/month/day lists
LOAD_TEMPLATE = "_load_template"  # Environment: what extends, import and include call
MACRO_INVOKE = "_invoke"  # Macro: runs a macro's code
BODY_FIELD = "_content"  # Content: the body as read
CONTEXT_FIELD = "_context"  # Content: the shared context
URLWRAPPER_CACHED_FIELDS = frozenset({"_name", "_slug", "_slug_from_name"})
PAGINATOR_CACHED_FIELDS = frozenset({"_num_pages", "_count"})
PASS_CONTEXT = _PassArg.context
context_of = operator.attrgetter(CONTEXT_FIELD)
body_of = operator.attrgetter(BODY_FIELD)
registry_entries = operator.attrgetter("_priority")  # Registry: [(name, priority)] in order
macro_function = operator.attrgetter("_func")
macro_environment = operator.attrgetter("_environment")


def body_or_none(obj: Any) -> Any:
    return getattr(obj, BODY_FIELD, None)


def link_regex(obj: Any):
    """The intrasite-link regex the object's Content class uses."""
    return obj._get_intrasite_link_regex()


def link_regex_function(cls: type) -> Callable:
    return cls._get_intrasite_link_regex


def writer_claims(writer: Any) -> tuple[set, set]:
    """A Writer's (written, overridden) file sets, which its rules for writing twice use."""
    return writer._written_files, writer._overridden_files


def cached_template_path(cache: Any, bucket: Any) -> str:
    return cache._get_cache_filename(bucket)


def set_markdown_source(reader: Any, source_path: str) -> None:
    """What MarkdownReader.read notes first (its metadata warnings name the file)."""
    reader._source_path = source_path


def read_markdown_metadata(reader: Any, converter: Any, meta: dict) -> dict:
    """What MarkdownReader.read does with a document's Meta, with ``converter`` as its Markdown."""
    reader._md = converter
    return reader._parse_metadata(meta)


def load_template_function(env: Any) -> Callable:
    return env._load_template


def memoised_caches(cls: type, names: tuple[str, ...]) -> list[dict]:
    """The dicts Pelican's ``memoized`` keeps on ``cls``'s methods."""
    found = [getattr(cls.__dict__.get(name), "cache", None) for name in names]
    return [cache for cache in found if isinstance(cache, dict)]


# -- checks (the contract test) ------------------------------------------------------------------
def resolve(target: str) -> Any:
    """The object a ``module:path`` names (AttributeError if it is gone)."""
    module, path = target.split(":")
    value = importlib.import_module(module)
    for part in path.split("."):
        value = getattr(value, part)
    return value


def private_present(target: str) -> bool:
    """Is the declared private still there: an attribute of its owner, or a field its owner's
    code (or a base's) assigns to ``self``?"""
    owner_path, name = target.rsplit(".", 1)
    try:
        resolve(target)
        return True
    except AttributeError:
        pass
    owner = resolve(owner_path)
    pattern = re.compile(rf"\bself\.{re.escape(name)}\s*(:[^=]*)?=")
    return any(pattern.search(inspect.getsource(cls)) for cls in owner.__mro__ if cls is not object)


def source_digest(target: str) -> str:
    return hashlib.blake2b(inspect.getsource(resolve(target)).encode(), digest_size=16).hexdigest()
