"""Metadata of an HTML page, from the most to the least trusted statement of it.

JSON-LD article objects first, then OpenGraph/meta tags, then visible markup (<time>,
bylines, <h1>) outside sidebars, teaser lists and banners, whose dates and names belong
to other stories.
"""

from __future__ import annotations

import html
import json
import re
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from . import rules
from .dates import parse_date, url_date
from .langtag import language_tag
from .metadata import split_names, text_key
from .safety import safe_url
from .settings import TITLE_MAX_CHARS

_BYLINE_PREFIX = re.compile(rules.BYLINE_PREFIX, re.I)
_BYLINE_END = re.compile(rules.BYLINE_END, re.I)
_BYLINE_NAME_END = re.compile(rules.BYLINE_NAME_END.format(
    months="|".join(sorted(rules.MONTH_NAMES, key=len, reverse=True))), re.I)
_ORGANISATION = re.compile(r"\b(?:" + "|".join(rules.ORGANISATION_WORDS) + r")\b", re.I)
_AUTHOR_DOMAIN = re.compile(rules.AUTHOR_DOMAIN, re.I)
_AUTHOR_LINK = re.compile(rules.AUTHOR_LINK_PATH, re.I)
_INITIALS = re.compile(r"[A-Z]{1,3}")  # an avatar's "NB" in an author box, not a name
_BYLINE_PARTS = re.compile(r"\s[|•·]\s")
_HEADING_LINE_TAGS = ("br", "div", "p")
_CALENDAR_WORDS = frozenset([*rules.MONTH_NAMES, *rules.WEEKDAY_NAMES])
_JOB_TITLES = frozenset(rules.AUTHOR_JOB_TITLES)
_JOB_QUALIFIERS = frozenset(rules.AUTHOR_JOB_QUALIFIERS)
_QUALIFICATION = re.compile(rules.AUTHOR_QUALIFICATION)
_BYLINE_LABEL = re.compile(rf"^{rules.BYLINE_LABEL}", re.I)
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_NAME_MAX_CHARS = 40  # longer "names" are sentences that merely sit in an author box
_NAME_MAX_WORDS = 5
_BYLINE_TEXT_MAX_CHARS = 80  # a longer block starting with "By" is a sentence, not a byline
_BYLINE_BOX_MAX_CHARS = 300  # a longer "author"-classed element is the story itself ("author-ann-lee" on <article>)
_KEYWORD_MAX_CHARS = 60
_SITE_SUFFIX_MAX_WORDS = 5  # a longer segment after "|" is part of the headline
_SECTION_MAX_CHARS = 30  # a longer label is a teaser or a list of sections, not one name
_SECTION_MAX_WORDS = 3
_DATE_TEXT_MAX_CHARS = 80  # a longer element is a container, not a date line
_DATELINE_WINDOW = 30  # elements after/before the <h1> searched for an unmarked dateline
_HEADLINE_MIN_CHARS = 8  # shorter <h1>s are logos or section names
_HEADLINE_AGREEMENT = 0.2  # share of <h1> words the stated title must contain: a headline reworded
# for search engines still shares its key words with the <h1>, a logo or section name none of them
_LABEL_AGREEMENT = 0.5  # share of <h1> words a separator segment must contain to be the headline


def _marker_rx(words) -> re.Pattern[str]:
    """One search for any of ``words`` inside a lower-cased class/id string."""
    return re.compile("|".join(map(re.escape, words)))


_DATE_MARKED = _marker_rx(rules.DATE_MARKERS)
_SECTION_MARKED = _marker_rx(rules.SECTION_MARKERS)
_BYLINE_MARKED = _marker_rx(rules.BYLINE_MARKERS)
_ASIDE_MARKED = _marker_rx(rules.METADATA_ASIDE_WORDS)
_LAYOUT_CLASSES = re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, rules.METADATA_LAYOUT_CLASS_PREFIXES)) + r")\S*")


