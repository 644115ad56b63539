"""Pelican glue for the stable list pages (lists.py): the dated pages of sections, topics and
authors, the redirects of the old numbered pages, and the site archive's index data.

Each page gets only what it shows (its period's stories, its two neighbours), so newsroom_speed
renders it again only when those change: not when a story is published elsewhere.
"""

import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pelican.generators import Generator

from . import lists, numbered
from .settings import PERIOD_URLS

# context key of each kind of list -> (the name its object has in templates, its label)
_LISTS = {"categories": ("category", "Section"), "tags": ("tag", "Topic"), "authors": ("author", "Author")}
_LIST_TEMPLATE = "period_archives"  # Pelican's own for the site-wide dated pages
_REDIRECT_TEMPLATE = "redirect"


class ListPagesGenerator(Generator):
    """Writes every list's dated pages and the old numbered pages' redirects."""

    def generate_context(self) -> None:
        period = self.settings["NEWSROOM_ARCHIVE_PERIOD"]
        self.context["archive_nav"] = lists.site_archive(self.context.get("period_archives") or {}, period)

    def generate_output(self, writer) -> None:
        settings = self.settings
        period = settings["NEWSROOM_ARCHIVE_PERIOD"]
        relative = settings["RELATIVE_URLS"]
        dated = self.get_template(_LIST_TEMPLATE)
        for key, (kind, kind_label) in _LISTS.items():
            for group, stories in _written(self.context.get(key, [])):
                pages = lists.dated_pages(stories, group.save_as, group.url, period)
                links = lists.neighbours(pages, (f"latest {group.name}", group.url))
                for page in pages:
                    writer.write_file(
                        page.save_as, dated, self.context, relative_urls=relative,
                        dates=page.stories, period=page.period, period_num=page.period_num,
                        list_label=kind_label, list_name=group.name, list_url=group.url,
                        archive_nav={"links": {page.save_as: links[page.save_as]}}, **{kind: group})
        self._write_redirects(writer, period)

    def _write_redirects(self, writer, period: str) -> None:
        """A redirect page at each old numbered page, to the dated page of the newest story it
        held when numbering stopped (numbered.py keeps that, as it was, beside the content)."""
        settings = self.settings
        until = lists.parse_until(settings["NEWSROOM_NUMBERED_PAGES_UNTIL"], settings.get("TIMEZONE"))
        if until is None:
            return
        every = [(settings["INDEX_SAVE_AS"], "", self.context.get("articles", []), None)]
        every += [(group.save_as, group.url, stories, group.name)
                  for key in _LISTS for group, stories in _written(self.context.get(key, []))]
        pages = numbered.recorded(
            os.path.join(self.path, numbered.FILE_NAME), settings["NEWSROOM_NUMBERED_PAGES_UNTIL"],
            settings["DEFAULT_PAGINATION"],
            lambda: [numbered.OldPage(old, url if name else None, name, newest.date)
                     for save_as, url, stories, name in every
                     for old, newest in lists.numbered_pages(stories, until, settings["DEFAULT_PAGINATION"],
                                                             save_as, url, settings)])
        template = self.get_template(_REDIRECT_TEMPLATE)
        for page in pages:
            where = lists.label(lists.period_num(page.newest, period))
            writer.write_file(page.save_as, template, self.context, relative_urls=settings["RELATIVE_URLS"],
                              target_url=dated_url(settings, page.newest, page.list_url),
                              target_label=f"{page.list_name}: {where}" if page.list_name else where)


def _written(groups: list[tuple]) -> list[tuple]:
    """The (group, stories) whose first page Pelican writes (a site may turn a kind off: TAG_SAVE_AS = "")."""
    return [(group, stories) for group, stories in groups if group.save_as]


def dated_url(settings: dict[str, Any], when: datetime, list_url: str | None = None) -> str:
    """The URL of the dated page holding a story of ``when``: the site-wide one (Pelican's period
    archive), or the list's at ``list_url``."""
    period = settings["NEWSROOM_ARCHIVE_PERIOD"]
    if list_url is None:
        return settings[f"{period.upper()}_ARCHIVE_URL"].format(date=when)
    return lists.url_base(list_url) + PERIOD_URLS[period].format(date=when)


def dated_index(settings: dict[str, Any], dates: Iterable[datetime], list_url: str | None = None) -> list[tuple]:
    """[(label, URL)] of the dated pages holding stories of these dates, newest first."""
    period = settings["NEWSROOM_ARCHIVE_PERIOD"]
    starts = {lists.period_num(when, period): when for when in dates}
    return [(lists.label(num), dated_url(settings, starts[num], list_url)) for num in sorted(starts, reverse=True)]


def dated_label(settings: dict[str, Any], when: datetime) -> str:
    """"January 2024" (the period of ``when``, as dated pages are titled)."""
    return lists.label(lists.period_num(when, settings["NEWSROOM_ARCHIVE_PERIOD"]))
