"""``SafeDatetime.strftime`` memoised for the length of a build.

Every URL of a story (``{date:%Y}/{date:%m}/{slug}/``) formats its date through Pelican's
``strftime``, two regular expressions and a call per directive: the same few strings are made
several times per story per build, and again for every date a listing page shows. The
result depends on the date (its fields and what its zone says of them: offset, name, DST), the
format and the time locale (Pelican switches it for DATE_FORMATS given with a locale), which
are the memo key; the value is still made by Pelican's own method.
"""

from __future__ import annotations

import locale
from collections.abc import Callable

from pelican.utils import SafeDatetime

from .memo import memoise_method


def _key(self: SafeDatetime, fmt: str, safe: bool = True) -> tuple | None:
    if not safe:
        return None  # the plain datetime.strftime, cheap already
    # a naive date is its fields; an aware one, its wall-clock fields and what its zone says of
    # them (the zone object itself may be unhashable, as dateutil's offsets are)
    if self.tzinfo is None:
        wall = self
    else:
        wall = (self.replace(tzinfo=None), self.utcoffset(), self.tzname(), self.dst())
    return fmt, type(self), wall, locale.setlocale(locale.LC_TIME)


def install() -> Callable[[], None]:
    """Memoise the method on SafeDatetime; returns the function that restores it (and drops the memo)."""
    return memoise_method(SafeDatetime, "strftime", _key)
