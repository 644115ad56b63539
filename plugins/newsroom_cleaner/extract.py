"""Main-content extraction: find the article body of an arbitrary news page, drop the rest.

Works on pages never seen before, so it decides from generic evidence only:
1. junk goes: scripts, embeds, form controls, markup comments, tracking pixels, linked
   subscribe/donate banner images;
2. page chrome (nav/header/footer/aside, ARIA landmarks, hidden elements) and the
   boilerplate families of rules.py (class/id tokens: share bars, related lists, ads,
   consent banners, comments...) go, guarded so a misfiring layout word never takes the
   article: the best container found beforehand and its ancestors stay, and so does an
   element (or a family) holding most of the page's paragraph text;
3. the article container is chosen readability-style: every paragraph (enough text, few
   links) credits its container and, less, the two above it; teaser excerpts give no
   credit; link density lowers a container's score, article/main/articleBody markers and
   text found in the JSON-LD articleBody raise it. The winner is widened to siblings (of
   it and of a few ancestors) that hold article runs too, or that are its twins (same tag and
   class) holding prose: a story split over columns or around a call-to-action. On a
   page of several full stories (infinite scroll) only the <article> titled like the page counts;
4. inside it, link-dense blocks, boilerplate phrases (per language) and "Related" or
   "Comments" sections go;
5. the remaining blocks are copied, in order, into a fresh ``<div>``, stray no-break spaces
   made plain; echoed captions, the duplicated headline and rules at its edges go. A page whose HTML lacks most of its JSON-LD articleBody
   gets that text instead, broken where the page's paragraphs break, without the linked
   headlines of other stories spliced into it.

Every traversal is an explicit loop over ``iter()`` (no recursion), so a 100,000-deep
tree cannot blow the stack, and each pass is linear in the number of elements.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree

from . import rules
from .report import CleaningReport

_WORD = re.compile(r"\w+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_IGNORED_WORDS = re.compile(r"(?:^|(?<=\s))" + rules.HTML_IGNORED_CLASS_WORDS + r"(?=\s|$)")


def _token_rx(alternatives: str) -> re.Pattern[str]:
    """Match whole hyphen/space-separated tokens (or runs of them) of a class/id string."""
    return re.compile(r"(?:^|[\s-])(?:" + alternatives + r")(?=$|[\s-])")


def _named_alternatives(families: dict[str, str]) -> tuple[str, dict[str, str]]:
    """One regex alternation with a named group per family: a single scan finds the family."""
    names = {f"f{i}": name for i, name in enumerate(families)}
    return "|".join(f"(?P<f{i}>{pat})" for i, pat in enumerate(families.values())), names


_FAMILY_ALTS, _FAMILY_NAMES = _named_alternatives(rules.HTML_BOILERPLATE_CLASSES)
_FAMILIES = _token_rx(_FAMILY_ALTS)
_CONTENT_CLASS = _token_rx(rules.HTML_CONTENT_CLASSES)


def _phrase_matchers(families: dict[str, list[str]]) -> tuple:
    """Whole-text matcher for the phrase families (rules.HTML_BOILERPLATE_PHRASES).

    Phrases of the form ".*X.*" are searched for X instead: the same test, without
    the backtracking of many ".*" alternatives tried at every position.
    """
    fixed = {n: "|".join(p for p in ps if not _floats(p)) for n, ps in families.items()}
    floating = {n: "|".join(p[2:-2] for p in ps if _floats(p)) for n, ps in families.items()}
    fixed_alts, fixed_names = _named_alternatives({n: p for n, p in fixed.items() if p})
    float_alts, float_names = _named_alternatives({n: p for n, p in floating.items() if p})
    return (re.compile(r"^(?:" + fixed_alts + r")[\s.,:;!?…»›>|/-]*$"), fixed_names,
            re.compile(float_alts), float_names)


def _floats(pattern: str) -> bool:
    return pattern.startswith(".*") and pattern.endswith(".*") and len(pattern) > 4


_PHRASES = _phrase_matchers(rules.HTML_BOILERPLATE_PHRASES)
_LABEL_PHRASES = _phrase_matchers({n: ps for n, ps in rules.HTML_BOILERPLATE_PHRASES.items()
                                   if n in rules.HTML_INLINE_PHRASE_FAMILIES})
_JUNK = frozenset(rules.HTML_JUNK_TAGS)
_CONTROLS = frozenset(rules.HTML_CONTROL_TAGS)
_VERBATIM = frozenset(rules.HTML_VERBATIM_TAGS)
_BLOCKS = frozenset(rules.HTML_BLOCK_TAGS)
_INLINE = frozenset(rules.HTML_INLINE_TAGS)
_INLINE_CACHE: dict[str, bool] = {}  # tag -> _inline(tag), filled as tags are met
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SENTENCE_ENDS = (".", "!", "?", ".\"", ".”", ".'", ".’", "。")
_TOGGLE_WORDS = frozenset(rules.HTML_TOGGLE_WORDS)
_TEXT_BLOCKS = ("p", "li", "figcaption", "dt", "dd", *sorted(_HEADINGS))
_LAYOUT = frozenset(("div", "section", "article", "main", "table", "p", "form"))
_KEPT_ATTRIBUTES = frozenset(rules.HTML_KEPT_ATTRIBUTES)
_FIGURE_TAGS = frozenset(("figure", "figcaption"))
_KEEP_EMPTY = frozenset(("img", "picture", "br", "hr", "figure", "table"))
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:" + rules.HTML_HIDDEN_CLASSES + r")(?=\s|$)", re.I)
_PROMO_LINK = re.compile(rules.HTML_PROMO_LINK)
_TRACKER_IMAGE = re.compile(rules.HTML_TRACKER_IMAGE)
_SPACED_STOP = re.compile(r"(?<=\w) ([,.])(?=\s|$)")  # "primary ." (no language spaces before these)
_LOOSE_NBSP = re.compile(rules.HTML_LOOSE_NBSP)
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
    teaser: bool = False  # a paragraph opening with a headline link, one of a series
    seen_text: int = 0  # ``text`` and ``link`` before chrome removal, for telling teasers:
    seen_link: int = 0  # a teaser's linked title often sits in a <header> that is gone
    inline: int = 0     # text of an inline element, counted by the enclosing block
    inline_link: int = 0
    has_block: bool = False   # contains a block-level element
    has_layout: bool = False  # contains div/section/table/p (a layout table, not data)


def _norm(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _key(text: str) -> str:
    """Text reduced to lower-cased words, for comparing the page with JSON-LD text."""
    return " ".join(_WORD.findall(text.lower()))


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _inline(tag: str) -> bool:
    """Inline tags, and custom elements ("hl-trusted-source") unless they hold blocks."""
    return tag in _INLINE or "-" in tag


def _class_id(el: etree._Element) -> str:
    """Lower-cased "class id" words, camelCase humps and "_" turned into "-"."""
    cls, id_ = el.get("class"), el.get("id")
    if id_ and id_.count("-") + id_.count("_") >= rules.HTML_SLUG_MIN_PARTS - 1:
        id_ = None  # an anchor made from a heading ("how-popular-are-...") names text, not layout
    return _normal_class_id(f"{cls} {id_}" if cls and id_ else cls or id_ or "")


@lru_cache(maxsize=4096)
def _normal_class_id(raw: str) -> str:
    """(Cached: pages repeat the same class strings on many elements.)"""
    if not raw.strip():
        return ""
    raw = _IGNORED_WORDS.sub(" ", raw)
    return " ".join(_CAMEL.sub(r"\1-\2", raw).replace("_", "-").lower().split())


def _drop(el: etree._Element, stats: dict | None, report: CleaningReport, rule: str) -> None:
    """Remove ``el`` (keeping its tail text) and record it under ``rule``."""
    st = stats.get(el) if stats else None
    report.record(rule, st.text if st else len(el.text_content().strip()), 1, el.itertext())
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
    """All elements under ``root`` (itself included) in document order, no comments."""
    return list(root.iter(etree.Element))


def _drop_junk(root: etree._Element, report: CleaningReport) -> None:
    """Scripts, embeds, form controls and markup comments carry no article text.

    A form control wrapping much text (an unclosed <button> swallowing the page) is
    unwrapped instead: its content stays, only the tag goes.
    """
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _unlink(node)
    for img in list(root.iter("img")):
        if _is_pixel(img):
            _drop(img, None, report, "tracking-pixel")
    for link in list(root.iter("a")):
        if _PROMO_LINK.search((link.get("href") or "").lower()) and link.find(".//img") is not None \
                and not _norm(link.text_content()):
            _drop(link, None, report, "subscribe")  # a linked subscribe/donate banner image
    dead: set = set()
    for el in list(root.iter(*_JUNK)):
        if el is root or any(a in dead for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag in _CONTROLS and len(_norm(el.text_content())) > rules.HTML_CONTROL_MAX_CHARS:
            el.drop_tag()
            continue
        dead.add(el)
        _drop(el, None, report, "junk-" + tag)


def _is_pixel(img: etree._Element) -> bool:
    """A 1x1 (or 0x0) image or a known tracker's address (any of its source attributes):
    a tracking pixel or spacer, never a picture of the story."""
    for name in ("width", "height"):
        size = (img.get(name) or "").strip().lower().removesuffix("px")
        if size.isdigit() and int(size) <= rules.HTML_TRACKING_PIXEL_MAX_PX:
            return True
    return any(_TRACKER_IMAGE.search(value.lower()) for name, value in img.attrib.items() if "src" in name)


def _measure(root: etree._Element, prior: dict | None = None) -> dict[etree._Element, _Stats]:
    """Text, link and paragraph-text measures of every element, children before parents.

    ``prior`` holds the measures taken before boilerplate removal (see ``seen_link``).
    """
    stats: dict[etree._Element, _Stats] = {}
    min_chars, max_link = rules.HTML_MIN_PARAGRAPH_CHARS, rules.HTML_MAX_PARAGRAPH_LINK_RATIO
    inline_tags, layout_tags = _INLINE_CACHE, _LAYOUT
    for el in reversed(_elements(root)):
        tag = el.tag
        st = _Stats()
        own = el.text
        para = text = len(own.strip()) if own else 0
        if not len(el):  # a leaf: most elements, measured without the loop below
            inline = inline_tags.get(tag)
            if inline is None:
                inline = inline_tags[tag] = _inline(tag)
            st.text = text
            if tag == "a":
                st.link = text
            if inline:
                st.inline, st.inline_link = text, st.link
            else:
                if text >= min_chars and tag not in _HEADINGS:
                    st.para_good = st.good = text
                before = prior.get(el) if prior else None
                st.seen_text, st.seen_link = (before.text, before.link) if before else (text, st.link)
            stats[el] = st
            continue
        para_link = link = good = run_good = kids_good = kids = lone = lone_kids = 0
        has_block = has_layout = False
        for child in el:
            tail = child.tail
            if tail:
                n = len(tail.strip())
                para += n
                text += n
            cs = stats.get(child)
            if cs is None:
                continue
            text += cs.text
            link += cs.link
            if cs.good:
                good += cs.good
                run_good += cs.run_good
                if cs.lone:
                    lone += cs.lone
                    lone_kids += 1
                if cs.para_good and not cs.has_block and not cs.teaser:
                    kids_good += cs.para_good
                    kids += 1
            ctag = child.tag
            inline = inline_tags.get(ctag)
            if inline is None:
                inline = inline_tags[ctag] = _inline(ctag)
            if inline and not cs.has_block:
                para += cs.inline
                para_link += cs.inline_link
            else:
                has_block = True
            has_block = has_block or cs.has_block
            has_layout = has_layout or cs.has_layout or ctag in layout_tags
        if tag == "a":
            link = text
            para_link = para
        st.text, st.link, st.has_block, st.has_layout = text, link, has_block, has_layout
        if _inline(tag) and not has_block:
            st.inline, st.inline_link, st.good = para, para_link, good
        else:
            if para >= min_chars and para_link <= max_link * para and tag not in _HEADINGS:
                st.para_good = para - para_link
                st.teaser = _opens_with_link(el, stats) and _has_twin(el)
                if has_block:
                    kids_good += st.para_good
                    kids += 1
            st.good = good + st.para_good
            if kids >= 2:
                run_good += kids_good
            elif kids == 1:
                lone += kids_good
                lone_kids += 1
            before = prior.get(el) if prior else None
            st.seen_text, st.seen_link = (before.text, before.link) if before else (text, link)
            if lone and st.seen_link > rules.HTML_TEASER_LINK_RATIO * st.seen_text:
                lone = 0  # a linked title beside the paragraph: a teaser item
            elif lone and (lone_kids >= 2 or text > rules.HTML_LONE_PARAGRAPH_SHARE * lone):
                run_good += lone
                lone = 0
            st.run_good, st.lone = run_good, lone
        stats[el] = st
    return stats


def _chrome_family(el: etree._Element) -> str | None:
    """The page-chrome family named by ``el``'s tag or ARIA role, or "hidden" for
    elements the page never shows."""
    family = rules.HTML_CHROME_TAGS.get(el.tag)
    if family:
        return family
    attrib = el.attrib
    if not attrib:
        return None
    style, cls, role = attrib.get("style"), attrib.get("class"), attrib.get("role")
    if "hidden" in attrib or attrib.get("aria-hidden") == "true" \
            or (style and _HIDDEN_STYLE.search(style)) or (cls and _HIDDEN_CLASS.search(cls)):
        return "hidden"
    return rules.HTML_CHROME_ROLES.get(role.strip().lower()) if role else None


def _class_family(el: etree._Element) -> str | None:
    """The boilerplate family named by ``el``'s class/id tokens, if any."""
    tokens = _class_id(el)
    if not tokens or _CONTENT_CLASS.search(tokens):
        return None
    m = _FAMILIES.search(tokens)
    family = _FAMILY_NAMES[m.lastgroup] if m else None
    return None if family in rules.HTML_CAPTION_KEPT_FAMILIES and _in_figure(el) else family