def html_metadata(tree: lxml.html.HtmlElement, url: str | None) -> dict[str, Any]:
    """Metadata of a parsed page; read before extraction, which prunes the tree.

    Also returns ``article_body`` (JSON-LD articleBody text) for the extractor to use.
    """
    found: dict[str, Any] = {}
    asides = _Asides(tree)

    def take(source: dict[str, Any]) -> None:
        for key, value in source.items():
            if value not in (None, "", []) and key not in found:
                found[key] = value

    take(_jsonld(tree))
    take(_meta_tags(tree))
    stated_authors, stated_date = found.pop("authors", []), found.pop("date", None)
    take(_visible(tree, {"date", "category", "authors"} - set(found), asides))
    found["date"] = _publication_date(stated_date, found.get("date"), url_date(found.get("source_url") or url or ""))
    base = safe_url(found.get("source_url"), url) or safe_url(url)
    found["source_url"] = base
    found["image"] = safe_url(found.get("image"), base)
    host = urlsplit(base).hostname if base else None
    found["authors"] = _byline(stated_authors, found.get("authors", []),
                               [found.get("site_name"), host and host.removeprefix("www.")])
    if found.get("image") and not found.get("image_alt"):
        found["image_alt"] = _image_alt(tree, found["image"], base)
    section = (found.get("category") or "").split(",")[0].strip()
    found["category"] = section if _is_section_name(section) else None
    found["title"] = _headline(tree, found.get("title"), [found.get("site_name"), host and host.removeprefix("www.")],
                               asides)
    if found.get("lang"):  # a valid tag is kept as its primary language ("en_US" -> "en");
        # an invalid one is left for the pipeline to drop with a warning (metadata.check_lang)
        tag = language_tag(found["lang"].split(",")[0])
        found["lang"] = tag.split("-")[0] if tag else found["lang"]
    return {k: v for k, v in found.items() if v not in (None, "", [])}


def peer_authors(page: str, url: str | None) -> list[str]:
    """trafilatura's authors of a page where ours found none, cleaned as ours are.

    Its byline search reaches markup ours skips (author boxes we take for asides, unmarked
    bylines). Only its author steps run (meta tags, JSON-LD, byline XPaths), the order its
    ``extract_metadata`` uses, without the date search that makes up most of that call's
    time. Imported here, when needed.
    """
    from trafilatura.metadata import examine_meta, extract_author, extract_meta_json
    from trafilatura.utils import load_html

    try:
        tree = load_html(page)
        if tree is None:
            return []
        stated = examine_meta(tree)
        if stated.author and " " not in stated.author:  # as extract_metadata: a one-word meta author is a handle
            stated.author = None
        found = extract_meta_json(tree, stated).author or extract_author(tree)
    except Exception:  # a library failure on one odd page costs its byline, not the article
        return []
    names = _names((found or "").split(";"))
    return names if names and all(map(_person_like, names)) else []


def _jsonld(tree) -> dict[str, Any]:
    """Fields of the page's JSON-LD article objects, each from the most specific type that has it."""
    candidates = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for item in _walk_jsonld(data):
            types = item.get("@type")
            ranks = [rules.JSONLD_ARTICLE_TYPES.index(t) for t in (types if isinstance(types, list) else [types])
                     if t in rules.JSONLD_ARTICLE_TYPES]
            if ranks:
                candidates.append((min(ranks), len(candidates), item))
    merged: dict[str, Any] = {}
    for rank, _, item in sorted(candidates, key=lambda c: c[:2]):
        for key, value in _jsonld_fields(item, rules.JSONLD_ARTICLE_TYPES[rank] == "WebPage").items():
            if value not in (None, "", []):
                merged.setdefault(key, value)
    return merged


def _jsonld_fields(item: dict, is_page: bool) -> dict[str, Any]:
    """Our fields from one JSON-LD object; a WebPage's "name" is its <title>, not a headline."""
    publisher = _names(item.get("publisher"))
    return {
        "title": _text(item.get("headline") or (None if is_page else item.get("name"))),
        "date": parse_date(_text(item.get("datePublished")) or ""),
        "modified": parse_date(_text(item.get("dateModified")) or ""),
        "authors": _names(item.get("author") or item.get("creator")),
        "category": _first_text(item.get("articleSection")),
        "tags": _keywords(item.get("keywords")),
        "lang": _text(item.get("inLanguage")),
        "image": _image_url(item.get("image") or item.get("thumbnailUrl")),
        "source_url": _text(item.get("url")) or _id(item.get("mainEntityOfPage")),
        "site_name": publisher[0] if publisher else None,
        "summary": None if is_page else _text(item.get("description")),
        "article_body": _text(item.get("articleBody")),
    }


