"""On-disk caches: rendered Markdown, cleaned scrapes, content objects and rendered blocks, in
one SQLite file.

The file carries FORMAT (sealed.py) in its name; an unreadable or foreign file is reported in
one line, deleted, and treated as empty, so the build falls back to full work, never to a
wrong site. Files of another FORMAT are deleted. Every value is sealed (sealed.py). A fork()ed
worker that finds damage leaves a mark beside the file (it cannot delete a file its parent
writes); the parent drops the file when it sees the mark, by the end of the build at the latest.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from .sealed import FORMAT, CacheDamage, notice, seal, unseal

logger = logging.getLogger(__name__)

# Pending writes are flushed to SQLite past this size, so a cold build of a big site does not
# hold every rendered text and cached object in memory (and in every forked worker) at once.
PENDING_LIMIT = 32 * 1024 * 1024
# Rendered blocks arrive from the workers while the parent waits: written at a quarter of that.
BLOCKS_PENDING_LIMIT = PENDING_LIMIT // 4
_VACUUM_MIN_PAGES = 2560  # 10 MB of 4 KB pages: a smaller file is not worth rewriting


class RenderCache:
    """Three SQLite tables in one file.

    ``entries``: key -> pickled value, keys being digests of what was rendered or cleaned (an
    edited file adds an entry; the old one is kept, a few kilobytes).
    ``objects``: pickled content objects keyed by file and stat, each row tagged with the
    generation (the build's digest of settings and code) that made it. Every settings or code
    change starts a generation, a whole site's worth of objects: ``prune_objects`` keeps the
    current and the previous one, and of the current only the objects this build used.
    ``blocks``: rendered template blocks (blocks.py) by key, tagged with the generation that
    rendered them; ``prune_blocks`` drops the other generations'.
    Every value is stored sealed with its key (``seal``) and checked when read.
    """

    def __init__(self, path: Path):
        """``path``: the file's name without the FORMAT, which is added to it (render-3.sqlite)."""
        self.path = path.with_name(f"{path.stem}-{FORMAT}{path.suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        for other in path.parent.glob(f"{path.stem}*{path.suffix}"):
            if other != self.path:  # another FORMAT's cache
                other.unlink(missing_ok=True)
        self._pending: dict[bytes, bytes] = {}
        self._pending_objects: dict[bytes, tuple[bytes, bytes]] = {}
        self._pending_blocks: dict[bytes, tuple[bytes, bytes]] = {}
        self._pending_blocks_size = 0
        self._pid = os.getpid()
        self._worker_db: tuple[int, sqlite3.Connection] | None = None  # a fork()ed worker's own
        self._pending_size = 0
        self._used_objects: set[bytes] = set()
        # Keys in ``entries``, read in one query when first needed: a lookup of a missing entry
        # (every text of a cold build) is answered here. In a fork()ed worker, a query could
        # wait for the parent's write lock.
        self._stored_keys: set[bytes] | None = None
        self._prefetched: dict[bytes, bytes] = {}
        self._prefetched_generation: bytes | None = None
        self._prefetched_blocks: dict[bytes, bytes] | None = None  # every block of a generation, if read
        # left by a fork()ed worker that found the file damaged, for the parent to drop it
        self._mark = self.path.with_name(self.path.name + ".damaged")
        self.damage_seen = False  # the file was found damaged (and dropped) during this build
        self._unusable_reported = False
        try:
            if self._mark.exists():  # a worker of a build that ended before its parent saw the mark
                raise CacheDamage("marked damaged by a worker")
            self._db = self._open()
        except (sqlite3.DatabaseError, pickle.UnpicklingError, CacheDamage) as error:
            self.damage_seen = True
            notice(self.path, error)
            self._remove()
            self._db = self._open()

    def _remove(self) -> None:
        for path in (self.path, self._mark, self.path.with_name(self.path.name + "-journal")):
            path.unlink(missing_ok=True)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS entries (key BLOB PRIMARY KEY, value BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS objects (key BLOB PRIMARY KEY, generation BLOB, value BLOB)")
        db.execute("CREATE INDEX IF NOT EXISTS objects_generation ON objects (generation)")
        db.execute("CREATE TABLE IF NOT EXISTS blocks (key BLOB PRIMARY KEY, generation BLOB, value BLOB)")
        db.execute("SELECT count(*) FROM entries").fetchone()  # fails on a corrupt file
        return db

    def keys(self) -> set[bytes]:
        """Every stored key (cheap: no values are read)."""
        return self._stored() | set(self._pending)

    def _stored(self) -> set[bytes]:
        """The keys in ``entries`` (as of the first call in this process, plus what it flushed)."""
        if self._stored_keys is None:
            try:
                self._stored_keys = {row[0] for row in self._connection().execute("SELECT key FROM entries")}
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                return set()
        return self._stored_keys

    def get(self, key: bytes) -> Any | None:
        if key in self._pending:
            return pickle.loads(self._pending[key])
        if key not in self._stored():
            return None
        data = self._select("SELECT value FROM entries WHERE key = ?", key)
        payload = None if data is None else self._unsealed(data, key)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception as error:  # noqa: BLE001 - intact but unloadable: made again
            self.drop_value("entries", key, error)
            return None

    def put(self, key: bytes, value: Any) -> None:
        data = self._pending[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._added(len(data))

    def prefetch_objects(self, generation: bytes) -> None:
        """Read the objects of ``generation`` in one query (a query per object costs much of what
        loading it does); ``get_object`` then takes each from memory, once."""
        if self._prefetched_generation == generation:
            return
        self._prefetched_generation = generation
        try:
            self._prefetched = dict(self._db.execute("SELECT key, value FROM objects WHERE generation = ?",
                                                     (generation,)))
        except sqlite3.DatabaseError as error:
            self._damaged(error)

    def get_object(self, key: bytes) -> bytes | None:
        """A content object's pickle, as ``put_object`` stored it."""
        self._used_objects.add(key)
        if key in self._pending_objects:
            return self._pending_objects[key][1]
        data = self._prefetched.pop(key, None)
        if data is None:
            data = self._select("SELECT value FROM objects WHERE key = ?", key)
        return None if data is None else self._unsealed(data, key)

    def _unsealed(self, data: bytes, key: bytes) -> bytes | None:
        """The value stored under ``key``, or None if it is damaged (the file is then dropped)."""
        try:
            return unseal(data, key)
        except CacheDamage as error:
            self._damaged(error)
            return None

    def has_object(self, key: bytes) -> bool:
        """Stored for the prefetched generation, or put in this build (does not count as used)."""
        return key in self._prefetched or key in self._pending_objects

    def put_object(self, key: bytes, generation: bytes, data: bytes) -> None:
        self._used_objects.add(key)
        self._pending_objects[key] = (generation, data)
        self._added(len(data))

    def get_block(self, key: bytes) -> bytes | None:
        """A rendered block as ``put_block`` stored it (by an earlier build)."""
        if self._prefetched_blocks is not None:
            data = self._prefetched_blocks.get(key)
        else:
            data = self._select("SELECT value FROM blocks WHERE key = ?", key)
        return None if data is None else self._unsealed(data, key)

    def prefetch_blocks(self, generation: bytes | None) -> None:
        """Have ``get_block`` answer from every block of ``generation``, read in one query (one
        lookup costs as much as reading many rows this way); None: look each one up."""
        self._prefetched_blocks = None
        if generation is None:
            return
        try:
            self._prefetched_blocks = dict(
                self._db.execute("SELECT key, value FROM blocks WHERE generation = ?", (generation,)))
        except sqlite3.DatabaseError as error:
            self._damaged(error)

    def put_block(self, key: bytes, generation: bytes, data: bytes) -> None:
        self._pending_blocks[key] = (generation, data)
        self._pending_blocks_size += len(data)
        if self._pending_blocks_size > BLOCKS_PENDING_LIMIT:
            self.flush()
        else:
            self._added(len(data))

    def prune_blocks(self, generation: bytes) -> None:
        """Drop the blocks other generations rendered (other settings, code or template files)."""
        self.flush()
        try:
            with self._db:
                self._db.execute("DELETE FROM blocks WHERE generation != ?", (generation,))
        except sqlite3.DatabaseError as error:
            self._damaged(error)

    def _in_worker(self) -> bool:
        return os.getpid() != self._pid

    def _connection(self) -> sqlite3.Connection:
        """The parent's connection, or a fork()ed worker's own (SQLite forbids using a connection
        across a fork): workers read blocks, cached Markdown and cleaned scrapes."""
        if not self._in_worker():
            return self._db
        if self._worker_db is None or self._worker_db[0] != os.getpid():
            self._worker_db = (os.getpid(), sqlite3.connect(self.path))
        return self._worker_db[1]

    def _select(self, query: str, key: bytes) -> bytes | None:
        try:
            row = self._connection().execute(query, (key,)).fetchone()
        except sqlite3.DatabaseError as error:
            self._damaged(error)
            return None
        return None if row is None else row[0]

    def take_entries(self) -> dict[bytes, bytes]:
        """In a worker: the entries ``put`` since the last call, pickled, for ``add_entries`` in
        the parent (a worker never writes the file)."""
        taken, self._pending, self._pending_size = self._pending, {}, 0
        return taken

    def add_entries(self, entries: dict[bytes, bytes]) -> None:
        self._pending.update(entries)
        self._added(sum(map(len, entries.values())))

    def _added(self, size: int) -> None:
        self._pending_size += size
        if self._pending_size > PENDING_LIMIT and not self._in_worker():
            self.flush()

    def flush(self) -> None:
        if not self._in_worker() and self._mark.exists():
            self._damaged(CacheDamage("a worker found a damaged value"))
        if not self._pending and not self._pending_objects and not self._pending_blocks:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)",
                                     ((k, seal(v, k)) for k, v in self._pending.items()))
                self._db.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?)",
                                     ((k, g, seal(v, k)) for k, (g, v) in self._pending_objects.items()))
                self._db.executemany("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)",
                                     ((k, g, seal(v, k)) for k, (g, v) in self._pending_blocks.items()))
        except sqlite3.DatabaseError as error:
            self._damaged(error)
        else:
            if self._stored_keys is not None:
                self._stored_keys.update(self._pending)
        self._pending.clear()
        self._pending_objects.clear()
        self._pending_blocks.clear()
        self._pending_blocks_size = 0
        self._pending_size = 0

    def prune_objects(self, generation: bytes, previous: bytes | None) -> int:
        """After a complete build of ``generation``: drop the objects of generations other than it
        and ``previous``, and those of it this build did not use (edited or deleted files).
        Returns how many were dropped; the file is compacted once most of it is free."""
        self.flush()
        try:
            stored = self._db.execute("SELECT count(*) FROM objects").fetchone()[0]
            if stored <= len(self._used_objects):
                return 0
            with self._db:
                dropped = self._db.execute("DELETE FROM objects WHERE generation NOT IN (?, ?)",
                                           (generation, previous or generation)).rowcount
                if self._prefetched_generation == generation:
                    # get_object took the used ones out: what is left, no file asked for (an edit: one)
                    unused = [(key,) for key in self._prefetched if key not in self._used_objects]
                    dropped += len(unused)
                    self._db.executemany("DELETE FROM objects WHERE key = ?", unused)
                else:
                    self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
                    self._db.execute("DELETE FROM used")
                    self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                         ((k,) for k in self._used_objects))
                    dropped += self._db.execute(
                        "DELETE FROM objects WHERE generation = ? AND key NOT IN (SELECT key FROM used)",
                        (generation,)).rowcount
            free, pages = (self._db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
            if pages > _VACUUM_MIN_PAGES and free * 2 > pages:
                self._db.execute("VACUUM")
            return dropped
        except sqlite3.DatabaseError as error:
            self._damaged(error)
            return 0

    def _damaged(self, error: Exception) -> None:
        """The file is damaged: report it in one line and start afresh (what it held is made
        again). In a fork()ed worker, the value is made again and the file marked, for the
        parent to drop it (SQLite files are not to be deleted under another connection's feet)."""
        if self._in_worker():
            if isinstance(error, sqlite3.OperationalError):  # busy (the parent writing): a miss
                return
            try:
                self._mark.touch()
            except OSError:
                pass
            return
        if not self.damage_seen:  # one line a build, however many values were damaged
            notice(self.path, error)
        self.damage_seen = True
        self._stored_keys = None
        self._prefetched.clear()
        self._prefetched_blocks = None
        self._db.close()
        self._remove()
        self._db = self._open()

    def drop_value(self, table: str, key: bytes, error: Exception) -> None:
        """A value read intact that this code cannot use (it failed to load): deleted, so it is
        made again, with one line a build."""
        if self._in_worker():
            return
        if not self._unusable_reported:
            self._unusable_reported = True
            logger.warning("newsroom_speed: a cached value in %s unusable (%s); made again", self.path, error)
        try:
            with self._db:
                self._db.execute(f"DELETE FROM {table} WHERE key = ?", (key,))  # table: one of ours
        except sqlite3.DatabaseError as db_error:
            self._damaged(db_error)

    def drop(self) -> None:
        """Delete the file and forget what was to be written (after a build that failed having
        found damage)."""
        self._pending.clear()
        self._pending_objects.clear()
        self._pending_blocks.clear()
        self._db.close()
        self._remove()