def _names_credit(el: etree._Element) -> bool:
    """Whether ``el``'s class/id names an image credit ("credit", "photo-credit")."""
    m = _FAMILIES.search(_class_id(el))
    return bool(m) and _FAMILY_NAMES[m.lastgroup] == "image-credit"


def _in_figure(el: etree._Element) -> bool:
    """Whether ``el`` is a <figure> or <figcaption> or inside one (a figure whose only text is
    "Photo: AP" is a picture with its credit, not a credit line)."""
    return el.tag in _FIGURE_TAGS or any(a.tag in _FIGURE_TAGS for a in el.iterancestors())


def _around_best(stats: dict, known: str) -> set:
    """The most article-like container and its ancestors, before any removal: a layout
    class on them ("and-w-sidebar", "has-comments") names the page, not boilerplate."""
    scores = _candidate_scores(stats, known)
    if not scores:
        return set()
    best = max(scores, key=scores.__getitem__)
    return {best, *best.iterancestors()}


def _drop_boilerplate(root: etree._Element, stats: dict, total: int, keep: set,
                      report: CleaningReport, family_of) -> int:
    """Remove the elements ``family_of`` names, outermost first; return the paragraph text
    removed. ``total`` is the page's paragraph text (``stats`` may predate earlier removals).

    Guards keep a misfiring layout rule from eating the article (rules.HTML_FAMILY_GUARDS):
    an element in ``keep`` or holding most of the page's paragraph text is a wrapper (a
    "has-sidebar" layout class), and a family whose hits together hold most of it names this site's
    content blocks (a page builder's "widget" columns) and is skipped on this page.
    """
    vetoed: set[str] = set()
    removed = 0
    for _ in range(2):  # a second scan reaches inside the blocks of a vetoed family
        hits: dict[str, list] = {}
        skip: set = set()  # subtrees not to look into: hits, and code
        for el in _elements(root):
            if el is root:
                continue
            if el.getparent() in skip:
                skip.add(el)
                continue
            family = family_of(el)
            spare = _guard(family)[0] if family else None
            if family is None or family in vetoed \
                    or spare is not None and (el in keep or total and stats[el].good > spare * total):
                if el.tag in _VERBATIM:
                    skip.add(el)  # its "hljs-comment" classes are syntax, not layout
                continue
            skip.add(el)
            hits.setdefault(family, []).append(el)
        newly = set()
        for family, els in hits.items():
            limit = _guard(family)[1]
            if limit is not None and total and sum(stats[e].good for e in els) > limit * total:
                newly.add(family)
        for family, els in hits.items():
            if family not in newly:
                for el in els:
                    removed += stats[el].good
                    _drop(el, stats, report, family)
        if not newly:
            return removed
        vetoed |= newly
    return removed


