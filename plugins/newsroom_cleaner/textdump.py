"""Plain-text dumps: a scraper's text with the page's title, header lines and widgets mixed in.

The dump is read line by line: header lines become metadata, widget and repeated-title
lines go, and a trailing link-list heading ends the article. What is left is grouped into
paragraphs. A Pelican Markdown file (the cleaner's own output) is read the same way,
its header giving the metadata, so cleaning it again changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from . import rules
from .article import DATE_FIELDS, HEADER_FIELDS, LIST_FIELDS
from .dates import parse_date
from .metadata import drop_repeats, text_key
from .report import CleaningReport
from .settings import TITLE_MAX_CHARS


def _phrases(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_PUBLISHED = re.compile(rf"^(?:{_phrases(rules.DUMP_PUBLISHED_LABELS)})\s*[:\-–]?\s+(?P<date>.+)$", re.I)
_MODIFIED = re.compile(rf"^(?:{_phrases(rules.DUMP_MODIFIED_LABELS)})\s*[:\-–]?\s+(?P<date>.+)$", re.I)
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'.-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'.-]+){0,3}"
_NAME_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b|\bve\b|\bund\b|\bet\b|\by\b|\be\b)\s*")
# Label in any case, names capitalised: "By Jane Doe and John Roe", "Yazar: Ali Veli".
_BYLINE = re.compile(rf"^(?i:{_phrases(rules.DUMP_BYLINE_LABELS)})\s*:?\s+"
                     rf"(?P<names>{_NAME}(?:{_NAME_SEPARATOR.pattern}{_NAME})*)$")
_WIDGETS = re.compile(rf"^(?:{_phrases(rules.DUMP_WIDGET_PHRASES)})(?:[\s|·•,/]+(?:{_phrases(rules.DUMP_WIDGET_PHRASES)}))*$",
                      re.I)
_TRAILER = re.compile(rf"^(?:{_phrases(rules.DUMP_TRAILER_HEADINGS)})\s*:?$", re.I)
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+|\s+#+$")
_BYLINE_BLOCKS = 3  # bylines are only looked for before this many body paragraphs
_ONE_LINE_PARAGRAPHS = 0.1  # under this share of blank lines, each line is a paragraph


def clean_dump(text: str, report: CleaningReport) -> tuple[dict[str, Any], list[str]]:
    """Metadata and body paragraphs (Markdown text) of a plain-text dump."""
    metadata, lines = _pelican_header(text.split("\n"))
    if "title" not in metadata:
        title, lines = _title(lines)
        if title:
            metadata["title"] = title
    blocks = _body_blocks(lines, metadata, report)
    return metadata, drop_repeats(blocks, metadata.get("title"), report)


def _pelican_header(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Metadata from a leading ``Title: ...`` header (a cleaned file read again), else nothing."""
    first = _HEADER_LINE.match(lines[0].strip()) if lines else None
    if not first or first.group(1).lower() != "title":
        return {}, lines
    metadata: dict[str, Any] = {}
    keys = {name.lower(): key for key, name in HEADER_FIELDS.items()}
    for index, line in enumerate(lines):
        match = _HEADER_LINE.match(line)
        if not match:
            return metadata, lines[index:]
        key, value = keys.get(match.group(1).lower()), match.group(2).strip()
        if key in LIST_FIELDS:
            metadata[key] = [v.strip() for v in value.split(",") if v.strip()]
        elif key in DATE_FIELDS:
            if parsed := parse_date(value):
                metadata[key] = parsed
        elif key and value:
            metadata[key] = value
    return metadata, []


def _title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The first line is the title when it is short enough and not a header line."""
    for index, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        title = _HEADING_MARKS.sub("", line).strip()
        if len(title) > TITLE_MAX_CHARS or _PUBLISHED.match(line) or _WIDGETS.match(line):
            return None, lines
        return title, lines[index + 1:]
    return None, lines


def _body_blocks(lines: list[str], metadata: dict[str, Any], report: CleaningReport) -> list[str]:
    title_key = text_key(metadata.get("title", ""))
    blank_lines = sum(not line.strip() for line in lines)
    one_line_paragraphs = blank_lines < _ONE_LINE_PARAGRAPHS * max(1, len(lines) - blank_lines)
    blocks: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append("\n".join(current))
            current.clear()

    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            close()
            continue
        if blocks and _TRAILER.match(stripped):
            rest = [l for l in lines[index:] if l.strip()]
            report.record("dump.trailing-link-list", sum(len(l.strip()) for l in rest), len(rest))
            break
        if _header_line(stripped, metadata, len(blocks), report):
            continue
        if _WIDGETS.match(stripped):
            report.record("dump.share-follow-widgets", len(stripped))
            continue
        if title_key and text_key(stripped) == title_key:
            report.record("dump.repeated-title", len(stripped))
            continue
        current.append(line)
        if one_line_paragraphs:
            close()
    close()
    return blocks


def _header_line(line: str, metadata: dict[str, Any], body_blocks: int, report: CleaningReport) -> bool:
    """Take a date or byline line into ``metadata``; True when the line was one."""
    for key, pattern in (("date", _PUBLISHED), ("modified", _MODIFIED)):
        match = pattern.match(line)
        if match and (value := parse_date(match.group("date"))):
            metadata.setdefault(key, value)
            report.record(f"dump.{key}-line", len(line))
            return True
    match = _BYLINE.match(line) if body_blocks < _BYLINE_BLOCKS else None
    if match:
        metadata.setdefault("authors", [n for n in _NAME_SEPARATOR.split(match.group("names")) if n])
        report.record("dump.byline", len(line))
        return True
    return False
