"""The Pelican Markdown file for a cleaned article: metadata header, blank line, body."""

from __future__ import annotations

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
