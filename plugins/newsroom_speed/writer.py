"""A Pelican Writer that renders only pages whose inputs changed, over several processes, and
writes only files whose bytes changed.

``write_file`` keeps stock Pelican's semantics (pagination, relative URLs, override rules, the
``localsiteurl`` the content objects see) but queues the page instead of rendering it. At
``flush`` (called when a generator has finished writing) each queued page is checked against
the record of what it read last time (tracking.py); unchanged pages with an intact output file
are skipped, the others are rendered, split over a fork()ed process pool that inherits the
whole site in memory, and return their new records. ``write_feed`` likewise claims the feed's
path when asked and decides at ``flush``, when every story's digest is known. The page of a
story whose file was edited or added is the exception: rendered at once, as stock does, so it
shows before the rest of the site is checked.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from io import StringIO
from typing import Any, NamedTuple

from jinja2.runtime import missing
from pelican.paginator import Page, Paginator
from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import article_pages, contract, tracking, urlmemo
from .blocks import BlockStore
from .fingerprint import Fingerprinter, Volatile
from .pool import forked_pool, settle

logger = logging.getLogger(__name__)


@dataclass
class PageJob:
    """One page to produce: what ``template.render`` would get, built lazily to save memory."""

    name: str  # output path relative to OUTPUT_PATH
    path: str  # absolute output path
    template: Any
    context: dict  # Pelican's shared context (mutated: localsiteurl)
    base: dict  # snapshot of the shared context
    kwargs: dict
    relative_urls: bool
    localsiteurl: Any  # the page's own localsiteurl
    render_siteurl: Any  # the shared context's localsiteurl while this page renders
    overrides: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._scopes = (self.kwargs, self.overrides, self.base, self.template.globals)
        self.shared = ((self.base, self.template.globals), frozenset(self.kwargs).union(self.overrides))

    def lookup(self, key: str) -> Any:
        """A name as the template sees it, without building the whole local context."""
        for scope in self._scopes:
            if key in scope:
                return scope[key]
        return missing

    def localcontext(self) -> dict:
        local = self.base.copy()
        local.update(self.overrides)
        local.update(self.kwargs)
        return local


class _FeedJob(NamedTuple):
    """A ``write_feed`` call: its arguments, and the ``localsiteurl`` it was made with."""

    items: list
    context: dict
    path: str
    url: str | None
    feed_type: str
    title: str | None
    complete_path: str
    localsiteurl: Any


@contextlib.contextmanager
def _localsiteurl(context: dict, value: Any):
    """The shared context's ``localsiteurl`` set to ``value`` for a while, then as it was."""
    had, saved = "localsiteurl" in context, context.get("localsiteurl")
    context["localsiteurl"] = value
    try:
        yield
    finally:
        if had:
            context["localsiteurl"] = saved
        else:
            context.pop("localsiteurl", None)


