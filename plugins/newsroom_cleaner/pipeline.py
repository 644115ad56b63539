"""Entry point: raw scraped bytes or text in, CleanedArticle (Markdown + metadata + report) out."""

from __future__ import annotations

from typing import Any

from . import metadata as meta
from .candidates import peer_body, prefer_peer, worth_asking
from .article import CLEANER_VERSION, CleanedArticle
from .dates import htmldate_fallback
from .convert import blocks_of, tidy, to_markdown
from .decode import decode
from .errors import CleanerError, NotAnArticle
from .htmlmeta import html_metadata, peer_authors
from .pagekind import page_signs, refusal
from .parse import looks_like_html, parse_html
from .report import CleaningReport
from .safety import make_markdown_safe
from .sitetemplate import SiteTemplate
from .textdump import clean_dump, clean_lines

__all__ = ["CLEANER_VERSION", "CleanedArticle", "CleanerError", "clean_article"]

# The report's warning for a required field the page did not give (review.py reads the date's).
MISSING_WARNINGS = {"title": "no title found", "date": "no publication date found"}


def clean_article(raw: bytes | str, url: str | None = None, *, source_name: str = "<input>",
                  template: SiteTemplate | None = None) -> CleanedArticle:
    """Clean one scraped page or text dump; CleanerError (one line naming ``source_name``) if unusable.

    ``template``: the lines the dump's site repeats (``sitetemplate``), learned from a batch.
    """
    report = CleaningReport(source=source_name)
    text = decode(raw, source_name, report)
    if looks_like_html(text):
        metadata, blocks = _from_html(text, url, report, source_name)
    else:
        metadata, blocks = clean_dump(text, report, template)
    # Repeats are judged on the final, safe blocks: defusing can empty a block between two twins.
    blocks = blocks_of(tidy(make_markdown_safe("\n\n".join(blocks))))
    blocks = meta.drop_repeats(blocks, metadata.get("title"), report)
    markdown = "\n\n".join(blocks)
    if not markdown.strip():
        raise CleanerError(f"{source_name}: no article text found")
    meta.check_lang(metadata, report)
    metadata = meta.complete(metadata, blocks, url)
    for key, warning in MISSING_WARNINGS.items():
        if key not in metadata:
            report.warn(warning)
    return CleanedArticle(markdown, metadata, report)


def _from_html(text: str, url: str | None, report: CleaningReport,
               source_name: str) -> tuple[dict[str, Any], list[str]]:
    from .extract import extract_main_content  # lxml-heavy: loaded when an HTML page is cleaned

    tree = parse_html(text, report, source_name)
    metadata = html_metadata(tree, url)
    if "date" not in metadata and (found := htmldate_fallback(text, metadata.get("source_url") or url)):
        metadata["date"] = found
    if "authors" not in metadata and (names := peer_authors(text, metadata.get("source_url") or url)):
        metadata["authors"] = names
    base = metadata.get("source_url") or url
    signs = page_signs(tree, metadata.get("title"))
    body = extract_main_content(tree, report, title=metadata.get("title"),
                                article_body=metadata.pop("article_body", None))
    markdown = to_markdown(body, base) if body is not None else ""
    peer = peer_body(text) if worth_asking(markdown) else None
    if peer is not None and prefer_peer(markdown, peer, report):
        markdown = to_markdown(peer, base)
    why = refusal(signs, markdown)
    if why:
        raise NotAnArticle(f"{source_name}: not an article: {why}")
    if not markdown.strip():
        raise CleanerError(f"{source_name}: no article found in the page")
    return clean_lines(markdown.split("\n"), metadata, report, markdown=True)
