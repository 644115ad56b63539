"""Article metadata every path shares: lede as summary, repeated blocks, source URL, site name.

(Reading metadata out of HTML pages is ``htmlmeta``; out of dumps, ``textdump``.)
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from . import rules
from .langtag import language_tag
from .report import CleaningReport
from .safety import absolute_url, safe_inline_text, safe_name, safe_url
from .settings import SUMMARY_MAX_CHARS, TEASER_MAX_WORDS

# Blocks that are not a prose paragraph: headings, quotes, lists, tables, images, code, rules.
_NOT_PARAGRAPH = re.compile(r"^(?:#|>|[-*+]\s|\d+[.)]\s|\||!\[|```|~~~|\[!\[|(?:[-*_]\s*){3,}$)")
_SENTENCE_END = re.compile(r"(?<=[.!?…。])\s")
_NAME_SEPARATOR = re.compile(rules.NAME_SEPARATOR, re.I)
_MARKDOWN_NOISE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[\\*_#>`]")
_NOISE_START = re.compile(r"[\[\\*_#>`]")  # a character every _MARKDOWN_NOISE match holds
NAME_FIELDS = frozenset({"authors", "tags", "category"})  # names: no markup, no list separators
_TAG_SLUG = re.compile(rules.TAG_SLUG)
# A dump's lines are keyed up to three times (headline echo, title rule, repeated blocks): this
# many recent keys cover a large dump.
_KEY_CACHE_SIZE = 4096
_LANG_SHOWN = 40  # characters of an invalid language value quoted in the report
UNDATED_REVIEW = "no publication date found: to publish, replace the Status line with Date: YYYY-MM-DD HH:MM"


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


def teaser(text: str) -> str:
    """The standfirst as a teaser: plain text (no Markdown marks: a literal "**" showed on the
    front page), cut after the last sentence ending within TEASER_MAX_WORDS words, else at a word."""
    words = _MARKDOWN_NOISE.sub(r"\1", text).split()
    if len(words) <= TEASER_MAX_WORDS:
        return " ".join(words)
    head = " ".join(words[:TEASER_MAX_WORDS])
    ends = [m.start() for m in _SENTENCE_END.finditer(head + " ")]
    return head[:ends[-1]] if ends else head + " …"


def drop_repeats(blocks: list[str], title: str | None, report: CleaningReport) -> list[str]:
    """Remove paragraphs repeating the title, the lede (a doubled standfirst) or the paragraph just before.

    Other repeats stay: a body may rightly say the same short line twice (a refrain, a
    "Photo: AP" under two images, a repeated question in an interview).
    """
    title_key = text_key(title) if title else ""
    kept: list[str] = []
    lede_key = previous_key = ""
    for block in blocks:
        key = text_key(block)
        if key and key in (title_key, lede_key, previous_key):
            report.record("repeated-title" if key == title_key else "repeated-paragraph", len(block), text=block)
            continue
        if key and not lede_key and not _NOT_PARAGRAPH.match(block.strip()):
            lede_key = key
        previous_key = key
        kept.append(block)
    return kept


@lru_cache(maxsize=_KEY_CACHE_SIZE)
def text_key(text: str) -> str:
    """Comparison key: case, spacing, link targets and Markdown marks ignored."""
    # Most lines hold no Markdown: a search for its characters costs less than the substitution.
    plain = _MARKDOWN_NOISE.sub(r"\1", text) if _NOISE_START.search(text) else text
    return " ".join(plain.casefold().split())


def complete(metadata: dict[str, Any], blocks: list[str], url: str | None) -> dict[str, Any]:
    """Fill what every article gets: summary from the lede, source URL and site name."""
    result = dict(metadata)
    if result.get("tags"):
        result["tags"] = editorial_tags(result["tags"])
    if summary := teaser(result.get("summary") or lede(blocks) or ""):
        result["summary"] = summary
    source = safe_url(result.get("source_url")) or safe_url(url)
    parts = urlsplit(source) if source else None
    if parts and parts.scheme in ("http", "https") and parts.hostname:  # "HTTP:" has no host
        result["source_url"] = source
        result.setdefault("site_name", parts.hostname.removeprefix("www."))
    else:
        result.pop("source_url", None)
    # A relative lead image would be one of the site's own files (the theme shows local ones).
    result["image"] = absolute_url(result.get("image"), source)
    result = {k: _safe_name(v) if k in NAME_FIELDS else _safe_value(v) for k, v in result.items()}
    return {k: v for k, v in result.items() if v not in (None, "", [])}


def place_in_section(metadata: dict[str, Any], default: str, section_map: Mapping[str, Any],
                     new_sections: bool = False) -> None:
    """Put a scrape in one of the site's sections: its source category through the section map
    (the source site's own entries first), else the default section with the category kept as
    a tag. Every scraped site's categories becoming sections made the menu a list of them."""
    category = metadata.get("category")
    if not category:
        metadata["category"] = default
        return
    host = (urlsplit(metadata.get("source_url") or "").hostname or "").removeprefix("www.")
    site_map = next((v for k, v in section_map.items() if isinstance(v, Mapping)
                     and k.casefold().removeprefix("www.") == host), {})
    for mapping in (site_map, section_map):
        mapped = next((v for k, v in mapping.items() if isinstance(v, str) and k.casefold() == category.casefold()),
                      None)
        if mapped:
            metadata["category"] = mapped
            return
    if not new_sections:
        metadata["category"] = default
        tags = metadata.setdefault("tags", [])
        if category.casefold() not in (t.casefold() for t in tags):
            tags.append(category)


def hold_undated(metadata: dict[str, Any], policy: str, source: Path) -> str | None:
    """Apply ``NEWSROOM_UNDATED`` to a scrape with no publication date; say what was done.

    A file's time is when it was saved or copied, not when the story was published: dated by
    it, an old story tops the front page. So by default it is held as a draft for review.
    Returns None when the scrape has a date, else the note for the warning line; for "skip"
    the caller drops the scrape.
    """
    if "date" in metadata:
        return None
    if policy == "file-time":
        metadata["date"] = datetime.fromtimestamp(source.stat().st_mtime).replace(microsecond=0)
        return "file time used as date"
    if policy == "skip":
        return "skipped (NEWSROOM_UNDATED = skip)"
    metadata["status"] = "draft"
    metadata["review"] = UNDATED_REVIEW  # the post says why it is held, for whoever opens it
    return "held as a draft: set its Date to publish it"


def editorial_tags(tags: list[str]) -> list[str]:
    """Only editorial keywords: a CMS's slugs, internal flags and "Label: value" fields would be
    published as topic pages nobody chose."""
    return [tag for tag in tags if not _TAG_SLUG.search(tag.strip())
            and " ".join(tag.replace("-", " ").replace("_", " ").casefold().split()) not in rules.TAG_INTERNAL]


def check_lang(metadata: dict[str, Any], report: CleaningReport) -> None:
    """Keep ``lang`` only if it is a language tag (normalised): it goes into attributes and URLs."""
    value = metadata.get("lang")
    if value is None:
        return
    tag = language_tag(value)
    if tag is None:
        del metadata["lang"]
        report.warn(f"language {str(value)[:_LANG_SHOWN]!r} is not a language tag; dropped")
    else:
        metadata["lang"] = tag


def _safe_name(value: Any) -> Any:
    """Names (a list, or one section name) by ``safety.safe_name``; the empty ones dropped."""
    if isinstance(value, list):
        return [name for v in value if isinstance(v, str) and (name := safe_name(v))]
    return safe_name(value) if isinstance(value, str) else value


def _safe_value(value: Any) -> Any:
    """Text fields tag-free and single-line, so no caller can leak page markup through metadata."""
    if isinstance(value, str):
        return safe_inline_text(value)
    if isinstance(value, list):
        return [safe_inline_text(v) for v in value if isinstance(v, str) and v.strip()]
    return value


def split_names(text: str) -> list[str]:
    """"Jane Doe, John Roe and Ann Poe" -> three names (separators per language in rules.py)."""
    return [name for name in _NAME_SEPARATOR.split(text) if name]
