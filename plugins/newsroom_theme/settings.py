"""The theme's settings and their defaults, read in this one place.

Every key can be overridden in ``pelicanconf.py``; ``theme/README.md`` documents them.
``apply_defaults`` fills in the missing ones so the templates can use them directly.
"""

from typing import Any, MutableMapping

DEFAULTS: dict[str, Any] = {
    # Sections (category names) in the header menu and the front page blocks, in order.
    # None: every section, alphabetically. DEFAULT_CATEGORY and NEWSROOM_SCRAPED_CATEGORY
    # follow the list when they have stories.
    "NEWSROOM_MENU_SECTIONS": None,
    # Logo image (path relative to SITEURL, or an absolute URL) with its size in CSS pixels;
    # None: the site name is set in type. The logo is also the publisher logo in JSON-LD.
    "NEWSROOM_LOGO": None,
    "NEWSROOM_LOGO_WIDTH": 240,
    "NEWSROOM_LOGO_HEIGHT": 48,
    # Favicon path relative to SITEURL; None: the theme's own SVG icon.
    "NEWSROOM_FAVICON": None,
    # Social links in the footer: (label, url) pairs.
    "NEWSROOM_SOCIAL": [],
    # Text at the bottom of every page.
    "NEWSROOM_FOOTER_TEXT": "",
    # Twitter/X account for twitter:site, e.g. "@newsroom"; None: omitted.
    "NEWSROOM_TWITTER_SITE": None,
    # Share image (path or URL) for pages without an image of their own; None: none.
    "NEWSROOM_DEFAULT_IMAGE": None,
    # Publisher name in JSON-LD and the Google News sitemap; None: SITENAME.
    "NEWSROOM_PUBLISHER": None,
    # Time of day after the date (DEFAULT_DATE_FORMAT) on article pages, strftime style.
    "NEWSROOM_TIME_FORMAT": "%H:%M %Z",
    # Stories on the front page and on the first page of each section, topic and author; older
    # stories are on dated pages (see NEWSROOM_ARCHIVE_PERIOD), which do not change when a
    # story is published, so a publish re-writes a few files, not every page of every list.
    "NEWSROOM_LATEST_STORIES": 12,
    # What a dated page holds: "year", "month" or "day" of stories. Site-wide at
    # YEAR/MONTH/DAY_ARCHIVE_URL (filled in with {date:%Y}/, {date:%Y}/{date:%m}/ ... if unset;
    # coarser periods are indexes of finer ones), per list under the list's URL (section/world/2024/01/).
    "NEWSROOM_ARCHIVE_PERIOD": "month",
    # The day the site stopped numbering its list pages newest-first (an ISO date, e.g.
    # "2026-12-08"): each old numbered page (PAGINATION_PATTERNS, DEFAULT_PAGINATION stories a
    # page) becomes a redirect to the dated page holding the newest story it held then.
    # None: no redirects (a site that never had numbered pages).
    "NEWSROOM_NUMBERED_PAGES_UNTIL": None,
    # Stories under the lead story in the front page's "Latest" block.
    "NEWSROOM_HOME_LATEST": 6,
    # Headlines per section block on the front page.
    "NEWSROOM_HOME_SECTION_HEADLINES": 4,
    # Related stories (sharing tags) under an article.
    "NEWSROOM_RELATED_COUNT": 3,
    # Candidates for related stories: per tag, this many stories on each side in time
    # (keeps the build linear on large sites).
    "NEWSROOM_RELATED_WINDOW": 20,
    # Reading speed for "N min read".
    "NEWSROOM_WORDS_PER_MINUTE": 230,
    # Google News sitemap: articles of the last N days, at most this many per file.
    "NEWSROOM_NEWS_SITEMAP_DAYS": 2,
    "NEWSROOM_NEWS_SITEMAP_MAX": 1000,
    # Images in article bodies served from other hosts (kept by scraped stories): "link"
    # turns them into links to the image (no third-party request), "show" loads them.
    "NEWSROOM_OFFSITE_IMAGES": "link",
    # Responsive images: each local image a story shows (lead and body) is resized once into
    # these widths in pixels (never upscaled: a smaller image keeps its own width as the
    # largest) in WebP, plus a fallback in its own format at the middle width, cached by
    # content digest in <CACHE_PATH>/newsroom_images and copied to NEWSROOM_IMAGE_FOLDER.
    "NEWSROOM_IMAGE_WIDTHS": [480, 800, 1200],
    # WebP and JPEG quality of the variants (1-100).
    "NEWSROOM_IMAGE_QUALITY": 75,
    "NEWSROOM_IMAGE_FOLDER": "images/sized",
    # Processes resizing new images; None: one per CPU.
    "NEWSROOM_IMAGE_WORKERS": None,
    # Run the Pagefind indexer on the output after each build.
    "NEWSROOM_SEARCH": True,
    # "all": one Pagefind index of the whole site (exact results), merged from per-month
    # indexes of which a build re-makes only those with changed pages.
    # Or a strftime pattern of the publication date (letters, digits, "-", "_", "."), e.g.
    # "%Y-%m": one bundle per shard, merged by the search page; a build re-indexes only the
    # shards whose pages changed and a new story rewrites files of its shard only, but a
    # word a shard lacks can match a shorter word there (extra results) and ranking is per shard.
    "NEWSROOM_SEARCH_SHARD": "all",
    # Seconds the indexer may take before the build gives up on the index (a first, full
    # index takes a few seconds per 1,000 stories on one core).
    "NEWSROOM_SEARCH_TIMEOUT": 1800,
    # Where the search page lives.
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
}


