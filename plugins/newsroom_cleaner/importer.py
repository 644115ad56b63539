"""Turn scraped files and WARC archives into reviewable Markdown posts under content/<section>/.

Every input is tried on its own: a bad one costs that file (or, in an archive, the records
from the damage on), with one line saying why, and the rest are imported. What became of each
page is an ``Outcome``; ``summary`` counts them, and the archive records passed over.

Cleaning is a pure function of a page, so it runs where ``distribute`` says: in this process,
on local worker processes or on a Dask cluster, in shards of pages. Workers only return what
they cleaned; this process alone writes posts, the ledger and review notes into the content
folder, in input order, so the output does not depend on where the cleaning ran and a worker
that dies loses nothing.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain, islice
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .article import CleanedArticle
from .distribute import InProcess, Progress, Runner, dask, in_order, processes
from .errors import CleanerError, NotAnArticle
from .localimages import SLUG_MAX, localize, slug
from .metadata import UNDATED_REVIEW, hold_undated, place_in_section
from .pipeline import clean_article
from .settings import SCRAPED_EXTENSIONS, WARC_SUFFIXES, ImageSettings, ImportSettings, ReaderSettings, undated_setting
from .sitetemplate import SiteTemplate, batch_templates
from .warcinput import PASSED_OVER_KINDS, Page, Unreadable, file_page, is_warc, ledger_keys, warc_pages
from .write import to_pelican_markdown

WRITTEN, HELD, SKIPPED, FAILED = "written", "held for review", "skipped", "failed"


@dataclass(frozen=True)
class Outcome:
    """What became of one input: ``status`` is WRITTEN, HELD, SKIPPED or FAILED; ``post`` the
    file written (WRITTEN, HELD); ``reason`` why it was held, skipped or failed. ``source`` is
    the file, or for a page of an archive its name (``archive#offset URL``)."""

    source: Path | str
    status: str
    post: Path | None = None
    reason: str = ""

    def line(self) -> str:
        """One line for the terminal: ``source: what happened``."""
        if self.status == WRITTEN:
            return f"{self.source}: wrote {self.post}{f'; {self.reason}' if self.reason else ''}"
        if self.status == HELD:
            return f"{self.source}: wrote {self.post} as a draft, held for review: {self.reason}"
        return f"{self.source}: {self.status}: {self.reason}"


@dataclass(frozen=True)
class Refused:
    """A page the cleaner would not turn into an article: SKIPPED (not an article) or FAILED."""

    status: str
    reason: str


class Imported(list):
    """An import's outcomes in input order (unless told not to keep them: a crawl has millions),
    how many had each status, and the archive records it passed over, by kind."""

    def __init__(self, keep: bool = True) -> None:
        super().__init__()
        self.keep = keep
        self.counts: Counter[str] = Counter()
        self.passed_over: Counter[str] = Counter()

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if self.keep:
            self.append(outcome)


def import_scraped(paths: Iterable[str | Path], content_dir: str | Path, *, force: bool = False,
                   options: ReaderSettings = ReaderSettings(), images: ImageSettings | None = None,
                   archive: Path | None = None, say: Callable[[Outcome], None] = lambda outcome: None,
                   workers: int | None = None, scheduler: str | None = None,
                   spread: ImportSettings = ImportSettings(), notify: Callable[[str], None] = lambda line: None,
                   keep_outcomes: bool = True,
                   site_template: Callable[[Path], SiteTemplate | None] = lambda path: None) -> Imported:
    """Write ``content/<section-slug>/<YYYY-MM-DD>-<slug>.md`` for each scraped page.

    ``paths``: scraped files, WARC archives (.warc, .warc.gz: their HTML pages with status 200,
    each payload once) and folders, which stand for the scrapes and archives in them (and below).
    Each page is cleaned and written on its own (``say`` hears each outcome, in input order); an
    existing post is never overwritten unless ``force``. A scrape with no publication date is
    handled as NEWSROOM_UNDATED says (``options.undated``: held as a draft by default; with
    "file-time" an archived page is dated by its capture time). A scrape in the content's scraped
    folders (``options.scraped_paths``), or a byte-identical copy of one there, is moved to
    ``archive`` once the story has a post, since the build would otherwise publish it twice;
    without an archive it is refused. With ``images`` enabled (NEWSROOM_FETCH_IMAGES), a post's
    images are kept in the site (localimages.py) once every check has passed.

    Where the cleaning runs: ``scheduler`` (a Dask scheduler's address), else ``workers`` local
    processes, else in this process for at most ``spread.in_process_max`` pages and on a Dask
    LocalCluster of ``spread.workers`` processes for more (``notify`` hears the dashboard's
    address). Archive pages already imported (the ledger, ``spread.ledger`` in the content
    folder) are passed over unless ``force``. Without ``keep_outcomes`` the result only counts
    them (``say`` still hears each). ``site_template(dump)``: the template the build cleans a dump
    with, if any (the reader's, for the scraped folders); it replaces what the import's own batch
    teaches, so a scrape imported from there is cleaned as the build cleaned it. Raises ValueError
    only for bad settings.
    """
    run = _Import(Path(content_dir), options, undated_setting(options.undated), images, archive, force)
    if archive is not None and _below(archive, run.content_dir) is not None:
        raise ValueError(f"NEWSROOM_IMPORTED_PATH ({archive}) must be outside the content folder {content_dir}")
    imported = Imported(keep_outcomes)
    inputs = _inputs(paths)
    ledger = _Ledger(run.content_dir / spread.ledger, force)
    stream = _stream(inputs, imported.passed_over, ledger.keys)
    with _runner(workers, scheduler, spread, stream, notify) as (runner, stream):
        templates = batch_templates([p for p in inputs if p.is_file()], partial(in_order, runner), spread.shard_pages,
                                    min_pages=options.template_min_pages, share=options.template_share)
        for folder, dump in {p.parent: p for p in inputs if p.suffix.lower() == ".txt" and p.is_file()}.items():
            if (template := site_template(dump)) is not None:
                templates[str(folder)] = template
        progress = Progress(sum(_size(p) for p in inputs))
        try:
            for shard, cleaned in in_order(runner, clean_shard, _shards(stream, templates, spread.shard_pages)):
                results = iter(cleaned) if isinstance(cleaned, list) else None
                for item in shard:
                    if isinstance(item, Page):
                        outcome = run.finish(item, next(results) if results is not None else cleaned)
                        ledger.note(item, outcome, run.content_dir)
                    else:
                        outcome = item
                    say(outcome)
                    imported.add(outcome)
                ledger.flush()
                progress.advance(sum(isinstance(item, Page) for item in shard), _upto(shard))
        finally:
            progress.close()
            ledger.close()
    return imported


def clean_shard(pages: list[Page], templates: Mapping[str, SiteTemplate]) -> list[CleanedArticle | Refused]:
    """The work a worker does: clean each page of a shard (a text dump with its site's template)."""
    return [_clean(page, templates.get(page.site) if page.site else None) for page in pages]


def _clean(page: Page, template: SiteTemplate | None) -> CleanedArticle | Refused:
    try:
        return clean_article(page.raw, page.url, source_name=page.name, template=template)
    except NotAnArticle as error:
        return Refused(SKIPPED, _reason(error, page.name))
    except CleanerError as error:
        return Refused(FAILED, _reason(error, page.name))
    except Exception as error:  # noqa: BLE001 - a cleaner bug must cost one page, not the import
        return Refused(FAILED, f"cleaner failed ({type(error).__name__}: {error})")


def summary(outcomes: Iterable[Outcome], passed_over: Mapping[str, int] | None = None) -> str:
    """``3 written, 1 held for review, 1 skipped, 2 failed``, then the archive records passed
    over if any: ``; archive records passed over: 2 duplicate, 5 not HTML``."""
    counts = outcomes.counts if isinstance(outcomes, Imported) else Counter(outcome.status for outcome in outcomes)
    text = ", ".join(f"{counts[status]} {status}" for status in (WRITTEN, HELD, SKIPPED, FAILED))
    passed = [f"{passed_over[kind]} {kind}" for kind in PASSED_OVER_KINDS if (passed_over or {}).get(kind)]
    return text + (f"; archive records passed over: {', '.join(passed)}" if passed else "")


def scrapes_in(folder: Path) -> list[Path]:
    """The .html/.htm/.txt files in ``folder`` and below it, sorted; none if it is missing."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower().lstrip(".") in SCRAPED_EXTENSIONS and p.is_file())


def scraped_home(path: Path, content_dir: Path, scraped_paths: Iterable[str]) -> Path | None:
    """``path`` below the scraped folder of ``content_dir`` it lies in, else None."""
    for folder in scraped_paths:
        if (below := _below(path, content_dir / folder)) is not None:
            return below
    return None


@dataclass
class _Import:
    """One ``import_scraped`` call: its settings, and the posts it has written so far."""

    content_dir: Path
    options: ReaderSettings
    policy: str
    images: ImageSettings | None
    archive: Path | None
    force: bool
    taken: set[str] = field(default_factory=set)  # the posts written, by name (a crawl has millions)

    def finish(self, page: Page, cleaned: CleanedArticle | Refused | Exception) -> Outcome:
        """Write the post of a cleaned page (this process alone writes into the content folder)."""
        source = page.name if page.key else page.path
        if isinstance(cleaned, Exception):  # the shard was lost with its workers
            return Outcome(source, FAILED, reason=f"not cleaned: {cleaned}")
        if isinstance(cleaned, Refused):
            return Outcome(source, cleaned.status, reason=cleaned.reason)
        article = cleaned
        place_in_section(article.metadata, self.options.default_category, self.options.section_map,
                         self.options.new_sections)
        if page.captured is not None and self.policy == "file-time":  # an archived page's file time
            article.metadata.setdefault("date", page.captured)
        note = hold_undated(article.metadata, self.policy, page.path)
        if note and self.policy == "skip":
            return Outcome(source, SKIPPED, reason=f"no publication date found: {note}")
        target = self.content_dir / slug(article.metadata["category"]) / _file_name(article.metadata, page)
        if str(target) in self.taken:
            return Outcome(source, SKIPPED, reason=f"another input of this import was written to {target}")
        copy = None if page.key else self._scraped_copy(page.path, page.raw)
        moved_to = None
        if copy is not None:
            if self.archive is None:
                return Outcome(source, FAILED,
                               reason=f"{copy} is in the scraped folder the build reads; move it out first")
            moved_to = self.archive / scraped_home(copy, self.content_dir, self.options.scraped_paths)
            if moved_to.exists():
                return Outcome(source, FAILED, reason=f"{copy} cannot be moved out of the build: {moved_to} exists")
        if target.exists() and not self.force:
            reason = f"{target} already exists; --force overwrites it"
            if moved_to is not None:  # the post is this story: the build must not publish it again
                _move(copy, moved_to)
                reason += f"; moved {copy} to {moved_to} so the story is built once"
            return Outcome(source, SKIPPED, reason=reason)
        if self.images is not None and self.images.enabled:
            article = localize(article, page.path, page.name, self.images)
        try:
            if moved_to is not None:
                _move(copy, moved_to)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(to_pelican_markdown(article), encoding="utf-8")
            except OSError:
                if moved_to is not None:
                    _move(moved_to, copy)  # no post: the scrape goes back where the build reads it
                raise
        except OSError as error:
            return Outcome(source, FAILED, reason=f"cannot write {error.filename or target}: {error.strerror or error}")
        self.taken.add(str(target))
        if note and self.policy == "draft":
            return Outcome(source, HELD, target, UNDATED_REVIEW)
        return Outcome(source, WRITTEN, target, f"moved {copy} to {moved_to}" if moved_to else "")

    def _scraped_copy(self, path: Path, raw: bytes) -> Path | None:
        """``path`` if it lies in a scraped folder, else a file there with the same bytes."""
        if scraped_home(path, self.content_dir, self.options.scraped_paths) is not None:
            return path
        return next((p for p in self._scrapes_by_size.get(len(raw), ()) if p.read_bytes() == raw), None)

    @cached_property
    def _scrapes_by_size(self) -> dict[int, list[Path]]:
        """The scraped folders' files by size: an identical copy is looked for among same-sized ones."""
        found = defaultdict(list)
        for folder in self.options.scraped_paths:
            for path in scrapes_in(self.content_dir / folder):
                found[path.stat().st_size].append(path)
        return found


class _Ledger:
    """The archive pages imported so far, one line each (``<payload digest> <URL>``, outcome,
    post), appended as their posts are written: a re-run passes them over. Failed pages are not
    noted, so a re-run tries them again; ``force`` ignores what is noted."""

    def __init__(self, path: Path, force: bool):
        self.path, self.file = path, None
        self.keys: set[bytes] = set()
        if not force and path.is_file():
            with path.open(encoding="utf-8", errors="surrogateescape") as lines:
                self.keys = ledger_keys(lines)

    def note(self, page: Page, outcome: Outcome, content_dir: Path) -> None:
        if page.key is None or outcome.status == FAILED:
            return
        if self.file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("a", encoding="utf-8", errors="surrogateescape")
        post = outcome.post.relative_to(content_dir).as_posix() if outcome.post else ""
        self.file.write(f"{page.key}\t{outcome.status}\t{post}\n")

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


@contextmanager
def _runner(workers: int | None, scheduler: str | None, spread: ImportSettings, stream: Iterator,
            notify: Callable[[str], None]) -> Iterator[tuple[Runner, Iterator]]:
    """Where to clean, and the stream to clean (its head read to count the pages of a small import)."""
    if scheduler:
        with dask(scheduler, None, notify) as runner:
            yield runner, stream
    elif workers:
        with processes(workers) as runner:
            yield runner, stream
    else:
        head = list(islice(stream, spread.in_process_max + 1))
        if len(head) <= spread.in_process_max:
            yield InProcess(), iter(head)
        else:
            with dask(None, spread.workers, notify) as runner:
                yield runner, chain(head, stream)


def _stream(inputs: list[Path], passed_over: Counter[str], imported: set[bytes]) -> Iterator[Page | Outcome]:
    """The pages of the inputs in order, read lazily; what cannot be read is already an Outcome."""
    seen: set[bytes] = set()
    base = 0
    for path in inputs:
        if path.is_dir():  # a folder with no scrapes in it
            kinds = ", ".join([f".{e}" for e in SCRAPED_EXTENSIONS] + list(WARC_SUFFIXES))
            yield Outcome(path, SKIPPED, reason=f"no {kinds} files in it")
            continue
        pages = warc_pages(path, passed_over, seen, imported, base) if is_warc(path) else [file_page(path, base)]
        for page in pages:
            yield Outcome(page.source, FAILED, reason=page.reason) if isinstance(page, Unreadable) else page
        base += _size(path)


def _shards(stream: Iterable[Page | Outcome], templates: Mapping[str, SiteTemplate],
            size: int) -> Iterator[tuple[list[Page | Outcome], tuple]]:
    """Shards of ``size`` pages, each with the outcomes met between them (kept in place), and
    the arguments of ``clean_shard``: the pages and their sites' templates."""
    shard: list[Page | Outcome] = []
    pages: list[Page] = []
    for item in chain(stream, [None]):
        if item is not None:
            shard.append(item)
            if isinstance(item, Page):
                pages.append(item)
        if shard and (len(pages) == size or item is None):
            sites = {page.site for page in pages if page.site in templates}
            yield shard, (pages, {site: templates[site] for site in sites})
            shard, pages = [], []


def _upto(shard: list[Page | Outcome]) -> int:
    return max((item.upto for item in shard if isinstance(item, Page)), default=0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, destination)


def _reason(error: CleanerError, name: str) -> str:
    """The error's message without the page name it starts with (the outcome line adds it)."""
    return str(error).removeprefix(f"{name}: ")


def _below(path: Path, folder: Path) -> Path | None:
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None


def _inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import; a folder stands for its scrapes and archives, or for itself when it has none."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(set(scrapes_in(path)) | {p for p in path.rglob("*") if is_warc(p) and p.is_file()})
            files.extend(found or [path])
        else:
            files.append(path)
    return files


def _file_name(metadata: dict, page: Page) -> str:
    """``<date>-<title slug>.md``; with no title, named after the file or the URL's last part."""
    if page.url:
        parts = urlsplit(page.url)
        stem = PurePosixPath(parts.path).stem or parts.hostname or "page"
    else:
        stem = page.path.stem
    date = metadata.get("date")
    name = slug(metadata.get("title") or stem)[:SLUG_MAX].rstrip("-")
    return f"{date:%Y-%m-%d}-{name}.md" if date else f"{name}.md"
