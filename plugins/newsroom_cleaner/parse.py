"""Text to tree, with the work bounded: hostile pages must not hang or blow the stack.

libxml2 stops building the tree at its nesting limit and drops what lies deeper, so a
page nested past it is parsed again without its layout wrappers. Elements deeper than
MAX_TREE_DEPTH are unwrapped (recursive converters stay within Python's stack), and a
page with more than MAX_ELEMENTS elements (drawings not counted) is cut there: real
articles have a few thousand, so only a hostile page or endless teaser lists reach it.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .errors import CleanerError
from .report import CleaningReport
from .settings import MAX_ELEMENTS, MAX_TREE_DEPTH

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|meta|title|div|article|main|p|h1)\b",
                         re.I | re.S)
_BLOCK_TAG = re.compile(r"<(?:p|div|br|h[1-6]|li|article|section|span)\b[^>]*>", re.I)
_MIN_TAGS = 5  # a text with fewer tags than this (and not starting with one) is a text dump
# Layout-only tags removed when a page nests past libxml2's limit; their text stays.
_UNCOUNTED_TAGS = ("svg", "math")  # drawings: many elements, no text (converters drop them whole)
_WRAPPER_TAGS = re.compile(r"</?(?:div|span|section|font|center|figure|main|article|aside)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """True for a saved web page, False for a plain-text or Markdown dump."""
    return bool(_HTML_START.match(text[:4096])) or len(_BLOCK_TAG.findall(text[:65536])) >= _MIN_TAGS


def parse_html(text: str, report: CleaningReport, source_name: str) -> lxml.html.HtmlElement:
    """Parse ``text`` into an lxml tree no deeper than MAX_TREE_DEPTH and no bigger than MAX_ELEMENTS."""
    tree, hit_limit = _parse(text, source_name)
    if hit_limit:
        report.warn("page nested deeper than libxml2's limit: layout wrappers ignored")
        tree, _ = _parse(_WRAPPER_TAGS.sub(" ", text), source_name)
    _bound_size(tree, report)
    _bound_depth(tree)
    return tree


def _parse(text: str, source_name: str) -> tuple[lxml.html.HtmlElement, bool]:
    """The tree, and whether libxml2 hit a resource limit (nesting) and dropped content."""
    # huge_tree lifts libxml2's 10 MB text-node cap, which otherwise ends the parse at a big inline script.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CleanerError(f"{source_name}: not parseable as HTML ({exc})") from None
    return tree, any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def _bound_size(tree: lxml.html.HtmlElement, report: CleaningReport) -> None:
    """Cut the document after its MAX_ELEMENTS-th counted element (document order).

    Elements inside drawings (SVG, MathML) do not count: an icon sprite holds thousands
    of shapes and no text. libxml2 counts and finds the cut point, no Python loop.
    """
    counted = f"//*[not(ancestor::{' or ancestor::'.join(_UNCOUNTED_TAGS)})]"
    if tree.xpath("count(//*)") <= MAX_ELEMENTS or tree.xpath(f"count({counted})") <= MAX_ELEMENTS:
        return  # (counting all is cheaper: the drawings are looked for only on a big page)
    last = tree.xpath(f"({counted})[{MAX_ELEMENTS}]")[0]
    removed = len(last)
    del last[:]
    for element in (last, *last.iterancestors()):
        parent = element.getparent()
        if parent is not None:
            index = parent.index(element)
            removed += len(parent) - index - 1
            del parent[index + 1:]  # slice deletion: one call, however many siblings follow
    report.record("page-size-limit", 0, removed)
    report.warn(f"page has more than {MAX_ELEMENTS} elements: cut after the {MAX_ELEMENTS}th")


def _bound_depth(tree: lxml.html.HtmlElement) -> None:
    """Unwrap elements below MAX_TREE_DEPTH (text kept), deepest first.

    libxml2 finds the elements just past the limit (one child step per level); only their
    subtrees, usually none, are walked here.
    """
    too_deep = [element for top in tree.xpath("/".join(["*"] * (MAX_TREE_DEPTH + 1)))
                for element in top.iter(lxml.etree.Element)]
    for element in reversed(too_deep):
        element.drop_tag()
