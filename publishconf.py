"""Production settings: `invoke preview`, `publish` and `gh-pages` build with these.

SITEURL comes from the NEWSROOM_SITEURL environment variable, e.g.
``https://news.example.org`` (domain root) or ``https://user.github.io/newsroom`` (sub-path).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("NEWSROOM_SITEURL", "").rstrip("/")
if not SITEURL:
    raise SystemExit(
        "publishconf.py: set NEWSROOM_SITEURL to the site's public URL, "
        "e.g. NEWSROOM_SITEURL=https://news.example.org"
    )
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL  # feeds carry absolute URLs
DELETE_OUTPUT_DIRECTORY = True
# Drafts are never published.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