def _guard(family: str) -> tuple[float | None, float | None]:
    return rules.HTML_FAMILY_GUARDS.get(family, rules.HTML_FAMILY_GUARDS["default"])


def _is_content_marked(el: etree._Element) -> bool:
    """Semantic or class markers of an article body (article, main, itemprop=articleBody)."""
    return _tag(el) in rules.HTML_CONTENT_TAGS \
        or any(el.get(name) in values for name, values in rules.HTML_CONTENT_ATTRIBUTES.items()) \
        or bool(_CONTENT_CLASS.search(_class_id(el)))


def _candidate_scores(stats: dict, known: str) -> dict[etree._Element, float]:
    """Each paragraph credits its container fully and the two above it less.

    Article paragraphs are siblings, so their parent collects them all (a wrapper
    holding nothing but one paragraph counts as the paragraph); teaser excerpts each
    sit in their own item and spread their credit thin. ``known`` is the article text
    from JSON-LD (normalised, or ""): paragraphs found in it weigh more.
    """
    scores: dict[etree._Element, float] = {}
    for el, st in stats.items():
        if not st.para_good or _is_teaser(el, st, stats):
            continue
        credit = st.para_good
        if known and _key(el.text_content())[:rules.HTML_ARTICLE_BODY_PROBE_CHARS] in known:
            credit *= 1.0 + rules.HTML_ARTICLE_BODY_BONUS
        node = el if st.has_block or el.getparent() not in stats else el.getparent()
        if node is not el:  # wrappers around just this paragraph are part of it
            while node in stats and stats[node].text == st.text:
                parent = node.getparent()
                if parent not in stats:
                    break
                node = parent
        for weight in rules.HTML_ANCESTOR_WEIGHTS:
            if node is None or node not in stats:
                break
            scores[node] = scores.get(node, 0.0) + weight * credit
            node = node.getparent()
    for node, score in scores.items():
        st = stats[node]
        score *= 1.0 - (st.link / st.text if st.text else 0.0)
        if _is_content_marked(node):
            score *= 1.0 + rules.HTML_CONTENT_BONUS
        scores[node] = score
    return scores


