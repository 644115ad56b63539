"""Plain-text dumps: a scraper's text with the page's title, header lines and widgets mixed in.

The dump is read line by line: header lines become metadata, widget and repeated-title
lines go, a trailing link-list heading ends the article, and the lines the line model
(``dumplines``) judges site chrome (menus, teaser rails, footers, notices) go. What is left is grouped into
paragraphs. A Pelican Markdown file (the cleaner's own output) is read the same way,
its header giving the metadata, so cleaning it again changes nothing.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import dumplines, rules
from .article import DATE_FIELDS, HEADER_FIELDS, LIST_FIELDS, REPORT_FIELD
from .dates import parse_date
from .metadata import split_names, text_key
from .report import CleaningReport
from .sitetemplate import SiteTemplate, template_lines
from .settings import TITLE_MAX_CHARS


def _phrases(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_PUBLISHED = re.compile(rf"^(?:{_phrases(rules.DUMP_PUBLISHED_LABELS)})\s*[:\-–]?\s+(?P<date>.+)$", re.I)
_MODIFIED = re.compile(rf"^(?:{_phrases(rules.DUMP_MODIFIED_LABELS)})\s*[:\-–]?\s+(?P<date>.+)$", re.I)
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'.-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w'.-]+){0,3}"
# Label in any case, names capitalised: "By Jane Doe and John Roe", "Yazar: Ali Veli".
_BYLINE = re.compile(rf"^(?i:{_phrases(rules.DUMP_BYLINE_LABELS)})\s*:?\s+"
                     rf"(?P<names>{_NAME}(?:{rules.NAME_SEPARATOR}{_NAME})*)$")
_WIDGETS = re.compile(rf"^(?:{_phrases(rules.DUMP_WIDGET_PHRASES)})(?:[\s|·•,/]+(?:{_phrases(rules.DUMP_WIDGET_PHRASES)}))*$",
                      re.I)
_TAGS = re.compile(rf"^(?:{_phrases(rules.DUMP_TAG_LABELS)})\s*:\s*(?P<tags>.+)$", re.I)
_CREDIT = re.compile(rf"^(?:{_phrases(rules.DUMP_CREDIT_LABELS)})\s*:\s*.{{1,{rules.DUMP_CREDIT_MAX_CHARS}}}$", re.I)
# A Markdown image alone on its line: the italic line after it is its caption (convert.py),
# whose credit ("*Photo: Coast Courier graphics*") stays.
_IMAGE_LINE = re.compile(r"!\[[^\]\n]*\]\([^)\s]+\)")
_TRAILER = re.compile(rf"^(?:{_phrases(rules.DUMP_TRAILER_HEADINGS)})\s*:?$", re.I)


def _opening_any(phrases: list[str]) -> str:
    """A regex matching the start of a line that opens with any of ``phrases`` (spaces as runs of
    whitespace), written as a tree of shared prefixes: a line opening with none of them fails
    after a character or two instead of being tried against each phrase."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node.clear()  # the phrase opens the line: what longer phrases add cannot matter
        node[""] = {}

    def branches(node: dict[str, dict]) -> str:
        if "" in node:
            return ""
        parts = [(r"\s+" if char == " " else re.escape(char)) + branches(child) for char, child in node.items()]
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"

    return branches(tree)


# Every label rule above opens with one of its words: a line not starting with any of them
# (most of a dump) skips their seven tries at once.
_LABEL_START = re.compile(_opening_any([
    *rules.DUMP_PUBLISHED_LABELS, *rules.DUMP_MODIFIED_LABELS, *rules.DUMP_BYLINE_LABELS, *rules.DUMP_TAG_LABELS,
    *rules.DUMP_CREDIT_LABELS, *rules.DUMP_WIDGET_PHRASES, *rules.DUMP_TRAILER_HEADINGS]), re.I)
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")
_MARKUP_START = re.compile(r"#{1,6}\s+|[*_]{1,3}")  # heading marks or emphasis opening a line
_MARKUP_CHARS = ("#", "*", "_")  # what _MARKUP_START opens with: other lines skip the regex
_MARKUP_ENDS = (":", "*", "_", "#")  # what _bare takes off a line's end
_EMPHASIS_MAX = 3  # "***" is the longest emphasis run closing a line
_BYLINE_BLOCKS = 3  # bylines are only looked for before this many body paragraphs
_ONE_LINE_PARAGRAPHS = 0.1  # under this share of blank lines, each line is a paragraph


