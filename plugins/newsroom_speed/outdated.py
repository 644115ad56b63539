"""The outdated decision: can a page, a feed or an article page keep what the last build wrote?

A page can when its output file is as written and what it read (its record, tracking.py) is
as it was: the same template, content objects with the same field digests (versions.py), the
same names and attributes. With NEWSROOM_SPEED_EXPLAIN on, each page rendered again is named
with the first input that changed (reasons.py).
"""

from __future__ import annotations

import os
from typing import Any

from pelican.contents import Content

from . import reasons, tracking
from .fingerprint import Fingerprinter
from .ledger import OutputLedger
from .records import ArticlePage, BuildState, Inputs, PageRecord, PageRecords
from .versions import BodyDigests, Versions


class Checks:
    """One build's checks, against the last build's records (if they are for the same settings,
    code and template files)."""

    def __init__(self, previous: BuildState | None, inputs: Inputs, old: PageRecords | None, ledger: OutputLedger,
                 fingerprinter: Fingerprinter, settings: dict, workers: int, min_batch: int, explain: bool = False):
        self.previous, self.inputs, self.ledger, self.fp = previous, inputs, ledger, fingerprinter
        self.workers, self.min_batch = workers, min_batch
        self.bodies = BodyDigests()  # the object cache hands over, Versions uses
        self.old_records: dict[str, PageRecord] = old.records if old else {}
        self.old_article_pages: dict[str, ArticlePage] = old.articles if old else {}
        self.versions = Versions(fingerprinter, old.versions if old else {}, self.bodies)
        self.records: dict[str, PageRecord] = {}  # this build's
        self.article_pages: dict[str, ArticlePage] = {}  # this build's, by source path
        self.attr_memo: dict = {}  # digests of names and attributes, shared by the pages of the build
        self._contents: dict[str, Content] | None = None
        self._content_root = os.path.join(os.path.abspath(settings["PATH"]), "")
        self._reasons = reasons.Explainer(self, settings) if explain else None

    def contents(self, context: dict | None = None) -> dict[str, Content]:
        """Source path -> content object of every object in the shared context (made once)."""
        if self._contents is None:
            if context is None:
                return {}  # asked before the first check: nothing to name yet
            self._contents = {}
            for table in ("generated_content", "static_content"):
                for obj in context.get(table, {}).values():
                    if isinstance(obj, Content):
                        self._contents[obj.source_path] = obj
        return self._contents

    def prepare(self, context: dict) -> None:
        """Have every content object's digest (made over the workers, which then end, or here)
        before pages are checked and rendering workers fork."""
        contents = self.contents(context)
        self.versions.all(contents, self.workers if len(contents) >= self.min_batch else 1)

    def unchanged(self, job: Any, own_as_before: bool = False) -> bool:
        """Can this page keep last build's output? ``own_as_before``: the caller knows the page's
        own names (its arguments) hold what they held in the last build."""
        old = self.old_records.get(job.name)
        if old is None or old.reads is None or old.template != job.template.name:
            return False
        if not self.ledger.intact(job.name, job.path):
            return False
        reads = old.reads
        digest = tracking.current_digest(
            reads, job.lookup, self.contents(job.context), self.fp, self.attr_memo, self.versions,
            job.render_siteurl, job.shared, reads.own_digest if own_as_before else None,
        )
        return digest == reads.digest

    def keep(self, name: str) -> None:
        """Carry an unchanged page's record and output entry into this build."""
        self.records[name] = self.old_records[name]
        self.ledger.keep(name)

    def feed_unchanged(self, name: str, path: str, key: bytes) -> bool:
        """Was this feed written from the same inputs, and is the file still as written? (If so
        it is kept.)"""
        old = self.old_records.get(name)
        if old is None or old.reads != key or not self.ledger.intact(name, path):
            if self._reasons:
                self._reasons.feed(name, old, path)
            return False
        self.keep(name)
        return True

    def file_changed(self, path: str) -> bool:
        """Was this content file (absolute path) edited or added since the last build, or is it
        read with other settings or code (a new cleaner...)?"""
        if self.previous is None or self.previous.inputs.settings_code != self.inputs.settings_code:
            return True
        name = self.content_name(path)
        return self.previous.inputs.content.get(name, 1) != self.inputs.content.get(name)

    def content_name(self, path: str) -> str:
        """A content file's name relative to PATH."""
        root = self._content_root
        return path[len(root):] if path.startswith(root) else os.path.relpath(path, root)

    def article_unchanged(self, article: Content) -> bool:
        """Are the article's fields (so its save_as and url) as in the last build?"""
        return self.versions.unchanged((article.source_path,), self.contents())

    def explain(self, job: Any) -> None:
        """Say why this page is rendered again (with NEWSROOM_SPEED_EXPLAIN on)."""
        if self._reasons:
            self._reasons.page(job)

    def saved(self, build: str, contents: dict[str, Content] | None) -> PageRecords:
        """What the next build checks its pages with."""
        versions = self.versions.all(contents) if contents is not None else {}
        return PageRecords(build, self.records, versions, self.article_pages)
