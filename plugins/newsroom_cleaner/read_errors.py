"""The reason in Pelican's one-line error for a content file it could not read.

Pelican reports such a file as "Could not process ./post.md" and keeps the reason for --debug:
an editor who saved a post in Latin-1, or dropped a picture into content/ with a .md name, is
left guessing. This filter adds the reason to that same line (still one message per file, with
no traceback), e.g. "Could not process ./post.md: not UTF-8 (byte 0xe9 at offset 52); save it
as UTF-8". Pelican logs the line inside its ``except`` block, where the exception is current.
"""

from __future__ import annotations

import logging
import sys

from .decode import why_not_utf8

# Pelican's message for a file its readers failed on (pelican/generators.py, articles and pages).
PELICAN_FAILED_FILE = "Could not process %s"
# At most this many characters of an exception's own message go into the line.
MAX_REASON_CHARS = 300


def reason(error: BaseException) -> str:
    """Why reading failed, on one line."""
    if isinstance(error, UnicodeDecodeError) and isinstance(error.object, bytes):
        return why_not_utf8(error.object, error.start)
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


_FILTER = ExplainFailedFile()


def install() -> None:
    """Add the filter once, however often Pelican registers the plugin in this process."""
    logger = logging.getLogger("pelican.generators")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
