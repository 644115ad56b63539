"""The Pelican Markdown file for a cleaned article: metadata header, blank line, body."""

from __future__ import annotations

import os
from pathlib import Path

from .article import DATE_FIELDS, HEADER_FIELDS, LIST_FIELDS, REPORT_FIELD, CleanedArticle
from .dates import format_date
from .safety import make_markdown_safe, safe_inline_text


def to_pelican_markdown(article: CleanedArticle) -> str:
    """Header lines Pelican's Markdown reader understands, then the body.

    Values are made single-line and tag-free here, because Pelican puts titles and other
    metadata into pages without escaping; the summary is Markdown (Pelican renders it).
    """
    lines = []
    for key, name in HEADER_FIELDS.items():
        value = article.metadata.get(key)
        if value in (None, "", []):
            continue
        if key in DATE_FIELDS:
            text = format_date(value)
        elif key in LIST_FIELDS:
            text = ", ".join(safe_inline_text(item.replace(",", " ")) for item in value)
        elif key == "summary":
            text = " ".join(make_markdown_safe(value).split())
        else:
            text = safe_inline_text(str(value))
        lines.append(f"{name}: {text}")
    if article.report.hits:
        lines.append(f"{REPORT_FIELD}: {article.report.as_metadata()}")
    return "\n".join(lines) + "\n\n" + article.markdown.strip("\n") + "\n"


def write_atomic(target: str | Path, data: bytes) -> None:
    """Whole file or none (a torn file would be read as good): written aside, then renamed;
    builds reading in parallel processes may write the same file, each under its own name.
    (The theme writes its state files, the search index's entry among them, with it too.)"""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        aside.write_bytes(data)
        os.replace(aside, target)
    finally:
        aside.unlink(missing_ok=True)  # gone after the rename; a failed write's leftover goes
