"""Facts about articles that templates cannot compute: reading time, lead image size,
related stories, neighbours in a section, the source of a scraped story.

Pure functions over Pelican content objects (anything with the same attributes works).
"""

import hashlib
import heapq
import logging
from collections import Counter
from itertools import chain, count as count_from
import math
import os
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from markupsafe import Markup

from .pictures import fragment_html

log = logging.getLogger(__name__)


def _body(html: str):
    """The parsed fragment, or None for no text (parsed once per article by ``text_facts``)."""
    if not html or not html.strip():
        return None
    return lxml.html.fragment_fromstring(html, create_parent="div")


def word_count(html: str) -> int:
    """Words of running text in an HTML fragment (markup and entities do not count)."""
    return _words(_body(html))


def _words(root) -> int:
    if root is None:
        return 0
    # Join text nodes with spaces: adjacent blocks ("</p><p>") must not glue words.
    return len(" ".join(root.itertext()).split())


def plain_text(html: str) -> str:
    """Text of a title or summary that may carry inline HTML and entities."""
    return Markup(html).striptags()


def reading_time(words: int, words_per_minute: int) -> int:
    """Whole minutes to read ``words`` words (see word_count); at least 1 for any text, 0 for none."""
    return math.ceil(words / words_per_minute) if words else 0


def standfirst(summary_html: str, body_html: str) -> str:
    """The summary as plain text for under the headline, or "" when the body opens with the
    same words (scraped stories and posts without a Summary: do), so it is not read twice."""
    return _standfirst(summary_html, _body(body_html))


def _standfirst(summary_html: str, root) -> str:
    summary = " ".join(plain_text(summary_html or "").split())
    core = summary.rstrip(".…").rstrip()
    if not core or root is None:
        return summary
    first = next((" ".join(el.text_content().split()) for el in root.iter("p")
                  if el.text_content().strip()), "")
    return "" if first.startswith(core) else summary


def text_facts(summary_html: str, body_html: str) -> tuple[int, str]:
    """(word_count, standfirst) with the body parsed once."""
    root = _body(body_html)
    return _words(root), _standfirst(summary_html, root)


def is_remote(src: str) -> bool:
    return src.startswith(("http://", "https://", "//"))


def link_offsite_images(html: str) -> str:
    """Body images served from other hosts (scraped stories keep their absolute URLs) become
    links to them: loading them would be a third-party request on every page view, fail
    offline and shift the layout (their size is unknown). Other markup is left as it is."""
    if "<img" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    changed = False
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not is_remote(src):
            continue
        url = "https:" + src if src.startswith("//") else src
        alt = " ".join((img.get("alt") or "").split())
        label = f"Image at {urlsplit(url).hostname}" + (f": {alt}" if alt else "")
        in_link = any(parent.tag == "a" for parent in img.iterancestors())
        new = lxml.html.Element("span" if in_link else "a", {"class": "offsite-image"})
        if not in_link:
            new.set("href", url)
        new.text = label
        new.tail = img.tail
        img.getparent().replace(img, new)
        changed = True
    if not changed:
        return html
    return fragment_html(root)


def lead_image_path(metadata: dict[str, Any]) -> str | None:
    """The local lead image's path relative to the content folder ("" for one outside it), or
    None for none or a remote one (left to the share metadata: loading it on the page would be a
    third-party request)."""
    src = str(metadata.get("image") or "").strip()
    if not src or is_remote(src) or urlsplit(src).scheme:
        return None
    relative = os.path.normpath(src.lstrip("/"))
    return "" if relative.startswith("..") else relative


