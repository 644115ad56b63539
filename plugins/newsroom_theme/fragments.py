"""Story teasers rendered once per build and page depth, then reused.

A teaser (the ``story`` macro) appears on the front page, its section, tag, author and month
pages: five to ten renders of the same HTML, about half of a listing page's render time. The
``fragment`` global keeps each rendered block for the rest of the build under everything the
template passes it as the key: the article, the page's SITEURL (relative links differ with a
page's depth) and the macro's arguments. Everything else a teaser shows comes from settings.

    {% call fragment(article, SITEURL, level) %}...{% endcall %}
"""

from __future__ import annotations

from collections.abc import Callable, Hashable


class FragmentCache:
    """One per generator's Jinja environment, so one per build."""

    def __init__(self) -> None:
        self._rendered: dict[tuple, str] = {}

    def __call__(self, *key: Hashable, caller: Callable[[], str]) -> str:
        # Content objects hash by identity: the key holds them, so no id is reused meanwhile.
        hit = self._rendered.get(key)
        if hit is None:
            hit = self._rendered[key] = caller()
        return hit
