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
``NEWSROOM_IMPORTED_PATH`` (default ``"imported"``, next to ``pelicanconf.py``)
    Where ``invoke import-scraped`` moves a scrape it imported from NEWSROOM_SCRAPED_PATHS, so
    the story is not built twice (from the scrape and from the post); its path below the scraped
    folder is kept, and a file already there is never replaced.
``NEWSROOM_FETCH_IMAGES`` (default ``False``)
    True: a scraped story's lead and body images are kept in the site, under
    ``images/scraped/<story-slug>/<content-hash>.<ext>`` in the content folder (localimages.py):
    taken from beside the scrape (a saved page's ``_files/`` folder) or else fetched once.
    False: they stay links to the source site.
``NEWSROOM_FETCH_PRIVATE_HOSTS`` (default ``False``)
    True: images may also be fetched from loopback, private, link-local and reserved addresses
    (an intranet source, a test server). Cloud metadata addresses are refused whatever this says.
``NEWSROOM_IMAGE_MAX_BYTES`` (default 10 MB), ``NEWSROOM_IMAGE_MAX_PIXELS`` (default 40 million)
    An image larger in bytes or in pixels is not kept (the pixel limit stops decompression bombs).
``NEWSROOM_IMAGE_TIMEOUT`` (default 10 s), ``NEWSROOM_IMAGE_DEADLINE`` (default 30 s)
    Seconds allowed for connecting and for each read, and for one image's whole fetch.
``NEWSROOM_IMAGE_MAX_REDIRECTS`` (default 5)
    Redirects followed per image (each new address checked again).
``NEWSROOM_IMAGE_RETRY_AFTER`` (default 86400 s)
    A failed fetch is not tried again before this many seconds (a rebuild does no network work).
``NEWSROOM_IMAGE_RECORD_PATH`` (default ``<CACHE_PATH>/newsroom_fetched_images``)
    Where the record of fetched URLs (URL -> file, or the failure) is kept.
``NEWSROOM_SITE_TEMPLATE_MIN_PAGES`` (default ``4``) and ``NEWSROOM_SITE_TEMPLATE_SHARE`` (default ``0.5``)
    Site templates of text dumps (sitetemplate.py): once a scraped folder holds at least
    MIN_PAGES dumps (different stories), a line found in at least SHARE of them is the site's
    chrome and is dropped from all of them. Four pages at half make a chance repeat of story
    text unlikely. ``0`` pages turns site templates off.

``invoke import-scraped`` (importer.py) also reads:

``NEWSROOM_IMPORT_WORKERS`` (default ``None``: one per CPU core)
    Worker processes of the Dask LocalCluster an import starts when neither ``--workers`` nor
    ``--scheduler`` is given.
``NEWSROOM_IMPORT_IN_PROCESS_MAX`` (default ``200``)
    An import of at most this many pages, with neither option, is cleaned in the task's own
    process: starting a cluster takes seconds, more than cleaning a few pages.
``NEWSROOM_IMPORT_SHARD_PAGES`` (default ``50``)
    Pages sent to a worker at once: about a second of cleaning, so the per-task overhead is small
    and a worker that dies costs little work.
``NEWSROOM_IMPORT_LEDGER`` (default ``".newsroom-imported.tsv"``, in the content folder)
    The record of the WARC pages already imported (URL and payload digest), so a re-run skips
    them. It lies beside the posts it describes: it travels with them, and clearing the cache
    does not bring back a post someone deleted on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRAPED_EXTENSIONS = ("html", "htm", "txt")  # file types the reader and the importer clean
DEFAULT_SCRAPED_PATHS: tuple[str, ...] = ("scraped",)
DEFAULT_SCRAPED_CATEGORY = "News"
UNDATED_CHOICES = ("draft", "skip", "file-time")
DEFAULT_UNDATED = "draft"
DEFAULT_IMPORTED_PATH = "imported"
DEFAULT_SITE_TEMPLATE_MIN_PAGES = 4
DEFAULT_SITE_TEMPLATE_SHARE = 0.5
SITE_TEMPLATE_STORE = "newsroom_cleaner/site_templates.json"  # under Pelican's CACHE_PATH
DEFAULT_IMPORT_WORKERS = None  # one per core
DEFAULT_IMPORT_IN_PROCESS_MAX = 200
DEFAULT_IMPORT_SHARD_PAGES = 50
DEFAULT_IMPORT_LEDGER = ".newsroom-imported.tsv"  # in the content folder
WARC_SUFFIXES = (".warc", ".warc.gz")  # web archives the importer reads (warcinput.py)

# Limits that keep hostile input bounded (not user settings: they protect the build).
MAX_INPUT_BYTES = 32 * 1024 * 1024  # larger files are refused, not truncated silently
MAX_TREE_DEPTH = 120  # deeper elements are unwrapped so recursive converters stay in bounds
MAX_ELEMENTS = 100_000  # a page is cut after this many elements outside drawings (real articles: under 5,000)
MAX_PEER_INPUT_CHARS = 4 * 1024 * 1024  # larger pages get no second opinion (candidates.py): time and memory
TITLE_MAX_CHARS = 250  # a longer first line of a dump is body text, not a title
SUMMARY_MAX_CHARS = 600  # a lede longer than this is cut at a sentence/word boundary
TEASER_MAX_WORDS = 40  # a teaser is cut after the last sentence ending within this many words
REPORT_SAMPLE_CHARS = 80  # `invoke clean-report` shows this much of each text a rule removed
REPORT_SAMPLES_PER_RULE = 8  # different removed texts kept per rule (the rest are counted)


DEFAULT_IMAGE_LIMITS = {  # NEWSROOM_IMAGE_* setting -> default
    "NEWSROOM_IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "NEWSROOM_IMAGE_MAX_PIXELS": 40_000_000,  # a 8000x5000 photo; Pillow's own bomb limit is 89 million
    "NEWSROOM_IMAGE_TIMEOUT": 10.0,
    "NEWSROOM_IMAGE_DEADLINE": 30.0,
    "NEWSROOM_IMAGE_MAX_REDIRECTS": 5,
}
DEFAULT_IMAGE_RETRY_AFTER = 86400.0
IMAGE_RECORD_FOLDER = "newsroom_fetched_images"  # under CACHE_PATH; newsroom_images holds the theme's resized variants
SCRAPED_IMAGES_FOLDER = "images/scraped"  # under the content folder (a STATIC_PATHS entry)


@dataclass(frozen=True)
class FetchLimits:
    """Bounds on one image fetch (imagefetch.py)."""

    max_bytes: int
    max_pixels: int
    timeout: float  # seconds for connecting and for each read
    deadline: float  # seconds for the whole fetch, redirects included
    max_redirects: int
    allow_private: bool  # loopback and private networks allowed


@dataclass(frozen=True)
class ImageSettings:
    """What localimages.py needs: whether to keep images, where, and the fetch limits."""

    enabled: bool
    content_path: Path
    record_path: Path
    limits: FetchLimits
    retry_after: float = DEFAULT_IMAGE_RETRY_AFTER


def image_settings(pelican_settings: Mapping[str, Any], base: Path | None = None) -> ImageSettings:
    """The NEWSROOM_FETCH_*/NEWSROOM_IMAGE_* settings; relative PATH and CACHE_PATH are taken
    from ``base`` (Pelican has made them absolute already; the invoke tasks read the raw file)."""
    base = base or Path.cwd()
    value = {name: pelican_settings.get(name, default) for name, default in DEFAULT_IMAGE_LIMITS.items()}
    record = pelican_settings.get("NEWSROOM_IMAGE_RECORD_PATH") or \
        Path(pelican_settings.get("CACHE_PATH") or "cache") / IMAGE_RECORD_FOLDER
    return ImageSettings(
        enabled=bool(pelican_settings.get("NEWSROOM_FETCH_IMAGES", False)),
        content_path=base / (pelican_settings.get("PATH") or "content"),
        record_path=base / record,
        limits=FetchLimits(
            max_bytes=int(value["NEWSROOM_IMAGE_MAX_BYTES"]),
            max_pixels=int(value["NEWSROOM_IMAGE_MAX_PIXELS"]),
            timeout=float(value["NEWSROOM_IMAGE_TIMEOUT"]),
            deadline=float(value["NEWSROOM_IMAGE_DEADLINE"]),
            max_redirects=int(value["NEWSROOM_IMAGE_MAX_REDIRECTS"]),
            allow_private=bool(pelican_settings.get("NEWSROOM_FETCH_PRIVATE_HOSTS", False)),
        ),
        retry_after=float(pelican_settings.get("NEWSROOM_IMAGE_RETRY_AFTER", DEFAULT_IMAGE_RETRY_AFTER)),
    )


@dataclass(frozen=True)
class ReaderSettings:
    """The Pelican settings the reader and the importer need, with defaults applied."""

    scraped_paths: tuple[str, ...] = DEFAULT_SCRAPED_PATHS
    default_category: str = DEFAULT_SCRAPED_CATEGORY
    undated: str = DEFAULT_UNDATED
    section_map: Mapping[str, Any] = field(default_factory=dict)
    new_sections: bool = False
    imported_path: str = DEFAULT_IMPORTED_PATH
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
        imported_path=pelican_settings.get("NEWSROOM_IMPORTED_PATH", DEFAULT_IMPORTED_PATH),
        template_min_pages=_number(pelican_settings, "NEWSROOM_SITE_TEMPLATE_MIN_PAGES",
                                   DEFAULT_SITE_TEMPLATE_MIN_PAGES, int, 0, None),
        template_share=_number(pelican_settings, "NEWSROOM_SITE_TEMPLATE_SHARE",
                               DEFAULT_SITE_TEMPLATE_SHARE, float, 0.0, 1.0),
    )


