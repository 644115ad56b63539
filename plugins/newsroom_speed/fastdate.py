"""Pelican's ``get_date`` without dateutil for plain ISO dates, the form almost every post uses.

``pelican.utils.get_date`` hands every Date/Modified value to ``dateutil.parser.parse``, slow
enough to dominate reading a big site. For ``YYYY-MM-DD[( |T)HH:MM[:SS]]`` the result is
simply those fields (dateutil fills nothing else from its default, which is midnight today), so
it is built directly; anything else, or any error, goes to Pelican's own function.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pelican import readers
from pelican.utils import SafeDatetime, get_date

from . import contract

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")


def fast_get_date(string: str) -> SafeDatetime:
    match = _ISO.fullmatch(string.strip(" "))
    if match:
        try:
            return SafeDatetime(*(int(part) for part in match.groups() if part is not None))
        except ValueError:
            pass  # e.g. month 13: Pelican's function produces its own error
    return get_date(string)


def install() -> Callable[[], None]:
    """Use fast_get_date in Pelican's metadata processors; returns the function that undoes it."""
    return contract.replace(readers, "get_date", fast_get_date)
