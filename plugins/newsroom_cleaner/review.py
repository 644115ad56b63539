"""The review queue (``invoke review``): stories the site holds back, each with how to publish it.

Held back are draft posts (``Status: draft``, undated imports among them) and scrapes in the
scraped folders that the build holds as drafts, skips, or publishes with a warning (a
low-confidence clean). ``draft_of`` and ``scrape_of`` judge one file from what was read from
it; ``queue`` walks the content folder; ``queue_text`` is what the task prints.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .article import CleanedArticle
from .cli import _read
from .errors import CleanerError, NotAnArticle
from .importer import scrapes_in
from .pipeline import MISSING_WARNINGS, clean_article
from .settings import ReaderSettings
from .sitetemplate import SiteTemplate

_POST_EXTENSIONS = (".md", ".markdown")  # the posts Pelican's Markdown reader takes
_UNDATED_WARNING = MISSING_WARNINGS["date"]


@dataclass(frozen=True)
class Held:
    """One story held back: the file, why, and the edit or command that publishes it."""

    path: str
    why: str
    publish: str


def draft_of(path: str, text: str, now: datetime.datetime) -> Held | None:
    """The post ``text`` (read from ``path``) as a held story if its header says ``Status: draft``.

    Publishing is an edit of the status line: deleting it, or for an undated draft (Pelican
    cannot publish a story without a date) replacing it with a Date line.
    """
    header: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon:
            header.setdefault(key.strip().lower(), (number, value.strip()))
    number, status = header.get("status", (0, ""))
    if status.lower() != "draft":
        return None
    dated = "date" in header
    why = header.get("review", (0, ""))[1] or ("draft" if dated else "draft with no date")
    if dated:
        return Held(path, why, f'edit {path}:{number}: delete the line "Status: {status}"')
    return Held(path, why, f'edit {path}:{number}: replace "Status: {status}" with "Date: {now:%Y-%m-%d %H:%M}"')


def scrape_of(path: str, cleaned: CleanedArticle | CleanerError, undated: str) -> Held | None:
    """A scrape as a held story, from its cleaning (an article, or the error that stopped it).

    ``undated`` is NEWSROOM_UNDATED: with "file-time" an undated scrape is published.
    """
    reason = str(cleaned).removeprefix(f"{path}: ")
    if isinstance(cleaned, NotAnArticle):
        return Held(path, f"the build skips it: {reason}",
                    'if it is a story after all, write it as a post: invoke new-post "TITLE"')
    if isinstance(cleaned, CleanerError):
        return Held(path, f"the build skips it: {reason}", f"replace it with a good copy, then check: invoke extract {path}")
    warnings = [w for w in cleaned.report.warnings if w != _UNDATED_WARNING]
    if "date" not in cleaned.metadata and undated != "file-time":
        held = "holds it as a draft" if undated == "draft" else "skips it"
        return Held(path, f"{_UNDATED_WARNING}: the build {held}" + "".join(f"; {w}" for w in warnings),
                    f"invoke import-scraped {path}, then date the draft it writes")
    if warnings:
        return Held(path, f"published, but the clean is unsure: {'; '.join(warnings)}",
                    f"check: invoke clean-report {path}; to correct it: invoke import-scraped {path} and edit the post")
    return None


def queue(content_dir: Path, options: ReaderSettings, shown_from: Path, now: datetime.datetime,
          template_of: Callable[[Path], SiteTemplate | None] = lambda path: None) -> Iterator[Held]:
    """Every held story under ``content_dir``: drafts first, then scrapes; paths as seen from ``shown_from``.

    ``template_of``: the site template the build cleans a scrape with (the reader's
    ``site_template``), so a scrape is judged as the build will clean it.
    """
    def shown(path: Path) -> str:
        return os.path.relpath(path, shown_from)

    for path in sorted(p for p in content_dir.rglob("*") if p.suffix.lower() in _POST_EXTENSIONS and p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the build names a post it cannot read; nothing to review in it
        if held := draft_of(shown(path), text, now):
            yield held
    for folder in options.scraped_paths:
        for path in scrapes_in(content_dir / folder):
            try:
                cleaned = clean_article(_read(path), source_name=shown(path), template=template_of(path))
            except CleanerError as error:
                cleaned = error
            except Exception as error:  # noqa: BLE001 - a cleaner bug must cost one line, not the queue
                cleaned = CleanerError(f"cleaner failed ({type(error).__name__}: {error})")
            if held := scrape_of(shown(path), cleaned, options.undated):
                yield held


def queue_text(held: list[Held]) -> str:
    """What ``invoke review`` prints: each story's file, why it is held, how to publish it."""
    if not held:
        return "Nothing is held for review."
    lines = [f"{len(held)} {'story' if len(held) == 1 else 'stories'} held for review:"]
    for item in held:
        lines += [f"{item.path}", f"    why: {item.why}", f"    to publish: {item.publish}"]
    return "\n".join(lines)