def _is_teaser(el: etree._Element, st: _Stats, stats: dict) -> bool:
    """A paragraph opening with a linked headline, or alone in a small item with a linked
    title, the item one of a series of look-alike siblings: a teaser excerpt."""
    if st.teaser:
        return True
    node = el
    for _ in range(2):
        node = node.getparent()
        wrap = stats.get(node) if node is not None else None
        if wrap is None or wrap.seen_text > rules.HTML_LONE_PARAGRAPH_SHARE * st.seen_text:
            return False
        if wrap.seen_link > rules.HTML_TEASER_LINK_RATIO * wrap.seen_text:
            return _has_twin(node)
    return False


def _opens_with_link(el: etree._Element, stats: dict) -> bool:
    """Whether ``el`` starts with a headline-long link (possibly inside <strong>/<h3>)."""
    node = el
    for _ in range(3):
        if node.text and node.text.strip():
            return False
        first = next((c for c in node if isinstance(c.tag, str)), None)
        if first is None:
            return False
        if _tag(first) == "a":
            st = stats.get(first)
            return bool(st and st.text >= rules.HTML_HEADLINE_LINK_CHARS)
        node = first
    return False


def _has_twin(el: etree._Element) -> bool:
    """Whether a neighbour has the same tag and class (an item of a repeated list)."""
    for sib in (el.getprevious(), el.getnext()):
        if sib is not None and sib.tag == el.tag and sib.get("class") == el.get("class"):
            return True
    return False