class OutputLedger:
    """Digest and stat of every file written, to skip identical writes and spot outside edits."""

    def __init__(self, previous: dict[str, tuple]):
        self.previous = previous
        self.current: dict[str, tuple] = {}
        self._ahead: tuple[int, Any] | None = None  # a look-ahead's (pid, its file)
        self._seen: dict[str, tuple[int, int]] | None = None  # its stats: name -> (size, mtime_ns)
        self._prefix = ""  # the output folder they were taken in, with a final separator

    def look_ahead(self, output: str) -> None:
        """Have the last build's files stat'ed by a fork()ed process while this one reads the
        site, the other core being idle then (33,000 stats took 0.2 to 0.46 s of an edit at
        20,000 articles). ``intact`` answers from those stats, taken as the build started, for
        the files this build has not written or kept yet. The process leaves them in a file and
        ends (waiting on a pipe, it would share the parent's memory meanwhile)."""
        try:
            spool = tempfile.TemporaryFile()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            spool.close()
            return
        if pid == 0:  # the child: stat, leave the stats, exit (no cleanup of the parent's state)
            try:
                gc.disable()
                pickle.dump(_stats(output, self.previous), spool, protocol=pickle.HIGHEST_PROTOCOL)
                spool.flush()
            finally:
                os._exit(0)
        self._ahead, self._prefix = (pid, spool), os.path.join(output, "")

    def finish_look_ahead(self) -> None:
        """Take the look-ahead's stats (waiting for them if need be)."""
        if self._ahead is None:
            return
        pid, spool = self._ahead
        self._ahead = None
        try:
            os.waitpid(pid, 0)
            spool.seek(0)
            self._seen = pickle.load(spool)
        except Exception:  # noqa: BLE001 - none or half of them (the process failed): stat here instead
            self._seen = None
        finally:
            spool.close()

    def intact(self, name: str, path: str) -> bool:
        """Is the file still what the last build wrote?"""
        entry = self.previous.get(name)
        if entry is None:
            return False
        if self._ahead is not None:
            self.finish_look_ahead()
        if self._seen is not None and name not in self.current and path == self._prefix + name:
            return self._seen.get(name) == entry[:2]
        return _size_and_time(path) == entry[:2]

    def write(self, name: str, path: str, data: bytes) -> tuple:
        """Write ``data`` unless the file already holds exactly it; returns the ledger entry."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        entry = self.previous.get(name)
        if entry is None:
            st = _create(path, data)
        elif entry[2] == digest and self.intact(name, path):
            return entry[0], entry[1], digest
        else:
            st = _overwrite(path, data)
        return st.st_size, st.st_mtime_ns, digest


def _size_and_time(path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, as the ledger keeps them; None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _stats(output: str, names: dict[str, tuple]) -> dict[str, tuple[int, int]]:
    """``_size_and_time`` of the files under ``output`` by name, the missing ones left out."""
    found = {}
    for name in names:
        seen = _size_and_time(os.path.join(output, name))
        if seen is not None:
            found[name] = seen
    return found


def _create(path: str, data: bytes) -> os.stat_result:
    """Write a file the last build did not: most often there is none yet (a cold build writes
    33,000), so it is created at once rather than looked for first; one already there (an output
    folder the cache did not know) is left as it is if it holds these very bytes."""
    try:
        fd = _open(path, os.O_EXCL)
    except FileExistsError:
        with open(path, "rb") as f:
            same = f.read() == data
        return os.stat(path) if same else _overwrite(path, data)
    return _write_and_close(fd, data, truncate=False)


def _overwrite(path: str, data: bytes) -> os.stat_result:
    """Write ``data`` over the file's old bytes, cut it to length, and return its stat.

    Not ``open(path, "wb")``: ext4 writes a file truncated to empty out to disk when it is closed
    (auto_da_alloc, against losing its new bytes in a crash), which cost 110 to 190 microseconds
    a page when 600 listing pages were written again, against 11 to 18 this way."""
    return _write_and_close(_open(path, 0), data, truncate=True)


def _open(path: str, flags: int) -> int:
    """The file opened for writing (created if missing, with its folder: one ``mkdir`` as its
    parent mostly exists, every page of a site being in a folder of its own)."""
    flags |= os.O_WRONLY | os.O_CREAT
    try:
        return os.open(path, flags, 0o666)
    except FileNotFoundError:
        folder = os.path.dirname(path)
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            pass
        return os.open(path, flags, 0o666)


def _write_and_close(fd: int, data: bytes, truncate: bool) -> os.stat_result:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if truncate:
            os.ftruncate(fd, len(data))
        return os.fstat(fd)
    finally:
        os.close(fd)


class _FeedBuffer(StringIO):
    """What ``write_feed`` writes into; on close the bytes go through the ledger."""

    def __init__(self, writer: IncrementalWriter, name: str, path: str):
        super().__init__()
        self._writer, self._output_name, self._path = writer, name, path

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode("utf-8")
            ledger = self._writer.ledger
            ledger.current[self._output_name] = ledger.write(self._output_name, self._path, data)
        super().close()


class IncrementalWriter(Writer):
    """Set up per build by the plugin's session (``ledger``, ``records``, ``workers``)."""

    session: Any = None  # newsroom_speed.session.Session of the running build

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self.ledger: OutputLedger = self.session.ledger
        self.session.writer = self
        self.jobs: list[PageJob] = []
        self.articles: list[tuple] = []  # (generator, write, article) of article_pages.py
        self.feeds: list[_FeedJob] = []  # write_feed calls, decided at flush
        self._feeds_claimed: set[str] = set()  # their paths, claimed when Pelican asked
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

    # -- article pages (article_pages.py) ----------------------------------------------------
    def defer_article(self, generator, write, article) -> None:
        """Pelican's write of an article page, decided at ``flush`` when digests are known (at
        once if the last build left no article pages to keep, as in a cold build). The page of
        a story whose file was edited or added is rendered and written now, where stock Pelican
        writes it: an editor previewing it need not wait for the rest of the site."""
        if not self.session.old_article_pages:
            self._write_article(generator, write, article, generator.get_template(article.template))
        elif self.session.file_changed(article.source_path):
            self._preview_article(generator, write, article)
        else:
            self.articles.append((generator, write, article))

    def _preview_article(self, generator, write, article) -> None:
        queued = len(self.jobs)
        self._write_article(generator, write, article, generator.get_template(article.template))
        if len(self.jobs) > queued:  # (not skipped by Pelican's rules for writing a file twice)
            job = self.jobs.pop()
            tracking.install(job.template.environment)
            self._rendered(job, *_render(job))
            if signals.content_written.receivers:  # as stock sends it: when the page is written
                signals.content_written.send(job.path, context=job.localcontext())

    def _write_articles(self) -> None:
        """Keep the pages of unchanged articles with last build's values; let Pelican write
        (queue) the others."""
        articles, self.articles = self.articles, []
        self.session.prepare_checks(articles[0][0].context)
        for generator, write, article in articles:
            template = generator.get_template(article.template)
            page = self._kept_article(generator, article, template, write.keywords["relative_urls"])
            if page is None:
                self._write_article(generator, write, article, template)
            else:
                self.session.article_pages[article.source_path] = page

    def _write_article(self, generator, write, article, template) -> None:
        """Pelican's own write call; what it queued is remembered for the next build."""
        queued = len(self.jobs)
        article_pages.write_article(generator, write, article)
        if len(self.jobs) > queued:
            job = self.jobs[-1]
            self.session.article_pages[article.source_path] = article_pages.ArticlePage(
                article.save_as, article.url, template.name, job.name, job.path, job.localsiteurl,
                write.keywords["relative_urls"])

    def _kept_article(self, generator, article, template, relative_urls: bool):
        """The article's ArticlePage if its page can stay as the last build wrote it."""
        session = self.session
        old = session.old_article_pages.get(article.source_path)
        if (
            old is None
            or old.template != template.name
            or old.relative_urls != relative_urls
            or not session.article_unchanged(article)
        ):
            return None
        kwargs = article_pages.page_names(article, old.url)
        job = self._job(template, generator.context, old.save_as, old.path, kwargs, relative_urls,
                        (old.name, old.localsiteurl))
        # The page's own names (article, category, url, output_file...) hold what they held
        # last time: the article's fields, which it kept, and last build's values.
        if not session.unchanged(job, own_as_before=True):
            return None
        self._leave_localsiteurl(job)
        if self._claim(old.path, kwargs["override_output"]):
            session.keep(job.name)
        urlmemo.remember(article, old.save_as, old.url)
        return old

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
            self.feeds = [feed for feed in self.feeds if feed.complete_path != filename]
        if override:
            overridden.add(filename)
        written.add(filename)
        return True

    def _open_w(self, filename, encoding, override=False):
        """Used by the inherited ``write_feed``: a buffer the ledger writes when it is closed."""
        if filename in self._feeds_claimed:  # a deferred feed (write_feed) claimed it when asked
            self._feeds_claimed.discard(filename)
        elif not self._claim(filename, override):
            return StringIO()
        return _FeedBuffer(self, self._output_name(filename), filename)

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        """Stock ``write_feed``, decided at ``flush`` (when every story's digest is known): skipped
        if the items and settings it would use are as last time. Returns None (Pelican ignores it)."""
        if not path or signals.feed_generated.receivers or signals.feed_written.receivers:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        complete_path = sanitised_join(self.output_path, path)
        if self._claim(complete_path, override_output):
            items = elements[: self.settings["FEED_MAX_ITEMS"]]
            self.feeds.append(_FeedJob(items, context, path, url, feed_type, feed_title, complete_path,
                                       context.get("localsiteurl")))
        return None

    def _write_feeds(self) -> None:
        """The deferred feeds: kept if unchanged, else written by stock ``write_feed`` as it would
        have been when asked (the stories' summaries see that moment's ``localsiteurl``)."""
        feeds, self.feeds = self.feeds, []
        session = self.session
        for feed in feeds:
            name = self._output_name(feed.complete_path)
            with _localsiteurl(feed.context, feed.localsiteurl):
                key = self._feed_key(feed)
                if session.feed_unchanged(name, feed.complete_path, key):
                    self.ledger.current[name] = self.ledger.previous[name]
                    continue
                self._feeds_claimed.add(feed.complete_path)
                try:
                    super().write_feed(feed.items, feed.context, feed.path, feed.url, feed.feed_type, False,
                                       feed.title)
                finally:
                    self._feeds_claimed.discard(feed.complete_path)
            session.records[name] = (_FEED, key)

    def _feed_key(self, feed: _FeedJob) -> bytes:
        """A digest of all a feed is made of: its settings and its items (a covered story by its
        field digest: every property the feed reads derives from its fields, versions.py)."""
        context = feed.context
        site_url = context.get("SITEURL", path_to_url(get_relative_path(feed.path)))
        inputs = [feed.feed_type, feed.url, feed.title, site_url, context.get("FEED_DOMAIN"), context["SITENAME"],
                  context.get("SITESUBTITLE"), feed.localsiteurl]
        versions = self.session.versions
        for item in feed.items:
            digests = versions.now(item)
            if digests is not None and contract.context_of(item) is context:
                inputs.append(digests[0])
            else:
                inputs.append([getattr(item, field, None) for field in _FEED_FIELDS])
                inputs.append(item.get_content(site_url))
        return self.session.fingerprinter.digest(inputs)

    # -- producing -------------------------------------------------------------------------
    def flush(self) -> None:
        """Check the queued pages, render the changed ones (in parallel), then send Pelican's
        content_written for all of them."""
        if self.articles:
            self._write_articles()
        if self.feeds:
            self.session.prepare_checks(self.feeds[0].context)
            self._write_feeds()
        jobs, self.jobs = self.jobs, []
        if not jobs:
            return
        session = self.session
        settle()  # the whole site is read: no need to walk it in every full collection
        session.prepare_checks(jobs[0].context)
        for environment in {id(job.template.environment): job.template.environment for job in jobs}.values():
            tracking.install(environment)
        # Checks run here: a check is cheap, and in a worker it costs more in copied memory than
        # it saves; only the pages to render go to the pool.
        stale = []
        for i, job in enumerate(jobs):
            if session.unchanged(job):
                session.keep(job.name)
            else:
                stale.append(i)
        session.skipped += len(jobs) - len(stale)
        global _jobs
        _jobs = jobs
        blocks = BlockStore(session)
        blocks.read_ahead(len(stale))
        tracking.use_blocks(blocks)
        results = []
        try:
            with contextlib.ExitStack() as stack:
                if session.workers < 2 or len(stale) < session.min_batch:
                    done = iter([_produce_chunk(stale)])
                else:
                    _digest_paginators(jobs, stale, session.fingerprinter)
                    tracking.find_referenced_files({id(jobs[i].template): jobs[i].template for i in stale}.values())
                    chunks = [stale[k:k + _CHUNK] for k in range(0, len(stale), _CHUNK)]
                    pool = stack.enter_context(forked_pool(session.workers, tasks_per_worker=_CHUNKS_PER_WORKER))
                    done = pool.imap_unordered(_produce_chunk, chunks)
                for chunk, taken in done:  # blocks stored as they come (a cold build renders 60,000)
                    results.extend(chunk)
                    session.blocks_reused += blocks.store(taken)
        finally:
            _jobs = None
            tracking.use_blocks(None)
            blocks.close()
        for i, (record, entry) in results:
            self._rendered(jobs[i], record, entry)
        if signals.content_written.receivers:
            for job in jobs:
                signals.content_written.send(job.path, context=job.localcontext())

    def _rendered(self, job: PageJob, record: tuple | None, entry: tuple) -> None:
        """Keep what a page just rendered read (for the next build's check) and wrote."""
        self.session.records[job.name] = (job.template.name, tracking.compact(record))
        self.ledger.current[job.name] = entry
        self.session.rendered += 1


