"""What a build made and what went wrong in it.

``invoke build`` ends with ``BuildReport.summary``; ``invoke publish``, ``preview`` and
``gh-pages`` refuse to go on when ``BuildReport.clean`` is False. Pelican logs a story it could
not read (a bad date, a file not in UTF-8, no date at all) as an ERROR and still exits 0, so the
site would go out without it. ``BuildWatch`` collects the report while Pelican builds in this
process: every ERROR and CRITICAL record, and once the content is read, what was found and what
was built (a file Pelican found and built nothing from is "skipped", whether or not it said why).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from pelican import signals

MAX_LISTED = 10  # problems listed in a refusal; the rest are counted
MAX_LINE = 240  # characters of one logged message in a refusal


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """``text`` on one line (Pelican's messages may hold newlines), shortened to ``limit``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


@dataclass
class BuildReport:
    ran: bool = False  # False: no content was read (newsroom_speed found nothing changed, or the build stopped)
    stories: int = 0  # published articles, translations included
    pages: int = 0
    held: int = 0  # drafts (articles and pages): built for review, never listed
    skipped: list[str] = field(default_factory=list)  # content files found but not built (relative to PATH)
    failed: list[str] = field(default_factory=list)  # those of them Pelican failed to read
    errors: list[str] = field(default_factory=list)  # ERROR and CRITICAL messages, one line each

    @property
    def clean(self) -> bool:
        """Nothing to fix: no error logged, no file that failed to read."""
        return not (self.errors or self.failed)

    def summary(self, stopped: bool = False) -> str:
        """The build's one-line summary; ``stopped``: the build ended with an error."""
        errors = f"; {_count(len(self.errors), 'error')}, listed above" if self.errors else ""
        if stopped:
            return f"Summary: the build failed{errors or ', its message is above'}."
        if not self.ran:
            return ("Summary: nothing changed since the last build; the output folder is up to date "
                    "(`invoke rebuild` builds everything and counts again).")
        return (f"Summary: {_count(self.stories, 'story', 'stories')} and {_count(self.pages, 'page')} built, "
                f"{self.held} held for review (drafts), {len(self.skipped)} skipped{errors}.")

    def problems(self) -> list[str]:
        """What to fix, one line each: the errors logged, then the files that failed silently."""
        lines = list(self.errors)
        lines += [f"{path}: not built" for path in self.failed
                  if not any(os.path.basename(path) in error for error in self.errors)]
        if len(lines) > MAX_LISTED:
            lines[MAX_LISTED:] = [f"... and {len(lines) - MAX_LISTED} more, in the log above"]
        return lines

    def refusal(self, task: str, outcome: str) -> str:
        """Why ``task`` stops (``outcome``, e.g. "not deploying"), and what to do."""
        problems = self.problems() or ["the build failed; its message is above"]
        return "\n".join([
            f"{task}: {outcome}: the build dropped a story or logged an error:",
            *(f"  {line}" for line in problems),
            "Fix each file named above (or hold a story back with `Status: draft`), "
            f"then run `invoke {task}` again.",
        ])


class _NoTraceback(logging.Filter):
    """On the console's handler: Pelican logs an exception that stops the build with its
    traceback (e.g. a file written twice); the user gets its one-line message. Kept with -D."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class BuildWatch(logging.Handler):
    """``with BuildWatch() as watch:`` around a Pelican build in this process; ``watch.report``
    then holds its report. ``read_all``: the build reads every file even if nothing changed
    (newsroom_speed's skip of an unchanged build would not repeat the last build's errors)."""

    def __init__(self, read_all: bool = False) -> None:
        super().__init__(logging.ERROR)
        self.read_all = read_all
        self.report = BuildReport()
        self._found: set[str] = set()
        self._content: dict | None = None  # Pelican's source path -> content object (None: failed)
        self._quiet = _NoTraceback()
        self._receivers = [
            (signals.initialized, self._initialized),
            (signals.article_generator_finalized, self._articles),
            (signals.page_generator_finalized, self._pages),
        ]

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record still counts
            message = str(record.msg)
        self.report.errors.append(one_line(message))

    def __enter__(self) -> BuildWatch:
        for signal, receiver in self._receivers:
            signal.connect(receiver)
        return self

    def __exit__(self, *exc_info) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)
        root = logging.getLogger()
        root.removeHandler(self)
        for handler in root.handlers:
            handler.removeFilter(self._quiet)
        if self._content is not None:
            built = {path for path, content in self._content.items() if content is not None}
            self.report.failed = sorted(path for path, content in self._content.items() if content is None)
            self.report.skipped = sorted(self._found - built)

    def _initialized(self, pelican) -> None:
        """Pelican has set up its logging: listen from here on."""
        root = logging.getLogger()
        if self.read_all:
            pelican.settings["NEWSROOM_SPEED_FAST_PATH"] = False
        if not pelican.settings.get("DEBUG"):
            for handler in root.handlers:
                handler.addFilter(self._quiet)
        root.addHandler(self)

    def _articles(self, generator) -> None:
        self._read(generator, "ARTICLE")
        self.report.stories = len(generator.articles) + len(generator.translations)
        self.report.held += len(generator.drafts) + len(generator.drafts_translations)

    def _pages(self, generator) -> None:
        self._read(generator, "PAGE")
        self.report.pages = len(generator.pages) + len(generator.translations)
        self.report.held += len(generator.draft_pages) + len(generator.draft_translations)

    def _read(self, generator, kind: str) -> None:
        """The files the generator looked at, as Pelican lists them."""
        settings = generator.settings
        self.report.ran = True
        self._content = generator.context["generated_content"]
        self._found.update(generator.get_files(settings[f"{kind}_PATHS"], exclude=settings[f"{kind}_EXCLUDES"]))