def _bare(line: str) -> str:
    """``line`` without heading marks, emphasis and a trailing colon ("## Related:", "**Share**").

    The line's end is examined with string methods: a regex anchored there would be tried
    at every position of every long paragraph line.
    """
    if line.startswith(_MARKUP_CHARS):
        start = _MARKUP_START.match(line)
        text = line[start.end():] if start else line
    elif line.endswith(_MARKUP_ENDS):
        text = line
    else:  # no mark at either end: most lines
        return line
    if text.endswith(":"):
        return text[:-1]
    unemphasised = text.rstrip("*_")
    if len(unemphasised) < len(text):
        return text[:max(len(unemphasised), len(text) - _EMPHASIS_MAX)]
    unhashed = text.rstrip("#")
    if unhashed != text and unhashed[-1:].isspace():  # "Title ##": closing heading marks
        return unhashed.rstrip()
    return text


def clean_dump(text: str, report: CleaningReport,
               template: SiteTemplate | None = None) -> tuple[dict[str, Any], list[str]]:
    """Metadata and body paragraphs (Markdown text) of a plain-text dump.

    ``template``: the lines its site repeats on many pages (learned from a batch), dropped too.
    """
    with _collector_paused():
        lines = text.split("\n")
        metadata, body = _pelican_header(lines, report)
        has_header = body is not lines
        chrome: frozenset[int] = frozenset()
        site: frozenset[int] = frozenset()
        if not has_header:  # the first line may be the title (with a header, it says so)
            title, body = _title(lines)
            if title:
                metadata["title"] = title
            chrome = _chrome_lines(lines, body, title)
            if template:
                report.site_template = len(template)
                site = template_lines(body, template, title, chrome)
        return clean_lines(body, metadata, report, markdown=has_header, chrome=chrome, site=site)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a dump is cleaned.

    Cleaning builds thousands of small lists (tokens, feature rows) that hold no cycles; the
    collector, woken by their number, would scan them and everything else alive many times.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chrome_lines(lines: list[str], body: list[str], title: str | None) -> frozenset[int]:
    """Indices in ``body`` of the lines the dump line model judges site chrome.

    The model sees the whole dump (title line included: its position and echo are evidence).
    """
    texts = [text for text in map(str.strip, lines) if text]
    verdict = dict(zip(texts, dumplines.article_lines(texts, title or (texts[0] if texts else None))))
    # A line's text decides, so the title's removal from ``body`` does not shift the verdicts;
    # twin lines share one verdict (the model gives repeats the same evidence).
    return frozenset(i for i, text in enumerate(map(str.strip, body)) if text and not verdict.get(text, True))


def _pelican_header(lines: list[str], report: CleaningReport) -> tuple[dict[str, Any], list[str]]:
    """Metadata (and earlier report) from a leading Pelican header: a cleaned file read again.

    A header is a run of known ``Key: value`` lines ended by a blank line (or the end), so a
    dump that merely opens with "Date: ..." before its title is not mistaken for one.
    """
    keys = {name.lower(): key for key, name in HEADER_FIELDS.items()}
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    fields = [_HEADER_LINE.match(line) for line in lines[:end]]
    if not fields or not all(f and f.group(1).lower() in {*keys, REPORT_FIELD.lower()} for f in fields):
        return {}, lines
    metadata: dict[str, Any] = {}
    for field in fields:
        name, value = field.group(1).lower(), field.group(2).strip()
        key = keys.get(name)
        if name == REPORT_FIELD.lower():
            report.add_metadata(value)
        elif key in LIST_FIELDS:
            metadata[key] = [v.strip() for v in value.split(",") if v.strip()]
        elif key in DATE_FIELDS:
            if parsed := parse_date(value):
                metadata[key] = parsed
        elif value:
            metadata[key] = value
    return metadata, lines[end:]