def _walk_jsonld(data: Any, limit: int = 200) -> list[dict]:
    """Every object in a JSON-LD document (lists and @graph included), breadth-first, bounded."""
    queue, objects = [data], []
    while queue and len(objects) < limit:
        item = queue.pop(0)
        if isinstance(item, list):
            queue.extend(item)
        elif isinstance(item, dict):
            objects.append(item)
            queue.extend(v for k, v in item.items() if k == "@graph" or k == "mainEntity")
    return objects


def _meta_tags(tree) -> dict[str, Any]:
    values: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        content = meta.get("content")
        if name and content and content.strip():
            values.setdefault(name.strip().lower(), []).append(" ".join(content.split()))
    found: dict[str, Any] = {}
    for key, names in rules.META_FIELDS.items():
        present = [values[n] for n in names if n in values]
        if not present:
            continue
        if key in ("date", "modified"):
            found[key] = next((d for vs in present for v in vs if (d := parse_date(v))), None)
        elif key == "authors":
            found[key] = next((n for vs in present if (n := _names([v for v in vs if "://" not in v]))), [])
        elif key == "tags":
            found[key] = _keywords(present[0])
        else:
            found[key] = present[0][0]
    canonical = tree.xpath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
    if canonical:
        found["source_url"] = found.get("source_url") or canonical[0].strip()
    return found


def _visible(tree, wanted: set[str], asides: "_Asides") -> dict[str, Any]:
    """What the page shows, for the ``wanted`` fields only (the rest is known already, and
    searching the page is the costly part): <title>/<h1>, <time> and byline inside the
    article, <html lang>."""
    found: dict[str, Any] = {"lang": tree.get("lang") or tree.get("xml:lang")}
    titles = tree.xpath("//title")
    if titles:
        found["title"] = _clean_text(titles[0].text_content())
    if not wanted & {"date", "category", "authors"}:
        return found
    dated, sections, bylines = [], [], []
    searches = [(found_list, pattern) for field, found_list, pattern in (
        ("date", dated, _DATE_MARKED), ("category", sections, _SECTION_MARKED)) if field in wanted]
    for element in tree.xpath("//body//*[@class or @id or @rel or @itemprop]"):
        markers = f"{element.get('class', '')} {element.get('id', '')}".lower()
        for found_list, pattern in searches:
            if pattern.search(markers):
                found_list.append(element)
        if "authors" in wanted and _BYLINE_MARKED.search(
                f"{markers} {element.get('rel', '')} {element.get('itemprop', '')}".lower()):
            bylines.append(element)
    if "date" in wanted:
        found["date"] = next(_visible_dates(tree, dated, asides), None)
    if "category" in wanted:
        found["category"] = next(_visible_sections(sections, asides), None)
    if "authors" in wanted:
        found["authors"] = _visible_authors(tree, bylines, asides)
    return found


def _publication_date(stated: Any, shown: Any, in_url: Any) -> Any:
    """The stated date (JSON-LD, meta), unless the page shows an earlier one: a CMS restates
    datePublished when a story is republished or moved, the page keeps the original. A day's
    difference is a time zone's, unless the URL's date agrees with the shown one."""
    if stated is None or shown is None:
        return stated or shown
    earlier = (stated.date() - shown.date()).days
    return shown if earlier > 1 or (earlier == 1 and shown.date() == in_url) else stated


def _byline(stated: list[str], shown: list[str], site_names: list[str | None]) -> list[str]:
    """The article's authors: the names its byline shows when the stated (JSON-LD, meta) author
    is the site itself or no person's name (a CMS account, a desk), else the stated ones.

    A site or desk name stays when the page names no person: it is the page's own byline;
    beside people ("Ann Lee, Tom Berg and Coast Herald") it is the publisher, not an author.
    """
    sites = {_squashed(n) for n in site_names if n}
    if shown and (not stated or all(_squashed(n) in sites or not _person_like(n) for n in stated)):
        stated = shown
    people = [name for name in stated if _squashed(name) not in sites]
    return people or stated


def _squashed(text: str) -> str:
    return "".join(text_key(text).split())


def _person_like(name: str) -> bool:
    """A person's name: a few capitalised words, no digits, no interface words, labels or organisation."""
    words = name.split()
    return (0 < len(words) <= _NAME_MAX_WORDS and name[0].isupper()
            and not any(w.islower() and w not in rules.NAME_PARTICLES for w in words)
            and not _ORGANISATION.search(name.replace(".", ""))
            and len(name) <= _NAME_MAX_CHARS and not any(c.isdigit() or c in "@/_" for c in name)
            and not {w.casefold().strip(".,:") for w in words} & set(rules.AUTHOR_INTERFACE_WORDS)
            and name.casefold() not in rules.BYLINE_NOT_NAMES and name.casefold().rstrip(".") not in _CALENDAR_WORDS)


