"""Unit tests of the rules that keep a scrape's metadata and links data (issue 21): language
tags, fully decoded URLs, the link safety Markdown extension, intrasite syntax, names."""

from __future__ import annotations

from types import SimpleNamespace

import lxml.html
import markdown
import pytest
from pelican.contents import Content
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG, read_settings

from newsroom_cleaner import linksafety
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner import safety
from newsroom_cleaner.safety import is_unsafe_url, make_markdown_safe, safe_url
from newsroom_cleaner.write import to_pelican_markdown

LANG_ATTACK = 'x" autofocus onfocus="alert(document.domain)//'
BODY = "".join(f"<p>Paragraph {n} of a story about the harbour, long enough to be the article's text, "
               f"with several sentences. The port reopened on Friday after a week of storms.</p>" for n in range(4))
INTRASITE = Content._get_intrasite_link_regex(SimpleNamespace(settings=DEFAULT_CONFIG))


def page(head: str = "", html_attributes: str = "", body: str = BODY) -> bytes:
    return (f"<!DOCTYPE html><html {html_attributes}><head><meta charset='utf-8'><title>Harbour reopens</title>"
            f"{head}</head><body><article><h1>Harbour reopens after the storms</h1>{body}</article></body></html>"
            ).encode()


def dump(header: str, body: str = "The harbour reopened on Friday after a week of storms, the port said.") -> bytes:
    return f"Title: Harbour reopens\nDate: 2026-11-20 08:00\n{header}\n\n{body}\n".encode()


# -- language tags -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    page(html_attributes=f"lang='{LANG_ATTACK}'"),
    page(html_attributes=f"xml:lang='{LANG_ATTACK}'"),
    page(head=f"<meta property='og:locale' content='{LANG_ATTACK}'>"),
    page(head='<script type="application/ld+json">{"@type": "NewsArticle", "inLanguage": "en\\" onfocus=\\"x"}'
              '</script>'),
    dump(f"Lang: {LANG_ATTACK}"),
], ids=["html-lang", "xml-lang", "og-locale", "jsonld", "dump"])
def test_invalid_language_is_dropped_with_a_warning(raw):
    article = clean_article(raw)
    assert "lang" not in article.metadata
    assert any("not a language tag" in warning for warning in article.report.warnings)
    assert "Lang:" not in to_pelican_markdown(article)


@pytest.mark.parametrize("raw, expected", [
    (page(html_attributes="lang='pt_BR'"), "pt"),  # HTML: the primary language, as before
    (page(head="<meta property='og:locale' content='en_US'>"), "en"),
    (dump("Lang: pt-br"), "pt-BR"),
])
def test_valid_language_is_kept(raw, expected):
    article = clean_article(raw)
    assert article.metadata["lang"] == expected
    assert not [w for w in article.report.warnings if "language" in w]


# -- URLs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "&#x09;" * 40 + "javascript:alert(1)",
    "&#" + "0" * 220 + "106;avascript:alert(1)",
    "&amp;#106;avascript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x",
])
def test_unsafe_urls_are_seen_through_any_encoding(url):
    assert is_unsafe_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c:d", "/relative/path", "#anchor", "mailto:a@b.org",
                                 "tel:+4712345678", "page.html?x=javascript:"])
def test_safe_urls_stay(url):
    assert not is_unsafe_url(url)


def render(text: str, **extra) -> str:
    settings = {"extensions": ["extra"], "output_format": "html5"}
    linksafety.add_to(holder := {"MARKDOWN": settings})
    return markdown.Markdown(**holder["MARKDOWN"], **extra).convert(text)


@pytest.mark.parametrize("text", [
    "See [the plan][r5].\n\n[r5]:\njavascript:alert(1)",
    "[x](&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;"
    "&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;&#x09;"
    "&#x09;&#x09;&#x09;&#x09;&#x09;javascript:alert(1))",
    "[x](&#" + "0" * 220 + "106;avascript:alert(1))",
    "![pic](javascript:alert(1)) [d](data:text/html,x) [v](vbscript:x)",
    "[![in](javascript:alert(1)) *a* link](javascript:alert(2))",
])
def test_link_safety_extension_drops_script_urls_keeps_text(text):
    out = render(text)
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    assert not [el for el in tree.iter() if el.get("href") or el.get("src")], out
    assert tree.text_content().strip()


def test_link_safety_extension_keeps_safe_links():
    out = render("[a](https://example.org/) [b](/x/) [c](#f) [d](mailto:a@b.org) ![e](https://e.org/i.jpg)")
    assert out.count("href=") == 4 and 'src="https://e.org/i.jpg"' in out


