"""Pelican's scans for intrasite links skipped on text that cannot hold one.

Every build, ``refresh_metadata_intersite_links`` runs the link regex over each story's summary
and ``add_static_links`` over its whole content, on every build, and news text seldom has
such a link. With Pelican's default syntax (``{filename}x``, ``|filename|x``) a link
needs a ``{`` or a ``|``; ``str``'s own search for those two characters is C speed. Text with
either, a custom INTRASITE_LINK_REGEX or a class with its own regex goes through Pelican's code.
"""

from __future__ import annotations

from collections.abc import Callable

from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG

from . import contract

_DEFAULT_REGEX = DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]  # "[{|](?P<what>.*?)[|}]"
_PLAIN = contract.link_regex_function(Content)


def default_syntax(obj: Content) -> bool:
    """Does ``obj`` find links with Pelican's default syntax and regex?"""
    return obj.settings.get("INTRASITE_LINK_REGEX") == _DEFAULT_REGEX and contract.link_regex_function(type(obj)) is _PLAIN


def may_hold_link(text: str) -> bool:
    """Could ``text`` hold a link of the default syntax?"""
    return "{" in text or "|" in text


def cannot_link(obj: Content, text: object) -> bool:
    """True if ``text`` surely holds no intrasite link of ``obj``'s syntax."""
    return isinstance(text, str) and not may_hold_link(text) and default_syntax(obj)


def install() -> Callable[[], None]:
    """Patch Content for one build; returns the function that undoes it."""
    plain_update, plain_static = Content.__dict__[contract.UPDATE_CONTENT], Content.get_static_links

    def update_content(self, content, siteurl):
        if content and cannot_link(self, content):
            return content  # what re.sub gives when nothing matches
        return plain_update(self, content, siteurl)

    def get_static_links(self):
        if cannot_link(self, contract.body_of(self)):
            return set()
        return plain_static(self)

    return contract.together(contract.replace(Content, contract.UPDATE_CONTENT, update_content),
                             contract.replace(Content, "get_static_links", get_static_links))
