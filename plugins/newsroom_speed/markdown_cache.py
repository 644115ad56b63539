"""Markdown rendered once per text: a caching MarkdownReader and a process pool that pre-renders.

Stock Pelican builds a new ``Markdown`` object for every file and converts every file on every
build. Here one ``Markdown`` instance per process is reused with ``reset()``, and the HTML (with
the ``Meta`` block and the formatted metadata fields) is cached under a digest of the file's
text plus the Markdown configuration, so an unchanged text is never converted again and a
changed one is. Metadata processing (dates, tags, ...) still runs through Pelican's own code.
The pool pre-renders new files when the object cache is off; with it on, preread.py reads whole
files over the pool, converting them there.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterable

import markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from . import contract
from .fingerprint import Fingerprinter, Volatile
from .pool import forked_map
from .records import RenderedDocument
from .store import RenderCache


# Python-Markdown's inline patterns, each with what a text must contain for it to match (all of
# these substrings). A text's inline pass leaves out the patterns it cannot match: the same HTML,
# without trying every pattern on every text node. Text nodes hold the source's characters and Markdown's placeholders (letters,
# digits, control characters), so the source text decides. Patterns not named here always run.
INLINE_NEEDS = {
    "backtick": ("`",),  # `code`
    "escape": ("\\",),  # \* and other backslash escapes
    "reference": ("[",),  # [text][ref]
    "link": ("[",),  # [text](url)
    "short_reference": ("[",),  # [ref]
    "image_link": ("![",),  # ![alt](src)
    "image_reference": ("![",),  # ![alt][ref]
    "short_image_ref": ("![",),  # ![ref]
    "autolink": ("<",),  # <https://...>
    "automail": ("<",),  # <name@host>
    "html": ("<",),  # inline HTML tags and comments
    "entity": ("&",),  # &amp; &#38;
    "footnote": ("[^",),  # [^1] (extra)
}
_NEEDLES = tuple(sorted({needle for needs in INLINE_NEEDS.values() for needle in needs}))


class _PossiblePatterns:
    """Runs a Markdown instance's inline pass with only the patterns the text being converted
    can match (``text`` is set before each conversion)."""

    def __init__(self, md: markdown.Markdown):
        self.text = ""
        self._processor = md.treeprocessors["inline"]
        self._plain_run = self._processor.run
        # by the patterns there are (an extension may register one) and the needles the text holds
        self._registries: dict[tuple, markdown.util.Registry] = {}
        contract.replace_for_life(self._processor, "run", self._run)  # this Markdown instance is ours

    def _run(self, tree, *args, **kwargs):
        every = self._processor.inlinePatterns
        key = (*(needle in self.text for needle in _NEEDLES),
               *((item.name, item.priority, id(every[item.name])) for item in contract.registry_entries(every)))
        possible = self._registries.get(key)
        if possible is None:
            possible = self._registries[key] = _patterns_among(every, self.text)
        with contract.replaced_for(self._processor, "inlinePatterns", possible):
            return self._plain_run(tree, *args, **kwargs)


def _patterns_among(every: markdown.util.Registry, text: str) -> markdown.util.Registry:
    possible = markdown.util.Registry()
    for item in contract.registry_entries(every):  # (name, priority), in the registry's order
        if all(needle in text for needle in INLINE_NEEDS.get(item.name, ())):
            possible.register(every[item.name], item.name, item.priority)
    return possible


class MarkdownRenderer:
    """One reusable Markdown instance for documents, one for formatted metadata fields."""

    def __init__(self, md_settings: dict):
        self._doc = markdown.Markdown(**md_settings)
        self._field = markdown.Markdown(**md_settings)
        self._field.preprocessors.deregister("meta")  # as Pelican does before fields
        self._doc_patterns, self._field_patterns = _PossiblePatterns(self._doc), _PossiblePatterns(self._field)

    def document(self, text: str) -> RenderedDocument:
        self._doc.reset()
        self._doc_patterns.text = text
        html = self._doc.convert(text)
        meta = getattr(self._doc, "Meta", None)
        return RenderedDocument(html, None if meta is None else {k: list(v) for k, v in meta.items()})

    def field(self, text: str) -> str:
        self._field.reset()
        self._field_patterns.text = text
        return self._field.convert(text)


class MarkdownCache:
    """Digest-keyed HTML for documents and formatted fields of one Markdown configuration."""

    def __init__(self, store: RenderCache, md_settings: dict, formatted_fields: Iterable[str]):
        self.store = store
        self.md_settings = md_settings
        self.formatted_fields = frozenset(formatted_fields)
        try:
            config = Fingerprinter().digest([md_settings, sorted(self.formatted_fields), markdown.__version__])
        except Volatile:  # e.g. an extension instance in MARKDOWN: cache within this build only
            config = hashlib.blake2b(str(id(md_settings)).encode()).digest()
        self._config = config
        self._renderer: MarkdownRenderer | None = None

    def key(self, kind: bytes, text: str) -> bytes:
        return hashlib.blake2b(kind + self._config + text.encode("utf-8", "surrogatepass"), digest_size=20).digest()

    def renderer(self) -> MarkdownRenderer:
        if self._renderer is None:
            self._renderer = MarkdownRenderer(self.md_settings)
        return self._renderer

    def _cached(self, kind: bytes, text: str, render):
        key = self.key(kind, text)
        hit = self.store.get(key)
        if hit is None:
            hit = render(text)
            self.store.put(key, hit)
        return hit

    def document(self, text: str) -> RenderedDocument:
        return self._cached(b"doc", text, lambda t: self.renderer().document(t))

    def field(self, text: str) -> str:
        return self._cached(b"field", text, lambda t: self.renderer().field(t))

    def prerender(self, paths: Iterable[str], workers: int, min_batch: int) -> int:
        """Render every uncached file among ``paths`` (over ``workers`` processes); returns how many."""
        known = self.store.keys()
        missing = []
        for path in paths:
            with pelican_open(path) as text:
                if self.key(b"doc", text) not in known:
                    missing.append(path)
        if workers < 2 or len(missing) < min_batch:
            for path in missing:
                self._store_rendered(_render_file(path, self.renderer(), self.formatted_fields))
        else:
            with forked_map(_render_in_worker, self, missing, workers, ordered=False, chunksize=8) as done:
                for rendered in done:
                    self._store_rendered(rendered)
        self.store.flush()
        return len(missing)

    def _store_rendered(self, rendered: tuple) -> None:
        text, html, meta, fields = rendered
        self.store.put(self.key(b"doc", text), RenderedDocument(html, meta))
        for field_text, field_html in fields:
            self.store.put(self.key(b"field", field_text), field_html)


def _render_file(path: str, renderer: MarkdownRenderer, formatted_fields: frozenset) -> tuple:
    """A file's text, HTML, Meta and formatted-field HTML, exactly as the reader will ask for them."""
    with pelican_open(path) as text:
        html, meta = renderer.document(text)
    fields = [
        (joined, renderer.field(joined))
        for name, value in (meta or {}).items()
        if name.lower() in formatted_fields
        for joined in ["\n".join(value)]
    ]
    return str(text), html, meta, fields


