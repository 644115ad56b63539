"""One build at a time per cache folder: two builds sharing caches and an output would
corrupt both (the same SQLite file dropped as damaged by one while the other writes it, the
theme copied twice into one folder, one search index swapped under the other).

The lock is ``fcntl.flock`` on a file in the cache folder, held from the start of a build to
its end (search index included), released by the kernel if the process dies. A second build
says once that it waits, and waits.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # no flock (Windows): builds are not serialised
    fcntl = None

logger = logging.getLogger(__name__)

LOCK_NAME = "build.lock"
# The pid of this process while it holds the lock: a build started inside a build of the same
# process (a plugin calling Pelican) must not wait for itself. A fork()ed child has another pid.
_held_by: int | None = None


@contextlib.contextmanager
def build_lock(cache_path: Path) -> Iterator[None]:
    """Hold the build lock of ``cache_path`` for the block, waiting for another build first."""
    global _held_by
    if fcntl is None or _held_by == os.getpid():
        yield
        return
    cache_path.mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.warning("newsroom_speed: another build is running (pid %s); waiting", _holder(fd))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held_by = os.getpid()
        try:
            yield
        finally:
            _held_by = None
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock, once the build's fork()ed workers have ended too


def _holder(fd: int) -> str:
    """The pid the holding build wrote in the file, or '?'."""
    try:
        return os.pread(fd, 32, 0).decode().strip() or "?"
    except (OSError, UnicodeDecodeError):
        return "?"
