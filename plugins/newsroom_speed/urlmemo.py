"""``Article.url``/``save_as`` and ``Page.url``/``save_as`` memoised while pages are written.

Pelican formats an object's URL and output path from its metadata each time a template or
generator asks (``url_format`` copies the metadata, formats the date, joins the pattern): the
article loop, every listing page showing the story, feeds and sitemaps ask for the same few
strings, about ten times per story per build. Once Pelican writes, the objects are final (the
assumption the page checks make, see the plugin's limits), so each object's values are kept for
the rest of the build. Other content types (Static rewrites its own URL when linked) are not
memoised.
"""

from __future__ import annotations

from collections.abc import Callable

from pelican.contents import Article, Content, Page

from .memo import memoise_method

_MEMOISED = (Article, Page)  # exact types: a plugin's subclass may compute its URL otherwise


def _key(self: Content, key: str) -> tuple | None:
    # the object itself (hashed by identity) keeps it alive, so its id is not reused meanwhile
    return (self, key) if type(self) in _MEMOISED else None


def install() -> Callable[[], None]:
    """Memoise the method on Content; returns the function that restores it (and drops the memo)."""
    return memoise_method(Content, "get_url_setting", _key)
