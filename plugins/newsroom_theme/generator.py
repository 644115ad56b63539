"""Pelican glue: enrich articles after they are read, write the sitemaps and robots.txt."""

import hashlib
import logging
import os
import pickle
from datetime import datetime
from operator import attrgetter
from typing import Any

from blinker import signal
from newsroom_cleaner.settings import DEFAULT_SCRAPED_CATEGORY
from pelican.contents import Article
from pelican.utils import get_relative_path, path_to_url

from . import enrich, pictures
from .images import Config, ImageSet
from .sitemaps import Entry, NewsEntry, news_sitemap_name, news_sitemaps, recent_news, recent_since, \
    robots_txt, sitemap_files, utc_now, window_moves

log = logging.getLogger(__name__)
_DATE = attrgetter("date")


def article_facts(content) -> None:
    """Signal handler (content_object_init): what an article shows that depends on the article
    alone and the settings (reading time, standfirst, share image, source link). Computed as
    the article is read, so newsroom_speed's object cache keeps it with the article."""
    if not isinstance(content, Article):
        return
    settings, meta = content.settings, content.metadata
    # The raw body: ``content.content`` is memoized on first use, and other pages are not
    # read yet, so using it here would freeze unresolved {filename} links to them.
    if settings["NEWSROOM_OFFSITE_IMAGES"] == "link":
        content._content = enrich.link_offsite_images(content._content)
    content.word_count, content.standfirst = enrich.text_facts(meta.get("summary", ""), content._content)
    content.reading_time = enrich.reading_time(content.word_count, settings["NEWSROOM_WORDS_PER_MINUTE"])
    content.share_image = (enrich.share_image(meta)
                           or enrich.share_image({"image": settings["NEWSROOM_DEFAULT_IMAGE"]}))
    content.source = enrich.source_link(meta)


article_facts.newsroom_speed_cacheable = True  # declared in plugins/newsroom_speed/interface.py


def enrich_articles(generator) -> None:
    """Signal handler (article_generator_finalized): what depends on other articles (related
    stories, neighbours in a section, the menu) or on other files (the images' sizes and
    variants: see responsive_images)."""
    settings = generator.settings
    articles = generator.articles
    neighbours = enrich.section_neighbours(articles)
    cache = RelatedCache(settings)
    known = cache.load()
    site = known.get(enrich.SITE_KEY)
    related = enrich.related_stories(articles, settings["NEWSROOM_RELATED_COUNT"],
                                     settings["NEWSROOM_RELATED_WINDOW"], known)
    if known.get(enrich.SITE_KEY) != site:
        cache.save(known)
    images = ImageSet(Config.from_settings(settings), generator.path)
    responsive_images(images, articles + list(getattr(generator, "drafts", [])))
    _pending_images[id(generator.context)] = images  # published with the pages' (enrich_pages)
    for article in articles:
        article.related_stories = related.get(id(article), [])
        article.prev_in_section, article.next_in_section = neighbours.get(id(article), (None, None))
    # where a post or a scrape without a section goes: reachable from the menu once it has stories
    catch_all = [settings["DEFAULT_CATEGORY"], settings.get("NEWSROOM_SCRAPED_CATEGORY", DEFAULT_SCRAPED_CATEGORY)]
    generator.context["menu_sections"] = enrich.menu_sections(
        generator.categories, settings["NEWSROOM_MENU_SECTIONS"], catch_all)


def enrich_pages(generator) -> None:
    """Signal handler (page_generator_finalized): pages (About, Contact) get responsive body
    images as articles do, then the variants of both go into the output at once (publishing
    removes the variants no page uses, so the articles' and the pages' go together)."""
    images = _pending_images.pop(id(generator.context), None) or \
        ImageSet(Config.from_settings(generator.settings), generator.path)
    pages = [page for kind in ("pages", "hidden_pages", "draft_pages", "translations", "hidden_translations",
                               "draft_translations") for page in getattr(generator, kind, [])]
    responsive_images(images, pages)
    images.publish(generator.output_path)


# The articles' ImageSet of a build in progress (by its context), waiting for the pages'.
_pending_images: dict[int, ImageSet] = {}


def responsive_images(images: ImageSet, articles: list) -> None:
    """Give each article (or page) its ``lead_image`` (``ImageSet.facts``) and its body's local
    images as ``<picture>``s, once every image they show is resized (new ones only, over all
    cores); ``ImageSet.publish`` then puts the variants in the output."""
    bodies = {}
    for article in articles:
        lead = enrich.lead_image_path(article.metadata)
        if lead:
            images.original(lead)
        parsed = pictures.body_images(article._content)
        if parsed:
            bodies[id(article)] = parsed
            for img in parsed[1]:
                for path in pictures.candidates(img.get("src") or "", _post_dir(article)):
                    images.original(path)
    images.prepare()
    for article in articles:
        article.lead_image = enrich.lead_image(article.metadata, images.facts, article.source_path)
        if id(article) in bodies:
            root, imgs = bodies[id(article)]
            article._content = pictures.responsive_body(
                root, imgs, _post_dir(article), images.facts, _page_root(article), pictures.SIZES["article"],
                article.source_path)


def _post_dir(article) -> str:
    return os.path.dirname(article.relative_source_path)


def _page_root(article) -> str:
    """The site root's URL as seen from the article's page (what Pelican gives its templates
    as SITEURL there)."""
    if article.settings["RELATIVE_URLS"]:
        return path_to_url(get_relative_path(article.save_as))
    return article.settings["SITEURL"]


_DIGEST = 16  # bytes of the related stories file's digest