def _visible_authors(tree, bylines: list, asides: "_Asides") -> list[str]:
    """Names the page shows as its byline, most explicit first: elements marked as bylines (the
    names of their author-page links, else their text), links to an author's page, then short
    blocks reading "By Ann Lee" (or a lone "Written by" label and the name in the next element)."""
    for element in bylines:
        if asides(element):
            continue
        text = " ".join(element.xpath(_VISIBLE_TEXT))
        if names := _linked_names([element]) or (_byline_names(text) if len(text) <= _BYLINE_BOX_MAX_CHARS else []):
            return names
    first = next((link for link in tree.xpath("//body//a[@href]")
                  if _AUTHOR_LINK.search(link.get("href")) and not asides(link)
                  and _person_like(_link_name(link))), None)
    if first is not None:  # with the other author links of its byline, not those of teasers further down
        block = first
        for ancestor in first.iterancestors():
            if len(" ".join(ancestor.xpath(_VISIBLE_TEXT))) > _BYLINE_BOX_MAX_CHARS:
                break
            block = ancestor
        return _linked_names([block])
    for text in tree.xpath("//body//text()[normalize-space()][not(ancestor::script or ancestor::style)]"):
        if not _BYLINE_LABEL.match(text.strip()):
            continue
        block = text.getparent().getparent() if text.is_tail else text.getparent()
        if block is None or asides(block):
            continue
        shown = _clean_text(" ".join(block.xpath(_VISIBLE_TEXT)))
        if _BYLINE_LABEL.sub("", shown).strip() == "":  # a lone label: the name is in the next element
            following = block.xpath("following::*[normalize-space()][1]")
            shown = _clean_text(following[0].text_content()) if following else ""
            names = [shown] if _person_like(shown) else []
        else:
            names = _byline_names(shown) if len(shown) <= _BYLINE_TEXT_MAX_CHARS else []
        if names and all(map(_person_like, names)):
            return names
    return []


def _linked_names(elements: list) -> list[str]:
    """Texts of the links to author pages inside ``elements`` that read as people's names."""
    names = [name for element in elements for link in element.iter("a")
             if _AUTHOR_LINK.search(link.get("href") or "") and _person_like(name := _link_name(link))]
    return list(dict.fromkeys(names))


def _link_name(link) -> str:
    return _name_alone(_BYLINE_PREFIX.sub("", _clean_text(link.text_content())))


def _visible_sections(candidates: list, asides: "_Asides"):
    """Section labels shown as a kicker or category tag: one link to the section, a few words."""
    for element in candidates:
        links = [element] if element.tag == "a" else element.findall(".//a")
        if len(links) != 1 or asides(element):
            continue
        text = _clean_text(" ".join(element.xpath(_VISIBLE_TEXT)))
        if _is_section_name(text):
            yield text


def _is_section_name(text: str) -> bool:
    return (0 < len(text) <= _SECTION_MAX_CHARS and len(text.split()) <= _SECTION_MAX_WORDS
            and not any(c.isdigit() or c in ":,|" for c in text) and text.casefold() not in rules.SECTION_NOT_NAMES)


def _visible_dates(tree, dated: list, asides: "_Asides"):
    """Dates shown by <time>, datePublished items, date/byline-classed elements, then near the <h1>."""
    for element in tree.xpath("//time[@datetime] | //*[@itemprop='datePublished']"):
        if not asides(element):
            value = parse_date(element.get("datetime") or element.get("content") or element.text_content())
            if value:
                yield value
    short_date = partial(_short_date, asides=asides)
    yield from filter(None, map(short_date, dated))
    yield from filter(None, map(short_date, _around_headline(tree)))


def _around_headline(tree) -> list:
    """Elements just after, then just before, the first <h1>: where a dateline sits when unmarked."""
    heading = tree.find(".//h1")
    if heading is None:
        return []
    after = heading.xpath(f"(descendant::* | following::*)[position() <= {_DATELINE_WINDOW}]")
    before = heading.xpath(f"(ancestor::* | preceding::*)[position() > last() - {_DATELINE_WINDOW}]")
    return after + before[::-1]