def lead_image(metadata: dict[str, Any], facts: Callable[[str, str, str], dict | None], source: str) -> dict | None:
    """The article's local lead image for the page (``facts(path, alt, caption)``: its size, so
    the browser reserves the space, and its variants), with a warning naming the story when the
    file is not there."""
    relative = lead_image_path(metadata)
    if relative is None:
        return None
    src = metadata.get("image")
    if not relative:
        log.warning("%s: lead image %s lies outside the content folder; not shown", source, src)
        return None
    image = facts(relative, str(metadata.get("image_alt") or ""), str(metadata.get("image_caption") or ""))
    if image is None:
        log.warning("%s: lead image %s is missing or unreadable; not shown", source, src)
    return image


def share_image(metadata: dict[str, Any]) -> dict | None:
    """The image for OpenGraph and JSON-LD: the lead image, local or http(s); any other
    scheme (the value may come from a scraped page) is dropped."""
    src = str(metadata.get("image") or "").strip()
    if not src or src.startswith("//"):
        return None
    scheme = urlsplit(src).scheme
    if scheme and scheme not in ("http", "https"):
        return None
    return {"src": src if scheme else src.lstrip("/"), "alt": str(metadata.get("image_alt") or "")}


def source_link(metadata: dict[str, Any]) -> dict | None:
    """Where a scraped story was first published: {"url", "name"}, only for http(s) URLs
    (the URL comes from untrusted input, so no other scheme may reach a link)."""
    url = str(metadata.get("source_url") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    name = str(metadata.get("site_name") or "").strip() or parts.hostname.removeprefix("www.")
    return {"url": url, "name": name}


def _tag_slugs(article: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.slug for t in getattr(article, "tags", None) or []))


def related_stories(articles: Sequence[Any], count: int, window: int,
                    known: dict[str, Any] | None = None) -> dict[int, list]:
    """For each article (by id), up to ``count`` earlier stories sharing the most tags with
    it, newest first among equals. Only earlier ones: a story published later then changes no
    other story's page. Per tag only the ``window`` stories just before it in date are
    candidates, so the cost grows linearly with the site, not with its square.

    ``known``: what an earlier call with the same count and window left there (source path ->
    (its tags, related source paths); TAG_LISTS -> each tag's stories and dates in order;
    SITE_KEY -> the key of all articles). If no article's path, date or tags changed (an edit
    of a story's text), every article gets its stories from there. Else an article with the
    same tags, whose window in each tag's list holds the same stories with the same dates as
    then (all its candidates and their order: its ranking), gets the same stories without
    being ranked again: a story added as the newest changes no window but its own. It is
    replaced by this call's."""
    slugs = [_tag_slugs(art) for art in articles]
    if known is not None:
        stories = [f"{art.source_path}\0{art.date.isoformat()}" for art in articles]
        site = _site_key(stories, slugs)
        if known.get(SITE_KEY) == site:
            by_path = {art.source_path: art for art in articles}
            return {id(art): [by_path[path] for path in known[art.source_path][1]] for art in articles}
    by_tag: dict[str, list[int]] = {}  # tag -> indices into articles, oldest first
    position: list[dict[str, int]] = [{} for _ in articles]
    recency = [0] * len(articles)  # rank of its date (equal dates, equal ranks)
    previous, rank = None, -1
    for i in sorted(range(len(articles)), key=lambda i: articles[i].date):
        if previous is None or articles[i].date != previous:
            previous, rank = articles[i].date, rank + 1
        recency[i] = rank
        for slug in slugs[i]:
            items = by_tag.setdefault(slug, [])
            position[i][slug] = len(items)
            items.append(i)
    if known is not None:
        tag_lists = {slug: [stories[i] for i in items] for slug, items in by_tag.items()}
        moved = _moved_windows(by_tag, tag_lists, known.get(TAG_LISTS) or {}, window)
        by_path = {art.source_path: art for art in articles}
        now: dict[str, Any] = {}
    result: dict[int, list] = {}
    for i, art in enumerate(articles):
        if known is not None and i not in moved:
            hit = known.get(art.source_path)
            if hit is not None and hit[0] == slugs[i] and all(map(by_path.__contains__, hit[1])):
                result[id(art)] = [by_path[path] for path in hit[1]]
                now[art.source_path] = hit
                continue
        # Counter and map count in C (indices stand for the stories, which need not be hashable)
        shared = Counter(chain.from_iterable(by_tag[slug][max(0, at - window):at]
                                             for slug, at in position[i].items()))
        # (shared tags, recency, -order) tuples built in C; the last field keeps the first
        # candidate among equals, as sorted(reverse=True) would
        ranked = zip(shared.values(), map(recency.__getitem__, shared), count_from(0, -1), shared)
        result[id(art)] = [articles[k] for *_, k in heapq.nlargest(max(count, 0), ranked)]
        if known is not None:
            now[art.source_path] = (slugs[i], [story.source_path for story in result[id(art)]])
    if known is not None:
        known.clear()
        known.update(now)
        known[TAG_LISTS] = tag_lists
        known[SITE_KEY] = site
    return result


