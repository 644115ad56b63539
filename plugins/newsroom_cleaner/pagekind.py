"""Page kind: tell a page that holds no article before anything is published from it.

An empty single-page-app shell, an error page, a login or paywall stub and a section front
all have some text, so extraction alone may find a "body" in them. Each is recognised by a
sign that does not depend on the site (rules.NOT_ARTICLE_*) together with a short body:
a real story is never refused for a phrase alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from . import rules

_TEMPLATE = re.compile(rules.NOT_ARTICLE_TEMPLATE)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # Markdown code: template syntax there is content
_ERROR_TITLE = re.compile("|".join(f"(?:{p})" for p in rules.NOT_ARTICLE_ERROR_TITLES))
_PAYWALL = re.compile("|".join(rules.NOT_ARTICLE_PAYWALL_PHRASES), re.I)
_APP_XPATH = "//*[%s][1]" % " or ".join(f"@{a}" for a in rules.NOT_ARTICLE_APP_ATTRIBUTES)  # one walk
_WORD = re.compile(r"\w+")
# A linked headline: a link inside a heading, or a heading inside a link.
_HEADLINE_XPATH = "//h2//a | //h3//a | //h4//a | //a[.//h2 or .//h3 or .//h4]"
_ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:%s|Article|BlogPosting)"' % "|".join(
    t for t in rules.JSONLD_ARTICLE_TYPES if t != "WebPage"))  # a listing is a WebPage too


@dataclass(frozen=True)
class PageSigns:
    """What the whole page shows, read before extraction changes the tree."""

    title: str        # <title>/og:title and the first <h1>, lower-cased
    app_shell: bool   # client-side framework attributes: text the page itself never rendered
    headlines: int    # linked headlines: a listing's teasers
    declared: bool    # og:type or JSON-LD says "article": a short story, not a listing


def page_signs(tree: etree._Element, title: str | None) -> PageSigns:
    """Read the signs of a non-article page from the parsed (not yet extracted) tree."""
    h1 = next(tree.iter("h1"), None)
    heading = " ".join(h1.text_content().split()) if h1 is not None else ""
    headlines = sum(1 for link in tree.xpath(_HEADLINE_XPATH)
                    if len(" ".join(link.text_content().split())) >= rules.HTML_HEADLINE_LINK_CHARS)
    og_type = tree.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    declared = og_type == "article" or any(
        _ARTICLE_TYPE.search(s.text or "") for s in tree.iter("script") if s.get("type") == "application/ld+json")
    return PageSigns(title=f"{title or ''} | {heading}".lower(), app_shell=bool(tree.xpath(_APP_XPATH)),
                     headlines=headlines, declared=declared)


def refusal(signs: PageSigns, markdown: str) -> str | None:
    """Why the page with this extracted body (Markdown, "" if none) is not an article, or None."""
    prose = _CODE.sub(" ", markdown)
    words = len(_WORD.findall(prose))
    if _TEMPLATE.search(prose) and (signs.app_shell or words <= rules.NOT_ARTICLE_MAX_WORDS * 4):
        return "unrendered template placeholders ({{ }}): a single-page-app shell, not a rendered story"
    if words > rules.NOT_ARTICLE_MAX_WORDS:
        return None
    if signs.app_shell and words == 0:
        return "a single-page-app shell: its text is rendered by script"
    if any(_ERROR_TITLE.fullmatch(part.strip()) for part in signs.title.split(" | ") if part.strip()):
        return "an error page (its title says so)"
    if _PAYWALL.search(prose):
        return "a login or paywall stub: the story is not in the page"
    if signs.headlines >= rules.NOT_ARTICLE_LISTING_HEADLINES and not signs.declared:
        return f"a section front or listing ({signs.headlines} linked headlines, {words} words of text)"
    return None
