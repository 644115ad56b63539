"""Every setting and limit the cleaner reads, with its default, in one place.

Pelican settings (set them in ``pelicanconf.py``):

``NEWSROOM_SCRAPED_PATHS`` (default ``["scraped"]``)
    Content subfolders whose ``.html``/``.htm``/``.txt`` files are raw scrapes to clean.
    Other ``.html`` files are read by Pelican's own HTMLReader.
``NEWSROOM_SCRAPED_CATEGORY`` (default ``"News"``)
    Category of a scraped article whose page names no section.
``NEWSROOM_SECTION_MAP`` (default ``{}``)
    Source categories to the site's sections, case-insensitive: ``{"Politik": "Politics"}``,
    or per source site (its host, without ``www.``): ``{"example.org": {"Inland": "Politics"}}``
    (a site's own entries come first). An unmapped category goes to NEWSROOM_SCRAPED_CATEGORY
    and is kept as a tag: scrapes create no sections.
``NEWSROOM_SCRAPED_NEW_SECTIONS`` (default ``False``)
    True: an unmapped source category becomes a section of its own (every scraped site's
    categories then show as sections).
``NEWSROOM_UNDATED`` (default ``"draft"``)
    What becomes of a scrape whose publication date is not found: ``"draft"`` (Pelican
    ``Status: draft``: held for review, off the front page, feeds and sitemaps), ``"skip"``
    (not built) or ``"file-time"`` (dated by the file's modification time, the old behaviour,
    which put undated scrapes at the top of the front page).
``NEWSROOM_SITE_TEMPLATE_MIN_PAGES`` (default ``4``) and ``NEWSROOM_SITE_TEMPLATE_SHARE`` (default ``0.5``)
    Site templates of text dumps (sitetemplate.py): once a scraped folder holds at least
    MIN_PAGES dumps (different stories), a line found in at least SHARE of them is the site's
    chrome and is dropped from all of them. Four pages at half make a chance repeat of story
    text unlikely. ``0`` pages turns site templates off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCRAPED_EXTENSIONS = ("html", "htm", "txt")  # file types the reader and the importer clean
DEFAULT_SCRAPED_PATHS: tuple[str, ...] = ("scraped",)
DEFAULT_SCRAPED_CATEGORY = "News"
UNDATED_CHOICES = ("draft", "skip", "file-time")
DEFAULT_UNDATED = "draft"

# Limits that keep hostile input bounded (not user settings: they protect the build).
MAX_INPUT_BYTES = 32 * 1024 * 1024  # larger files are refused, not truncated silently
MAX_TREE_DEPTH = 120  # deeper elements are unwrapped so recursive converters stay in bounds
MAX_ELEMENTS = 100_000  # a page is cut after this many elements outside drawings (real articles: under 5,000)
MAX_PEER_INPUT_CHARS = 4 * 1024 * 1024  # larger pages get no second opinion (candidates.py): time and memory
TITLE_MAX_CHARS = 250  # a longer first line of a dump is body text, not a title
SUMMARY_MAX_CHARS = 600  # a lede longer than this is cut at a sentence/word boundary
TEASER_MAX_WORDS = 40  # a teaser is cut after the last sentence ending within this many words
DEFAULT_SITE_TEMPLATE_MIN_PAGES = 4
DEFAULT_SITE_TEMPLATE_SHARE = 0.5
SITE_TEMPLATE_STORE = "newsroom_cleaner/site_templates.json"  # under Pelican's CACHE_PATH


@dataclass(frozen=True)
class ReaderSettings:
    """The Pelican settings the reader needs, with defaults applied."""

    scraped_paths: tuple[str, ...] = DEFAULT_SCRAPED_PATHS
    default_category: str = DEFAULT_SCRAPED_CATEGORY
    undated: str = DEFAULT_UNDATED
    section_map: Mapping[str, Any] = field(default_factory=dict)
    new_sections: bool = False
    template_min_pages: int = DEFAULT_SITE_TEMPLATE_MIN_PAGES
    template_share: float = DEFAULT_SITE_TEMPLATE_SHARE


def reader_settings(pelican_settings: Mapping[str, Any]) -> ReaderSettings:
    """Read the ``NEWSROOM_*`` settings from Pelican's settings dict."""
    paths = pelican_settings.get("NEWSROOM_SCRAPED_PATHS", DEFAULT_SCRAPED_PATHS)
    if isinstance(paths, str):
        paths = [paths]
    return ReaderSettings(
        scraped_paths=tuple(p.strip("/") for p in paths),
        default_category=pelican_settings.get("NEWSROOM_SCRAPED_CATEGORY", DEFAULT_SCRAPED_CATEGORY),
        undated=undated_setting(pelican_settings.get("NEWSROOM_UNDATED", DEFAULT_UNDATED)),
        section_map=pelican_settings.get("NEWSROOM_SECTION_MAP") or {},
        new_sections=bool(pelican_settings.get("NEWSROOM_SCRAPED_NEW_SECTIONS", False)),
        template_min_pages=_number(pelican_settings, "NEWSROOM_SITE_TEMPLATE_MIN_PAGES",
                                   DEFAULT_SITE_TEMPLATE_MIN_PAGES, int, 0, None),
        template_share=_number(pelican_settings, "NEWSROOM_SITE_TEMPLATE_SHARE",
                               DEFAULT_SITE_TEMPLATE_SHARE, float, 0.0, 1.0),
    )


def _number(settings: Mapping[str, Any], name: str, default: float, kind: type, low: float, high: float | None):
    """A numeric setting checked: a typo must not make every line of a site chrome."""
    value = settings.get(name, default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < low or (high is not None and number > high) \
            or (kind is float and number == low):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be a number {bound}, not {value!r}")
    return number


def undated_setting(value: Any) -> str:
    """``NEWSROOM_UNDATED`` checked: a typo must not put undated scrapes on the front page."""
    text = str(value).strip().lower()
    if text not in UNDATED_CHOICES:
        raise ValueError(f"NEWSROOM_UNDATED must be one of {', '.join(UNDATED_CHOICES)}, not {value!r}")
    return text
