"""Main-content extraction: find the article body of an arbitrary news page, drop the rest.

Works on pages never seen before, so it decides from generic evidence only:
1. junk elements (scripts, embeds, form controls, hidden text) go;
2. page chrome and boilerplate families go, recognised by tag, ARIA role and class/id
   tokens (rules.py), unless the element holds most of the page's paragraph text;
3. the container of the article is the element maximising
   ``paragraph text - weight * other text`` (text and link density), with a bonus for
   semantic markers (article, main, itemprop=articleBody) and, when the page has a
   JSON-LD articleBody, for text that matches it;
4. inside it, link-dense blocks, boilerplate phrases and "Related"/"Comments" sections go;
5. the remaining blocks are copied, in order, into a fresh ``<div>``.

Every traversal is an explicit loop over ``iter()`` (no recursion), so a 100,000-deep
tree cannot blow the stack, and each pass is linear in the number of elements.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass

import lxml.html
from lxml import etree

from . import rules
from .report import CleaningReport

_WS = re.compile(r"\s+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SEP = re.compile(r"[_\s]+")


def _token_rx(alternatives: str) -> re.Pattern[str]:
    """Match whole hyphen/space-separated tokens (or runs of them) of a class/id string."""
    return re.compile(r"(?:^|[\s-])(?:" + alternatives + r")(?=$|[\s-])")


_FAMILIES = {name: _token_rx(pat) for name, pat in rules.HTML_BOILERPLATE_CLASSES.items()}
_CONTENT_CLASS = _token_rx(rules.HTML_CONTENT_CLASSES)
_PHRASES = {
    name: re.compile(r"^(?:" + "|".join(pats) + r")[\s.,:;!?…»›>|/-]*$", re.I)
    for name, pats in rules.HTML_BOILERPLATE_PHRASES.items()
}
_SECTION_PHRASES = [(n, _PHRASES[n]) for n in rules.HTML_SECTION_HEADING_FAMILIES]
_JUNK = frozenset(rules.HTML_JUNK_TAGS)
_BLOCKS = frozenset(rules.HTML_BLOCK_TAGS)
_INLINE = frozenset(rules.HTML_INLINE_TAGS)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_LAYOUT = frozenset(("div", "section", "article", "main", "table", "p", "form"))
_KEEP_EMPTY = frozenset(("img", "picture", "br", "hr", "figure", "table"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(slots=True)
class _Stats:
    """Text measures of one element's subtree (characters)."""

    text: int = 0       # all text
    link: int = 0       # text inside <a>
    good: int = 0       # text of paragraph-like blocks (long enough, few links)
    para_good: int = 0  # the part of ``good`` in this element's own inline text
    run_good: int = 0   # ``good`` of article runs: paragraphs with paragraph siblings, or lone
                        # paragraphs whose wrappers carry no links (not teaser excerpts)
    lone: int = 0       # ``good`` of lone paragraphs not yet judged run or teaser
    inline: int = 0     # text of an inline element, counted by the enclosing block
    inline_link: int = 0
    has_block: bool = False   # contains a block-level element
    has_layout: bool = False  # contains div/section/table/p (a layout table, not data)


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text).strip() if text else ""


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _class_id(el: etree._Element) -> str:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    return _SEP.sub(" ", _CAMEL.sub(r"\1-\2", raw)).lower().strip() if raw.strip() else ""


def _drop(el: etree._Element, stats: dict | None, report: CleaningReport, rule: str) -> None:
    """Remove ``el`` (keeping its tail text) and record it under ``rule``."""
    st = stats.get(el) if stats else None
    report.record(rule, st.text if st else len(_norm(el.text_content())), 1)
    _unlink(el)


