"""Turn scraped files into reviewable Markdown posts under content/<section>/.

Every input is tried on its own: a bad one costs that file, with one line saying why, and the
rest are imported. What became of each is an ``Outcome``; ``summary`` counts them.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .cli import _read
from .errors import CleanerError, NotAnArticle
from .localimages import SLUG_MAX, localize, slug
from .metadata import UNDATED_REVIEW, hold_undated, place_in_section
from .pipeline import clean_article
from .sitetemplate import SiteTemplate, batch_templates
from .settings import SCRAPED_EXTENSIONS, ImageSettings, ReaderSettings, undated_setting
from .write import to_pelican_markdown

WRITTEN, HELD, SKIPPED, FAILED = "written", "held for review", "skipped", "failed"


@dataclass(frozen=True)
class Outcome:
    """What became of one input: ``status`` is WRITTEN, HELD, SKIPPED or FAILED; ``post`` the
    file written (WRITTEN, HELD); ``reason`` why it was held, skipped or failed."""

    source: Path
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


def import_scraped(paths: Iterable[str | Path], content_dir: str | Path, *, force: bool = False,
                   options: ReaderSettings = ReaderSettings(), images: ImageSettings | None = None,
                   archive: Path | None = None, say: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Write ``content/<section-slug>/<YYYY-MM-DD>-<slug>.md`` for each scraped file.

    A folder in ``paths`` stands for the .html/.htm/.txt files in it (and below it). Each input
    is cleaned and written on its own (``say`` hears each outcome as it comes); an existing post
    is never overwritten unless ``force``. A scrape with no publication date is handled as
    NEWSROOM_UNDATED says (``options.undated``: held as a draft by default). A scrape in the
    content's scraped folders (``options.scraped_paths``), or a byte-identical copy of one there,
    is moved to ``archive`` once the story has a post, since the build would otherwise publish
    it twice; without an archive it is refused. With ``images`` enabled (NEWSROOM_FETCH_IMAGES),
    a post's images are kept in the site (localimages.py) once every check has passed. Raises
    ValueError only for bad settings.
    """
    run = _Import(Path(content_dir), options, undated_setting(options.undated), images, archive, force)
    if archive is not None and _below(archive, run.content_dir) is not None:
        raise ValueError(f"NEWSROOM_IMPORTED_PATH ({archive}) must be outside the content folder {content_dir}")
    outcomes = []
    files = _inputs(paths)
    templates = batch_templates(p for p in files if p.is_file())  # a folder's dumps teach their site's template
    for path in files:
        if path.is_dir():  # a folder with no scrapes in it
            outcome = Outcome(path, SKIPPED, reason=f"no {', '.join(f'.{e}' for e in SCRAPED_EXTENSIONS)} files in it")
        else:
            outcome = run.one(path, templates.get(path))
        say(outcome)
        outcomes.append(outcome)
    return outcomes


def summary(outcomes: Iterable[Outcome]) -> str:
    """``3 written, 1 held for review, 1 skipped, 2 failed``."""
    counts = Counter(outcome.status for outcome in outcomes)
    return ", ".join(f"{counts[status]} {status}" for status in (WRITTEN, HELD, SKIPPED, FAILED))


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
    taken: set[Path] = field(default_factory=set)

    def one(self, path: Path, template: SiteTemplate | None = None) -> Outcome:
        try:
            raw = _read(path)
            article = clean_article(raw, source_name=str(path), template=template)
        except NotAnArticle as error:
            return Outcome(path, SKIPPED, reason=_reason(error, path))
        except CleanerError as error:
            return Outcome(path, FAILED, reason=_reason(error, path))
        except Exception as error:  # noqa: BLE001 - a cleaner bug must cost one file, not the import
            return Outcome(path, FAILED, reason=f"cleaner failed ({type(error).__name__}: {error})")
        place_in_section(article.metadata, self.options.default_category, self.options.section_map,
                         self.options.new_sections)
        note = hold_undated(article.metadata, self.policy, path)
        if note and self.policy == "skip":
            return Outcome(path, SKIPPED, reason=f"no publication date found: {note}")
        target = self.content_dir / slug(article.metadata["category"]) / _file_name(article.metadata, path)
        if target in self.taken:
            return Outcome(path, SKIPPED, reason=f"another input of this import was written to {target}")
        copy = self._scraped_copy(path, raw)
        moved_to = None
        if copy is not None:
            if self.archive is None:
                return Outcome(path, FAILED, reason=f"{copy} is in the scraped folder the build reads; move it out first")
            moved_to = self.archive / scraped_home(copy, self.content_dir, self.options.scraped_paths)
            if moved_to.exists():
                return Outcome(path, FAILED, reason=f"{copy} cannot be moved out of the build: {moved_to} exists")
        if target.exists() and not self.force:
            reason = f"{target} already exists; --force overwrites it"
            if moved_to is not None:  # the post is this story: the build must not publish it again
                _move(copy, moved_to)
                reason += f"; moved {copy} to {moved_to} so the story is built once"
            return Outcome(path, SKIPPED, reason=reason)
        if self.images is not None and self.images.enabled:
            article = localize(article, path, str(path), self.images)
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
            return Outcome(path, FAILED, reason=f"cannot write {error.filename or target}: {error.strerror or error}")
        self.taken.add(target)
        if note and self.policy == "draft":
            return Outcome(path, HELD, target, UNDATED_REVIEW)
        return Outcome(path, WRITTEN, target, f"moved {copy} to {moved_to}" if moved_to else "")

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


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, destination)


def _reason(error: CleanerError, path: Path) -> str:
    """The error's message without the file name it starts with (the outcome line adds it)."""
    return str(error).removeprefix(f"{path}: ")


def _below(path: Path, folder: Path) -> Path | None:
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None


def _inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import; a folder stands for its scrapes, or for itself when it has none."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(scrapes_in(path) or [path])
        else:
            files.append(path)
    return files


def _file_name(metadata: dict, source: Path) -> str:
    date = metadata.get("date")
    name = slug(metadata.get("title") or source.stem)[:SLUG_MAX].rstrip("-")
    return f"{date:%Y-%m-%d}-{name}.md" if date else f"{name}.md"
