"""Stable list pages: which dated pages a list of stories has, their neighbours, the site's
archive index, and where the old newest-first numbered pages now point.

A list's first page shows its newest stories; every story is also on exactly one dated page
of each list it is in (a year, month or day of the list), so publishing a story changes the
lists' first pages and the one dated page it joins, never the pages of earlier periods.
Pure functions over Pelican content objects (anything with ``date`` works).
"""

import calendar
import posixpath
from collections.abc import Sequence
from datetime import date as Date, datetime, timedelta
from itertools import groupby
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from pelican.paginator import Paginator

from .settings import PERIOD_LEVELS, PERIOD_URLS

Link = tuple[str, str]  # (label, URL relative to the site root)


class DatedPage(NamedTuple):
    """One dated page of a list: what Pelican gives its own period archives, and the stories."""

    save_as: str
    url: str
    period: tuple  # as Pelican's: (2024,), (2024, "January"), (2024, "January", 8)
    period_num: tuple  # (2024,), (2024, 1), (2024, 1, 8)
    stories: list


def period_num(when: datetime, period: str) -> tuple[int, ...]:
    """The (year, month, day) of ``when`` down to ``period``."""
    return (when.year, when.month, when.day)[:PERIOD_LEVELS.index(period) + 1]


def period_name(num: tuple[int, ...]) -> tuple:
    """Pelican's ``period`` for a ``period_num``: the month by name."""
    return num if len(num) == 1 else (num[0], calendar.month_name[num[1]], *num[2:])


def label(num: tuple[int, ...]) -> str:
    """"2024", "January 2024", "8 January 2024" (as the templates print ``period``)."""
    return " ".join(str(part) for part in reversed(period_name(num)))


def short_label(num: tuple[int, ...]) -> str:
    """The last part alone, for an index inside the coarser period: "January", "8"."""
    return str(period_name(num)[-1])


def list_base(save_as: str, url: str) -> tuple[str, str]:
    """(folder, URL prefix) a list's dated pages go under: section/world/index.html and
    section/world/ give section/world/ twice; tag/x.html and tag/x.html give tag/x/."""
    folder, name = posixpath.split(save_as)
    save_base = folder if name in ("index.html", "index.htm") else posixpath.splitext(save_as)[0]
    return (save_base + "/" if save_base else ""), url_base(url)


def url_base(url: str) -> str:
    """The URL prefix of a list's dated pages (see list_base)."""
    return url if url.endswith("/") or not url else posixpath.splitext(url)[0] + "/"


def dated_pages(stories: Sequence[Any], save_as: str, url: str, period: str) -> list[DatedPage]:
    """The dated pages of a list (``save_as``/``url``: its first page's), newest first, each with
    its stories newest first."""
    save_base, prefix = list_base(save_as, url)
    path = PERIOD_URLS[period]
    newest_first = sorted(stories, key=_date, reverse=True)
    pages = []
    for num, group in groupby(newest_first, key=lambda story: period_num(story.date, period)):
        when = Date(*num, *(1,) * (3 - len(num)))
        pages.append(DatedPage(save_base + path.format(date=when) + "index.html", prefix + path.format(date=when),
                               period_name(num), num, list(group)))
    return pages


def _date(story: Any) -> datetime:
    return story.date


def neighbours(pages: Sequence[Any], front: Link) -> dict[str, dict[str, Link | None]]:
    """For each dated page (``save_as``, ``url``, ``period_num``; newest first), by its save_as
    (what a template knows as ``output_file``), its "newer" and "older" links; the newest page's
    newer link is the list's first page, ``front``."""
    links = {}
    for i, page in enumerate(pages):
        newer = (label(pages[i - 1].period_num), pages[i - 1].url) if i else front
        older = (label(pages[i + 1].period_num), pages[i + 1].url) if i + 1 < len(pages) else None
        links[page.save_as] = {"newer": newer, "older": older}
    return links


def site_archive(period_archives: dict[str, list[dict]], period: str) -> dict[str, Any]:
    """What the site-wide dated pages and the archive page show besides their stories, as plain
    data (it changes only when a period gets its first story), newest first everywhere:
    ``years`` [(label, url, save_as)], ``children`` {save_as of a coarser period: [(short label,
    url)] of the next level's}, ``links`` {save_as of a page of ``period``: its neighbours}."""
    levels = PERIOD_LEVELS[:PERIOD_LEVELS.index(period) + 1]
    by_level = {level: sorted(period_archives.get(level, ()), key=lambda p: p["period_num"], reverse=True)
                for level in levels}
    children: dict[str, list[Link]] = {}
    for coarse, fine in zip(levels, levels[1:]):
        parents = {archive["period_num"]: archive["save_as"] for archive in by_level[coarse]}
        for archive in by_level[fine]:
            children.setdefault(parents[archive["period_num"][:-1]], []).append(
                (short_label(archive["period_num"]), archive["url"]))
    pages = [DatedPage(archive["save_as"], archive["url"], archive["period"], tuple(archive["period_num"]), [])
             for archive in by_level[period]]
    return {"years": [(label(y["period_num"]), y["url"], y["save_as"]) for y in by_level["year"]],
            "children": children, "links": neighbours(pages, ("latest stories", ""))}


def parse_until(value: Any, timezone: str | None) -> datetime | None:
    """NEWSROOM_NUMBERED_PAGES_UNTIL as the first moment after it (a date means its whole day),
    in the site's time zone; None stays None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        until = value
    elif isinstance(value, Date):
        until = datetime(value.year, value.month, value.day) + timedelta(days=1)
    else:
        text = str(value).strip()
        try:
            until = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"NEWSROOM_NUMBERED_PAGES_UNTIL: {value!r} is not an ISO date like 2026-12-08") from None
        if len(text) == 10:
            until += timedelta(days=1)
    if until.tzinfo is None and timezone:
        until = until.replace(tzinfo=ZoneInfo(timezone))
    return until


def numbered_pages(stories: Sequence[Any], until: datetime, per_page: int, save_as: str, url: str,
                   settings: dict) -> list[tuple[str, Any]]:
    """The list's old numbered pages after the first, as they were when numbering stopped (the
    stories published before ``until``, newest first, ``per_page`` a page, named by
    PAGINATION_PATTERNS): [(their save_as, the newest story each held)]."""
    held = sorted((story for story in stories if _before(story.date, until)), key=_date, reverse=True)
    if not per_page or len(held) <= per_page:
        return []
    paginator = Paginator(save_as, url, held, settings, per_page)
    pages = (paginator.page(number) for number in range(2, paginator.num_pages + 1))
    return [(page.save_as, page.object_list[0]) for page in pages]


def _before(when: datetime, until: datetime) -> bool:
    if (when.tzinfo is None) != (until.tzinfo is None):
        until = until.replace(tzinfo=when.tzinfo)
    return when < until