class RelatedCache:
    """The last build's related stories (see ``enrich.related_stories``), in CACHE_PATH: ranking
    them takes a second at 20,000 articles, and an edit rarely changes a tag's stories. Kept
    for the same count, window and ranking code only; an unreadable file means ranking all.
    The file starts with a digest of the rest, checked when loaded: a flipped bit would
    otherwise give some story another story's related list."""

    def __init__(self, settings: dict[str, Any]):
        self.path = os.path.join(settings["CACHE_PATH"], "newsroom_theme", "related.pickle")
        with open(enrich.__file__, "rb") as code:
            self.params = (settings["NEWSROOM_RELATED_COUNT"], settings["NEWSROOM_RELATED_WINDOW"],
                           hashlib.blake2b(code.read(), digest_size=16).digest())

    def load(self) -> dict[str, tuple]:
        try:
            with open(self.path, "rb") as f:
                data = f.read()
            if hashlib.blake2b(data[_DIGEST:], digest_size=_DIGEST).digest() != data[:_DIGEST]:
                raise ValueError("digest mismatch")
            saved = pickle.loads(data[_DIGEST:])
            if saved["params"] == self.params and isinstance(saved["related"], dict):
                return saved["related"]
        except FileNotFoundError:
            pass
        except Exception as error:  # damaged or from other code: rank everything again
            log.warning("newsroom_theme: related stories cache %s unusable (%s); ranking all", self.path, error)
        return {}

    def save(self, related: dict[str, tuple]) -> None:
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            data = pickle.dumps({"params": self.params, "related": related}, protocol=pickle.HIGHEST_PROTOCOL)
            with open(self.path + ".tmp", "wb") as f:
                f.write(hashlib.blake2b(data, digest_size=_DIGEST).digest() + data)
            os.replace(self.path + ".tmp", self.path)
        except OSError as error:
            log.warning("newsroom_theme: related stories cache not saved to %s (%s)", self.path, error)


def _absolute(siteurl: str, path: str) -> str:
    """Absolute URL in production; in a development build (no SITEURL) the path relative
    to the site root, "./" for the root itself."""
    return f"{siteurl}/{path}" if siteurl else (path or "./")


class NewsroomFilesGenerator:
    """Writes sitemap.xml, news-sitemap*.xml and robots.txt into the output folder."""

    def __init__(self, context: dict[str, Any], settings: dict[str, Any], path: str,
                 theme: str, output_path: str, **kwargs: Any) -> None:
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def entries(self) -> list[Entry]:
        """Every page worth crawling: front page, stories, pages, sections, topics, authors."""
        siteurl = self.settings["SITEURL"]
        articles = self.context.get("articles", [])
        entries = [Entry(_absolute(siteurl, ""), articles[0].date if articles else None)]
        for item in articles + self.context.get("pages", []):
            entries.append(Entry(_absolute(siteurl, item.url),
                                 getattr(item, "modified", None) or getattr(item, "date", None)))
        for key in ("categories", "tags", "authors"):
            for group, items in self.context.get(key, []):
                newest = max(map(_DATE, items), default=None)  # (in C: the tags hold 60,000 stories)
                entries.append(Entry(_absolute(siteurl, group.url), newest))
        return entries

    def news_entries(self, now: datetime, days: int) -> list[NewsEntry]:
        """Stories of the last ``days`` (a big archive's old ones cost nothing)."""
        siteurl = self.settings["SITEURL"]
        lang = self.settings.get("DEFAULT_LANG", "en")
        since = recent_since(now, days)
        return [NewsEntry(_absolute(siteurl, a.url), enrich.plain_text(a.title), a.date,
                          getattr(a, "lang", None) or lang)
                for a in self.context.get("articles", []) if since <= a.date <= now]

    def generate_output(self, writer) -> None:
        settings = self.settings
        siteurl = settings["SITEURL"]
        for name, data in sitemap_files(self.entries(), _absolute(siteurl, "")).items():
            self._write(name, data)
        now, days = utc_now(), settings["NEWSROOM_NEWS_SITEMAP_DAYS"]
        recent = recent_news(self.news_entries(now, days), now, days)
        moves = window_moves(map(_DATE, self.context.get("articles", [])), now, days)
        if moves is not None:  # a build with nothing changed after then writes the news sitemap again
            signal("newsroom_output_expires").send(self, at=moves)  # newsroom_speed's, by name
        news_files = news_sitemaps(recent, settings["NEWSROOM_PUBLISHER"],
                                   settings["NEWSROOM_NEWS_SITEMAP_MAX"])
        names = [news_sitemap_name(i) for i in range(len(news_files))]
        for name, data in zip(names, news_files):
            self._write(name, data)
        # robots.txt may only name absolute sitemap URLs: none in a relative (dev) build.
        absolute = siteurl.startswith(("http://", "https://"))
        sitemap_urls = [f"{siteurl}/{n}" for n in ["sitemap.xml", *names]] if absolute else []
        self._write("robots.txt", robots_txt(sitemap_urls).encode("utf-8"))

    def _write(self, name: str, data: bytes) -> None:
        """Write unless the file holds these bytes already (it keeps its time, so a deploy that
        compares times skips it; the sitemap of a 20,000-story site is 3 MB)."""
        path = os.path.join(self.output_path, name)
        os.makedirs(self.output_path, exist_ok=True)
        try:
            with open(path, "rb") as fh:
                if fh.read(len(data) + 1) == data:
                    return
        except OSError:
            pass
        with open(path, "wb") as fh:
            fh.write(data)
        log.info("Writing %s", path)
