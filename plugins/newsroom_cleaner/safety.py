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
# Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme (and read
# "\" as "/"), so none of them may hide one: "java\tscript:" is javascript:.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]+")
_MAX_UNESCAPES = 8  # "&amp;amp;#106;" needs one pass per level; deeper nesting counts as unsafe
# Characters percent-encoded in the URLs the cleaner writes: Markdown link syntax, and Pelican's
# intrasite markers ("{attach}", "|filename|"), so a scraped URL never points into the site.
_URL_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", '"': "%22", "{": "%7B", "}": "%7D", "|": "%7C",
                "<": "%3C", ">": "%3E"}
# Pelican's intrasite link words (pelican/contents.py, _link_replacer): "{attach}x" and the old
# "|attach|x" in an attribute are links to the site's own files.
INTRASITE_WORDS = ("filename", "static", "attach", "tag", "category", "author", "index")
_INTRASITE = re.compile(rf"([{{|])(?=\s*(?:{'|'.join(INTRASITE_WORDS)})\s*[|}}])", re.I)
# Put after "{" or "|" of an intrasite marker: an invisible character no HTML decoding or
# re-serialising removes (an entity would be decoded by the theme's lxml pass), so the marker
# never reads as one of Pelican's words again.
_WORD_JOINER = "\u2060"
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")  # as Markdown keeps them
_MARKUP = re.compile(r"<[^>]*>?")  # a tag, or the start of one
_NAME_DROPPED = str.maketrans("", "", "<>;")
# A link/image destination "](" or a reference definition "[id]:" at a line start.
_DESTINATION = re.compile(r"\]\(|^[ \t]*\[[^\]\n]*\]:", re.M)


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` made absolute against ``base``; None if it is empty or has an unsafe scheme."""
    if not url:
        return None
    url = url.strip()
    if is_unsafe_url(url):
        return None
    try:
        url = urljoin(base, url) if base else url
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if scheme and scheme not in SAFE_SCHEMES:
        return None
    return "".join(_URL_ESCAPES.get(char, char) for char in url)


def absolute_url(url: str | None, base: str | None) -> str | None:
    """``safe_url`` that is also absolute (has a scheme), else None."""
    url = safe_url(url, base)
    return url if url and urlsplit(url).scheme else None


def unescaped(text: str) -> str | None:
    """``text`` HTML-unescaped until stable (the whole of it: "&#" and 220 zeros before "106;"
    is a "j"), or None if entities are nested deeper than any honest page nests them."""
    for _ in range(_MAX_UNESCAPES):
        decoded = html.unescape(text)
        if decoded == text:
            return text
        text = decoded
    return None


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read in ``url`` (lower case), "" for a relative URL, or None
    when the value cannot be decoded with confidence (entities nested too deep).

    The whole value is unescaped, then every ASCII whitespace and control character is dropped.
    """
    decoded = unescaped(url)
    if decoded is None:
        return None
    match = _SCHEME.match(_INVISIBLE.sub("", decoded).lower())
    return match.group(1) if match else ""


def is_unsafe_url(url: str) -> bool:
    """True when a browser could read ``url`` as a scheme outside SAFE_SCHEMES (javascript:, data:...)."""
    scheme = url_scheme(url)
    return scheme is None or (scheme != "" and scheme not in SAFE_SCHEMES)


def safe_name(text: str) -> str:
    """An author, tag or section name as plain words: entities decoded, markup and the
    characters that split or open it (``<>;``: Pelican splits a list at ";") dropped."""
    decoded = unescaped(text) or text
    return " ".join(_MARKUP.sub(" ", decoded).translate(_NAME_DROPPED).split())


def safe_inline_text(text: str) -> str:
    """One line of text that renders as itself in a metadata field or HTML: no tags."""
    return " ".join(text.replace("<", "&lt;").replace(">", "&gt;").split())


def make_markdown_safe(markdown: str) -> str:
    """Escape every ``<`` and ``{``, break intrasite markers, and defuse unsafe link destinations.

    ``{`` opens attribute lists (``{: onclick=...}``); Pelican's intrasite links (``{attach}x``,
    the old ``|filename|x``) would link or move the site's own files, wherever they sit (a link,
    an image's alt text), so their markers get a word joiner (_WORD_JOINER).
    Code blocks and spans are no exception: whether a fence is code depends on the
    site's Markdown extensions, so treating any text as code could let raw HTML through.
    (A ``<`` in code then shows as ``&lt;``, a rare and harmless blemish in news text.)
    """
    # Each pattern needs a character most dumps' text lacks: a cheap look first.
    text = _ENTITY.sub(_brace_entity, markdown) if "&" in markdown else markdown  # "&#123;attach}" is "{attach}"
    if "{" in text or "|" in text:
        text = _INTRASITE.sub(rf"\1{_WORD_JOINER}", text)
    text = text.replace("<", "&lt;").replace("{", "&#123;")
    return _defuse_destinations(text) if "]" in text else text


def _brace_entity(match: re.Match) -> str:
    """An entity for ``{``, ``}`` or ``|`` as the character itself (for the rules above to see it)."""
    char = html.unescape(match.group())
    return char if char in "{}|" else match.group()


def _defuse_destinations(text: str) -> str:
    """Drop the destination of every link, image or reference whose URL is not kept
    (``_kept_destination``); a reference definition's URL may be on its next line."""
    out = []
    last = 0
    for match in _DESTINATION.finditer(text):
        start = match.end()
        if match.start() < last:
            continue
        if text[match.start()] == "]" and text[match.start():start] == "](":
            end = _closing_paren(text, start)
            if not _kept_destination(text[start:end].lstrip(" \t\n<")):
                out.append(text[last:match.start() + 1])
                last = min(end + 1, len(text))
        else:
            line_end = _line_end(text, start)
            if not text[start:line_end].strip() and line_end < len(text):
                line_end = _line_end(text, line_end + 1)
            if not _kept_destination(text[start:line_end].lstrip(" \t\n<")):
                out.append(text[last:match.start()])
                last = line_end
    out.append(text[last:])
    return "".join(out)


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _kept_destination(url: str) -> bool:
    """A scrape's link may go to another site (a safe scheme) or within its own page (``#``): a
    relative URL would point into this site, and ``{attach}``-like ones at its own files."""
    return url.startswith("#") or url_scheme(url) in SAFE_SCHEMES


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
