"""One build with newsroom_speed: decide how little work is needed, run Pelican, record the result.

Before Pelican runs, the inputs (every file under PATH, the theme, the settings, the plugin and
library code) are compared with the previous build's:
- nothing changed, every output file is as we left it and no other plugin's output went
  stale (``outputs_current``: a search index damaged, a sitemap whose time window moved): the
  build is skipped;
- only theme static files changed: they are copied and the build is skipped (templates, content
  and settings cannot see a static file's bytes);
- otherwise Pelican runs with the caching reader and the incremental writer; page records from
  the previous build are reused only if settings, templates and code are the same.
Afterwards files the previous build produced and this one did not are deleted, so the output
equals a clean build's, and the new state is saved atomically.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.metadata
import logging
import os
import pickle
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from blinker import signal
from jinja2 import FileSystemBytecodeCache
from pelican.contents import Content
from pelican.readers import MarkdownReader
from pelican.utils import clean_output_dir

from . import article_pages, contract, fastdate, linkscan, listing, objects, pathmemo, scrape_cache, timememo, tracking, urlmemo
from .fingerprint import Fingerprinter, Volatile
from .markdown_cache import CachedMarkdownReader, MarkdownCache, markdown_files
from .pool import settle
from .settings import SpeedSettings, speed_settings
from .lock import LOCK_NAME
from .store import CacheDamage, RenderCache, SealedBytecodeCache, load_state, save_state
from .versions import BodyDigests, Versions
from .writer import IncrementalWriter, OutputLedger

logger = logging.getLogger(__name__)

LIBRARIES = ("pelican", "jinja2", "markdown", "markupsafe", "feedgenerator")

# What other plugins say about output this one does not track, by signal name, so they need not
# import it. During a build: ``output_expires.send(sender, at=datetime)``, output written from
# the clock goes stale at ``at`` (kept in the state, the earliest of them). Before a build is
# skipped: ``outputs_current.send(pelican, expires=that datetime or None)``, a receiver
# returning False has the build run (its output is damaged or stale).
output_expires = signal("newsroom_output_expires")
outputs_current = signal("newsroom_outputs_current")


def _stat(path: str) -> tuple:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _tree(root: str, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Relative path -> stat of every file under ``root`` (except under ``skip``)."""
    found = {}
    start = len(os.path.join(root, ""))  # os.walk's folders are root + os.sep + names: slice, not relpath
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            path = os.path.join(folder, name)
            try:
                found[path[start:]] = _stat(path)
            except OSError:  # a dangling or looping symlink: left to its reader, which names it in one line
                continue
    return found


def _code_digest(plugins: list) -> bytes:
    """Library versions and the source of every loaded plugin (its whole package)."""
    h = hashlib.blake2b(digest_size=16)
    for name in LIBRARIES:
        h.update(f"{name}={importlib.metadata.version(name)};".encode())
    for plugin in plugins:
        module_file = getattr(plugin, "__file__", None) or ""
        folder = os.path.dirname(module_file) if module_file.endswith("__init__.py") else module_file
        files = sorted(Path(folder).rglob("*.py")) if os.path.isdir(folder) else [Path(module_file)]
        for file in files:
            if file.is_file():
                h.update(str(file).encode() + b"\0" + file.read_bytes())
    return h.digest()