def _unlink(el: etree._Element) -> None:
    """Detach ``el`` from its parent; its tail text stays in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _drop_junk(root: etree._Element, report: CleaningReport) -> None:
    """Scripts, embeds, form controls, comments and hidden elements carry no article text."""
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _unlink(node)
    dead: set = set()
    for el in _elements(root):
        parent = el.getparent()
        if parent in dead:
            dead.add(el)
            continue
        tag = _tag(el)
        if tag in _JUNK:
            rule = "junk-" + tag
        elif el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
                _HIDDEN_STYLE.search(el.get("style") or ""):
            rule = "hidden"
        else:
            continue
        dead.add(el)
        if el is not root:
            _drop(el, None, report, rule)


def _measure(root: etree._Element) -> dict[etree._Element, _Stats]:
    """Text, link and paragraph-text measures of every element, children before parents."""
    stats: dict[etree._Element, _Stats] = {}
    min_chars, max_link = rules.HTML_MIN_PARAGRAPH_CHARS, rules.HTML_MAX_PARAGRAPH_LINK_RATIO
    for el in reversed(_elements(root)):
        tag = _tag(el)
        st = _Stats()
        para = text = len(el.text.strip()) if el.text else 0
        para_link = link = good = run_good = kids_good = kids = lone = lone_kids = 0
        has_block = has_layout = False
        for child in el:
            if child.tail:
                n = len(child.tail.strip())
                para += n
                text += n
            cs = stats.get(child)
            if cs is None:
                continue
            text += cs.text
            link += cs.link
            good += cs.good
            run_good += cs.run_good
            if cs.lone:
                lone += cs.lone
                lone_kids += 1
            if cs.para_good and not cs.has_block:
                kids_good += cs.para_good
                kids += 1
            ctag = _tag(child)
            if ctag in _INLINE and not cs.has_block:
                para += cs.inline
                para_link += cs.inline_link
            else:
                has_block = True
            has_block = has_block or cs.has_block
            has_layout = has_layout or cs.has_layout or ctag in _LAYOUT
        if tag == "a":
            link = text
            para_link = para
        st.text, st.link, st.has_block, st.has_layout = text, link, has_block, has_layout
        if tag in _INLINE and not has_block:
            st.inline, st.inline_link, st.good = para, para_link, good
        else:
            if para >= min_chars and para_link <= max_link * para and tag not in _HEADINGS:
                st.para_good = para - para_link
                if has_block:
                    kids_good += st.para_good
                    kids += 1
            st.good = good + st.para_good
            if kids >= 2:
                run_good += kids_good
            elif kids == 1:
                lone += kids_good
                lone_kids += 1
            if lone and link > rules.HTML_TEASER_LINK_RATIO * text:
                lone = 0  # a linked title beside the paragraph: a teaser item
            elif lone and (lone_kids >= 2 or text > rules.HTML_LONE_PARAGRAPH_SHARE * lone):
                run_good += lone
                lone = 0
            st.run_good, st.lone = run_good, lone
        stats[el] = st
    return stats


def _chrome_family(el: etree._Element) -> str | None:
    """The page-chrome family named by ``el``'s tag or ARIA role, if any."""
    tag = _tag(el)
    if tag in rules.HTML_CHROME_TAGS:
        return rules.HTML_CHROME_TAGS[tag]
    return rules.HTML_CHROME_ROLES.get((el.get("role") or "").strip().lower())


def _class_family(el: etree._Element) -> str | None:
    """The boilerplate family named by ``el``'s class/id tokens, if any."""
    tokens = _class_id(el)
    if not tokens or _CONTENT_CLASS.search(tokens):
        return None
    for name, rx in _FAMILIES.items():
        if rx.search(tokens):
            return name
    return None


def _drop_boilerplate(root: etree._Element, stats: dict, report: CleaningReport,
                      family_of) -> None:
    """Remove the elements ``family_of`` names, sparing wrappers of most of the paragraph text."""
    total_good = stats[root].good
    spare = rules.HTML_SAFE_SHARE * total_good
    dead: set = set()
    for el in _elements(root):
        if el is root:
            continue
        if el.getparent() in dead:
            dead.add(el)
            continue
        family = family_of(el)
        if family is None:
            continue
        if total_good and stats[el].good > spare:
            continue
        dead.add(el)
        _drop(el, stats, report, family)


def _is_content_marked(el: etree._Element) -> bool:
    """Semantic or class markers of an article body (article, main, itemprop=articleBody)."""
    return _tag(el) in ("article", "main") or el.get("role") == "main" \
        or el.get("itemprop") in ("articleBody", "text", "reviewBody") \
        or bool(_CONTENT_CLASS.search(_class_id(el)))