_FEED = "<feed>"  # template name of a feed's record
_CHUNK = 64  # pages per task sent to a rendering worker
# A rendering worker is replaced after this many tasks (about 400 pages): each story it shows
# copies some 13 KiB of the parent's memory into it (reference counts written, summaries and
# teasers memoized), so two long-lived workers would near the parent's size again; a fresh fork()
# costs a few milliseconds. 20,000 articles, cold, peak PSS: 805 MiB with 6, 875 with 20 tasks.
_CHUNKS_PER_WORKER = 6
# What Pelican's Writer reads from a feed item (besides get_content): contract.COPIES.
_FEED_FIELDS = ("source_path", "title", "url", "summary", "date", "modified", "category", "tags", "author")
_jobs: list[PageJob] | None = None  # the pages being flushed; fork()ed workers inherit them


def _to_root(name: str) -> str:
    """``path_to_url(get_relative_path(name))``, a page's relative way up to the site root: for
    a plain relative name (no leading, trailing or doubled slash) one ".." per slash, without
    Pelican's split_all loop (30 microseconds a page); other names go through Pelican's code."""
    if os.sep != "/" or name.startswith("/") or name.endswith("/") or "//" in name:
        return path_to_url(get_relative_path(name))
    return "/".join([os.pardir] * name.count("/")) or os.curdir


