"""Settings for the Newsroom sample site (development build).

Every Newsroom-specific setting is listed here with its default; the plugins read them in one
place each (e.g. ``plugins/newsroom_cleaner/settings.py``). ``publishconf.py`` overrides what
differs in production.
"""

import os

# --- Site identity -----------------------------------------------------------------
AUTHOR = "The Newsroom Daily"
SITENAME = "The Newsroom Daily"
SITESUBTITLE = "Independent news, clearly told"
# In development pages link relatively (RELATIVE_URLS), wherever the output is opened; feeds
# and sitemaps need absolute URLs, and get the address `invoke serve` serves the site at
# (NEWSROOM_HOST and NEWSROOM_PORT, as in tasks.py). publishconf.py sets the public one.
SITEURL = f"http://{os.environ.get('NEWSROOM_HOST', 'localhost')}:{os.environ.get('NEWSROOM_PORT', '8000')}"
DEFAULT_LANG = "en"
TIMEZONE = "UTC"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Content -------------------------------------------------------------------------
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "images"]
STATIC_PATHS = ["images"]
DEFAULT_CATEGORY = "News"
USE_FOLDER_AS_CATEGORY = False  # posts name their section in a "Category:" line
SUMMARY_MAX_LENGTH = 50
# A story dated in the future is held as a draft until then (scheduling); the build after that
# time publishes it (newsroom_speed rebuilds when a scheduled story falls due).
WITH_FUTURE_DATES = False

# --- Plugins -------------------------------------------------------------------------
PLUGIN_PATHS = ["plugins"]  # relative paths here are relative to this file
PLUGINS = ["newsroom_cleaner"]

# Cleaner: content subfolders whose .html/.htm/.txt files are raw scrapes, read through the
# cleaner (other .html files are read by Pelican's own HTML reader).
NEWSROOM_SCRAPED_PATHS = ["scraped"]
# Section for a scraped article whose page names none.
NEWSROOM_SCRAPED_CATEGORY = "News"
# A scrape whose publication date is not found: "draft" (held for review, off the front page,
# feeds, sitemaps and search), "skip" (not built) or "file-time" (dated by the file's time).
NEWSROOM_UNDATED = "draft"
# Source categories of scrapes to this site's sections, case-insensitive; a dict under a source
# site's host applies to that site only, e.g. {"Politik": "Politics", "example.org": {"Inland": "Politics"}}.
# An unmapped category goes to NEWSROOM_SCRAPED_CATEGORY and is kept as a tag.
NEWSROOM_SECTION_MAP = {}
# True: an unmapped source category becomes a new section (scrapes then add sections to the site).
NEWSROOM_SCRAPED_NEW_SECTIONS = False
# Where `invoke import-scraped` moves a scrape it imported from a scraped folder (one copy of a story).
NEWSROOM_IMPORTED_PATH = "imported"
# True: scraped stories' lead and body images are kept in the site, in
# content/images/scraped/<story>/<content-hash>.<ext>: copied from beside the scrape (a saved page's
# _files/ folder) or fetched once (the outcome is recorded in NEWSROOM_IMAGE_RECORD_PATH). A failed
# fetch keeps the link to the source and logs a warning. False: no image is fetched.
NEWSROOM_FETCH_IMAGES = False
# True: images may also come from loopback, private, link-local and reserved addresses (an intranet
# source); cloud metadata addresses are always refused.
NEWSROOM_FETCH_PRIVATE_HOSTS = False
# Limits on one fetched image: bytes, pixels (decompression bombs), seconds per connect/read and for
# the whole fetch, redirects followed; a failed URL is retried after NEWSROOM_IMAGE_RETRY_AFTER seconds.
NEWSROOM_IMAGE_MAX_BYTES = 10 * 1024 * 1024
NEWSROOM_IMAGE_MAX_PIXELS = 40_000_000
NEWSROOM_IMAGE_TIMEOUT = 10
NEWSROOM_IMAGE_DEADLINE = 30
NEWSROOM_IMAGE_MAX_REDIRECTS = 5
NEWSROOM_IMAGE_RETRY_AFTER = 86400
# Where the record of fetched image URLs lives; None: <CACHE_PATH>/newsroom_fetched_images.
NEWSROOM_IMAGE_RECORD_PATH = None
# Site templates: once a scraped folder holds this many text dumps (different stories), a line
# found in at least this share of them (menu, footer, rails) is dropped from all of them; 0 turns
# this off. What was learned is kept in CACHE_PATH/newsroom_cleaner/site_templates.json.
NEWSROOM_SITE_TEMPLATE_MIN_PAGES = 4
NEWSROOM_SITE_TEMPLATE_SHARE = 0.5
# `invoke import-scraped` without --workers or --scheduler: up to NEWSROOM_IMPORT_IN_PROCESS_MAX pages
# are cleaned in the task's own process, more on a Dask LocalCluster of NEWSROOM_IMPORT_WORKERS
# processes (None: one per CPU core). Workers get NEWSROOM_IMPORT_SHARD_PAGES pages at a time.
NEWSROOM_IMPORT_WORKERS = None
NEWSROOM_IMPORT_IN_PROCESS_MAX = 200
NEWSROOM_IMPORT_SHARD_PAGES = 50
# The WARC pages already imported (payload digest and URL), in the content folder: a re-run skips them.
NEWSROOM_IMPORT_LEDGER = ".newsroom-imported.tsv"

# --- Theme ---------------------------------------------------------------------------
THEME = "theme"