def _candidate_scores(stats: dict) -> dict[etree._Element, float]:
    """Each paragraph credits its container fully and the two above it less.

    Article paragraphs are siblings, so their parent collects them all; teaser
    excerpts each sit in their own item and spread their credit thin.
    """
    scores: dict[etree._Element, float] = {}
    for el, st in stats.items():
        if not st.para_good:
            continue
        node = el if st.has_block else el.getparent()
        for weight in rules.HTML_ANCESTOR_WEIGHTS:
            if node is None or node not in stats:
                break
            scores[node] = scores.get(node, 0.0) + weight * st.para_good
            node = node.getparent()
    for node, score in scores.items():
        st = stats[node]
        score *= 1.0 - (st.link / st.text if st.text else 0.0)
        if _is_content_marked(node):
            score *= 1.0 + rules.HTML_CONTENT_BONUS
        scores[node] = score
    return scores


def _choose_blocks(root: etree._Element, stats: dict) -> list[etree._Element]:
    """The best-scoring container, widened to the siblings (of it and of a few ancestors)
    that hold article runs too: a story split over columns or cards, not teaser lists."""
    scores = _candidate_scores(stats)
    if not scores:
        return []
    best = max(scores, key=scores.__getitem__)
    if stats[best].good < rules.HTML_MIN_ARTICLE_CHARS:
        return []
    floor = rules.HTML_SIBLING_SHARE * stats[best].good
    blocks, node = [best], best
    for _ in range(rules.HTML_CLIMB_LEVELS):
        parent = node.getparent()
        if node is root or parent is None:
            break
        kids = [c for c in parent if isinstance(c.tag, str)]
        keep = [i for i, c in enumerate(kids) if c is node or _joins(c, stats, floor)]
        if len(keep) > 1:
            blocks = kids[keep[0]:keep[-1] + 1]
        node = parent
    return blocks


def _joins(el: etree._Element, stats: dict, floor: float) -> bool:
    """Whether a sibling of the article container is more of the article."""
    st = stats.get(el)
    if st is None:
        return False
    return st.run_good + st.lone >= floor or _is_article_paragraph(el, stats)


def _is_article_paragraph(el: etree._Element, stats: dict) -> bool:
    """A lone sibling paragraph long enough and free enough of links to be article text."""
    st = stats.get(el)
    return bool(st and st.para_good >= rules.HTML_SIBLING_PARAGRAPH_CHARS
                and st.link <= rules.HTML_SIBLING_PARAGRAPH_LINK_RATIO * st.text)


def _phrase_family(text: str) -> str | None:
    for name, rx in _PHRASES.items():
        if rx.match(text):
            return name
    return None


def _prune(main: etree._Element, stats: dict, report: CleaningReport) -> None:
    """Inside the article: drop link-dense blocks, boilerplate phrases and teaser sections."""
    dead: set = set()
    max_phrase = rules.HTML_PHRASE_MAX_CHARS
    for el in _elements(main):
        if el is main:
            continue
        if el.getparent() in dead:
            dead.add(el)
            continue
        st = stats.get(el)
        if st is None or not st.text:
            continue
        tag = _tag(el)
        rule = None
        if st.text <= max_phrase:
            text = _norm(el.text_content())
            rule = _phrase_family(text)
            if rule and tag in _HEADINGS and rule in rules.HTML_SECTION_HEADING_FAMILIES:
                _drop_section(el, stats, dead, report, rule)
        if rule is None and tag not in _INLINE and tag not in _HEADINGS \
                and st.link > rules.HTML_LINK_DENSE_RATIO * st.text \
                and st.text < rules.HTML_LINK_DENSE_MAX_CHARS:
            rule = "link-dense-block"
        if rule:
            dead.add(el)
            _drop(el, stats, report, rule)