def _title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The first line that is not a date, byline or widget line is the title, if short enough.

    The lines skipped on the way stay in the body, where the line rules take them.
    """
    for index, line in enumerate(lines):
        plain = _bare(line.strip())
        if not plain or any(p.match(plain) for p in (_PUBLISHED, _MODIFIED, _BYLINE, _WIDGETS)):
            continue
        if len(plain) > TITLE_MAX_CHARS:
            return None, lines
        return _headline(plain, lines[index + 1:]), lines[:index] + lines[index + 1:]
    return None, lines


def _headline(title: str, rest: list[str]) -> str:
    """"Headline | Site" (a page's <title>) -> "Headline" when the dump repeats "Headline" as a line."""
    heads = [head for separator in (*rules.TITLE_SITE_SEPARATORS, *rules.TITLE_DASH_SEPARATORS)
             for head, sep, _ in [title.rpartition(separator)] if sep and head.strip()]
    if not heads:  # most titles have no separator: the dump's lines need no keys
        return title
    keys = [text_key(head) for head in heads]
    later = set()
    for line in rest:
        if line.strip():
            later.add(key := text_key(line))
            if key == keys[0]:  # the first head wins wherever it repeats: no need to read on
                break
    return next((head.strip() for head, key in zip(heads, keys) if key in later), title)


def clean_lines(lines: list[str], metadata: dict[str, Any], report: CleaningReport, *,
                markdown: bool = False, chrome: frozenset[int] = frozenset(),
                site: frozenset[int] = frozenset()) -> tuple[dict[str, Any], list[str]]:
    """Body paragraphs of Markdown/plain ``lines`` with the line rules applied.

    ``chrome``: indices of lines judged site chrome (a dump's line model); ``site``: those of
    lines the site's template holds. They go after the header-line rules had their say, so a
    date or byline line still gives its metadata.

    In Markdown (``markdown``: converted HTML, a cleaned file) blank lines end paragraphs;
    in a dump without any, each line is taken as one.

    Returns a copy of ``metadata`` completed from header lines (values already there win)
    and the paragraphs. Used for dumps and for the Markdown of HTML pages alike, so a
    cleaned file read back meets the same rules and keeps its text.
    """
    metadata = dict(metadata)
    title_key = text_key(metadata.get("title", ""))
    text_lines = [i for i, line in enumerate(lines) if line.strip()]
    inner = lines[text_lines[0]:text_lines[-1] + 1] if text_lines else []
    blank_lines = len(inner) - len(text_lines)  # blank lines between text, not at the ends
    one_line_paragraphs = not markdown and blank_lines < _ONE_LINE_PARAGRAPHS * max(1, len(text_lines))
    blocks: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append("\n".join(current))
            current.clear()

    previous = ""  # the last line with text
    for index, line in enumerate(lines):
        stripped = line.strip()
        plain = _bare(stripped)
        if not plain:
            close()
            continue
        caption = markdown and line.lstrip().startswith(("*", "_")) and _IMAGE_LINE.fullmatch(previous)
        previous = stripped
        labelled = _LABEL_START.match(plain) is not None
        if labelled and (blocks or current) and _TRAILER.match(plain):
            rest = [l.strip() for l in lines[index + 1:] if l.strip()]
            if _is_link_list(rest, blocks + current):
                report.record("text.trailing-link-list", len(plain) + sum(map(len, rest)), 1 + len(rest),
                              " / ".join([plain, *rest]))
                break
            report.record("text.trailing-list-heading", len(plain), text=plain)
            continue
        if labelled and _header_line(plain, metadata, len(blocks), report):
            continue
        if labelled and _WIDGETS.match(plain):
            report.record("text.share-follow-widgets", len(plain), text=plain)
            continue
        if labelled and _CREDIT.match(plain) and not caption:
            report.record("text.photo-source-credit", len(plain), text=plain)
            continue
        if title_key and text_key(plain) == title_key:
            report.record("text.repeated-title", len(plain), text=plain)
            continue
        if index in site:
            report.record("text.site-template", len(plain))
            close()
            continue
        if index in chrome:
            report.record("text.dump-chrome", len(plain), text=plain)
            close()
            continue
        current.append(line)
        if one_line_paragraphs:
            close()
    close()
    return metadata, blocks


def _is_link_list(rest: list[str], blocks: list[str]) -> bool:
    """True when what follows a trailer heading is teaser lines, not more article."""
    short = all(len(line) <= rules.DUMP_TEASER_MAX_CHARS for line in rest)
    return short or sum(map(len, rest)) < sum(map(len, blocks))


def _header_line(line: str, metadata: dict[str, Any], body_blocks: int, report: CleaningReport) -> bool:
    """Take a date, tag or byline line into ``metadata``; True when the line was one."""
    for key, pattern in (("date", _PUBLISHED), ("modified", _MODIFIED)):
        match = pattern.match(line)
        if match and (value := parse_date(match.group("date"))):
            metadata.setdefault(key, value)
            report.record(f"text.{key}-line", len(line), text=line)
            return True
    match = _TAGS.match(line)
    if match:
        metadata.setdefault("tags", [t.strip() for t in re.split(r"[,;|]", match.group("tags")) if t.strip()])
        report.record("text.tag-line", len(line), text=line)
        return True
    match = _BYLINE.match(line) if body_blocks < _BYLINE_BLOCKS else None
    if match:
        metadata.setdefault("authors", split_names(match.group("names")))
        report.record("text.byline", len(line), text=line)
        return True
    return False
