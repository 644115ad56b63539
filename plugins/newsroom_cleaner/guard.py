"""Site-wide guard: one content file's metadata can cost that file a log line, never the build.

For every content object (scraped, hand-written, article, page, draft):
- ``lang`` must be a language tag (``langtag.language_tag``), else DEFAULT_LANG;
- ``slug`` and the other text values that ``*_URL``/``*_SAVE_AS`` patterns interpolate must be
  one path segment (no ``/``, ``\\``, ``.``, ``..``), else they are slugified;
- its output path and URL must be its own: a story that would overwrite another story's page,
  or one of the site's listing pages or feeds, gets the first free ``-2``, ``-3``... slug;
- ``Template:`` must name a template the theme has, else the default one of its kind is used.
Each fix is one log line naming the file (both files for a collision), on every build.

Where: lang and slug are fixed as the object is made (``content_object_init``), before Pelican
validates its output path, so content caches keep the fixed object and the lines saying so.
Collisions are settled in ``process_translations``, the first point where Pelican has all of a
generator's objects, read or cached, and where it groups them by slug (the default translation
id): settled after it (``article_generator_pretaxonomy``), two same-slug stories would stay each
other's translations, with Pelican's own two warnings. They are settled on every build, on the
build's objects, after content caches stored them, so a cold, a cached and an incremental build
agree, and a story keeps no suffix once its twin is gone. Templates are checked once the
generator has read everything (it knows the theme's templates), before anything is rendered.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import posixpath
import re
import string
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from pelican import generators, signals
from pelican.contents import Article, Content, Page
from pelican.generators import PelicanTemplateNotFound
from pelican.utils import slugify

from .langtag import language_tag

logger = logging.getLogger(__name__)

# strftime directives of a URL pattern, as the text they make (others: anything in one segment).
_DIRECTIVES = {"Y": r"\d{4}", "m": r"\d{2}", "d": r"\d{2}", "H": r"\d{2}", "M": r"\d{2}", "y": r"\d{2}",
               "j": r"\d{3}"}
_ANY = r"[^/]+"
# Listing pages with a URL pattern of their own (the direct templates are added by name).
_LISTINGS = ("TAG_SAVE_AS", "CATEGORY_SAVE_AS", "AUTHOR_SAVE_AS", "YEAR_ARCHIVE_SAVE_AS",
             "MONTH_ARCHIVE_SAVE_AS", "DAY_ARCHIVE_SAVE_AS")
_FEEDS = tuple(f"{kind}_{form}" for kind in ("FEED", "FEED_ALL", "CATEGORY_FEED", "AUTHOR_FEED", "TAG_FEED",
                                               "TRANSLATION_FEED", "TRANSLATION_FEED_ALL")
               for form in ("ATOM", "RSS"))
_MAX_SUFFIX = 1000
_MEMOISED = (Article, Page)  # exact types: a plugin's subclass may make its URL otherwise
_OUTPUTS = "_newsroom_outputs"  # attribute: (what they were made of, save_as, url)
_NOTES = "_newsroom_notes"  # attribute: the lines saying what on_read fixed
_BASE_SLUG = "_newsroom_slug"  # attribute: the slug of a story given a suffix


def _source(obj: Content) -> str:
    """The file's name as an editor knows it (relative to PATH)."""
    return obj.get_relative_source_path() or str(obj)


def _normal(path: str) -> str:
    """``posixpath.normpath``, skipped for the usual path with nothing to normalise."""
    return posixpath.normpath(path) if "/." in path or "//" in path or path.startswith(".") else path


def _is_segment(value: str) -> bool:
    """Can ``value`` be put in a URL pattern without leaving the pattern's folder?"""
    return bool(value) and value not in (".", "..") and "/" not in value and "\\" not in value and "\0" not in value


@functools.lru_cache(maxsize=1024)
def _known_tag(value: str) -> bool:
    return language_tag(value) is not None


def _is_tag(value: object) -> bool:
    """Is ``value`` a language tag (answered once per value: a site has few)?"""
    return isinstance(value, str) and _known_tag(value)


def _slug_of(value: str, settings: dict) -> str:
    return slugify(value, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                   preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                   use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))


