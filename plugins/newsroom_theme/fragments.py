"""Story teasers rendered once per build and page depth, then reused.

A teaser (the ``story`` macro) appears on the front page, its section, tag, author and month
pages: five to ten renders of the same HTML, about half of a listing page's render time. The
``fragment`` global keeps each rendered block for the rest of the build under everything the
template passes it as the key: the article, the page's SITEURL (relative links differ with a
page's depth) and the macro's arguments. Everything else a teaser shows comes from settings.
With newsroom_speed, a teaser is also kept for the next build, which reuses it while nothing
it read has changed (newsroom_speed/blocks.py).

    {% call fragment(article, SITEURL, level) %}...{% endcall %}
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from markupsafe import Markup


def _render_only(key: tuple, render: Callable[[], str]) -> tuple[str, None]:
    return render(), None


def _nothing_read(reads: Any) -> None:
    return None


class FragmentCache:
    """One per generator's Jinja environment, so one per build."""

    # A plugin that records what each page reads (newsroom_speed) sets this to its (capture,
    # replay): capture(key, render) returns (html, what the block read), rendering the block or
    # taking it from an earlier build if what it read is unchanged; replay(those reads) adds them
    # to the page being rendered, so a reused block counts in that page as if rendered there.
    reads_hooks: tuple[Callable, Callable] = (_render_only, _nothing_read)

    def __init__(self) -> None:
        self._rendered: dict[tuple, tuple[str, Any]] = {}

    def __call__(self, *key: Hashable, caller: Callable[[], str]) -> Markup:
        # Content objects hash by identity: the key holds them, so no id is reused meanwhile.
        capture, replay = self.reads_hooks
        hit = self._rendered.get(key)
        if hit is None:
            hit = self._rendered[key] = capture(key, caller)
        else:
            replay(hit[1])
        # The block is template output, escaped as it was rendered: Markup, so no expression
        # escapes it again, whether it comes from this build or (a plain str) from an earlier one.
        return Markup(hit[0])