def _choose_blocks(root: etree._Element, stats: dict, known: str, title: str) -> list[etree._Element]:
    """The best-scoring container, widened to the siblings (of it and of a few ancestors)
    that hold article runs too: a story split over columns or cards, not teaser lists.
    On a page of several full stories (infinite scroll), only inside the one ``title`` names."""
    scores = _candidate_scores(stats, known)
    if not scores:
        return []
    story = _titled_story(root, stats, title)
    if story is not None:
        scores = {el: v for el, v in scores.items() if el is story or story in el.iterancestors()} or scores
    best = max(scores, key=scores.__getitem__)
    if stats[best].good < rules.HTML_MIN_ARTICLE_CHARS:
        return []
    if known and _coverage(best, known) >= rules.HTML_ARTICLE_BODY_FULL_COVERAGE:
        return [best]  # it holds the whole JSON-LD article: no sibling is more of it
    floor = rules.HTML_SIBLING_SHARE * stats[best].good
    blocks, node, levels = [best], best, 0
    while levels < rules.HTML_CLIMB_LEVELS and node is not root and node is not story:
        parent = node.getparent()
        if parent is None:
            break
        if stats[parent].text > stats[node].text:  # wrappers adding no text are no level
            levels += 1
            kids = [c for c in parent if isinstance(c.tag, str)]
            keep = [i for i, c in enumerate(kids)
                    if c is node or _joins(c, stats, floor) or _twin_part(c, node, stats)]
            if len(keep) > 1:
                blocks = kids[keep[0]:keep[-1] + 1]
        node = parent
    return blocks