# Fields url_format fills from the object itself; the others come from its metadata.
_URL_FORMAT_FIELDS = frozenset({"slug", "lang", "date", "author", "category", "path"})


class _Kind(NamedTuple):
    """What the URL and output path patterns of a content type (every variant: language, draft)
    use, for the settings of one build."""

    settings: dict
    fields: tuple[str, ...]  # metadata fields they interpolate
    own: tuple[str, ...]  # attributes url_format takes from the object as they are (slug, lang, date)
    wrappers: tuple[str, ...]  # attributes it takes the slug of (author, category)
    path: bool  # whether they use the source path
    digest: bytes  # of the patterns


_kinds: dict[type, _Kind] = {}


def kind_info(settings: dict, kind: type) -> _Kind:
    """The patterns' use of a content type's fields, computed once per settings."""
    known = _kinds.get(kind)
    if known is not None and known.settings is settings:
        return known
    prefixes = (kind.__name__.upper() + "_", "DRAFT_")
    patterns = sorted((key, value) for key, value in settings.items()
                      if key.startswith(prefixes) and key.endswith(("_URL", "_SAVE_AS")) and isinstance(value, str))
    names = {field.split(".")[0].split("[")[0]
             for _, value in patterns for _, field, _, _ in string.Formatter().parse(value) if field}
    known = _kinds[kind] = _Kind(
        settings, tuple(sorted(names - _URL_FORMAT_FIELDS)), tuple(sorted(names & {"slug", "lang", "date"})),
        tuple(sorted(names & {"author", "category"})), "path" in names,
        hashlib.blake2b(repr(patterns).encode(), digest_size=16).digest())
    return known


def _url_inputs(obj: Content, kind: _Kind) -> tuple:
    """Everything Pelican's ``url`` and ``save_as`` of an Article or Page are made of (the
    fields its patterns use; status and language choose the pattern)."""
    state = obj.__dict__
    inputs = [kind.digest, state.get("_status"), state.get("in_default_lang"), state.get("override_save_as"),
              state.get("override_url")]
    inputs += [state.get(name) for name in kind.own]
    inputs += [getattr(state.get(name), "slug", None) for name in kind.wrappers]
    if kind.path:
        inputs.append(obj.metadata.get("path", obj.source_path))
    if kind.fields:
        inputs += [obj.metadata.get(name) for name in kind.fields]
    return tuple(inputs)


def outputs(obj: Content) -> tuple[str, str]:
    """The object's (save_as, url). An Article's or Page's are kept on it with what they were
    made of, so an object a content cache reuses needs no formatting (formatting both took 36
    microseconds an object, 0.2 s of a 5,000-article edit build; the whole check now takes
    about 8-13) unless something they depend on changed."""
    if type(obj) not in _MEMOISED:
        return obj.save_as, obj.url
    inputs = _url_inputs(obj, kind_info(obj.settings, type(obj)))
    kept = obj.__dict__.get(_OUTPUTS)
    if kept is None or kept[0] != inputs:
        kept = (inputs, obj.save_as, obj.url)
        setattr(obj, _OUTPUTS, kept)
    return kept[1], kept[2]


def on_read(obj: Content) -> None:
    """``content_object_init``: fix the new object's fields before Pelican validates its output
    path (a lang or slug leaving the output folder would get the file skipped), note what was
    fixed on the object, and work out its outputs. Content caches (newsroom_speed's, Pelican's)
    keep all three with the object, and ``Outputs.admit`` logs the notes on every build, so a
    build that reuses the object says what a build that read it says."""
    if not isinstance(obj, (Article, Page)):  # a static file's path is its own, not made from fields
        return
    notes = check_fields(obj)
    if notes:
        setattr(obj, _NOTES, notes)
    if type(obj) in _MEMOISED:
        outputs(obj)


on_read.newsroom_speed_cacheable = True  # changes only the object, from it and the settings


