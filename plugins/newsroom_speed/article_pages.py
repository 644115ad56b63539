"""Article pages decided without Pelican's per-article work when the article did not change.

Pelican's ``generate_articles`` formats every article's ``save_as`` and ``url`` (its metadata
and date through the URL patterns) and queues its page: 75 microseconds an article, 1.6 s of a
20,000-article build where a dozen article pages change. Here the loop (with its
``article_generator_write_article`` signal) only notes the articles; when the writer flushes
and every object's digest is known, an article whose fields are as in the last build (so are
its ``save_as`` and ``url``: functions of its fields and of the settings, both in the build's
digests) is checked with last build's values, and Pelican's own write call is made for the
others. With a receiver of that signal or of ``content_written`` (they may see or change the
article as it is written), or a writer other than newsroom_speed's, Pelican's loop runs as is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import chain
from typing import NamedTuple

from pelican.generators import ArticlesGenerator
from pelican.plugins import signals

from . import contract


class ArticlePage(NamedTuple):
    """What a build wrote an article's page as, for the next build to check it with."""

    save_as: str
    url: str
    template: str  # template name
    name: str  # output path relative to OUTPUT_PATH
    path: str  # absolute output path
    localsiteurl: str | None
    relative_urls: bool


def page_names(article, url: str) -> dict:
    """The names Pelican's ``generate_articles`` gives an article's page besides the context."""
    return {
        "article": article,
        "category": getattr(article, "category", None),
        "override_output": hasattr(article, "override_save_as"),
        "url": url,
        "blog": True,
    }


def write_article(generator: ArticlesGenerator, write: Callable, article) -> None:
    """What Pelican's ``generate_articles`` does for one article, after its signal."""
    write(article.save_as, generator.get_template(article.template), generator.context,
          **page_names(article, article.url))


def _deferring(plain: Callable) -> Callable:
    @functools.wraps(plain)
    def generate_articles(self, write):
        # ``write`` is Pelican's partial(writer.write_file, relative_urls=...)
        writer = getattr(getattr(write, "func", None), "__self__", None)
        if (
            not hasattr(writer, "defer_article")  # newsroom_speed's IncrementalWriter
            or write.func != writer.write_file
            or write.args
            or set(write.keywords) != {"relative_urls"}
            or signals.content_written.receivers
            or signals.article_generator_write_article.receivers
        ):
            return plain(self, write)
        for article in chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles):
            writer.defer_article(self, write, article)

    return generate_articles


def install() -> Callable[[], None]:
    """Patch ArticlesGenerator for one build; returns the function that undoes it."""
    return contract.replace(ArticlesGenerator, "generate_articles", _deferring(ArticlesGenerator.generate_articles))
