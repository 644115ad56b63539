"""Sites that the tests and the benchmarks both build: the project as a variant with or without
newsroom_speed on a given content folder (``Site``), and raw scraped news pages (``scrape_page``).
Kept out of benchmarks/ so that tests do not depend on benchmark code."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the shared synthetic corpus generator: shared/ lies beside the checkout (as in CI); NEWSROOM_SHARED points elsewhere
CORPUS_GENERATOR = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared")) / "bench" / "gen_corpus.py"
VARIANTS = {"newsroom": True, "stock": False}  # name -> newsroom_speed enabled

SETTINGS_TEMPLATE = """\
import os
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403 - the project's own settings
PLUGIN_PATHS = [os.path.join({root!r}, p) for p in PLUGIN_PATHS]  # relative to the project
PATH = {content!r}
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
THEME = {theme!r}
if {speed!r}:
    PLUGINS = [p for p in PLUGINS if p != "newsroom_speed"] + ["newsroom_speed"]
else:
    PLUGINS = [p for p in PLUGINS if p != "newsroom_speed"]
    CACHE_CONTENT = True
    LOAD_CONTENT_CACHE = True
"""


SCRAPE_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | The Daily Example</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}">
<script>window.dataLayer=[];function track(){{}}</script><style>.ad{{display:block}}</style></head>
<body><header class="site-header"><a href="/">The Daily Example</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<main><article><h1>{title}</h1><p class="byline">By {author} | {date}</p>
{paragraphs}
<div class="share">Share on Facebook | Share on X | Email</div></article>
<aside class="related"><h2>Most read</h2><ul>{related}</ul></aside></main>
<div class="newsletter">Sign up for our newsletter to get the news every morning.</div>
<footer><p>&copy; 2025 The Daily Example. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<iframe src="https://ads.example.com/slot"></iframe></body></html>
"""


def scrape_page(article: dict, rng: random.Random) -> str:
    """A raw news page with the usual boilerplate around one corpus article's text."""
    paragraphs = [b for b in article["body"].split("\n\n") if not b.startswith(("#", "!"))]
    related = "".join(
        f'<li><a href="/story/{rng.randrange(10**6)}">{rng.choice(paragraphs)[:60]}</a></li>' for _ in range(5)
    )
    return SCRAPE_TEMPLATE.format(
        title=article["title"],
        author=article["author"],
        date=f"{article['date']:%Y-%m-%dT%H:%M:%S}",
        paragraphs="\n".join(f"<p>{p.lstrip('> ')}</p>" for p in paragraphs),
        related=related,
    )


class Site:
    """One variant's build directory: settings file, theme copy, output and cache."""

    def __init__(
        self, work: Path, content: Path, name: str, speed: bool, theme: Path | None = None, extra: tuple = ()
    ):
        """``theme``: use that theme folder as is (e.g. another Site's) instead of a fresh copy;
        ``extra``: more settings lines, e.g. ``NEWSROOM_SEARCH = False``."""
        self.dir = work / name
        self.output, self.cache = self.dir / "output", self.dir / "cache"
        self.theme, self._own_theme = theme or self.dir / "theme", theme is None
        self.dir.mkdir(parents=True, exist_ok=True)
        self.settings = self.dir / "settings.py"
        self.settings.write_text(
            SETTINGS_TEMPLATE.format(
                root=str(ROOT),
                content=str(content),
                output=str(self.output),
                cache=str(self.cache),
                theme=str(self.theme),
                speed=speed,
            )
            + "".join(f"{line}\n" for line in extra)
        )

    def reset(self) -> None:
        """No output, no cache, and (if the theme is this site's own) a fresh copy of the theme."""
        for path in (self.output, self.cache):
            shutil.rmtree(path, ignore_errors=True)
        if self._own_theme:
            shutil.rmtree(self.theme, ignore_errors=True)
            shutil.copytree(ROOT / "theme", self.theme)