def check_fields(obj: Content) -> list[str]:
    """Make the object's lang a language tag, and its slug and any other text its URL patterns
    interpolate (``kind_info``) one path segment; returns a line per fixed value."""
    settings, notes = obj.settings, []
    fields = kind_info(settings, type(obj)).fields
    lang = getattr(obj, "lang", None)
    if lang is not None and not _is_tag(lang):
        default = settings.get("DEFAULT_LANG", "en").lower()
        notes.append(f"newsroom: {_source(obj)}: Lang {lang!r} is not a language tag; using {default!r}")
        obj.lang = default
        obj.in_default_lang = True
        if "lang" in obj.metadata:
            obj.metadata["lang"] = default
    for name in ("slug", *fields):
        value = getattr(obj, name, None) if name == "slug" else obj.metadata.get(name)
        if not isinstance(value, str) or _is_segment(value):
            continue
        fixed = _slug_of(value, settings)
        if not _is_segment(fixed):  # nothing usable left: the title, then the file's name
            fixed = _slug_of(getattr(obj, "title", "") or "", settings)
        if not _is_segment(fixed):
            fixed = _slug_of(posixpath.splitext(posixpath.basename(_source(obj)))[0], settings) or "story"
        notes.append(f"newsroom: {_source(obj)}: {name.capitalize()} {value!r} is not usable in a URL; "
                     f"using {fixed!r}")
        if name == "slug":
            obj.slug = fixed
        else:
            obj.metadata[name] = fixed
    return notes


def _regex(pattern: str, fields: dict[str, str] | None = None) -> str:
    """A regular expression for every path ``pattern`` (a ``str.format`` pattern) can make."""
    parts = []
    for literal, field, spec, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if fields and field in fields:
            parts.append(fields[field])
        elif spec and "%" in spec:
            parts.append("".join(_DIRECTIVES.get(p[:1], _ANY) + re.escape(p[1:]) if i else re.escape(p)
                                 for i, p in enumerate(spec.split("%"))))
        else:
            parts.append(_ANY)
    return "".join(parts)


