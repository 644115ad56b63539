"""A method memoised for the length of a build: for what Pelican computes again and again from
the same inputs (pathmemo.py, timememo.py). The value is still made by Pelican's own method."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from . import contract


def memoise_method(
    owner: type, name: str, key: Callable[..., Hashable | None], memo: dict | None = None
) -> Callable[[], None]:
    """Replace ``owner.<name>`` by a version where calls with equal ``key(self, *args, **kwargs)``
    share one result (a None key: not memoised), kept in ``memo`` (a new dict by default).
    Returns the function that restores the plain method."""
    plain = owner.__dict__[name]
    memo = {} if memo is None else memo

    def memoised(self, *args, **kwargs):
        k = key(self, *args, **kwargs)
        if k is None:
            return plain(self, *args, **kwargs)
        if k not in memo:
            memo[k] = plain(self, *args, **kwargs)
        return memo[k]

    return contract.replace(owner, name, memoised)