def _titled_story(root: etree._Element, stats: dict, title: str) -> etree._Element | None:
    """On a page holding several full stories (<article>s with HTML_STORY_MIN_CHARS of article
    runs each: infinite scroll, "next article" blocks), the one whose headline is the page's
    title; None on a page of one story, or when no headline matches (no guessing)."""
    stories = [a for a in root.iter("article")
               if a in stats and stats[a].run_good >= rules.HTML_STORY_MIN_CHARS]
    if len(stories) < 2 or not title:
        return None
    for story in stories:
        heading = next(story.iter(*_HEADINGS), None)
        if heading is not None and _same_headline(_norm(heading.text_content()), title):
            return story
    return None


def _same_headline(text: str, title: str) -> bool:
    """Whether a heading repeats the page title (titles carry " - Site" suffixes)."""
    text, key = text.casefold(), _norm(title).casefold()
    return bool(text and key) and (text == key or (len(text) > 15 and text in key))


def _joins(el: etree._Element, stats: dict, floor: float) -> bool:
    """Whether a sibling of the article container is more of the article."""
    st = stats.get(el)
    if st is None:
        return False
    return st.run_good + st.lone >= floor or _is_article_paragraph(el, stats)


def _twin_part(el: etree._Element, node: etree._Element, stats: dict) -> bool:
    """A sibling of the same tag and class as the container holding prose: one more part of a
    body the page builder split around a call-to-action or an ad (not another <article>)."""
    st = stats.get(el)
    cls = node.get("class")
    return bool(st and cls and el.tag == node.tag and el.tag != "article" and el.get("class") == cls
                and st.run_good + st.lone > 0
                and st.link <= rules.HTML_SIBLING_PARAGRAPH_LINK_RATIO * st.text)


def _is_article_paragraph(el: etree._Element, stats: dict) -> bool:
    """A lone sibling paragraph long enough and free enough of links to be article text."""
    st = stats.get(el)
    return bool(st and st.para_good >= rules.HTML_SIBLING_PARAGRAPH_CHARS
                and st.link <= rules.HTML_SIBLING_PARAGRAPH_LINK_RATIO * st.text)


def _stands_alone(el: etree._Element) -> bool:
    """Whether no text runs on either side of ``el`` (a label, not words in a sentence)."""
    prev = el.getprevious()
    before = prev.tail if prev is not None else el.getparent().text
    return not (before and before.strip()) and not (el.tail and el.tail.strip())


def _phrase_family(text: str, inline: bool) -> str | None:
    """The boilerplate family whose phrase is the whole of ``text``. Inside a sentence
    (``inline``) only interface labels count: "by the government" is prose."""
    fixed, fixed_names, floating, float_names = _LABEL_PHRASES if inline else _PHRASES
    text = text.lower()  # phrases are lower-case: cheaper than case-insensitive matching
    m = fixed.match(text)
    if m:
        return fixed_names[m.lastgroup]
    m = floating.search(text)
    return float_names[m.lastgroup] if m else None


