"""A second opinion on the body: trafilatura, an independent extractor, as a fallback.

Extractors fail differently (Bevendorff et al., SIGIR 2023: a vote of good extractors beats
each alone). Ours is tuned on our dev pages; when its body is empty or much shorter than
trafilatura's on the same page, ours most likely took the wrong container or too little of
it, and trafilatura's body is used instead. The report names the candidate and why.
"""

from __future__ import annotations

import re

import lxml.html

from . import rules
from .settings import MAX_PEER_INPUT_CHARS
from .report import CleaningReport

_WORD = re.compile(r"\w+")


def words(text: str) -> int:
    """Word count of extracted text or Markdown."""
    return len(_WORD.findall(text))


def worth_asking(ours: str) -> bool:
    """Whether our body (Markdown) is short enough that a second opinion may find more."""
    return words(ours) < rules.FALLBACK_ASK_WORDS


def peer_body(html: str) -> lxml.html.HtmlElement | None:
    """trafilatura's main content of ``html`` as a <div> (links, images and tables kept), or None."""
    import trafilatura

    if len(html) > MAX_PEER_INPUT_CHARS:
        return None
    try:
        found = trafilatura.extract(html, output_format="html", include_links=True, include_images=True,
                                    include_tables=True, include_comments=False)
    except Exception:  # a peer's bug costs its opinion, not the article
        return None
    if not found:
        return None
    tree = lxml.html.fromstring(found)
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        return None
    body.tag = "div"
    return body


def prefer_peer(ours: str, peer: lxml.html.HtmlElement, report: CleaningReport) -> bool:
    """Whether the peer's body should replace ours (Markdown); the choice goes in the report."""
    mine, theirs = words(ours), words(peer.text_content())
    if theirs >= rules.FALLBACK_MIN_WORDS and mine < rules.FALLBACK_SHARE * theirs:
        report.choose("trafilatura", f"ours had {mine} words, trafilatura {theirs}")
        return True
    report.choose("newsroom", f"ours had {mine} words, trafilatura {theirs}")
    return False