def test_link_safety_is_in_every_markdown_render_by_name(tmp_path):
    """The stock MarkdownReader (hand-written posts, import-scraped output) with the plugin's
    settings: body and Summary both lose script URLs; the setting holds names only."""
    settings = read_settings(override={"PATH": str(tmp_path)})
    linksafety.add_to(settings)
    linksafety.add_to(settings)  # idempotent
    md = settings["MARKDOWN"]
    assert md["extensions"].count(linksafety.EXTENSION) == 1 and all(isinstance(e, str) for e in md["extensions"])
    post = tmp_path / "post.md"
    post.write_text("Title: T\nSummary: see [s][r]\n    [r]: javascript:alert(1)\n\n"
                    "[r9]:\njavascript:alert(2)\n\nA [b][r9] and [c](javascript:alert(3)).\n", encoding="utf-8")
    content, metadata = MarkdownReader(settings).read(str(post))
    assert "javascript" not in content and "href" not in content
    assert "javascript" not in metadata["summary"]


# -- intrasite syntax ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "[photo]({attach}/images/books.jpg)", "[p]({static}/images/x.jpg)", "![p]({filename}/images/x.jpg)",
    "[old](|filename|/images/x.jpg)", "[t]({tag}trade) [c]({category}world) [a]({author}x) [i]({index})",
    "[e](&#123;attach}/images/books.jpg) [e2](&#x7b;static&#125;/x.jpg) [p](&vert;attach&vert;/x.jpg)",
    "![x content='{attach}/images/cycling.jpg' y](https://example.org/x.jpg)",
    "[x](https://example.org/ \"href='|static|/images/a.jpg'\")",
])
def test_intrasite_links_from_a_scrape_are_neutralised(text):
    """No intrasite link survives, in Markdown's HTML or after an lxml round trip (the theme
    re-serialises bodies with offsite images, decoding entities)."""
    out = render(make_markdown_safe(text))
    round_trip = lxml.html.tostring(lxml.html.fragment_fromstring(out, create_parent="div"), encoding="unicode")
    for html in (out, round_trip):
        found = [m.group("what") for m in INTRASITE.finditer(html)]
        assert not [w for w in found if w in ("filename", "static", "attach", "tag", "category", "author", "index")], html


def test_attribute_lists_from_a_scrape_are_text():
    out = render(make_markdown_safe('A paragraph.\n{: onclick="alert(1)" autofocus }'))
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    assert not [name for el in tree.iter() for name in el.attrib if name.startswith("on") or name == "autofocus"]
    assert "onclick" in tree.text_content()


def test_cleaner_urls_have_no_intrasite_markers():
    assert safe_url("{attach}/images/books.jpg", "https://example.org/a/") == \
        "https://example.org/a/%7Battach%7D/images/books.jpg"
    article = clean_article(page(body=BODY + '<p><a href="{attach}/images/books.jpg">photo</a> and '
                                        '<a href="|filename|/x.jpg">old</a></p>'), url="https://example.org/s/")
    assert "{attach}" not in article.markdown and "|filename|" not in article.markdown


def test_scraped_relative_destinations_and_images_are_dropped():
    article = clean_article(dump("Image: images/books.jpg", "A [rel](/about/) link, ![img](images/books.jpg) and "
                                                             "an [abs](https://example.org/x) one, [f](#n)."))
    assert "image" not in article.metadata
    assert "(/about/)" not in article.markdown and "(images/books.jpg)" not in article.markdown
    assert "(https://example.org/x)" in article.markdown and "(#n)" in article.markdown


# -- names ---------------------------------------------------------------------------------------

def test_names_lose_markup_and_separators():
    assert safety.safe_name("<script>alert(1)</script>Ola Berg") == "alert(1) Ola Berg"
    assert safety.safe_name("Bo &lt;b&gt;Ek&lt;/b&gt;") == "Bo Ek"
    article = clean_article(dump("Authors: Ann <b>Lee</b>, Bo &lt;script&gt;x&lt;/script&gt; Ek\n"
                                 "Tags: buses; <script>y</script>, night &amp; day\nCategory: Q<i>x</i>;"))
    assert article.metadata["authors"] == ["Ann Lee", "Bo x Ek"]
    assert article.metadata["tags"] == ["buses y", "night & day"]
    assert article.metadata["category"] == "Q x"
    header = to_pelican_markdown(article).split("\n\n")[0]
    assert ";" not in header.replace("Cleaning_report", "") and "&lt" not in header


def test_markdown_cache_key_covers_link_safety_and_stays_stable():
    """newsroom_speed keys rendered HTML on a digest of MARKDOWN: the extension (by name, with
    its code's digest) changes the key, and the settings keep a stable digest (no instance)."""
    from newsroom_speed.fingerprint import Fingerprinter
    from newsroom_speed.markdown_cache import MarkdownCache

    plain = {"extensions": ["extra"], "extension_configs": {}, "output_format": "html5"}
    holder = {"MARKDOWN": plain}
    linksafety.add_to(holder)
    assert holder["MARKDOWN"]["extension_configs"][linksafety.EXTENSION] == {"code": linksafety.code_digest()}
    keys = {MarkdownCache(None, md, ["summary"]).key(b"doc", "text") for md in (plain, holder["MARKDOWN"])}
    assert len(keys) == 2
    assert Fingerprinter().digest(holder["MARKDOWN"]) == Fingerprinter().digest(dict(holder["MARKDOWN"]))
