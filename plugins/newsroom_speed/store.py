"""On-disk caches: rendered Markdown and cleaned scrapes (SQLite), build state (pickle).

Every file carries FORMAT in its name or header; an unreadable or foreign file is reported in
one line, deleted, and treated as empty, so the build falls back to full work, never to a
wrong site.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FORMAT = 2  # bump when a cached structure changes meaning
# Pending writes are flushed to SQLite past this size, so a cold build of a big site does not
# hold every rendered text and cached object in memory (and in every forked worker) at once.
PENDING_LIMIT = 32 * 1024 * 1024


def notice(path: Path, error: Exception) -> None:
    logger.warning("newsroom_speed: cache %s unusable (%s); doing a full build", path, error)


class RenderCache:
    """Key -> pickled value table in SQLite; keys are content digests, so entries never go stale."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._pending: dict[bytes, bytes] = {}
        self._pending_size = 0
        try:
            self._db = self._open()
        except (sqlite3.DatabaseError, pickle.UnpicklingError) as error:
            notice(path, error)
            path.unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB)")
        db.execute("SELECT count(*) FROM entries").fetchone()  # fails on a corrupt file
        return db

    def keys(self) -> set[bytes]:
        """Every stored key (cheap: no values are read)."""
        try:
            return {row[0] for row in self._db.execute("SELECT key FROM entries")} | set(self._pending)
        except sqlite3.DatabaseError as error:
            notice(self.path, error)
            self._reset()
            return set(self._pending)

    def get(self, key: bytes) -> Any | None:
        if key in self._pending:
            return pickle.loads(self._pending[key])
        try:
            row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return None if row is None else pickle.loads(row[0])
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, ValueError) as error:
            notice(self.path, error)
            self._reset()
            return None

    def put(self, key: bytes, value: Any) -> None:
        data = self._pending[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._pending_size += len(data)
        if self._pending_size > PENDING_LIMIT:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", self._pending.items())
        except sqlite3.DatabaseError as error:
            notice(self.path, error)
            self._reset()
        self._pending.clear()
        self._pending_size = 0

    def _reset(self) -> None:
        self._db.close()
        self.path.unlink(missing_ok=True)
        self._db = self._open()


def load_state(path: Path) -> dict | None:
    """The previous build's state, or None (with a one-line notice if it was unreadable)."""
    if not path.exists():
        return None
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"format {state.get('format') if isinstance(state, dict) else '?'} != {FORMAT}")
        return state
    except Exception as error:  # any unreadable state means: rebuild everything
        notice(path, error)
        path.unlink(missing_ok=True)
        return None


def save_state(path: Path, state: dict) -> None:
    """Write atomically, so an interrupted build leaves the old state or none, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
    with os.fdopen(fd, "wb") as f:
        pickle.dump({**state, "format": FORMAT}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
