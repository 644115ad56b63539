"""Feeds decided when every story's digest is known: a feed whose items and settings are as in
the last build keeps its file; the others are written by Pelican's own ``write_feed``."""

from __future__ import annotations

import contextlib
from io import StringIO
from typing import Any, NamedTuple

from pelican.plugins import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from . import contract
from .records import FEED_TEMPLATE, PageRecord

# What Pelican's Writer reads from a feed item besides get_content (contract.COPIES).
FEED_FIELDS = ("source_path", "title", "url", "summary", "date", "modified", "category", "tags", "author")


class FeedJob(NamedTuple):
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
def localsiteurl_set(context: dict, value: Any):
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


class _FeedBuffer(StringIO):
    """What ``write_feed`` writes into; on close the bytes go through the ledger."""

    def __init__(self, ledger, name: str, path: str):
        super().__init__()
        self._ledger, self._output_name, self._path = ledger, name, path

    def close(self) -> None:
        if not self.closed:
            data = self.getvalue().encode("utf-8")
            self._ledger.current[self._output_name] = self._ledger.write(self._output_name, self._path, data)
        super().close()


class DeferredFeeds:
    """The feed half of IncrementalWriter (a mixin: it uses the writer's ``_claim``,
    ``_output_name``, ``ledger`` and ``session``)."""

    def _init_feeds(self) -> None:
        self.feeds: list[FeedJob] = []  # write_feed calls, decided at flush
        self._feeds_claimed: set[str] = set()  # their paths, claimed when Pelican asked

    def _open_w(self, filename, encoding, override=False):
        """Used by the inherited ``write_feed``: a buffer the ledger writes when it is closed."""
        if filename in self._feeds_claimed:  # a deferred feed (write_feed) claimed it when asked
            self._feeds_claimed.discard(filename)
        elif not self._claim(filename, override):
            return StringIO()
        return _FeedBuffer(self.ledger, self._output_name(filename), filename)

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
            self.feeds.append(FeedJob(items, context, path, url, feed_type, feed_title, complete_path,
                                      context.get("localsiteurl")))
        return None

    def _drop_feed(self, filename: str) -> None:
        """Pelican writes this file again (override): the queued feed goes."""
        self.feeds = [feed for feed in self.feeds if feed.complete_path != filename]

    def _write_feeds(self) -> None:
        """The deferred feeds: kept if unchanged, else written by stock ``write_feed`` as it would
        have been when asked (the stories' summaries see that moment's ``localsiteurl``)."""
        feeds, self.feeds = self.feeds, []
        checks = self.session.checks
        checks.prepare(feeds[0].context)
        for feed in feeds:
            name = self._output_name(feed.complete_path)
            with localsiteurl_set(feed.context, feed.localsiteurl):
                key = self._feed_key(feed)
                if checks.feed_unchanged(name, feed.complete_path, key):
                    continue
                self._feeds_claimed.add(feed.complete_path)
                try:
                    super().write_feed(feed.items, feed.context, feed.path, feed.url, feed.feed_type, False,
                                       feed.title)
                finally:
                    self._feeds_claimed.discard(feed.complete_path)
            checks.records[name] = PageRecord(FEED_TEMPLATE, key)

    def _feed_key(self, feed: FeedJob) -> bytes:
        """A digest of all a feed is made of: its settings and its items (a covered story by its
        field digest: every property the feed reads derives from its fields, versions.py)."""
        context = feed.context
        site_url = context.get("SITEURL", path_to_url(get_relative_path(feed.path)))
        inputs = [feed.feed_type, feed.url, feed.title, site_url, context.get("FEED_DOMAIN"), context["SITENAME"],
                  context.get("SITESUBTITLE"), feed.localsiteurl]
        versions = self.session.checks.versions
        for item in feed.items:
            digests = versions.now(item)
            if digests is not None and contract.context_of(item) is context:
                inputs.append(digests[0])
            else:
                inputs.append([getattr(item, field, None) for field in FEED_FIELDS])
                inputs.append(item.get_content(site_url))
        return self.session.fingerprinter.digest(inputs)