def _short_date(element, asides: "_Asides") -> Any:
    text = element.text_content()
    return parse_date(text) if len(text) <= _DATE_TEXT_MAX_CHARS and not asides(element) else None


def _byline_names(text: str) -> list[str]:
    """Names in a visible byline: label and trailing date or action words removed; a byline
    in parts ("Dec. 19, 2025 · Ann Lee") gives the names of its first part that has some."""
    for part in _BYLINE_PARTS.split(_clean_text(text)):
        part = _BYLINE_PREFIX.sub("", part)
        part = _BYLINE_NAME_END.split(part, maxsplit=1)[0]
        part = _BYLINE_END.split(part, maxsplit=1)[0]
        if any(len(n) > _NAME_MAX_CHARS for n in split_names(part)):
            return []  # a sentence in an author box, not a list of names
        names = _names(part)
        if names and not any(n.casefold() in rules.BYLINE_NOT_NAMES or n.casefold().rstrip(".") in _CALENDAR_WORDS
                             or _INITIALS.fullmatch(n) for n in names):
            return names
    return []


class _Asides:
    """Whether an element lies inside navigation, sidebars, page footers or teaser lists,
    where dates and names belong to other stories. An article's own <footer> (its byline
    and dates) is not one, nor is an element holding the headline, whatever its class says
    (<body class="has-sidebar">, a "content-sidebar-wrap" around story and sidebar). Answers
    are remembered per ancestor: one page asks many times.
    """

    def __init__(self, tree) -> None:
        self._known: dict = {}  # element -> (it or an ancestor is an aside, it or an ancestor is an <article>)
        headline = tree.find(".//h1")
        self._story = set(headline.iterancestors()) if headline is not None else {tree.find("body")}

    def __call__(self, element) -> bool:
        parent = element.getparent()
        return parent is not None and self._state(parent)[0]

    def _state(self, element) -> tuple[bool, bool]:
        chain = []
        while element is not None and element not in self._known:
            chain.append(element)
            element = element.getparent()
        aside, article = self._known[element] if element is not None else (False, False)
        for element in reversed(chain):
            tag = element.tag
            aside = aside or tag in ("aside", "nav") or (tag == "footer" and not article) or (
                element not in self._story
                and bool(_ASIDE_MARKED.search(_LAYOUT_CLASSES.sub(" ", f"{element.get('class', '')} {element.get('id', '')}".lower()))))
            article = article or tag == "article"
            self._known[element] = (aside, article)
        return aside, article


def _image_alt(tree, image: str, base: str | None) -> str | None:
    name = urlsplit(image).path.rsplit("/", 1)[-1]
    for img in tree.iter("img"):
        alt = (img.get("alt") or "").strip()
        sources = " ".join(img.get(a) or "" for a in ("src", "data-src", "srcset", "data-srcset"))
        if alt and name and name in sources:
            return " ".join(alt.split())
    return None


def _headline(tree, stated: str | None, site_names: list[str], asides: _Asides) -> str | None:
    """The visible <h1> when the page's stated title agrees with it, else the stated title.

    The <h1> is what readers see as the headline; stated titles (og:title, <title>) are
    often SEO variants or carry the site name. Agreement guards against logo <h1>s.
    """
    headings = [text for heading in tree.xpath("//article//h1 | //main//h1 | //h1")
                if _HEADLINE_MIN_CHARS <= len(text := _strip_site_suffix(_heading_text(heading), site_names))
                <= TITLE_MAX_CHARS and not asides(heading)]
    stated = _strip_site_suffix(stated, site_names, headings[0] if headings else None) if stated else None
    for text in headings:
        if not stated or _overlap(text, stated) >= _HEADLINE_AGREEMENT:
            return text
    return stated


def _heading_text(heading) -> str:
    """A heading's words with its lines spaced ("2025<br>Your guide", a subtitle in a <div> or
    a capitalised <span>), but not the parts of a word ("C<span>ycle"), a link or a ".NET"."""
    parts = [heading.text or ""]
    for element in heading.iterdescendants():
        text = element.text or "" if isinstance(element.tag, str) and element.tag not in ("script", "style") else ""
        line = element.tag in _HEADING_LINE_TAGS
        parts += [" " if line or (element.tag == "span" and text[:1].isupper()) else "", text]
        parts += [" " if line else "", element.tail or ""]
    return _clean_text("".join(parts))