def _render_in_worker(cache: MarkdownCache, path: str) -> tuple:
    return _render_file(path, cache.renderer(), cache.formatted_fields)


class _FieldConverter:
    """Stands in for the reader's Markdown instance in its metadata code: fields come from the cache."""

    class _NoPreprocessors:
        @staticmethod
        def deregister(name: str) -> None:
            """The cached field renderer never extracts metadata."""

    preprocessors = _NoPreprocessors()

    def __init__(self, cache: MarkdownCache):
        self._cache = cache

    def reset(self) -> _FieldConverter:
        return self

    def convert(self, text: str) -> str:
        return self._cache.field(text)


def render_cached(reader: MarkdownReader, cache: MarkdownCache, text: str) -> tuple[str, dict]:
    """What MarkdownReader.read does with a file's text, conversions served from ``cache``;
    metadata goes through the reader's own code unchanged."""
    content, meta = cache.document(text)
    if meta is None:
        return content, {}
    return content, contract.read_markdown_metadata(reader, _FieldConverter(cache), meta)


class CachedMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with conversions served from the build's MarkdownCache.

    ``cache`` is set by the plugin for each build (Pelican creates readers with the settings
    only); the plugin turns each plain MarkdownReader into this class.
    """

    cache: MarkdownCache | None = None

    def read(self, source_path):
        if CachedMarkdownReader.cache is None:
            return super().read(source_path)
        contract.set_markdown_source(self, source_path)
        with pelican_open(source_path) as text:
            return render_cached(self, CachedMarkdownReader.cache, text)


def markdown_files(root: str, names: Iterable[str], extensions: Iterable[str], ignore: Iterable[str]) -> list[str]:
    """The files among ``names`` (relative to ``root``) a Markdown reader would take
    (pre-rendering extra ones is harmless)."""
    suffixes = tuple("." + e for e in extensions)
    patterns = list(ignore)
    found = []
    for name in names:
        base = os.path.basename(name)
        if "." in base.lstrip(".") and base.endswith(suffixes) and not any(fnmatch.fnmatch(base, p) for p in patterns):
            found.append(os.path.join(root, name))
    return sorted(found)
