"""Sealed files and values: every stored value carries a digest of itself and its key
(``seal``), checked before it is used (``unseal``), so a flipped bit on disk is found, reported
in one line, and what the value held is made again, never used wrong. The build state files
are written atomically; Jinja's compiled templates are sealed too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket

from . import contract

logger = logging.getLogger(__name__)

FORMAT = 5  # bump when a cached structure changes meaning (records.py)
DIGEST_SIZE = 16


class CacheDamage(Exception):
    """A stored value whose digest does not match it."""


def notice(path: Path, error: Exception) -> None:
    logger.warning("newsroom_speed: cache %s unusable (%s); doing a full build", path, error)


def _digest(payload: bytes, key: bytes) -> bytes:
    h = hashlib.blake2b(key, digest_size=DIGEST_SIZE)
    h.update(payload)
    return h.digest()


def seal(payload: bytes, key: bytes = b"") -> bytes:
    """``payload`` with a digest of it and its ``key`` in front, as stored."""
    return _digest(payload, key) + payload


def unseal(data: bytes, key: bytes = b"") -> bytes:
    """The payload ``seal`` stored with ``key``; CacheDamage if the digest does not match
    (a flipped bit in the value, its key, or a value moved under another key)."""
    payload = memoryview(data)[DIGEST_SIZE:]
    if len(data) < DIGEST_SIZE or _digest(payload, key) != data[:DIGEST_SIZE]:
        raise CacheDamage(f"digest mismatch for key {key.hex()[:16] or '-'}")
    return payload.tobytes()


def load_state(path: Path, kind: type) -> Any | None:
    """The previous build's state (a ``kind``), or None (with a one-line notice if it was
    unreadable, of another FORMAT or of another kind)."""
    if not path.exists():
        return None
    try:
        stored = pickle.loads(unseal(path.read_bytes(), path.name.encode()))
        found = stored[0] if isinstance(stored, tuple) and len(stored) == 2 else "?"
        if found != FORMAT or not isinstance(stored[1], kind):
            raise ValueError(f"format {found} != {FORMAT}")
        return stored[1]
    except Exception as error:  # any unreadable state means: rebuild everything
        notice(path, error)
        path.unlink(missing_ok=True)
        return None


def save_state(path: Path, state: Any) -> None:
    """Write atomically, so an interrupted build leaves the old state or none, never half of one;
    sealed, so a damaged one is found when loaded."""
    data = pickle.dumps((FORMAT, state), protocol=pickle.HIGHEST_PROTOCOL)
    _write_atomically(path, seal(data, path.name.encode()))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class SealedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates in files, each sealed: Jinja checks a file's header and its
    template's source, not the compiled code, which a flipped bit would change silently. A
    damaged file is reported in one line, deleted and compiled again."""

    _reported = False  # one line a build (set on the instance), however many files were damaged

    def load_bytecode(self, bucket: Bucket) -> None:
        path = Path(contract.cached_template_path(self, bucket))
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            return
        try:
            bucket.bytecode_from_string(unseal(data, bucket.key.encode()))
        except Exception as error:  # noqa: BLE001 - damaged: compiled again (bucket left empty)
            bucket.reset()
            if not self._reported:
                self._reported = True
                notice(path.parent, error)
            path.unlink(missing_ok=True)

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = Path(contract.cached_template_path(self, bucket))
        try:
            _write_atomically(path, seal(bucket.bytecode_to_string(), bucket.key.encode()))
        except OSError:  # the folder went (another settings' build deleted it): kept in memory only
            pass
