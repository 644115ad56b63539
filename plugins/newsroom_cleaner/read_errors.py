"""The reason in Pelican's one-line error for a content file it could not read.

Pelican reports such a file as "Could not process ./post.md" and keeps the reason for --debug:
an editor who saved a post in Latin-1, or dropped a picture into content/ with a .md name, is
left guessing. This filter adds the reason to that same line (still one message per file, with
no traceback), e.g. "Could not process ./post.md: not UTF-8 (byte 0xe9 at offset 52); save it
as UTF-8". Pelican logs the line inside its ``except`` block, where the exception is current.
"""

from __future__ import annotations

import errno
import logging
import os
import sys

from .decode import why_not_utf8

# Pelican's message for a file its readers failed on (pelican/generators.py, articles and pages).
PELICAN_FAILED_FILE = "Could not process %s"
# Pelican's reader cache's message for a file it cannot stat (pelican/cache.py), logged just
# before the reader fails on the same file with its own line.
PELICAN_NO_STAMP = "Cannot get modification stamp for %s\n\t%s"
# At most this many characters of an exception's own message go into the line.
MAX_REASON_CHARS = 300


def cannot_open(error: OSError) -> str:
    """Why a file could not be opened, in words: a symlink loop or a symlink to nothing is
    named as such (the OS says "Too many levels of symbolic links", "No such file")."""
    path = error.filename
    if isinstance(path, str) and os.path.islink(path):
        if error.errno == errno.ELOOP:
            return "symbolic link loop (it leads back to itself)"
        if error.errno == errno.ENOENT:
            return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
    return error.strerror or str(error)


def reason(error: BaseException) -> str:
    """Why reading failed, on one line."""
    if isinstance(error, UnicodeDecodeError) and isinstance(error.object, bytes):
        return why_not_utf8(error.object, error.start)
    if isinstance(error, OSError) and error.errno in (errno.ELOOP, errno.ENOENT):
        return cannot_open(error)
    text = " ".join(str(error).split())
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class ExplainFailedFile(logging.Filter):
    """On Pelican's generators logger: adds the reason to "Could not process <file>" when the
    record carries no traceback (Pelican shows one only with DEBUG on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = sys.exc_info()[1]
        if record.msg == PELICAN_FAILED_FILE and not record.exc_info and error is not None:
            record.msg = PELICAN_FAILED_FILE + ": %s"
            record.args = (*record.args, reason(error))
        return True


class UnreadableStamp(logging.Filter):
    """On Pelican's cache logger: drops "Cannot get modification stamp" for a file that does not
    open (a dangling or looping symlink), as the reader's own line for it follows: one line a file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != PELICAN_NO_STAMP or not record.args:
            return True
        path = record.args[0]
        return not (isinstance(path, str) and os.path.islink(path) and not os.path.exists(path))


_FILTERS = {"pelican.generators": ExplainFailedFile(), "pelican.cache": UnreadableStamp()}


def install() -> None:
    """Add the filters once, however often Pelican registers the plugin in this process."""
    for name, log_filter in _FILTERS.items():
        logger = logging.getLogger(name)
        if log_filter not in logger.filters:
            logger.addFilter(log_filter)
