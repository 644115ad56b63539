"""Newsroom theme plugin: what the templates cannot do alone.

Adds to each article ``reading_time``, ``word_count``, ``standfirst``, ``lead_image`` (its
body's local images become responsive ``<picture>``s: images.py resizes, pictures.py writes
the markup, bodymarkup.py is the Markdown figure syntax and keyboard-scrollable tables),
``share_image``, ``source``, ``related_stories``, ``prev_in_section`` and
``next_in_section`` (pages get ``lead_image`` and responsive body images too); puts
``menu_sections`` in the template context; gives templates the
``news_article_jsonld``, ``website_jsonld``, ``picture``, ``preload_picture``, ``dated_url``, ``dated_label``
and ``dated_index`` filters and the ``fragment`` cache; writes sitemap.xml, the Google News sitemap(s) and
robots.txt, the lists' dated pages and the old numbered pages' redirects (listpages.py); shows a
``{filename}`` link to a draft the build does not write as its text (draftlinks.py); brings the
search index up to date once the site is written (search.py).
Settings: ``settings.DEFAULTS``.
"""


from blinker import signal
from markupsafe import Markup
from pelican import signals

from . import bodymarkup
from .draftlinks import unlink_drafts
from .fragments import FragmentCache
from .generator import NewsroomFilesGenerator, article_facts, enrich_articles, enrich_pages
from .images import published_intact
from .jsonld import news_article, script_json, website
from .listpages import ListPagesGenerator, dated_index, dated_label, dated_url
from .pictures import SIZES, picture_html, preload_html
from .search import build_index, bundle_intact, search_state
from .sitemaps import utc_now
from .settings import apply_defaults


def _initialized(pelican) -> None:
    apply_defaults(pelican.settings)
    bodymarkup.add_to(pelican.settings)


def _add_filters(generator) -> None:
    settings = generator.settings
    generator.env.globals["fragment"] = FragmentCache()
    # Markup: script_json's output is made to sit inside <script> (autoescape would break the JSON)
    generator.env.filters["news_article_jsonld"] = (
        lambda article, siteurl: Markup(script_json(news_article(article, siteurl, settings))))
    generator.env.filters["website_jsonld"] = (
        lambda siteurl: Markup(script_json(website(siteurl, settings))))
    # an image of ImageSet.facts, shown as pictures.SIZES[kind] says
    generator.env.filters["picture"] = (
        lambda image, siteurl, kind, eager=False: Markup(picture_html(image, siteurl, SIZES[kind], eager)))
    generator.env.filters["preload_picture"] = (
        lambda image, siteurl, kind: Markup(preload_html(image, siteurl, SIZES[kind])))
    # the dated page holding a story of this date: site-wide, or of the list at list_url
    generator.env.filters["dated_url"] = lambda when, list_url=None: dated_url(settings, when, list_url)
    generator.env.filters["dated_label"] = lambda when: dated_label(settings, when)
    generator.env.filters["dated_index"] = lambda dates, list_url=None: dated_index(settings, dates, list_url)


def _get_generators(pelican):
    return NewsroomFilesGenerator, ListPagesGenerator


def _finalized(pelican) -> None:
    if pelican.settings.get("NEWSROOM_SEARCH"):
        build_index(pelican.output_path, pelican.settings.get("DEFAULT_LANG", "en"),
                    pelican.settings["NEWSROOM_SEARCH_TIMEOUT"], search_state(pelican.settings),
                    pelican.settings["NEWSROOM_SEARCH_SHARD"])


def _outputs_current(pelican, expires=None) -> bool:
    """Asked by newsroom_speed before it skips a build with nothing changed: the news sitemap's
    window has not moved past a story since, the search index is whole and the resized images
    are all there."""
    if expires is not None and utc_now() >= expires:
        return False
    settings = pelican.settings
    if not published_intact(settings, pelican.output_path):
        return False
    return not settings.get("NEWSROOM_SEARCH") or bundle_intact(pelican.output_path, search_state(settings))


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_add_filters)
    signals.content_object_init.connect(article_facts)
    signals.article_generator_finalized.connect(enrich_articles)
    signals.page_generator_finalized.connect(enrich_pages)
    signals.all_generators_finalized.connect(unlink_drafts)
    signals.get_generators.connect(_get_generators)
    signals.finalized.connect(_finalized)
    signal("newsroom_outputs_current").connect(_outputs_current)  # newsroom_speed's, by name
