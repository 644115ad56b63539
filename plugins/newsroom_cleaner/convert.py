"""Article tree to Markdown with markdownify, tuned for Python-Markdown (Pelican's renderer).

Overrides, one small method per tag: links and images get absolute, safe URLs (lazy and
<picture> sources included), list items are indented four spaces as Python-Markdown
needs for nesting, a figure's caption and credit are set in one italic line (an alt text the
caption repeats is dropped).
"""

from __future__ import annotations

import re
from copy import deepcopy

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup, Tag
from markdownify import ATX, MarkdownConverter

from . import rules
from .safety import UNSAFE_TAGS, absolute_url

# Where lazy-loading pages keep the real image URL, best first; "src" is often a placeholder.
LAZY_SRC_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "src")
LAZY_SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset")
_INDENT = 4  # Python-Markdown nests list content only when it is indented by four spaces
_BLANK_RUNS = re.compile(r"\n{3,}")
_WORDS = re.compile(r"\w+")
_CAPTION_PART_GAP = " — "  # between a caption's paragraphs and its credit, on one line
_SRCSET_ITEM = re.compile(r"\s*(\S+)(?:\s+(\d+(?:\.\d+)?)[wx])?\s*(?:,|$)")
# Text at a line start that Markdown would read as a heading, quote, list item or rule:
# "#", ">", "- "/"+ ", "1. "/"1) ", "---". The backslash goes before the marking character.
_LINE_MARKERS = re.compile(r"^([ \t]*(?:\d{1,9}(?=[.)](?:[ \t]|$))|(?=[#>])|(?=[-+](?:[ \t]|$))|(?=-[- \t]*$)))", re.M)


class NewsroomConverter(MarkdownConverter):
    """markdownify with safe absolute URLs and Python-Markdown-friendly lists."""

    class Options:
        heading_style = ATX
        autolinks = False  # "<url>" autolinks would be escaped as raw HTML by the safety pass
        bullets = "-"
        base_url = None
        # Line ends inside the page's text are source formatting, not breaks: join them (a
        # line of a paragraph would otherwise meet the line rules alone). <br> still breaks.
        wrap = True
        wrap_width = None

    def convert_a(self, el, text, parent_tags):
        href = absolute_url(el.get("href"), self.options["base_url"])
        if href is None or not text.strip():
            return text
        el["href"] = href
        el.attrs.pop("title", None)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        src = image_source(el, self.options["base_url"])
        if src is None:
            return ""
        alt = " ".join((el.get("alt") or "").replace("[", "(").replace("]", ")").split())
        el.attrs = {"src": src, "alt": "" if _alt_in_caption(el, alt) else alt}
        return super().convert_img(el, text, parent_tags)

    def convert_li(self, el, text, parent_tags):
        item = super().convert_li(el, text, parent_tags)
        extra = " " * max(0, _INDENT - len(item.split(" ", 1)[0]) - 1)
        first, *rest = item.split("\n")
        return "\n".join([first.replace(" ", " " + extra, 1), *(extra + line if line.strip() else line for line in rest)])

    def convert_p(self, el, text, parent_tags):
        """A paragraph's text stays text: line-start markers are escaped (markdownify leaves them)."""
        return super().convert_p(el, _LINE_MARKERS.sub(r"\1\\", text.strip(" \t\r\n")), parent_tags)

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, text.replace("|", r"\|"), parent_tags)  # a bare "|" would split the cell

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, text.replace("|", r"\|"), parent_tags)

    def convert_figure(self, el, text, parent_tags):
        """A block of its own (inline in a table cell); the source's indentation around its image is not text."""
        if "_inline" in parent_tags:
            return f" {text.strip()} "
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_figcaption(self, el, text, parent_tags):
        """One italic line: the caption's paragraphs and its credit joined by a dash."""
        caption = _CAPTION_PART_GAP.join(" ".join(part.split()) for part in text.split("\n\n") if part.strip())
        return f"\n\n*{caption}*\n\n" if caption else ""

    def convert_small(self, el, text, parent_tags):
        """Small print in a caption is its credit (extract marks credits so): a part of its own."""
        return f"\n\n{text}\n\n" if "figcaption" in parent_tags else text


class _Tag(Tag):
    """A bs4 Tag whose ``find_parent(name)`` walks straight up: markdownify asks it of every
    element (for an enclosing <pre>), and bs4's general matcher made that the costliest step."""

    def find_parent(self, name=None, attrs=None, **kwargs):
        if not isinstance(name, str) or attrs or kwargs:
            return super().find_parent(name, attrs, **kwargs)
        parent = self.parent
        while parent is not None and parent.name != name:
            parent = parent.parent
        return parent


def _alt_in_caption(img, alt: str) -> bool:
    """Whether the caption of ``img``'s <figure> already says its alt text (most of its words)."""
    figure = img.find_parent("figure") if alt else None
    caption = figure.find("figcaption") if figure is not None else None
    if caption is None:
        return False
    words = _WORDS.findall(alt.casefold())
    said = set(_WORDS.findall(caption.get_text(" ").casefold()))
    return bool(words) and sum(w in said for w in words) >= rules.HTML_ALT_IN_CAPTION_SHARE * len(words)


def image_source(img, base_url: str | None) -> str | None:
    """The real URL of an <img> (bs4 Tag): lazy attributes, srcset, or its <picture>'s <source>."""
    candidates = [img.get(a) for a in LAZY_SRC_ATTRIBUTES]
    candidates += [_largest(img.get(a)) for a in LAZY_SRCSET_ATTRIBUTES]
    picture = img.find_parent("picture")  # libxml2 may nest the <img> inside a <source>
    if picture is not None:
        candidates += [_largest(s.get("srcset") or s.get("data-srcset")) for s in picture.find_all("source")]
    return next(filter(None, (absolute_url(c, base_url) for c in candidates)), None)


def _largest(srcset: str | None) -> str | None:
    """The widest candidate of a srcset ("a.jpg 320w, b.jpg 1024w" -> "b.jpg")."""
    if not srcset:
        return None
    items = [(float(m.group(2) or 1), m.group(1)) for m in _SRCSET_ITEM.finditer(srcset) if m.group(1)]
    return max(items)[1] if items else None


def to_markdown(body: lxml.html.HtmlElement, base_url: str | None) -> str:
    """Markdown for the article body; unsafe elements go first, with their content.

    Links and images keep only absolute URLs: a relative one the base URL cannot resolve
    would point into our own site.
    """
    body = deepcopy(body)  # our copy to prune
    for element in body.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction, *UNSAFE_TAGS):
        if element is not body:
            element.drop_tree()
    soup = BeautifulSoup(lxml.html.tostring(body, encoding="unicode"), "lxml", element_classes={Tag: _Tag})
    return tidy(NewsroomConverter(base_url=base_url).convert_soup(soup))


def tidy(markdown: str) -> str:
    """Trailing spaces off (but a two-space line break kept), at most one blank line in a row.

    Both paths end here, so a cleaned file read back as a dump tidies to itself.
    """
    lines = markdown.split("\n")
    kept = []
    for line, following in zip(lines, [*lines[1:], ""]):
        bare = line.rstrip()
        kept.append(bare + "  " if line.endswith("  ") and bare and following.strip() else bare)
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")


def blocks_of(markdown: str) -> list[str]:
    """Blank-line-separated blocks, a fenced code block kept whole."""
    blocks: list[str] = []
    fence = False
    for part in markdown.split("\n\n"):
        if fence:
            blocks[-1] += "\n\n" + part
        else:
            blocks.append(part)
        fence ^= part.count("```") % 2 == 1
    return [b for b in blocks if b.strip()]