def _prune(main: etree._Element, stats: dict, report: CleaningReport) -> None:
    """Inside the article: drop link-dense blocks, boilerplate phrases and teaser sections."""
    dead: set = set()
    max_phrase = rules.HTML_PHRASE_MAX_CHARS
    for el in _elements(main):
        if el is main and (main not in stats or stats[main].has_block):
            continue  # a container; a lone paragraph that joined the article is judged like any block
        if el in dead or el.getparent() in dead or el.tag in _VERBATIM:
            dead.add(el)  # gone (a section's blocks go with its heading), or code
            continue
        st = stats.get(el)
        if st is None or not st.text:
            continue
        tag = _tag(el)
        rule = None
        if st.text <= max_phrase:
            text = _norm(el.text_content())
            rule = _phrase_family(text, _inline(tag) and not _stands_alone(el))
            if rule in rules.HTML_CAPTION_KEPT_FAMILIES and _in_figure(el):
                rule = None
            if rule and not _inline(tag) and rule in rules.HTML_SECTION_HEADING_FAMILIES:
                _drop_section(el, stats, dead, report, rule)
        if rule is None and not _inline(tag) and tag not in _HEADINGS \
                and st.link > rules.HTML_LINK_DENSE_RATIO * st.text \
                and st.text < rules.HTML_LINK_DENSE_MAX_CHARS \
                and st.run_good < rules.HTML_MIN_ARTICLE_CHARS \
                and not (tag in rules.HTML_SENTENCE_TAGS and _is_sentence(el, st)):
            rule = "link-dense-block"
        if rule:
            dead.add(el)
            _drop(el, stats, report, rule)


def _is_sentence(el: etree._Element, st: _Stats) -> bool:
    """A paragraph of prose however linked: long, or several words ending a sentence
    (link-list items are headlines, which do not end with a full stop)."""
    if st.text >= rules.HTML_LINK_DENSE_PARAGRAPH_CHARS:
        return True
    text = el.text_content().strip()
    return text.endswith(_SENTENCE_ENDS) and len(text.split()) >= rules.HTML_SENTENCE_MIN_WORDS


def _drop_section(heading: etree._Element, stats: dict, dead: set, report: CleaningReport,
                  rule: str) -> None:
    """After a "Related"/"Comments" heading, the link lists and blocks that follow go too."""
    sib = heading.getnext()
    while sib is not None and _tag(sib) not in _HEADINGS:
        st = stats.get(sib)
        nxt = sib.getnext()
        if st is None or st.link <= rules.HTML_SECTION_LINK_RATIO * st.text:
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
        if _inline(tag) and not has_block:
            if st and (st.text or tag in _KEEP_EMPTY or el.find(".//img") is not None):
                if para[0] is None:
                    para[0] = lxml.html.Element("p")
                para[0].append(copy(el))
            continue
        if tag in _BLOCKS and not (tag == "table" and st and st.has_layout) \
                and not (tag in ("ul", "ol", "blockquote") and st and st.has_layout
                         and st.text > rules.HTML_LAYOUT_LIST_CHARS):
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
    for el in out.iter(etree.Element):  # styling and scripting hooks are not content
        if el.tag not in _FIGURE_TAGS and _in_figure(el) and _names_credit(el):
            el.tag = "small"  # HTML's element for attribution: convert sets it apart from the caption
        for name in el.attrib.keys():
            if name not in _KEPT_ATTRIBUTES:
                del el.attrib[name]
        el.text, el.tail = _plain_spaces(el.text), _plain_spaces(el.tail)
    return out


def _plain_spaces(text: str | None) -> str | None:
    """Editors' stray no-break spaces as plain ones (rules.HTML_LOOSE_NBSP)."""
    return _LOOSE_NBSP.sub(" ", text) if text else text


def _drop_repeats(out: etree._Element, report: CleaningReport) -> None:
    """A text block repeated within the few just before it is a gallery or widget echo
    (the same caption on the slide, in its lightbox and truncated with "... more")."""
    recent: list[str] = []
    for el in list(out.iter(*_TEXT_BLOCKS)):
        if next(el.iterdescendants(*_TEXT_BLOCKS), None) is not None:
            continue  # compare innermost blocks: a nested list item is not an echo
        words = _WORD.findall(el.text_content().casefold())
        while words and words[-1] in _TOGGLE_WORDS:
            words.pop()
        key = " ".join(words)
        if len(key) < rules.HTML_DUPLICATE_MIN_CHARS:
            continue
        if any(key in seen for seen in recent):
            _drop(el, None, report, "duplicate-block")
            continue
        recent = (recent + [key])[-rules.HTML_DUPLICATE_WINDOW:]


def _page_title(tree: etree._Element) -> str:
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()"):
        found = tree.xpath(xpath)
        if found:
            return _norm(str(found[0]))
    return ""