def site_outputs(settings: dict) -> re.Pattern:
    """The output paths of the site's own pages: listings (with their later pages), feeds and
    template pages; a pattern's fields match what they can make (``{date:%Y}`` four digits)."""
    listings = [settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html") for name in settings.get("DIRECT_TEMPLATES", ())]
    listings += [settings.get(key) for key in _LISTINGS]
    regexes = []
    for listing in filter(None, listings):
        regexes.append(_regex(listing))
        # the names Pelican's paginator formats its patterns with (pelican/paginator.py)
        stem, extension = posixpath.splitext(listing)
        folder, name = posixpath.split(listing)
        names = {"save_as": _regex(listing), "name": _regex(stem), "extension": re.escape(extension),
                 "base_name": _regex(folder) if name in ("index.htm", "index.html") else _regex(stem),
                 "number": r"\d+", "url": ".*"}
        for _, _, save_as in settings.get("PAGINATION_PATTERNS", ()):
            later = _regex(save_as, names)
            regexes.append(later[1:] if later.startswith("/") else later)  # Pelican strips a leading /
    regexes += [_regex(settings[key]) for key in _FEEDS if settings.get(key)]
    regexes += [re.escape(path) for path in (settings.get("TEMPLATE_PAGES") or {}).values()]
    return re.compile("|".join(f"(?:{r})" for r in dict.fromkeys(regexes)) or r"(?!)")


class Outputs:
    """The output paths and URLs claimed by the content objects of one build."""

    def __init__(self, settings: dict):
        self.reserved = site_outputs(settings)
        self.paths: dict[str, Content] = {}
        self.urls: dict[str, Content] = {}
        self.seen: set[int] = set()  # ids of the objects admitted (the dicts keep them alive)

    def admit(self, objects: Iterable[Any]) -> list[Content]:
        """Check the objects not seen yet, in source path order; returns those left out."""
        new = [obj for obj in objects if isinstance(obj, Content) and id(obj) not in self.seen]
        left_out = []
        for obj in sorted(new, key=lambda o: o.source_path or ""):
            self.seen.add(id(obj))
            base = obj.__dict__.pop(_BASE_SLUG, None)
            if base is not None:  # a suffix a content cache kept: decided again from the original
                obj.slug = base
            # what was fixed when it was read (kept with a cached object), then what a plugin
            # may have changed since
            for note in (*obj.__dict__.get(_NOTES, ()), *check_fields(obj)):
                logger.warning(note)
            if not self._claim(obj):
                left_out.append(obj)
        return left_out

    def _conflict(self, obj: Content, save_as: str, url: str) -> str | None:
        """What already has ``obj``'s output path or URL (a file's name, or one of the site's own
        pages), or None."""
        for table, value in ((self.paths, save_as), (self.urls, url)):
            other = table.get(value)
            if other is not None and other is not obj:
                return _source(other)
        if not hasattr(obj, "override_save_as") and self.reserved.fullmatch(save_as):
            return "the site's own page"
        return None

    def _claim(self, obj: Content) -> bool:
        """Record the object's output path and URL (suffixing its slug if taken); False: left out."""
        save_as, url = outputs(obj)
        if not save_as:  # not written (SAVE_AS set empty): nothing to collide
            return True
        other = self._conflict(obj, _normal(save_as), url)
        if other is not None:
            if not self._rename(obj, other):
                logger.error("newsroom: %s: its page %s is taken by %s; left out (give it another Slug or Save_as)",
                             _source(obj), save_as, other)
                return False
            save_as, url = outputs(obj)
        self.paths[_normal(save_as)] = obj
        self.urls[url] = obj
        return True

    def _rename(self, obj: Content, other: str) -> bool:
        """Give ``obj`` the first free suffixed slug; False if its slug is not in its paths."""
        slug, old = getattr(obj, "slug", None), obj.save_as
        if not slug:
            return False
        for number in range(2, _MAX_SUFFIX):
            obj.slug = f"{slug}-{number}"
            save_as = obj.save_as
            if save_as == old:
                break
            if self._conflict(obj, _normal(save_as), obj.url) is None:
                setattr(obj, _BASE_SLUG, slug)
                logger.warning("newsroom: %s: its page %s is taken by %s; published as %s", _source(obj), old, other,
                               obj.url)
                return True
        obj.slug = slug
        return False


_outputs: Outputs | None = None


def _guarded(plain: Callable) -> Callable:
    """``process_translations`` with the build's objects checked before they are grouped."""

    def process_translations(content_list, translation_id=None):
        if _outputs is not None and content_list:
            for obj in _outputs.admit(content_list):
                content_list.remove(obj)
        return plain(content_list, translation_id)

    process_translations.newsroom_guard = True
    process_translations.__wrapped__ = plain
    return process_translations


def start_build(generator) -> None:
    """``article_generator_init`` (the first content generator of a build): a fresh claim table,
    and the guard outermost around whatever ``process_translations`` is now (newsroom_speed
    replaces it for the build before generators are made)."""
    global _outputs
    _outputs = Outputs(generator.settings)
    if not getattr(generators.process_translations, "newsroom_guard", False):
        generators.process_translations = _guarded(generators.process_translations)


def end_build(_generators) -> None:
    """``all_generators_finalized``: content is read; put ``process_translations`` back."""
    global _outputs
    _outputs = None
    current = generators.process_translations
    if getattr(current, "newsroom_guard", False):
        generators.process_translations = current.__wrapped__


def check_templates(generator) -> None:
    """Every content object of the generator is rendered with a template the theme has: a
    missing one costs an error line naming the file and the template, and the default
    template of its kind is used (the story is still published, in the site's usual look)."""
    found: dict[str, bool] = {}
    lists = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations",
             "pages", "hidden_pages", "draft_pages", "draft_translations")
    for obj in (obj for name in lists for obj in getattr(generator, name, ()) or ()):
        name = getattr(obj, "template", None)
        if not isinstance(name, str) or name == obj.default_template:
            continue
        if name not in found:
            try:
                generator.get_template(name)
                found[name] = True
            except PelicanTemplateNotFound:
                found[name] = False
        if not found[name]:
            logger.error("newsroom: %s: Template %r not found in the theme; using %r", _source(obj), name,
                         obj.default_template)
            obj.template = obj.default_template


def register() -> None:
    signals.content_object_init.connect(on_read)
    signals.article_generator_init.connect(start_build)
    signals.all_generators_finalized.connect(end_build)
    signals.article_generator_pretaxonomy.connect(check_templates)
    signals.page_generator_finalized.connect(check_templates)
