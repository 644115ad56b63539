"""Article pages decided without Pelican's per-article work when the article did not change.

Pelican's ``generate_articles`` formats every article's ``save_as`` and ``url`` (its metadata
and date through the URL patterns) and queues its page, for every article of every build, when
an edit changes a dozen. Here the loop (with its
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

from pelican.generators import ArticlesGenerator
from pelican.plugins import signals

from . import contract, tracking, urlmemo
from .records import ArticlePage
from .render import render_page


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


class DeferredArticles:
    """The article-page half of IncrementalWriter (a mixin: it uses the writer's ``jobs``,
    ``_job``, ``_claim``, ``_leave_localsiteurl``, ``_rendered`` and ``session``)."""

    def _init_articles(self) -> None:
        self.articles: list[tuple] = []  # (generator, write, article), decided at flush

    def defer_article(self, generator, write, article) -> None:
        """Pelican's write of an article page, decided at ``flush`` when digests are known (at
        once if the last build left no article pages to keep, as in a cold build). The page of
        a story whose file was edited or added is rendered and written now, where stock Pelican
        writes it: an editor previewing it need not wait for the rest of the site."""
        checks = self.session.checks
        if not checks.old_article_pages:
            self._write_article(generator, write, article, generator.get_template(article.template))
        elif checks.file_changed(article.source_path):
            self._preview_article(generator, write, article)
        else:
            self.articles.append((generator, write, article))

    def _preview_article(self, generator, write, article) -> None:
        queued = len(self.jobs)
        self._write_article(generator, write, article, generator.get_template(article.template))
        if len(self.jobs) > queued:  # (not skipped by Pelican's rules for writing a file twice)
            job = self.jobs.pop()
            self.session.checks.explain(job)
            tracking.install(job.template.environment)
            self._rendered(job, *render_page(self.session, job))
            if signals.content_written.receivers:  # as stock sends it: when the page is written
                signals.content_written.send(job.path, context=job.localcontext())

    def _write_articles(self) -> None:
        """Keep the pages of unchanged articles with last build's values; let Pelican write
        (queue) the others."""
        articles, self.articles = self.articles, []
        checks = self.session.checks
        checks.prepare(articles[0][0].context)
        for generator, write, article in articles:
            template = generator.get_template(article.template)
            page = self._kept_article(generator, article, template, write.keywords["relative_urls"])
            if page is None:
                self._write_article(generator, write, article, template)
            else:
                checks.article_pages[article.source_path] = page

    def _write_article(self, generator, write, article, template) -> None:
        """Pelican's own write call; what it queued is remembered for the next build."""
        queued = len(self.jobs)
        write_article(generator, write, article)
        if len(self.jobs) > queued:
            job = self.jobs[-1]
            self.session.checks.article_pages[article.source_path] = ArticlePage(
                article.save_as, article.url, template.name, job.name, job.path, job.localsiteurl,
                write.keywords["relative_urls"])

    def _kept_article(self, generator, article, template, relative_urls: bool) -> ArticlePage | None:
        """The article's ArticlePage if its page can stay as the last build wrote it."""
        checks = self.session.checks
        old = checks.old_article_pages.get(article.source_path)
        if (
            old is None
            or old.template != template.name
            or old.relative_urls != relative_urls
            or not checks.article_unchanged(article)
        ):
            return None
        kwargs = page_names(article, old.url)
        job = self._job(template, generator.context, old.save_as, old.path, kwargs, relative_urls,
                        (old.name, old.localsiteurl))
        # The page's own names (article, category, url, output_file...) hold what they held
        # last time: the article's fields, which it kept, and last build's values.
        if not checks.unchanged(job, own_as_before=True):
            return None
        self._leave_localsiteurl(job)
        if self._claim(old.path, kwargs["override_output"]):
            checks.keep(job.name)
        urlmemo.remember(article, old.save_as, old.url)
        return old


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
