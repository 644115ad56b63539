"""``Article.url``/``save_as`` and ``Page.url``/``save_as`` memoised while pages are written.

Pelican formats an object's URL and output path from its metadata each time a template or
generator asks (``url_format`` copies the metadata, formats the date, joins the pattern): the
article loop, every listing page showing the story, feeds and sitemaps ask for the same few
strings, many times per story per build. Once Pelican writes, the objects are final (the
assumption the page checks make, see the plugin's limits), so each object's values are kept for
the rest of the build. Other content types (Static rewrites its own URL when linked) are not
memoised. An article whose page is kept from the last build (article_pages.py) gets its
values from there.
"""

from __future__ import annotations

from collections.abc import Callable

from pelican.contents import Article, Content, Page

from .memo import memoise_method

_MEMOISED = (Article, Page)  # exact types: a plugin's subclass may compute its URL otherwise
_memo: dict | None = None  # the installed memo, (object, "url" or "save_as") -> value


def _key(self: Content, key: str) -> tuple | None:
    # the object itself (hashed by identity) keeps it alive, so its id is not reused meanwhile
    return (self, key) if type(self) in _MEMOISED else None


def install() -> Callable[[], None]:
    """Memoise the method on Content; returns the function that restores it (and drops the memo)."""
    global _memo
    _memo = {}
    restore = memoise_method(Content, "get_url_setting", _key, _memo)

    def uninstall() -> None:
        global _memo
        _memo = None
        restore()

    return uninstall


def remember(obj: Content, save_as: str, url: str) -> None:
    """``obj``'s save_as and url, known to be what Pelican would compute (while installed)."""
    if _memo is not None and type(obj) in _MEMOISED:
        _memo[obj, "save_as"] = save_as
        _memo[obj, "url"] = url
