"""A test that could hang (a process pool waiting for a dead worker) fails instead."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def deadline(seconds: int, what: str) -> Iterator[None]:
    """Raise TimeoutError(``what``) in the main thread if the block runs ``seconds`` or more."""

    def expired(signum, frame):
        raise TimeoutError(what)

    plain = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, plain)
