"""Safety of the Markdown we emit: no raw HTML, no script-capable URL, whatever the page held.

Python-Markdown passes raw HTML and any link destination straight through, so the
Markdown itself must be inert: ``<`` is written as ``&lt;``, and links or images whose
URL has a scheme other than the allowed ones lose their destination. Every function
here is idempotent, which keeps cleaning the cleaner's own output a no-op.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Elements never allowed through, removed with everything inside (scripts, embeds, forms...).
UNSAFE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "applet", "svg",
               "math", "canvas", "form", "button", "input", "select", "textarea", "frame", "frameset",
               "link", "meta", "base", "audio", "video", "map", "dialog")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\\]+")
# A link/image destination "](" or a reference definition "[id]:" at a line start.
_DESTINATION = re.compile(r"\]\(|^[ \t]*\[[^\]\n]*\]:", re.M)


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` made absolute against ``base``; None if it is empty or has an unsafe scheme."""
    if not url:
        return None
    url = url.strip()
    if is_unsafe_url(url):
        return None
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace('"', "%22")


def absolute_url(url: str | None, base: str | None) -> str | None:
    """``safe_url`` that is also absolute (has a scheme), else None."""
    url = safe_url(url, base)
    return url if url and urlsplit(url).scheme else None


def is_unsafe_url(url: str) -> bool:
    """True when a browser could read ``url`` as a scheme outside SAFE_SCHEMES (javascript:, data:...).

    Entities, whitespace, control characters and backslashes are removed first, as
    browsers ignore them when reading a scheme ("java&#09;script:").
    """
    probe = _INVISIBLE.sub("", html.unescape(url[:200])).lower()
    match = _SCHEME.match(probe)
    return bool(match) and match.group(1) not in SAFE_SCHEMES


def safe_inline_text(text: str) -> str:
    """One line of text that renders as itself in a metadata field or HTML: no tags."""
    return " ".join(text.replace("<", "&lt;").replace(">", "&gt;").split())


def make_markdown_safe(markdown: str) -> str:
    """Escape every ``<`` and defuse unsafe link destinations.

    Code blocks and spans are no exception: whether a fence is code depends on the
    site's Markdown extensions, so treating any text as code could let raw HTML through.
    (A ``<`` in code then shows as ``&lt;``, a rare and harmless blemish in news text.)
    """
    return _defuse_destinations(markdown.replace("<", "&lt;"))


def _defuse_destinations(text: str) -> str:
    """Drop the destination of every link, image or reference whose URL is unsafe."""
    out = []
    last = 0
    for match in _DESTINATION.finditer(text):
        start = match.end()
        if match.start() < last:
            continue
        if text[match.start()] == "]" and text[match.start():start] == "](":
            end = _closing_paren(text, start)
            if is_unsafe_url(text[start:end].lstrip(" \t\n<")):
                out.append(text[last:match.start() + 1])
                last = min(end + 1, len(text))
        else:
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            if is_unsafe_url(text[start:line_end].lstrip(" \t<")):
                out.append(text[last:match.start()])
                last = line_end
    out.append(text[last:])
    return "".join(out)


def _closing_paren(text: str, start: int) -> int:
    """Index of the ``)`` closing a destination opened just before ``start`` (balanced)."""
    depth = 1
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        elif char == "\n" and text[index + 1:index + 2] == "\n":
            return index
        index += 1
    return len(text)
