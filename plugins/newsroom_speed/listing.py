"""Pelican's article lists without its list-in-list scans; the same lists as Pelican's own code.

``ArticlesGenerator.generate_tags``/``generate_categories``/``generate_authors`` compute each
group's ``dates`` as ``[a for a in self.dates if a in articles]``, the period archives
each period's ``articles`` as ``[a for a in articles if a in dates]`` and
``process_translations`` the translations as ``[x for x in content_list if x not in index]``:
a list scan inside a list scan, which grows with the square of the site. Content objects
compare by identity, so positions looked up by id give the same lists in n log n time.
Pelican's own functions still run; only these lists are filled in differently.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from itertools import groupby, repeat
from operator import attrgetter, lt

from pelican import generators
from pelican.contents import Content
from pelican.generators import ArticlesGenerator

from . import contract

_GROUP_WRITERS = ("generate_tags", "generate_categories", "generate_authors")


def members_in_order(rank: dict[int, int], members: Iterable) -> list:
    """The ``members`` found in ``rank`` (id -> position in some list), once each, in that
    list's order: what ``[a for a in that_list if a in members]`` gives for distinct items."""
    members = list(members)
    positions = list(map(rank.get, map(id, members), repeat(-1)))  # (in C: a tag holds thousands)
    if all(map(lt, [-1, *positions], positions)):  # all found, in order, once: a tag's stories are
        return members
    unique = {id(item): item for item in members if id(item) in rank}
    return [unique[key] for key in sorted(unique, key=rank.__getitem__)]


def ranks(items: list) -> dict[int, int]:
    """id -> first position of each item in ``items``."""
    return {id(item): i for i, item in reversed(list(enumerate(items)))}


def _identity_ranks(items: list) -> dict[int, int] | None:
    """``ranks(items)`` if the lookups give what Pelican's scan gives: distinct content objects
    that compare by identity; None (use Pelican's own code) otherwise."""
    rank = ranks(items)
    return rank if len(rank) == len(items) and _compares_by_identity(items) else None


def _compares_by_identity(items: Iterable) -> bool:
    """True if ``x in list`` means identity for these objects (no plugin-defined ``__eq__``)."""
    return all(isinstance(item, Content) and type(item).__eq__ is object.__eq__ for item in items)


def _linear_group_writer(plain: Callable) -> Callable:
    """generate_tags & co. with ``self.dates`` hidden (their scan is then empty) and each
    group's ``dates`` computed here as the write is made."""

    @functools.wraps(plain)
    def generate(self, write):
        dates = self.dates
        rank = _identity_ranks(dates)
        if rank is None:
            return plain(self, write)

        def write_with_dates(*args, **kwargs):
            kwargs["dates"] = members_in_order(rank, kwargs["articles"])
            return write(*args, **kwargs)

        with contract.replaced_for(self, "dates", []):
            return plain(self, write_with_dates)

    return generate


def _linear_period_archives(plain: Callable) -> Callable:
    """Pelican's period-archive builder given no articles to scan; each period's list is filled here."""

    @functools.wraps(plain)
    def build(self, sorted_articles, articles, settings):
        rank = _identity_ranks(articles)
        if rank is None:
            return plain(self, sorted_articles, articles, settings)
        archives = plain(self, sorted_articles, [], settings)
        for periods in archives.values():
            for archive in periods:
                archive["articles"] = members_in_order(rank, archive["dates"])
        return archives

    return build


def _grouped_translations(plain: Callable) -> Callable:
    """process_translations run on one translation group at a time.

    Pelican sorts the list by the translation id, groups it and scans the whole list against
    the whole index; run per group (in the same sorted order) the scan stays inside the group,
    and the concatenated results are the same lists, warnings and ``translations`` attributes.
    A group of one (a story with no translation, most of them) is answered here, without
    Pelican's per-group work.
    """

    @functools.wraps(plain)
    def process(content_list, translation_id=None):
        if not translation_id or not _compares_by_identity(content_list):
            return plain(content_list, translation_id)
        key = attrgetter(*([translation_id] if isinstance(translation_id, str) else translation_id))
        try:
            content_list.sort(key=key)
        except (TypeError, AttributeError):
            return plain(content_list, translation_id)  # raises Pelican's own error
        index, translations = [], []
        for _, group in groupby(content_list, key):
            group = list(group)
            if len(group) == 1 and _lone_original(group[0]):
                index.append(group[0])
                group[0].translations = []
                continue
            originals, others = plain(group, translation_id)
            index += originals
            translations += others
        return index, translations

    return process


def _lone_original(item: Content) -> bool:
    """What Pelican's code makes of a group of one (most stories have no translation): the
    original, with no translations, unless its metadata marks it as a translation (which
    Pelican warns about: its own code runs then)."""
    marked = item.metadata.get("translation", "false")
    return type(marked) is str and marked.lower() == "false"


def install() -> Callable[[], None]:
    """Patch Pelican's generators for one build; returns the function that undoes it."""
    plain = ArticlesGenerator.__dict__
    return contract.together(
        *(contract.replace(ArticlesGenerator, name, _linear_group_writer(plain[name])) for name in _GROUP_WRITERS),
        contract.replace(ArticlesGenerator, contract.PERIOD_ARCHIVES,
                         _linear_period_archives(plain[contract.PERIOD_ARCHIVES])),
        contract.replace(generators, "process_translations", _grouped_translations(generators.process_translations)),
    )