# Dated pages: Pelican's archive settings per period, their default URL, the levels in order.
PERIOD_LEVELS = ("year", "month", "day")
PERIOD_URLS = {"year": "{date:%Y}/", "month": "{date:%Y}/{date:%m}/", "day": "{date:%Y}/{date:%m}/{date:%d}/"}
# The list templates Pelican would number newest-first (its PAGINATED_TEMPLATES default).
_LIST_TEMPLATES = ("index", "category", "tag", "author")


def apply_defaults(settings: MutableMapping[str, Any]) -> None:
    """Fill in every theme setting the site did not set (the site's value always wins)."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if not settings.get("NEWSROOM_PUBLISHER"):
        settings["NEWSROOM_PUBLISHER"] = settings.get("SITENAME", "")
    direct = list(settings.get("DIRECT_TEMPLATES", []))
    for template in ("search", "404"):
        if template not in direct:
            direct.append(template)
    settings["DIRECT_TEMPLATES"] = direct
    _dated_pages(settings)
    # Templates print every value escaped: scraped titles, names and languages are data. The
    # trusted HTML (a story's body, the footer text, the JSON-LD filters) is marked in the
    # templates (|safe) or by the filters (Markup). A new dict: the old may be Pelican's default.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}


def _dated_pages(settings: MutableMapping[str, Any]) -> None:
    """Lists show their newest stories, unnumbered; Pelican's period archives are the site-wide
    dated pages down to NEWSROOM_ARCHIVE_PERIOD (none finer)."""
    period = settings["NEWSROOM_ARCHIVE_PERIOD"]
    if period not in PERIOD_LEVELS:
        raise ValueError(f"NEWSROOM_ARCHIVE_PERIOD must be one of {', '.join(PERIOD_LEVELS)}, not {period!r}")
    depth = PERIOD_LEVELS.index(period)
    for i, level in enumerate(PERIOD_LEVELS):
        key = level.upper() + "_ARCHIVE"
        if i > depth:
            settings[f"{key}_URL"] = settings[f"{key}_SAVE_AS"] = ""
        elif not settings.get(f"{key}_SAVE_AS"):
            settings[f"{key}_URL"] = PERIOD_URLS[level]
            settings[f"{key}_SAVE_AS"] = PERIOD_URLS[level] + "index.html"
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    for template in _LIST_TEMPLATES:
        paginated.pop(template, None)
    settings["PAGINATED_TEMPLATES"] = paginated
