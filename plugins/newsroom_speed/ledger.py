"""The output ledger: digest and stat of every file a build writes, so an identical page is not
written again and a file edited or deleted by hand is written anew."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from typing import Any

from .records import OutputEntry


class OutputLedger:
    """Digest and stat of every file written, to skip identical writes and spot outside edits."""

    def __init__(self, previous: dict[str, OutputEntry]):
        self.previous = previous
        self.current: dict[str, OutputEntry] = {}
        self._ahead: tuple[int, Any] | None = None  # a look-ahead's (pid, its file)
        self._seen: dict[str, tuple[int, int]] | None = None  # its stats: name -> (size, mtime_ns)
        self._prefix = ""  # the output folder they were taken in, with a final separator

    def look_ahead(self, output: str) -> None:
        """Have the last build's files stat'ed by a fork()ed process while this one reads the
        site, a core being idle then. ``intact`` answers from those stats, taken as the build started, for
        the files this build has not written or kept yet. The process leaves them in a file and
        ends (waiting on a pipe, it would share the parent's memory meanwhile)."""
        try:
            spool = tempfile.TemporaryFile()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            spool.close()
            return
        if pid == 0:  # the child: stat, leave the stats, exit (no cleanup of the parent's state)
            try:
                gc.disable()
                pickle.dump(_stats(output, self.previous), spool, protocol=pickle.HIGHEST_PROTOCOL)
                spool.flush()
            finally:
                os._exit(0)
        self._ahead, self._prefix = (pid, spool), os.path.join(output, "")

    def finish_look_ahead(self) -> None:
        """Take the look-ahead's stats (waiting for them if need be)."""
        if self._ahead is None:
            return
        pid, spool = self._ahead
        self._ahead = None
        try:
            os.waitpid(pid, 0)
            spool.seek(0)
            self._seen = pickle.load(spool)
        except Exception:  # noqa: BLE001 - none or half of them (the process failed): stat here instead
            self._seen = None
        finally:
            spool.close()

    def intact(self, name: str, path: str) -> bool:
        """Is the file still what the last build wrote?"""
        entry = self.previous.get(name)
        if entry is None:
            return False
        if self._ahead is not None:
            self.finish_look_ahead()
        if self._seen is not None and name not in self.current and path == self._prefix + name:
            return self._seen.get(name) == entry.stat()
        return _size_and_time(path) == entry.stat()

    def write(self, name: str, path: str, data: bytes) -> OutputEntry:
        """Write ``data`` unless the file already holds exactly it; returns the ledger entry."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        entry = self.previous.get(name)
        if entry is None:
            st = _create(path, data)
        elif entry.digest == digest and self.intact(name, path):
            return entry
        else:
            st = _overwrite(path, data)
        return OutputEntry(st.st_size, st.st_mtime_ns, digest)

    def keep(self, name: str) -> None:
        """The file stays as the last build wrote it."""
        self.current[name] = self.previous[name]


def _size_and_time(path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, as the ledger keeps them; None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _stats(output: str, names: dict[str, OutputEntry]) -> dict[str, tuple[int, int]]:
    """``_size_and_time`` of the files under ``output`` by name, the missing ones left out."""
    found = {}
    for name in names:
        seen = _size_and_time(os.path.join(output, name))
        if seen is not None:
            found[name] = seen
    return found


def _create(path: str, data: bytes) -> os.stat_result:
    """Write a file the last build did not: most often there is none yet (a cold build), so it is
    created at once rather than looked for first; one already there (an output
    folder the cache did not know) is left as it is if it holds these very bytes."""
    try:
        fd = _open(path, os.O_EXCL)
    except FileExistsError:
        with open(path, "rb") as f:
            same = f.read() == data
        return os.stat(path) if same else _overwrite(path, data)
    return _write_and_close(fd, data, truncate=False)


def _overwrite(path: str, data: bytes) -> os.stat_result:
    """Write ``data`` over the file's old bytes, cut it to length, and return its stat.

    Not ``open(path, "wb")``: ext4 flushes a file truncated to empty to disk when it is closed
    (auto_da_alloc, against losing its new bytes in a crash), a wait per page rewritten."""
    return _write_and_close(_open(path, 0), data, truncate=True)


def _open(path: str, flags: int) -> int:
    """The file opened for writing (created if missing, with its folder: one ``mkdir`` as its
    parent mostly exists, every page of a site being in a folder of its own)."""
    flags |= os.O_WRONLY | os.O_CREAT
    try:
        return os.open(path, flags, 0o666)
    except FileNotFoundError:
        folder = os.path.dirname(path)
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            pass
        return os.open(path, flags, 0o666)


def _write_and_close(fd: int, data: bytes, truncate: bool) -> os.stat_result:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if truncate:
            os.ftruncate(fd, len(data))
        return os.fstat(fd)
    finally:
        os.close(fd)
