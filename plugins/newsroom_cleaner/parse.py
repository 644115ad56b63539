"""Text to tree, with the work bounded: hostile pages must not hang or blow the stack."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from .errors import CleanerError
from .settings import MAX_TREE_DEPTH

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|meta|title|div|article|main|p|h1)\b",
                         re.I | re.S)
_BLOCK_TAG = re.compile(r"<(?:p|div|br|h[1-6]|li|article|section|span)\b[^>]*>", re.I)
_MIN_TAGS = 5  # a text with fewer tags than this (and not starting with one) is a text dump


def looks_like_html(text: str) -> bool:
    """True for a saved web page, False for a plain-text or Markdown dump."""
    return bool(_HTML_START.match(text[:4096])) or len(_BLOCK_TAG.findall(text[:65536])) >= _MIN_TAGS


def parse_html(text: str, source_name: str) -> lxml.html.HtmlElement:
    """Parse ``text`` into an lxml tree no deeper than MAX_TREE_DEPTH."""
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CleanerError(f"{source_name}: not parseable as HTML ({exc})") from None
    _bound_depth(tree)
    return tree


def _bound_depth(tree: lxml.html.HtmlElement) -> None:
    """Unwrap elements below MAX_TREE_DEPTH (text kept), deepest first, without recursion."""
    too_deep = []
    stack = [(tree, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_TREE_DEPTH and isinstance(element.tag, str):
            too_deep.append(element)
        stack.extend((child, depth + 1) for child in element)
    for element in reversed(too_deep):
        if element.getparent() is not None:
            element.drop_tag()
