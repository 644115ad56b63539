"""Links to drafts: a story linking a draft with ``{filename}`` must not link a page the build
does not write.

Pelican resolves ``{filename}draft.md`` to the draft's URL whether or not the draft is written:
the production build (publishconf.py: DRAFT_SAVE_AS empty) published a link to a missing page,
and said nothing. Here such a link becomes its text, with a warning naming both files; where
drafts are written (the development build's previews under drafts/) the link is left to Pelican.
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from html import unescape
from urllib.parse import unquote, urlparse

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _anchor(intrasite_regex: str) -> re.Pattern:
    """An ``<a>`` whose href is an intrasite link (INTRASITE_LINK_REGEX), with its inner HTML."""
    return re.compile(rf"""<a\b[^>]*?\shref\s*=\s*(?P<quote>["'])(?:{intrasite_regex})(?P<value>.*?)(?P=quote)"""
                      r"[^>]*>(?P<text>.*?)</a\s*>", re.S | re.I)


def _linked(content, value: str, table: dict):
    """The content ``{filename}value`` in ``content`` names, found as Pelican's ``_link_replacer``
    finds it: the path as written, unquoted, then HTML-unescaped; from the content folder's root
    when it starts with /, else from ``content``'s folder."""
    for path in (urlparse(value).path, unquote(urlparse(value).path), urlparse(unescape(value)).path):
        if path.startswith("/"):
            key = path[1:]
        else:
            key = content.get_relative_source_path(os.path.join(content.relative_dir, path))
        if (found := table.get(key)) is not None:
            return found
    return None


def unlink_unwritten(content, table: dict) -> list[str]:
    """Turn ``content``'s ``{filename}`` links to contents the build does not write (no save_as:
    a draft in production) into their text; returns the linked files' paths (content-relative)."""
    body = content._content  # the body as read: Pelican resolves its links when a page is written
    if not isinstance(body, str) or "filename" not in body:
        return []
    unwritten = []

    def replace(match: re.Match) -> str:
        if match.group("what") != "filename":
            return match.group(0)
        target = _linked(content, match.group("value"), table)
        if target is None or target.save_as:
            return match.group(0)  # written, or not found (Pelican warns of that itself)
        unwritten.append(target.get_relative_source_path())
        return match.group("text")

    content._content = _anchor(content.settings["INTRASITE_LINK_REGEX"]).sub(replace, body)
    return unwritten


def unlink_drafts(generators) -> None:
    """Signal handler (all_generators_finalized: every article and page is read, none written)."""
    context = generators[0].context
    table = context.get("generated_content", {})
    for content in list(table.values()):
        if content is None or not content.save_as:
            continue  # a file that failed to read, or one not written itself
        for target in unlink_unwritten(content, table):
            log.warning("newsroom_theme: %s links %s, which this build does not publish (a draft): the link "
                        "is shown as plain text until the draft is published", content.get_relative_source_path(),
                        target)