def _produce(index: int) -> tuple[int, tuple]:
    """Render one page of ``_jobs``: (index, (record, ledger entry))."""
    return index, _render(_jobs[index])


def _render(job: PageJob) -> tuple[tuple | None, tuple]:
    """Render and write one page: (its record, its ledger entry)."""
    session = IncrementalWriter.session
    recorder = tracking.Recorder(session.fingerprinter, job.lookup, session.versions.covers, job.render_siteurl)
    job.context["localsiteurl"] = job.render_siteurl
    recorder.template(job.template)  # the page's own template (extends, imports: recorded as loaded)
    tracking.recording(recorder)
    try:
        output = job.template.render(job.localcontext())
    finally:
        tracking.recording(None)
    entry = session.ledger.write(job.name, job.path, output.encode("utf-8"))
    logger.info('Writing "%s"', job.path)
    return recorder.record(job.shared[1]), entry


def _digest_paginators(jobs: list[PageJob], indices: list[int], fingerprinter: Fingerprinter) -> None:
    """Digest, before the workers fork, the paginators the pages will record: a worker doing it
    walks every story of the listing (20,000 for the front page's), and each reference it takes
    writes to a story shared with the parent, copying about 4 KiB apiece into the worker."""
    for i in indices:
        for value in jobs[i].kwargs.values():
            if isinstance(value, Paginator):
                try:
                    fingerprinter.digest(value)
                except Volatile:
                    pass  # the page records it as volatile itself


def _produce_chunk(indices: list[int]) -> tuple[list[tuple], tuple]:
    """Render pages; also returns the blocks they rendered and how many they reused (blocks.py)."""
    return [_produce(i) for i in indices], tracking.blocks_taken()