def _drop_edge_rules(out: etree._Element, report: CleaningReport) -> None:
    """A horizontal rule opening or closing the body separates it from page parts that are
    gone (and a leading "---" reads as a front-matter fence)."""
    for index in (0, -1):
        while len(out) and _tag(out[index]) == "hr":
            _drop(out[index], None, report, "edge-rule")


def _drop_title(out: etree._Element, title: str, report: CleaningReport) -> None:
    """The headline is metadata: drop headings repeating it (titles carry " - Site" suffixes)."""
    for el in list(out):
        if _tag(el) in _HEADINGS and _same_headline(_norm(el.text_content()), title):
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
    headlines = _headline_links(root) if article_body else set()  # before related lists go
    _drop_junk(root, report)
    first = _measure(root)
    total = first[root].good
    known = _key(article_body) if article_body else ""
    keep = _around_best(first, known)
    total -= _drop_boilerplate(root, first, total, keep, report, _chrome_family)
    _drop_boilerplate(root, first, total, keep, report, _class_family)
    stats = _measure(root, first)
    del first  # (memory: a 20 MB page has hundreds of thousands of elements)
    blocks = _choose_blocks(root, stats, known, page_title)
    out = None
    if blocks:
        for block in blocks:
            _prune(block, stats, report)
        blocks = [b for b in blocks if b.getparent() is not None]  # (a joined paragraph may go)
        out = _flatten(blocks, stats)
        _drop_title(out, page_title, report)
        _drop_edge_rules(out, report)
        _drop_repeats(out, report)
        if not _norm(out.text_content()):
            out = None
    if article_body and _misses(out, article_body):
        report.warn("article body taken from JSON-LD articleBody: the page's HTML lacks most of it")
        return _paragraphs(article_body, root, headlines, report)
    return out


def _misses(out: etree._Element | None, article_body: str) -> bool:
    """Whether the extracted body lacks most words of the page's JSON-LD articleBody
    (a script-rendered page, or the wrong container)."""
    known = _key(article_body)
    if len(set(known.split())) < rules.HTML_ARTICLE_BODY_MIN_WORDS:
        return False
    return out is None or _coverage(out, known) < rules.HTML_ARTICLE_BODY_MIN_COVERAGE


def _coverage(el: etree._Element, known: str) -> float:
    """Share of the distinct words of ``known`` (a ``_key``) that ``el``'s text holds."""
    words = set(known.split())
    return len(words & set(_key(el.text_content()).split())) / len(words) if words else 0.0


def _headline_links(root: etree._Element) -> set[str]:
    """Texts of headline-long links standing alone in their block: other stories' titles."""
    found = set()
    for link in root.iter("a"):
        text = _norm(link.text_content())
        if len(text) >= rules.HTML_HEADLINE_LINK_CHARS and link.getparent() is not None and _stands_alone(link):
            found.add(text)
    return found


def _paragraphs(text: str, page: etree._Element, headlines: set[str],
                report: CleaningReport) -> lxml.html.HtmlElement:
    """A <div> of <p>s from JSON-LD articleBody text: one per line, and a break before each
    paragraph the page's HTML shows (<p> texts found in it). Other stories' headlines spliced
    in go, and a space before "," or "." (left by tag stripping) is closed up."""
    starts: set[int] = set()  # where a paragraph of the page starts or ends in ``text``
    for para in (_norm(p.text_content()) for p in page.iter("p")):
        at = text.find(para) if len(para) >= rules.HTML_MIN_PARAGRAPH_CHARS else -1
        if at >= 0:
            starts |= {at, at + len(para)}
    for headline in sorted(headlines, key=len, reverse=True):
        at = text.find(headline)
        if at >= 0 and not any(at <= s < at + len(headline) for s in starts):
            report.record("related-list", len(headline), 1, headline)
            text = text[:at] + "\n" + text[at + len(headline):]
            starts = {s - len(headline) + 1 if s > at else s for s in starts}
    cuts = sorted(s for s in starts if s > 0)
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    out = lxml.html.Element("div")
    for line in "\n".join(pieces).splitlines():
        line = _SPACED_STOP.sub(r"\1", _norm(line))
        if line:
            lxml.html.etree.SubElement(out, "p").text = line
    return out
