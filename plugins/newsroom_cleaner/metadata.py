"""Article metadata: what every path shares (lede, source URL, site name) and the HTML reading.

HTML pages state metadata in several places of varying trust; JSON-LD NewsArticle first,
then OpenGraph/meta tags, then visible markup (<time>, byline), never sidebars.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .safety import safe_url
from .settings import SUMMARY_MAX_CHARS

_NOT_PARAGRAPH = re.compile(r"^(?:#|>|[-*+]\s|\d+[.)]\s|\||!\[|```|~~~|\[!\[)")
_SENTENCE_END = re.compile(r"(?<=[.!?…。])\s")


def lede(blocks: list[str]) -> str | None:
    """The first plain paragraph of the body, one line, cut near SUMMARY_MAX_CHARS."""
    for block in blocks:
        block = block.strip()
        if block and not _NOT_PARAGRAPH.match(block):
            text = " ".join(block.split())
            if len(text) <= SUMMARY_MAX_CHARS:
                return text
            ends = [m.start() for m in _SENTENCE_END.finditer(text, 0, SUMMARY_MAX_CHARS)]
            cut = ends[-1] if ends else text.rfind(" ", 0, SUMMARY_MAX_CHARS)
            return text[:cut if cut > 0 else SUMMARY_MAX_CHARS].rstrip() + ("" if ends else " …")
    return None


def complete(metadata: dict[str, Any], blocks: list[str], url: str | None) -> dict[str, Any]:
    """Fill what every article gets: summary from the lede, source URL and site name."""
    result = dict(metadata)
    if not result.get("summary") and (summary := lede(blocks)):
        result["summary"] = summary
    source = safe_url(result.get("source_url")) or safe_url(url)
    if source and urlsplit(source).scheme in ("http", "https"):
        result["source_url"] = source
        result.setdefault("site_name", urlsplit(source).hostname.removeprefix("www."))
    else:
        result.pop("source_url", None)
    return {k: v for k, v in result.items() if v not in (None, "", [])}
