"""Why a page is rendered again: the first input that changed, one line per page (NEWSROOM_SPEED_EXPLAIN,
``invoke build --explain``), as Sphinx says why it reads a document again.

Records keep one combined digest of what a page read, not one per input, so the reason is found
by comparing this build's inputs with the last build's (state.pickle) in a fixed order: the
page's template, its output file, the stories it showed, the template files it was made of, the
settings it read, the content files added or removed, and last what else it read.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from .records import PageRecord
from .tracking import TEMPLATE_FILE
from .versions import LINKS

logger = logging.getLogger(__name__)


class Explainer:
    def __init__(self, checks: Any, settings: dict):
        self.checks = checks
        self.settings = settings
        self._everything: str | None = None  # why no page record could be used, once found
        logger.setLevel(logging.INFO)  # asked for: shown whatever the build's log level

    def page(self, job: Any) -> None:
        logger.info("newsroom_speed: %s rendered: %s", job.name, self.why(job))

    def feed(self, name: str, old: PageRecord | None, path: str) -> None:
        if old is None:
            reason = self._no_records() or "new feed"
        elif not self.checks.ledger.intact(name, path):
            reason = "its file was changed or removed outside the build"
        else:
            reason = "a story it lists, or a feed setting, changed"
        logger.info("newsroom_speed: %s written: %s", name, reason)

    def why(self, job: Any) -> str:
        checks = self.checks
        old = checks.old_records.get(job.name)
        if old is None:
            return self._no_records() or "new page"
        if old.reads is None:
            return "always rendered: it read something with no stable digest"
        if old.template != job.template.name:
            return f"template {old.template} replaced by {job.template.name}"
        if not checks.ledger.intact(job.name, job.path):
            return "its file was changed or removed outside the build"
        reads = old.reads
        return (self._story(reads, checks.contents(job.context)) or self._template(reads) or self._setting(reads)
                or self._listing() or self._other(reads))

    def _no_records(self) -> str | None:
        """Why the last build's records were not used at all, if they were not."""
        checks = self.checks
        if checks.old_records:
            return None
        if self._everything is None:
            previous, now = checks.previous, checks.inputs
            if previous is None:
                self._everything = "no previous build"
            else:
                changed = _first_changed(previous.inputs.settings, now.settings)
                if changed:
                    self._everything = f"setting {changed} changed"
                elif previous.inputs.settings_code != now.settings_code:
                    self._everything = "plugin or library code changed"
                elif sorted(previous.inputs.templates) != sorted(now.templates):
                    added = sorted(set(now.templates) ^ set(previous.inputs.templates))
                    self._everything = f"template {self._template_name(added[0])} added or removed"
                else:
                    self._everything = "the last build's page records are missing"
        return self._everything

    def _story(self, reads, contents: dict) -> str | None:
        checks = self.checks
        now, before = checks.versions.all(contents), checks.versions.previous
        for path in reads.objects:
            if now.get(path) != before.get(path):
                story = path.removesuffix(LINKS)
                name = checks.content_name(story)
                if story not in contents:
                    return f"story {name} removed"
                return f"stories linked from {name} changed" if path.endswith(LINKS) else f"story {name} changed"
        for key in reads.attrs:
            if checks.file_changed(key[0]):
                return f"story {checks.content_name(key[0])} changed"
        return None

    def _template(self, reads) -> str | None:
        before, now = self.checks.previous.inputs.templates, self.checks.inputs.templates
        for path, *_, kind in reads.names:
            if kind == TEMPLATE_FILE and before.get(path) != now.get(path):
                return f"template {self._template_name(path)} changed"
        return None

    def _template_name(self, path: str) -> str:
        """A template file's path, relative to the theme when it is in it."""
        theme = os.path.abspath(self.settings["THEME"])
        return os.path.relpath(path, theme) if path.startswith(os.path.join(theme, "")) else path

    def _setting(self, reads) -> str | None:
        before, now = self.checks.previous.inputs.settings, self.checks.inputs.settings
        for name in dict.fromkeys(path[0] for path in reads.names):
            if name in now and before.get(name) != now[name]:
                return f"setting {name} changed"
        return None

    def _listing(self) -> str | None:
        before, now = self.checks.previous.inputs.content, self.checks.inputs.content
        added = sorted(now.keys() - before.keys())
        if added:
            return f"story {added[0]} added"
        removed = sorted(before.keys() - now.keys())
        return f"story {removed[0]} removed" if removed else None

    @staticmethod
    def _other(reads) -> str:
        names = [path[0] for path in reads.names if path[-1] != TEMPLATE_FILE]
        return f"a value it read changed (one of: {', '.join(dict.fromkeys(names)) or 'none recorded'})"


def _first_changed(before: dict, now: dict) -> str | None:
    for name in sorted(before.keys() | now.keys()):
        if before.get(name) != now.get(name):
            return name
    return None