def _drop_section(heading: etree._Element, stats: dict, dead: set, report: CleaningReport,
                  rule: str) -> None:
    """After a "Related"/"Comments" heading, the lists and link blocks that follow go too."""
    sib = heading.getnext()
    while sib is not None and _tag(sib) not in _HEADINGS:
        st = stats.get(sib)
        nxt = sib.getnext()
        if st is None or not (_tag(sib) in ("ul", "ol") or st.link > 0.3 * st.text):
            break
        dead.add(sib)
        _drop(sib, stats, report, rule)
        sib = nxt


def _flatten(blocks: list[etree._Element], stats: dict) -> lxml.html.HtmlElement:
    """Copy the article's blocks, in order, into a new <div>; loose inline runs become <p>."""
    out = lxml.html.Element("div")
    para: list = [None]  # the <p> being filled with inline content

    def add_text(text: str | None) -> None:
        if not text or (para[0] is None and not text.strip()):
            return
        p = para[0]
        if p is None:
            p = para[0] = lxml.html.Element("p")
            text = text.lstrip()
        if len(p):
            p[-1].tail = (p[-1].tail or "") + text
        else:
            p.text = (p.text or "") + text

    def flush() -> None:
        p = para[0]
        if p is not None and (_norm(p.text_content()) or p.find(".//img") is not None):
            out.append(p)
        para[0] = None

    def copy(el: etree._Element) -> etree._Element:
        c = deepcopy(el)
        c.tail = None
        return c

    stack: list[tuple[str, object]] = [("el", el) for el in reversed(blocks)]
    while stack:
        kind, item = stack.pop()
        if kind == "text":
            add_text(item)
            continue
        if kind == "flush":
            flush()
            continue
        el = item
        tag = _tag(el)
        st = stats.get(el)
        has_block = st.has_block if st else False
        if tag in _INLINE and not has_block:
            if st and (st.text or tag in _KEEP_EMPTY or el.find(".//img") is not None):
                if para[0] is None:
                    para[0] = lxml.html.Element("p")
                para[0].append(copy(el))
            continue
        if tag in _BLOCKS and not (tag == "table" and st and st.has_layout) \
                and not (tag in ("ul", "ol", "blockquote") and st and st.has_layout and st.text > 2000):
            flush()
            if (st and st.text) or tag in _KEEP_EMPTY or el.find(".//img") is not None:
                out.append(copy(el))
            continue
        flush()
        stack.append(("flush", None))
        for child in reversed(el):
            stack.append(("text", child.tail))
            if isinstance(child.tag, str):
                stack.append(("el", child))
        stack.append(("text", el.text))
    flush()
    return out


def _page_title(tree: etree._Element) -> str:
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()"):
        found = tree.xpath(xpath)
        if found:
            return _norm(str(found[0]))
    return ""


def _drop_title(out: etree._Element, title: str, report: CleaningReport) -> None:
    """The headline is metadata: drop headings repeating it (titles carry " - Site" suffixes)."""
    key = _norm(title).casefold()
    if not key:
        return
    for el in list(out):
        if _tag(el) in _HEADINGS:
            text = _norm(el.text_content()).casefold()
            if text and (text == key or (len(text) > 15 and text in key)):
                _drop(el, None, report, "duplicate-title")
                return


def extract_main_content(tree: lxml.html.HtmlElement, report: CleaningReport, *,
                         title: str | None = None,
                         article_body: str | None = None) -> lxml.html.HtmlElement | None:
    """Return a new <div> with the article body's blocks in order, or None if there is no article.

    ``tree`` (a parsed document) is modified. ``title`` is the known headline, dropped from
    the body; ``article_body`` is the JSON-LD articleBody text, used to find the container.
    """
    page_title = title or _page_title(tree)
    body = tree.find("body") if _tag(tree) == "html" else None
    root = body if body is not None else tree
    _drop_junk(root, report)
    _drop_boilerplate(root, _measure(root), report, _chrome_family)
    _drop_boilerplate(root, _measure(root), report, _class_family)
    stats = _measure(root)
    blocks = _choose_blocks(root, stats)
    if not blocks:
        return None
    for block in blocks:
        _prune(block, stats, report)
    out = _flatten(blocks, stats)
    _drop_title(out, page_title, report)
    if not _norm(out.text_content()):
        return None
    return out