@dataclass(frozen=True)
class ImportSettings:
    """How ``invoke import-scraped`` spreads its work (the NEWSROOM_IMPORT_* settings)."""

    workers: int | None = DEFAULT_IMPORT_WORKERS
    in_process_max: int = DEFAULT_IMPORT_IN_PROCESS_MAX
    shard_pages: int = DEFAULT_IMPORT_SHARD_PAGES
    ledger: str = DEFAULT_IMPORT_LEDGER


def import_settings(pelican_settings: Mapping[str, Any]) -> ImportSettings:
    """Read the ``NEWSROOM_IMPORT_*`` settings from Pelican's settings dict."""
    workers = pelican_settings.get("NEWSROOM_IMPORT_WORKERS", DEFAULT_IMPORT_WORKERS)
    return ImportSettings(
        workers=None if workers is None else _number(pelican_settings, "NEWSROOM_IMPORT_WORKERS", 1, int, 1, None),
        in_process_max=_number(pelican_settings, "NEWSROOM_IMPORT_IN_PROCESS_MAX",
                               DEFAULT_IMPORT_IN_PROCESS_MAX, int, 0, None),
        shard_pages=_number(pelican_settings, "NEWSROOM_IMPORT_SHARD_PAGES", DEFAULT_IMPORT_SHARD_PAGES, int, 1, None),
        ledger=str(pelican_settings.get("NEWSROOM_IMPORT_LEDGER") or DEFAULT_IMPORT_LEDGER),
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