# --- URLs: pretty, dated article URLs; every page is an index.html in its folder -----
RELATIVE_URLS = True
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A story in another language than DEFAULT_LANG (a scrape in Turkish, say) keeps the same scheme.
ARTICLE_LANG_URL = "{date:%Y}/{date:%m}/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = "{date:%Y}/{date:%m}/{slug}-{lang}/index.html"
DRAFT_LANG_URL = "drafts/{slug}-{lang}/"
DRAFT_LANG_SAVE_AS = "drafts/{slug}-{lang}/index.html"
PAGE_LANG_URL = "{slug}-{lang}/"
PAGE_LANG_SAVE_AS = "{slug}-{lang}/index.html"
CATEGORY_URL = "section/{slug}/"
CATEGORY_SAVE_AS = "section/{slug}/index.html"
CATEGORIES_URL = "sections/"
CATEGORIES_SAVE_AS = "sections/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# Site-wide dated pages (a year indexes its months; a month lists its stories). Sections, topics
# and authors have theirs under their own URL: section/world/2024/01/.
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
# Lists are not numbered newest-first any more (a new story shifted every page of every list it
# was in). These two describe the numbered pages the site had until NEWSROOM_NUMBERED_PAGES_UNTIL
# (below): each is now a redirect to the dated page holding the newest story it held then.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 12

# --- Feeds (absolute URLs: SITEURL above, publishconf.py's in production) -----------
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# --- Publishing (tasks.py) -----------------------------------------------------------
# rsync target for `invoke publish`, e.g. "deploy@example.org:/var/www/news/"; the
# NEWSROOM_PUBLISH_TARGET environment variable overrides it. None: publish refuses clearly.
PUBLISH_TARGET = None
# ssh port for `invoke publish`; NEWSROOM_PUBLISH_PORT overrides it.
PUBLISH_SSH_PORT = 22
# branch that `invoke gh-pages` pushes the production build to
GITHUB_PAGES_BRANCH = "gh-pages"

# --- Theme ---------------------------------------------------------------------------
# Settings of theme/ and plugins/newsroom_theme/ (defaults in newsroom_theme/settings.py,
# all documented in theme/README.md).
PLUGINS += ["newsroom_theme"]
# Sections in the header menu and as blocks on the front page, in this order; DEFAULT_CATEGORY and
# NEWSROOM_SCRAPED_CATEGORY ("News") follow them when they have stories.
NEWSROOM_MENU_SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Culture", "Sport"]
# Logo (path relative to SITEURL) and its size in CSS pixels; None sets SITENAME in type.
NEWSROOM_LOGO = None
NEWSROOM_LOGO_WIDTH = 240
NEWSROOM_LOGO_HEIGHT = 48
# Footer: social links as (label, URL) pairs, and a line of text.
NEWSROOM_SOCIAL = [
    ("Mastodon", "https://mastodon.social/@newsroom"),
    ("Bluesky", "https://bsky.app/profile/newsroom.example"),
]
NEWSROOM_FOOTER_TEXT = "© The Newsroom Daily. Independent news, clearly told."
# Twitter/X handle for the twitter:site card tag (None: left out).
NEWSROOM_TWITTER_SITE = None
# Extra header menu links after the sections: (title, URL or path relative to SITEURL).
MENUITEMS = []
# Lists: the front page and each section, topic and author page show the newest N stories;
# older ones are on dated pages of a "year", "month" or "day", which a new story does not
# change (a publish re-writes a few dozen files, not every list page).
NEWSROOM_LATEST_STORIES = 12
NEWSROOM_ARCHIVE_PERIOD = "month"
# The day this site stopped numbering its list pages (/page/2/, /section/world/page/3/ ...):
# those URLs redirect to the dated page holding the stories they held that day. None: no redirects.
NEWSROOM_NUMBERED_PAGES_UNTIL = "2026-12-08"
# Front page: stories under the lead in "Latest", newest headlines per section block.
# Article page: related stories shown.
NEWSROOM_HOME_LATEST = 6
NEWSROOM_HOME_SECTION_HEADLINES = 4
NEWSROOM_RELATED_COUNT = 3
# Google News sitemap: stories of the last N days, at most N per file.
NEWSROOM_NEWS_SITEMAP_DAYS = 2
NEWSROOM_NEWS_SITEMAP_MAX = 1000
# Body images on other hosts (scraped stories): "link" (no third-party request) or "show".
NEWSROOM_OFFSITE_IMAGES = "link"
# Responsive images (lead and body): widths in pixels each local image is resized to (never
# upscaled) in WebP, plus one fallback in its own format; variants cached by content digest in
# <CACHE_PATH>/newsroom_images and copied to NEWSROOM_IMAGE_FOLDER in the output.
NEWSROOM_IMAGE_WIDTHS = [480, 800, 1200]
NEWSROOM_IMAGE_QUALITY = 75  # WebP and JPEG quality
NEWSROOM_IMAGE_FOLDER = "images/sized"
NEWSROOM_IMAGE_WORKERS = None  # processes resizing new images; None: one per CPU
# Build the Pagefind search index (pagefind/ in the output) after every build.
NEWSROOM_SEARCH = True

# --- Speed (plugins/newsroom_speed; see its settings.py) -----------------------------
PLUGINS += ["newsroom_speed"]
# Caches (rendered Markdown, cleaned scrapes, what each page read); None: <CACHE_PATH>/newsroom_speed
NEWSROOM_SPEED_CACHE_PATH = None
# Processes for Markdown pre-rendering and page rendering; None: one per CPU, 1: no process pool
NEWSROOM_SPEED_WORKERS = None
# Skip the build entirely when no input file, setting, template or plugin changed
NEWSROOM_SPEED_FAST_PATH = True
# Below this many files/pages to render, work in-process (a pool costs more than it saves)
NEWSROOM_SPEED_MIN_BATCH = 64