SITE_KEY = "\0site"  # in ``known``: not a source path
TAG_LISTS = "\0tags"


def _site_key(stories: list[str], slugs: list[tuple[str, ...]]) -> bytes:
    """Every article's path, date and tags, in order: all that related_stories ranks by."""
    return hashlib.blake2b("\n".join(f"{story}\0{chr(1).join(tags)}" for story, tags in zip(stories, slugs))
                           .encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _moved_windows(by_tag: dict[str, list[int]], now: dict[str, list[str]], before: dict[str, list[str]],
                   window: int) -> set[int]:
    """The stories (indices) whose candidates in some tag may differ from ``before``'s: per
    tag whose list of stories and dates changed, those whose window (the ``window`` stories
    before each) reaches past the part unchanged at its start and not all into the part
    unchanged at its end."""
    moved: set[int] = set()
    for slug, items in now.items():
        old = before.get(slug) or []
        if items == old:
            continue
        limit = min(len(items), len(old))
        head = 0
        while head < limit and items[head] == old[head]:
            head += 1
        tail = 0
        while tail < limit - head and items[-1 - tail] == old[-1 - tail]:
            tail += 1
        # a window [at - window, at) inside [0, head) or [len - tail, len) is unchanged
        moved.update(by_tag[slug][head:len(items) - tail + window])
    return moved


def section_neighbours(articles: Sequence[Any]) -> dict[int, tuple[Any, Any]]:
    """For each article (by id), its (previous, next) story in the same section:
    previous is the next older one, next the next newer one."""
    by_section: dict[str, list] = {}
    for art in articles:
        by_section.setdefault(art.category.slug, []).append(art)
    result = {}
    for items in by_section.values():
        items = sorted(items, key=lambda a: a.date)
        for i, art in enumerate(items):
            older = items[i - 1] if i > 0 else None
            newer = items[i + 1] if i + 1 < len(items) else None
            result[id(art)] = (older, newer)
    return result


def menu_sections(categories: Sequence[tuple[Any, list]], names: Sequence[str] | None,
                  catch_all: Sequence[str] = ()) -> list:
    """(category, articles) pairs for the menu: in the order of ``names``, or all of them
    alphabetically when ``names`` is None. Names without stories are skipped with a warning.

    ``catch_all``: the sections stories land in when nobody chose one (DEFAULT_CATEGORY,
    NEWSROOM_SCRAPED_CATEGORY); each that has stories follows ``names``, else its stories would
    be in a section no menu reaches."""
    if names is None:
        return sorted(categories, key=lambda pair: pair[0].name.lower())
    by_name = {cat.name.lower(): (cat, arts) for cat, arts in categories}
    chosen = []
    for name in names:
        pair = by_name.get(name.lower())
        if pair is None:
            log.warning("NEWSROOM_MENU_SECTIONS: no section named %r has stories; left out", name)
        else:
            chosen.append(pair)
    listed = {name.lower() for name in names}
    for name in dict.fromkeys(name.lower() for name in catch_all):
        if name not in listed and name in by_name:
            chosen.append(by_name[name])
    return chosen