class Session:
    """State of one build; the signal handlers in __init__.py talk to the running one."""

    def __init__(self, pelican):
        self.pelican = pelican
        self.settings = pelican.settings
        self.speed: SpeedSettings = speed_settings(self.settings)
        self.output = os.path.abspath(pelican.output_path)
        # Small state (inputs, outputs) apart from the page records, which only a real build needs.
        self.state_path = self.speed.cache_path / "state.pickle"
        self.records_path = self.speed.cache_path / "records.pickle"
        self.previous = load_state(self.state_path) or {}
        MarkdownReader(self.settings)  # normalises settings["MARKDOWN"] as every build does
        self.fingerprinter = Fingerprinter()
        self.inputs = self._inputs()
        self.generators: list = []
        self.writer: IncrementalWriter | None = None
        self.ledger = OutputLedger(self.previous.get("outputs", {}))
        self.records: dict[str, tuple] = {}
        self._old_records: dict[str, tuple] = {}
        # source path -> ArticlePage of this and the last build's article pages (article_pages.py)
        self.article_pages: dict[str, article_pages.ArticlePage] = {}
        self.old_article_pages: dict[str, article_pages.ArticlePage] = {}
        self.bodies = BodyDigests()  # the object cache hands over, Versions uses
        self.versions = Versions(self.fingerprinter, {}, self.bodies)
        self._contents: dict[str, Content] | None = None
        self._content_root = os.path.join(os.path.abspath(self.settings["PATH"]), "")
        self._attr_memo: dict = {}
        self.produced: set[str] | None = None
        self.rendered = self.skipped = self.blocks_reused = self.read_ahead = 0
        self.workers, self.min_batch = self.speed.workers, self.speed.min_batch
        self.store: RenderCache | None = None
        self.objects_enabled = False
        self._template_cache: FileSystemBytecodeCache | None = None
        self.expires = None  # the earliest datetime output_expires was sent in this build
        self.due = None  # the earliest date of a story scheduled for later (by Pelican's clock)

    # -- inputs ----------------------------------------------------------------------------
    def _inputs(self) -> dict:
        settings = self.settings
        theme = settings["THEME"]
        skip = tuple(os.path.abspath(p) for p in (self.output, settings["CACHE_PATH"]))
        templates = {}
        for folder in [os.path.join(theme, "templates"), *settings.get("THEME_TEMPLATES_OVERRIDES", [])]:
            found = _tree(folder)
            templates.update({f"{folder}:{k}": v for k, v in found.items()})
            for name in found:
                # the bytes pages record for their templates (tracking.py), as the build starts: a
                # template saved while pages render makes them render again next time
                self.fingerprinter.file(os.path.abspath(os.path.join(folder, name)))
        try:
            # this plugin's own settings change how fast, never what is built
            settings_digest = self.fingerprinter.digest(
                {k: v for k, v in settings.items() if not k.startswith("NEWSROOM_SPEED_")}
            )
        except Volatile as error:
            logger.info("newsroom_speed: settings have no stable digest (%s); pages always rendered", error)
            settings_digest = os.urandom(16)
        settings_code = settings_digest + _code_digest(self.pelican.plugins)
        return {
            # what content objects are read with: settings and code
            "settings_code": hashlib.blake2b(settings_code, digest_size=16).digest(),
            # what every page's and kept block's record assumes: the same, and which template
            # files there are (a record holds the bytes of those it used, tracking.py; a file
            # added may shadow one)
            "pages": hashlib.blake2b(settings_code + repr(sorted(templates)).encode(), digest_size=16).digest(),
            # all a build depends on but the content: compiled templates, the fast path
            "global": hashlib.blake2b(settings_code + repr(sorted(templates.items())).encode(),
                                      digest_size=16).digest(),
            "content": _tree(os.path.abspath(settings["PATH"]), skip),
            "theme_static": self._theme_static(),
        }

    def _theme_static(self) -> dict[str, tuple]:
        """Output path -> (source path, stat) of the theme's static files, as Pelican copies them."""
        settings, found = self.settings, {}
        ignores = settings["IGNORE_FILES"]
        for path in settings["THEME_STATIC_PATHS"]:
            source = os.path.join(settings["THEME"], path)
            target = os.path.join(settings["THEME_STATIC_DIR"])
            if os.path.isfile(source):
                found[os.path.normpath(os.path.join(target, os.path.basename(path)))] = (source, _stat(source))
            for rel, stat in _tree(source).items() if os.path.isdir(source) else ():
                if not any(fnmatch.fnmatch(part, i) for part in Path(rel).parts for i in ignores):
                    found[os.path.normpath(os.path.join(target, rel))] = (os.path.join(source, rel), stat)
        return found

    def _outputs_intact(self) -> bool:
        """Pages and feeds as the last build wrote them, static copies present."""
        previous = self.previous.get("outputs", {})
        return all(self.ledger.intact(name, os.path.join(self.output, name)) for name in previous) and all(
            os.path.isfile(os.path.join(self.output, name)) for name in self.previous.get("produced", ())
        )

    def _others_current(self) -> bool:
        """Is the last build's output still good: no story it held as scheduled is due (Pelican
        compares with the real clock), and every other plugin finds its own output current?"""
        due = self.previous.get("due")
        if due is not None and datetime.now(UTC) >= due:
            logger.info("newsroom_speed: nothing changed but a story scheduled for %s is due; building",
                        due.isoformat(timespec="seconds"))
            return False
        answers = outputs_current.send(self.pelican, expires=self.previous.get("expires"))
        if all(answer is not False for _, answer in answers):
            return True
        logger.info("newsroom_speed: nothing changed but another plugin's output is stale or damaged; building")
        return False

    def output_expires(self, at) -> None:
        """A plugin wrote output that goes stale at ``at`` (an aware datetime)."""
        if self.expires is None or at < self.expires:
            self.expires = at

    # -- the build -------------------------------------------------------------------------
    def run(self, pelican_run) -> None:
        before, now = self.previous.get("inputs"), self.inputs
        if self.speed.fast_path and before and before["global"] == now["global"]:
            if before["content"] == now["content"] and self._outputs_intact() and self._others_current():
                if before["theme_static"] != now["theme_static"]:
                    self._copy_theme_static(before["theme_static"], now["theme_static"])
                    self._save(self.previous["produced"], theme_only=True)
                    logger.info("newsroom_speed: only theme static files changed; copied them")
                else:
                    logger.info("newsroom_speed: nothing changed; output is up to date")
                return
        if not self.previous:
            self._clean_output()
        elif (before or {}).get("pages") == now["pages"]:
            records = load_state(self.records_path) or {}
            if records.get("build") == self.previous.get("build"):
                self._old_records = records["records"]
                self.old_article_pages = records.get("articles", {})
                self.versions = Versions(self.fingerprinter, records["versions"], self.bodies)
        store = self.store = RenderCache(self.speed.cache_path / "render.sqlite")
        self.objects_enabled = objects.reading_signals_free()
        md_cache = MarkdownCache(store, self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])
        scrapes = scrape_cache.scraped_files(self.settings)
        cleaner = scrape_cache.ScrapeCache(store) if scrapes else None
        started = time.perf_counter()
        if self.objects_enabled and self.workers > 1:
            rendered_md = cleaned = 0  # the files are read over the workers (preread.py), converted there
        else:
            rendered_md, cleaned = self._convert_ahead(md_cache, cleaner, scrapes)
        if cleaner:
            cleaner.install()
        prepared = time.perf_counter()
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
            " state saved in %.1f s",
            rendered_md, cleaned, prepared - started, built - prepared, self.read_ahead, self.rendered,
            self.blocks_reused,
            self.skipped, time.perf_counter() - built,
        )

    def _run_pelican(self, pelican_run, store: RenderCache) -> None:
        """Pelican's own run, with this build's patches; the caches are pruned after it, dropped
        if it failed on damage."""
        before, now = self.previous.get("inputs") or {}, self.inputs
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
                store.prune_objects(now["settings_code"], before.get("settings_code"))
            if before.get("pages") != now["pages"]:
                store.prune_blocks(now["pages"])
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
        scrapes cleaned over the workers before Pelican reads; returns how many of each."""
        extensions = [e for e in MarkdownReader.file_extensions if e not in self.settings["READERS"]]
        root = os.path.abspath(self.settings["PATH"])
        md_files = markdown_files(root, self.inputs["content"], extensions, self.settings["IGNORE_FILES"])
        rendered = md_cache.prerender(self._changed(md_files), self.workers, self.min_batch)
        if not cleaner:
            return rendered, 0
        changed = set(self._changed([path for path, _ in scrapes]))
        return rendered, cleaner.preclean([s for s in scrapes if s[0] in changed], self.workers, self.min_batch,
                                          scrape_cache.template_finder(self.settings))

    def read_ahead_done(self, count: int) -> None:
        self.read_ahead += count

    def _changed(self, paths: list[str]) -> list[str]:
        """Content files not seen, as they are now, by the last build (the others are in the caches:
        if an entry is missing after all, the reader renders it in-process)."""
        return [path for path in paths if self.file_changed(path)]

    def finish_output(self) -> None:
        """Delete the files the previous build produced and this one did not."""
        self.produced = set(self.ledger.current) | self._static_outputs()
        self._delete_stale(set(self.previous.get("produced", ())) - self.produced)

    def _clean_output(self) -> None:
        """Without a usable state nobody knows which old files are stale: start from empty.

        Same guard and retention list as Pelican's own DELETE_OUTPUT_DIRECTORY.
        """
        content = os.path.realpath(self.settings["PATH"])
        output = os.path.realpath(self.output)
        if os.path.isdir(output) and os.path.commonpath([output, content]) != output:
            logger.info("newsroom_speed: no build state; emptying %s first", self.output)
            clean_output_dir(self.output, self.settings["OUTPUT_RETENTION"])

    def _static_outputs(self) -> set[str]:
        outputs = set(self.inputs["theme_static"])
        for generator in self.generators:
            for static in getattr(generator, "staticfiles", ()):
                outputs.add(os.path.normpath(static.save_as))
        return outputs

    def _copy_theme_static(self, before: dict, now: dict) -> None:
        for name, (source, stat) in now.items():
            if before.get(name, (None, None))[1] != stat:
                target = os.path.join(self.output, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(source, target)
        self._delete_stale(set(before) - set(now))

    def _delete_stale(self, names: set[str]) -> None:
        for name in sorted(names):
            path = os.path.join(self.output, name)
            if os.path.isfile(path):
                os.remove(path)
                folder = os.path.dirname(path)
                while folder != self.output and os.path.isdir(folder) and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = os.path.dirname(folder)

    def _save(self, produced: set[str], theme_only: bool = False) -> None:
        if theme_only:
            produced = (set(produced) - set(self.previous["inputs"]["theme_static"])) | set(
                self.inputs["theme_static"]
            )
            state = {**self.previous, "inputs": self.inputs, "produced": produced}
        else:
            build = os.urandom(8).hex()  # pairs the two files: records of another build are ignored
            versions = self.versions.all(self._content_index(self.generators[0].context)) if self.generators else {}
            save_state(self.records_path, {"records": self.records, "versions": versions, "build": build,
                                           "articles": self.article_pages})
            state = {
                "inputs": self.inputs,
                "outputs": self.ledger.current,
                "produced": produced,
                "build": build,
                "expires": self.expires,
                "due": self.due,
            }
        save_state(self.state_path, state)

    def template_cache(self) -> FileSystemBytecodeCache:
        """Jinja's compiled templates, kept between builds (a 20,000-article edit compiled them
        in 0.15 s). Jinja checks a template's source, not the environment's options, so the
        folder is named by the build's global digest (settings, templates, code); the folders
        of other digests are deleted."""
        if self._template_cache is None:
            name = f"templates-{self.inputs['global'].hex()}"
            for old in self.speed.cache_path.glob("templates-*"):
                if old.name != name:
                    shutil.rmtree(old, ignore_errors=True)
            folder = self.speed.cache_path / name
            folder.mkdir(parents=True, exist_ok=True)
            self._template_cache = SealedBytecodeCache(str(folder))
        return self._template_cache

    # -- used by the writer ----------------------------------------------------------------
    def unchanged(self, job, own_as_before: bool = False) -> bool:
        """Can this page keep last build's output? ``own_as_before``: the caller knows the page's
        own names (its arguments) hold what they held in the last build."""
        old = self._old_records.get(job.name)
        if old is None or old[1] is None or old[0] != job.template.name:
            return False
        if not self.ledger.intact(job.name, job.path):
            return False
        contents = self._content_index(job.context)
        digest = tracking.current_digest(
            old[1], job.lookup, contents, self.fingerprinter, self._attr_memo, self.versions, job.render_siteurl,
            job.shared, old[1][4] if own_as_before else None,
        )
        return digest == old[1][3]

    def file_changed(self, path: str) -> bool:
        """Was this content file (absolute path) edited or added since the last build, or is it
        read with other settings or code (a new cleaner...)?"""
        before = self.previous.get("inputs", {})
        if before.get("settings_code") != self.inputs["settings_code"]:
            return True
        root = self._content_root
        name = path[len(root):] if path.startswith(root) else os.path.relpath(path, root)
        return before["content"].get(name, 1) != self.inputs["content"].get(name)

    def article_unchanged(self, article: Content) -> bool:
        """Are the article's fields (so its save_as and url) as in the last build?"""
        return self.versions.unchanged((article.source_path,), self._content_index(self.generators[0].context))

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

    def prepare_checks(self, context: dict) -> None:
        """Have every content object's digest (made over the workers, which then end, or here)
        before pages are checked and rendering workers fork."""
        contents = self._content_index(context)
        self.versions.all(contents, self.workers if len(contents) >= self.min_batch else 1)

    def keep(self, name: str) -> None:
        """Carry an unchanged page's record and output entry into this build."""
        self.records[name] = self._old_records[name]
        self.ledger.current[name] = self.ledger.previous[name]

    def feed_unchanged(self, name: str, path: str, key: bytes) -> bool:
        """Was this feed written from the same inputs, and is the file still as written?"""
        old = self._old_records.get(name)
        if old is None or old[1] != key or not self.ledger.intact(name, path):
            return False
        self.records[name] = old
        return True

    def _content_index(self, context: dict) -> dict[str, Content]:
        if self._contents is None:
            self._contents = {}
            for table in ("generated_content", "static_content"):
                for obj in context.get(table, {}).values():
                    if isinstance(obj, Content):
                        self._contents[obj.source_path] = obj
        return self._contents
