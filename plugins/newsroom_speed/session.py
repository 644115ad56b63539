"""One build with newsroom_speed: decide how little work is needed, run Pelican, record the result.

Before Pelican runs, the inputs are compared with the previous build's (inputs.py):
- nothing changed, the output is as we left it and no other plugin's output went stale: the
  build is skipped;
- only theme static files changed: they are copied and the build is skipped (templates, content
  and settings cannot see a static file's bytes);
- otherwise Pelican runs with the caching readers and the incremental writer; page records from
  the previous build are reused (outdated.py) only if settings, templates and code are the same.
Afterwards files the previous build produced and this one did not are deleted (cleanup.py), so
the output equals a clean build's, and the new state is saved atomically.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sqlite3
import time

from jinja2 import FileSystemBytecodeCache
from pelican.readers import MarkdownReader

from . import article_pages, cleanup, contract, fastdate, linkscan, listing, objects, pathmemo, scrape_cache, \
    timememo, urlmemo
from .fingerprint import Fingerprinter
from .inputs import nothing_changed, read_inputs
from .ledger import OutputLedger
from .lock import LOCK_NAME
from .markdown_cache import CachedMarkdownReader, MarkdownCache, markdown_files
from .outdated import Checks
from .pool import settle
from .records import BuildState, PageRecords
from .sealed import CacheDamage, SealedBytecodeCache, load_state, save_state
from .settings import SpeedSettings, speed_settings
from .store import RenderCache
from .writer import IncrementalWriter

logger = logging.getLogger(__name__)


class Session:
    """State of one build; the signal handlers in __init__.py talk to the running one."""

    def __init__(self, pelican):
        self.pelican = pelican
        self.settings = pelican.settings
        self.speed: SpeedSettings = speed_settings(self.settings)
        self.workers, self.min_batch = self.speed.workers, self.speed.min_batch
        self.output = os.path.abspath(pelican.output_path)
        # Small state (inputs, outputs) apart from the page records, which only a real build needs.
        self.state_path = self.speed.cache_path / "state.pickle"
        self.records_path = self.speed.cache_path / "records.pickle"
        self.previous: BuildState | None = load_state(self.state_path, BuildState)
        MarkdownReader(self.settings)  # normalises settings["MARKDOWN"] as every build does
        self.fingerprinter = Fingerprinter()
        self.inputs = read_inputs(self.settings, self.pelican.plugins, self.output, self.fingerprinter)
        self.ledger = OutputLedger(self.previous.outputs if self.previous else {})
        self.checks = self._checks(None)
        self.generators: list = []
        self.writer: IncrementalWriter | None = None
        self.store: RenderCache | None = None
        self.objects_enabled = False
        self.produced: set[str] | None = None
        self.rendered = self.skipped = self.blocks_reused = self.read_ahead = 0
        self._template_cache: FileSystemBytecodeCache | None = None
        self.expires = None  # the earliest datetime interface.output_expires was sent in this build
        self.due = None  # the earliest date of a story scheduled for later (by Pelican's clock)

    def _checks(self, old: PageRecords | None) -> Checks:
        return Checks(self.previous, self.inputs, old, self.ledger, self.fingerprinter, self.settings,
                      self.workers, self.min_batch, self.speed.explain)

    def output_expires(self, at) -> None:
        """A plugin wrote output that goes stale at ``at`` (an aware datetime)."""
        if self.expires is None or at < self.expires:
            self.expires = at

    def run(self, pelican_run) -> None:
        if self.speed.fast_path and nothing_changed(self.previous, self.inputs, self.ledger, self.output,
                                                    self.pelican):
            before, now = self.previous.inputs.theme_static, self.inputs.theme_static
            if before != now:
                cleanup.copy_theme_static(self.output, before, now)
                produced = (self.previous.produced - set(before)) | set(now)
                save_state(self.state_path, BuildState(self.inputs, self.previous.outputs, produced,
                                                       self.previous.build, self.previous.expires, self.previous.due))
                logger.info("newsroom_speed: only theme static files changed; copied them")
            else:
                logger.info("newsroom_speed: nothing changed; output is up to date")
            return
        if self.previous is None:
            cleanup.clean_output(self.settings, self.output)
        elif self.previous.inputs.pages == self.inputs.pages:
            old = load_state(self.records_path, PageRecords)
            if old is not None and old.build == self.previous.build:
                self.checks = self._checks(old)
        started = time.perf_counter()
        store = self.store = RenderCache(self.speed.cache_path / "render.sqlite")
        self.objects_enabled = objects.reading_signals_free()
        md_cache = MarkdownCache(store, self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])
        scrapes = scrape_cache.scraped_files(self.settings)
        cleaner = scrape_cache.ScrapeCache(store) if scrapes else None
        if self.objects_enabled and self.workers > 1:
            converted = (0, 0)  # the files are read over the workers (preread.py), converted there
        else:
            converted = self._convert_ahead(md_cache, cleaner, scrapes)
        prepared = time.perf_counter()
        if cleaner:
            cleaner.install()
        CachedMarkdownReader.cache, IncrementalWriter.session = md_cache, self
        try:
            with contract.build_scope():  # what is patched for this build is undone with it
                self._run_pelican(pelican_run, store)
        finally:
            store.flush()
            CachedMarkdownReader.cache = IncrementalWriter.session = None
            if cleaner:
                cleaner.uninstall()
        built = time.perf_counter()
        if self.produced is None:
            self.finish_output()
        self._save(self.produced)
        logger.info(
            "newsroom_speed: %d Markdown files rendered, %d scrapes cleaned (%.1f s); Pelican %.1f s"
            " (%d files read over the workers), %d pages rendered (%d blocks reused), %d unchanged;"
            " state saved in %.1f s", *converted, prepared - started, built - prepared, self.read_ahead,
            self.rendered, self.blocks_reused, self.skipped, time.perf_counter() - built)

    def _run_pelican(self, pelican_run, store: RenderCache) -> None:
        """Pelican's own run, with this build's patches; the caches are pruned after it, dropped
        if it failed on damage."""
        before = self.previous.inputs if self.previous else None
        for module in (fastdate, pathmemo, timememo, listing, article_pages, linkscan):
            module.install()
        settle()  # the last build's records and the caches' indexes live until the end
        # Not when Pelican empties the output folder first (DELETE_OUTPUT_DIRECTORY, publishconf.py):
        # stats taken before that would call the deleted pages intact, and they would not be written.
        if (self.workers > 1 and len(self.ledger.previous) >= self.min_batch
                and not self.settings.get("DELETE_OUTPUT_DIRECTORY")):
            self.ledger.look_ahead(self.output)  # while Pelican reads the site
        try:
            pelican_run()
            if self.objects_enabled:
                store.prune_objects(self.inputs.settings_code, before.settings_code if before else None)
            if before is None or before.pages != self.inputs.pages:
                store.prune_blocks(self.inputs.pages)
        except BaseException as error:
            store.flush()  # sees a damage mark a worker left
            if store.damage_seen or isinstance(error, (sqlite3.DatabaseError, CacheDamage, pickle.UnpicklingError)):
                self._drop_caches(store)
            raise
        finally:
            self.ledger.finish_look_ahead()

    def _drop_caches(self, store: RenderCache) -> None:
        """The build failed after damaged caches were found (or from damage): whatever the
        failure, none of them is trusted by the next build, which starts afresh."""
        logger.error("newsroom_speed: this build failed after finding damaged caches; they are deleted, "
                     "the next build starts afresh")
        store.drop()
        for path in self.speed.cache_path.iterdir():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name != LOCK_NAME:  # (held by this build)
                path.unlink(missing_ok=True)

    def _convert_ahead(self, md_cache: MarkdownCache, cleaner: scrape_cache.ScrapeCache | None,
                       scrapes: list[tuple[str, str]]) -> tuple[int, int]:
        """Without the object cache's read-ahead: the new Markdown files rendered and the new
        scrapes cleaned over the workers before Pelican reads; returns how many of each. (Files
        the last build saw as they are now are in the caches: if an entry is missing after all,
        the reader renders it in-process.)"""
        extensions = [e for e in MarkdownReader.file_extensions if e not in self.settings["READERS"]]
        root = os.path.abspath(self.settings["PATH"])
        md_files = markdown_files(root, self.inputs.content, extensions, self.settings["IGNORE_FILES"])
        changed = self.checks.file_changed
        rendered = md_cache.prerender([p for p in md_files if changed(p)], self.workers, self.min_batch)
        if not cleaner:
            return rendered, 0
        return rendered, cleaner.preclean([s for s in scrapes if changed(s[0])], self.workers, self.min_batch,
                                          scrape_cache.template_finder(self.settings))

    def read_ahead_done(self, count: int) -> None:
        self.read_ahead += count

    def finish_output(self) -> None:
        """Delete the files the previous build produced and this one did not."""
        self.produced = set(self.ledger.current) | cleanup.static_outputs(self.inputs.theme_static, self.generators)
        cleanup.delete_stale(self.output, (self.previous.produced if self.previous else set()) - self.produced)

    def _save(self, produced: set[str]) -> None:
        build = os.urandom(8).hex()  # pairs the two files: records of another build are ignored
        contents = self.checks.contents(self.generators[0].context) if self.generators else None
        save_state(self.records_path, self.checks.saved(build, contents))
        save_state(self.state_path, BuildState(self.inputs, self.ledger.current, produced, build, self.expires,
                                               self.due))

    def template_cache(self) -> FileSystemBytecodeCache:
        """Jinja's compiled templates, kept between builds. Jinja checks a template's source, not
        the environment's options, so the folder is named by the digest of all but the content
        (settings, templates, code); the folders of other digests are deleted."""
        if self._template_cache is None:
            name = f"templates-{self.inputs.everything.hex()}"
            for old in self.speed.cache_path.glob("templates-*"):
                if old.name != name:
                    shutil.rmtree(old, ignore_errors=True)
            folder = self.speed.cache_path / name
            folder.mkdir(parents=True, exist_ok=True)
            self._template_cache = SealedBytecodeCache(str(folder))
        return self._template_cache

    def contexts_ready(self, generators: list) -> None:
        """Every generator has read its content (the objects are final from here on). A story
        scheduled for later makes this build's output stale when it falls due."""
        self.generators = generators
        for generator in generators:
            for obj in getattr(generator, "drafts", ()):
                due = objects.scheduled(obj)
                if due is not None and (self.due is None or due < self.due):
                    self.due = due

    def writing(self) -> None:
        """Pelican is about to write: the content objects are final."""
        contract.at_build_end(urlmemo.install())