def _overlap(text: str, other: str) -> float:
    """Share of the words of ``text`` that also occur in ``other``."""
    words = text_key(text).split()
    others = set(text_key(other).split())
    return sum(w in others for w in words) / len(words) if words else 0.0


def _strip_site_suffix(title: str, site_names: list[str], headline: str | None = None) -> str:
    """"Headline | Site" -> "Headline"; "Column | Headline" and "Site - Headline" -> "Headline".

    A dash segment goes only when it names the site (site name or domain), since news
    headlines use dashes; the bar-like separators (rules.TITLE_SITE_SEPARATORS) are never
    headline punctuation, so a short segment after them goes too, and a short one before
    them (a column label, "Letters to the Editor | Letters: ...") when the page's ``headline``
    (its <h1>) agrees with the rest and not with it: "Headline | SEO subtitle" keeps its headline.
    """
    title = _clean_text(title)
    sites = {"".join(text_key(n).split()) for n in site_names if n}

    def names_site(segment: str) -> bool:
        squashed = "".join(text_key(segment).split())
        return bool(squashed) and any(squashed in site or site in squashed for site in sites)

    for separator in (*rules.TITLE_SITE_SEPARATORS, *rules.TITLE_DASH_SEPARATORS):
        head, sep, tail = title.rpartition(separator)
        if not (sep and head.strip()):
            continue
        short = len(tail.split()) <= _SITE_SUFFIX_MAX_WORDS and separator in rules.TITLE_SITE_SEPARATORS
        if names_site(tail) or short:
            title = head.strip()
            break
    for separator in (*rules.TITLE_SITE_SEPARATORS, *rules.TITLE_DASH_SEPARATORS):
        head, sep, tail = title.partition(separator)
        if not (sep and tail.strip()):
            continue
        label = (separator in rules.TITLE_SITE_SEPARATORS and len(head.split()) <= _SITE_SUFFIX_MAX_WORDS
                 and headline is not None and _overlap(headline, tail) >= _LABEL_AGREEMENT
                 and _overlap(headline, head) < _LABEL_AGREEMENT)
        if names_site(head) or label:
            return tail.strip()
    return title


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text")
    return _clean_text(str(value)) if isinstance(value, (str, int, float)) and str(value).strip() else None


def _first_text(value: Any) -> str | None:
    return _text(value[0] if isinstance(value, list) and value else value)


def _id(value: Any) -> str | None:
    return value.get("@id") if isinstance(value, dict) else _text(value)


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author, a meta content or a byline text."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        if not isinstance(item, str) or _AUTHOR_DOMAIN.search(item := _BYLINE_PREFIX.sub("", _clean_text(item))):
            continue  # "Example News (example.com)": the site, not a person
        if _ORGANISATION.search(item.replace(".", "")):
            names.append(item.split(",")[0].strip())  # a desk or imprint, whole: not "Munich" and "Germany"
        else:
            for part in split_names(item):
                if _QUALIFICATION.match(part.strip()) and names:
                    names[-1] += f", {part.strip()}"  # "Ann Lee, MD": one person
                elif (name := _name_alone(part)) and "://" not in name:
                    names.append(name)
    return list(dict.fromkeys(names))


def _name_alone(text: str) -> str:
    """A byline item without the job title after it ("Ann Lee Tech Reporter"), the avatar's
    initials before it ("AL Ann Lee") and stray separators; "" when the item is only a job
    title ("Co-Founder", "Head of Marketing")."""
    words = text.strip(" |-–—•·,;:").split()
    if len(words) > 2 and words[0].isupper() and words[0] == "".join(w[0] for w in words[1:]).upper():
        words = words[1:]
    key = [w.casefold().strip(".,") for w in words]
    job = next((i for i, w in enumerate(key) if w in _JOB_TITLES), None)
    if job is not None:
        while job > 0 and key[job - 1] in _JOB_QUALIFIERS:
            job -= 1
        words = words[:job]
    elif key and key[0] in _JOB_QUALIFIERS and key[1:2] == ["of"]:
        return ""  # "Head of Marketing"
    return " ".join(words)


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    words = [w.strip() for item in items if isinstance(item, str) for w in item.split(",")]
    return list(dict.fromkeys(w for w in words if w and len(w) <= _KEYWORD_MAX_CHARS))


def _clean_text(text: str) -> str:
    return " ".join(html.unescape(text).split())
