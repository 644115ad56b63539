"""A Pelican Writer that renders only pages whose inputs changed, over several processes, and
writes only files whose bytes changed.

``write_file`` keeps stock Pelican's semantics (pagination, relative URLs, override rules, the
``localsiteurl`` the content objects see) but queues the page instead of rendering it. At
``flush`` (called when a generator has finished writing) each queued page is checked against
the record of what it read last time (outdated.py); unchanged pages with an intact output file
are kept, the others are rendered (render.py). Feeds (feeds.py) and article pages
(article_pages.py) are likewise decided at ``flush``, when every story's digest is known.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pelican.paginator import Page, Paginator
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import contract, tracking
from .article_pages import DeferredArticles
from .feeds import DeferredFeeds
from .ledger import OutputLedger
from .pool import settle
from .records import OutputEntry, PageRecord, Reads
from .render import PageJob, render_stale

logger = logging.getLogger(__name__)


class IncrementalWriter(DeferredArticles, DeferredFeeds, Writer):
    """Set up per build by the plugin's session (``session``: its ledger, checks and workers)."""

    session: Any = None  # newsroom_speed.session.Session of the running build

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.ledger: OutputLedger = self.session.ledger
        self.session.writer = self
        self.jobs: list[PageJob] = []
        self._init_articles()
        self._init_feeds()
        self._bases: dict[int, tuple[int, dict]] = {}
        self._output_prefix = os.path.join(os.path.abspath(self.output_path), "")

    # -- queueing: stock write_file, with rendering deferred --------------------------------
    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
            # Page N is also page N+1's previous and page N-1's next: one object for the three
            # (stock makes three equal ones), so it is made, and digested when checked, once.
            made: dict[tuple[str, int], Page] = {}

            def page_of(key: str, number: int) -> Page:
                if (key, number) not in made:
                    made[key, number] = paginators[key].page(number)
                return made[key, number]

            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    page = page_of(key, page_num + 1)
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": page_of(key, page_num) if page_num > 0 else None,
                            f"{key}_next_page": (
                                page_of(key, page_num + 2) if page_num + 1 < paginator.num_pages else None
                            ),
                        }
                    )
                self._queue(template, context, page.save_as, paginated_kwargs, relative_urls, override_output)
        else:
            self._queue(template, context, name, kwargs, relative_urls, override_output)

    def _queue(self, template, context, name, kwargs, relative_urls, override) -> None:
        path = sanitised_join(self.output_path, name)
        if self._claim(path, override):
            job = self._job(template, context, name, path, kwargs, relative_urls)
            self._leave_localsiteurl(job)
            self.jobs.append(job)

    def _job(self, template, context, name, path, kwargs, relative_urls, page: tuple | None = None) -> PageJob:
        """The page as stock ``write_file`` would render it; ``page``: its (name relative to the
        output, localsiteurl) if known from the last build. The shared context is not touched."""
        if page is None:
            localsiteurl = _to_root(name) if relative_urls else context.get("localsiteurl", None)
            page = self._output_name(path), localsiteurl
        output_name, localsiteurl = page
        overrides = {"output_file": name}
        if relative_urls:
            overrides["SITEURL"] = localsiteurl
        overrides["localsiteurl"] = localsiteurl
        return PageJob(
            name=output_name,
            path=path,
            template=template,
            context=context,
            base=self._base(context),
            kwargs=kwargs,
            relative_urls=relative_urls,
            localsiteurl=localsiteurl,
            render_siteurl=localsiteurl or context.get("localsiteurl"),
            overrides=overrides,
        )

    def _output_name(self, path: str) -> str:
        """``os.path.relpath(path, output_path)`` for a path from sanitised_join (absolute and
        normalised, as every page's and feed's is): sliced off the output folder when under it."""
        prefix = self._output_prefix
        return path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, self.output_path)

    @staticmethod
    def _leave_localsiteurl(job: PageJob) -> None:
        """Stock Pelican leaves a written page's localsiteurl in the shared context, where content
        objects read it (their summaries' links) until the next page is written."""
        if job.localsiteurl:
            job.context["localsiteurl"] = job.localsiteurl

    def _base(self, context: dict) -> dict:
        """One snapshot of the shared context, renewed if keys were added since."""
        size, base = self._bases.get(id(context), (-1, None))
        if size != len(context):
            base = context.copy()
            self._bases[id(context)] = (len(context), base)
        return base

    def _claim(self, filename: str, override: bool) -> bool:
        """Stock Pelican's rules for writing a file twice; False means: skip this write."""
        written, overridden = contract.writer_claims(self)
        if filename in overridden:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            logger.info('Skipping "%s", not overwriting', filename)
            return False
        if filename in written:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously'
                )
            logger.info('Overwriting "%s"', filename)
            self.jobs = [job for job in self.jobs if job.path != filename]
            self._drop_feed(filename)
        if override:
            overridden.add(filename)
        written.add(filename)
        return True

    def flush(self) -> None:
        """Check the queued pages, render the changed ones (in parallel), then send Pelican's
        content_written for all of them."""
        if self.articles:
            self._write_articles()
        if self.feeds:
            self._write_feeds()
        jobs, self.jobs = self.jobs, []
        if not jobs:
            return
        checks = self.session.checks
        settle()  # the whole site is read: no need to walk it in every full collection
        checks.prepare(jobs[0].context)
        for environment in {id(job.template.environment): job.template.environment for job in jobs}.values():
            tracking.install(environment)
        # Checks run here: a check is cheap, and in a worker it costs more in copied memory than
        # it saves; only the pages to render go to the pool.
        stale = []
        for i, job in enumerate(jobs):
            if checks.unchanged(job):
                checks.keep(job.name)
            else:
                stale.append(i)
                checks.explain(job)
        self.session.skipped += len(jobs) - len(stale)
        for i, (reads, entry) in render_stale(self.session, jobs, stale):
            self._rendered(jobs[i], reads, entry)
        if signals.content_written.receivers:
            for job in jobs:
                signals.content_written.send(job.path, context=job.localcontext())

    def _rendered(self, job: PageJob, reads: Reads | None, entry: OutputEntry) -> None:
        """Keep what a page just rendered read (for the next build's check) and wrote."""
        self.session.checks.records[job.name] = PageRecord(job.template.name, tracking.compact(reads))
        self.ledger.current[job.name] = entry
        self.session.rendered += 1


def _to_root(name: str) -> str:
    """``path_to_url(get_relative_path(name))``, a page's relative way up to the site root: for
    a plain relative name (no leading, trailing or doubled slash) one ".." per slash, without
    Pelican's loop over the path's parts; other names go through Pelican's code."""
    if os.sep != "/" or name.startswith("/") or name.endswith("/") or "//" in name:
        return path_to_url(get_relative_path(name))
    return "/".join([os.pardir] * name.count("/")) or os.curdir
