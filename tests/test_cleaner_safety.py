"""Property tests: whatever a scraped page holds, the rendered article is inert, and cleaning
the cleaner's own output changes nothing."""

import html
import re

import lxml.html
import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsroom_cleaner.errors import CleanerError
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.safety import is_unsafe_url, make_markdown_safe, safe_url
from newsroom_cleaner.write import to_pelican_markdown

# Pelican's default MARKDOWN setting (extensions as its MarkdownReader enables them), and bare
# Markdown: safety must not depend on which extensions a site turns on.
PELICAN_EXTENSIONS = {"markdown.extensions.codehilite": {"css_class": "highlight"},
                      "markdown.extensions.extra": {}, "markdown.extensions.meta": {}}
RENDERERS = [
    {"extensions": list(PELICAN_EXTENSIONS), "extension_configs": PELICAN_EXTENSIONS, "output_format": "html5"},
    {"output_format": "html5"},
]
ALLOWED_TAGS = {"p", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "em",
                "strong", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "br", "hr", "div",
                "span", "dl", "dt", "dd", "sup", "abbr", "html", "body"}
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "title", "class", "id", "style", "colspan", "rowspan", "align"}
UNSAFE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)

HOSTILE = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<style>body{display:none}</style>",
    "<iframe src='https://evil.example'></iframe>", "<object data='x.swf'></object>", "<embed src='x.swf'>",
    "<img src=x onerror=alert(1)>", "<img src='javascript:alert(1)' alt='x'>",
    "<a href='javascript:alert(1)'>click</a>", "<a href=' JaVaScRiPt:alert(1)'>click</a>",
    "<a href='java&#x09;script:alert(1)'>tab</a>", "<a href='data:text/html,<script>alert(1)</script>'>d</a>",
    "<a href='vbscript:msgbox(1)'>vb</a>", "<p onclick='steal()'>handler</p>", "<svg onload=alert(1)><circle/></svg>",
    "<form action='/x'><input name=q><button>go</button></form>", "<math><mi>x</mi></math>",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "<code>&lt;b&gt;</code>",
    "<pre>&lt;script&gt;x&lt;/script&gt;</pre>", "`<script>`", "[x](javascript:alert(1))",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)", "<noscript><img src=x onerror=alert(1)></noscript>",
    "<template><script>alert(1)</script></template>", "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>", "<!-- <script>alert(1)</script> -->",
    "<a href='#' onmouseover='x()'>hover</a>", "<div style='background:url(javascript:alert(1))'>styled</div>",
    "<textarea><script>alert(1)</script></textarea>", "<a href='//evil.example/p'>proto-relative</a>",
    "[ref]: javascript:alert(1)", "<<script>script>alert(1)<</script>/script>", "<a href='jav\x00ascript:x'>nul</a>",
]
BENIGN = [
    "<p>The harbour board met on Tuesday to discuss the plan for the new ferry terminal and its budget.</p>",
    "<h2>Background</h2>", "<ul><li>one</li><li>two <em>items</em></li></ul>", "<blockquote>A quote</blockquote>",
    "<table><tr><td>a</td><td>b</td></tr></table>", "<p>Prices rose 5% &amp; wages 3% <b>this year</b>.</p>",
    "<img src='/img/a.jpg' alt='A photo'>", "<a href='/news/other'>another story</a>", "<br>", "<p>x < y > z</p>",
    "<p>*stars* and _underscores_ and `ticks`</p>", "<p># not a heading</p>", "<p>1. not a list</p>",
]
PROSE = "<p>Residents said the ferry service was essential for commuters, students and local businesses alike.</p>"


def assert_inert(markdown_text: str) -> None:
    """Rendered with each renderer, only allowed tags and attributes, and no unsafe URL."""
    for options in RENDERERS:
        _assert_tree_inert(lxml.html.document_fromstring(f"<div>{markdown.markdown(markdown_text, **options)}</div>"))


def _assert_tree_inert(tree: lxml.html.HtmlElement) -> None:
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag in ALLOWED_TAGS, lxml.html.tostring(element)
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES, (name, value)
            if name in ("href", "src"):
                assert not UNSAFE_SCHEMES.match(html.unescape(value).replace("\t", "").replace("\x00", "")), value


page_parts = st.lists(st.sampled_from(HOSTILE + BENIGN) | st.text(max_size=40), min_size=1, max_size=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(parts=page_parts, title=st.sampled_from(["Ferry <script>alert(1)</script> plan", "Plain title", "A & B"]))
def test_hostile_html_renders_inert_and_cleans_idempotently(parts, title):
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{html.escape(title)}</h1>"
            f"{PROSE}{''.join(parts)}{PROSE}</article></body></html>")
    try:
        article = clean_article(page, "https://news.example/story", source_name="fuzz.html")
    except CleanerError:
        return
    text = to_pelican_markdown(article)
    assert_inert(article.markdown)
    assert "<" not in article.metadata.get("title", "").replace("&lt;", "")
    header = text.split("\n\n", 1)[0]
    assert "<" not in header
    assert to_pelican_markdown(clean_article(text, source_name="again.md")) == text


@settings(max_examples=150)
@given(lines=st.lists(st.sampled_from(HOSTILE + BENIGN + ["Share", "Abone Ol google-news", "", "Most Read News"])
                      | st.text(max_size=60), min_size=2, max_size=15))
def test_hostile_text_dump_renders_inert_and_cleans_idempotently(lines):
    dump = "Ferry plan approved\n\n" + "\n\n".join(lines)
    try:
        article = clean_article(dump, source_name="fuzz.txt")
    except CleanerError:
        return
    assert_inert(article.markdown)
    text = to_pelican_markdown(article)
    assert to_pelican_markdown(clean_article(text, source_name="again.md")) == text


@given(st.text())
def test_make_markdown_safe_is_idempotent_and_inert(text):
    once = make_markdown_safe(text)
    assert make_markdown_safe(once) == once
    assert_inert(once)


def test_unsafe_urls_are_recognised_through_obfuscation():
    for url in ["javascript:alert(1)", " JAVASCRIPT:x", "java\tscript:x", "java&#x09;script:x", "jav&#97;script:x",
                "data:text/html,x", "vbscript:x", "javascript&colon;x", "\\javascript:x"]:
        assert is_unsafe_url(url), url
        assert safe_url(url, "https://news.example/") is None
    for url in ["https://news.example/a", "/relative/path", "mailto:desk@news.example", "page.html#top"]:
        assert not is_unsafe_url(url)
    assert safe_url("/a b(c)", "https://news.example/x/") == "https://news.example/a%20b%28c%29"


@settings(max_examples=200)
@given(raw=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_input_cleans_or_fails_with_one_line_error(raw):
    try:
        article = clean_article(raw, source_name="any.bin")
    except CleanerError as error:
        assert str(error).startswith("any.bin: ") and "\n" not in str(error)
        return
    assert_inert(article.markdown)


TAGS = ["div", "p", "span", "a", "img", "ul", "ol", "li", "table", "tr", "td", "th", "h2", "blockquote", "pre",
        "code", "em", "strong", "figure", "figcaption", "picture", "source", "script", "style", "iframe", "svg",
        "article", "aside", "nav", "section", "br", "form", "noscript", "object"]
ATTRIBUTES = st.dictionaries(
    st.sampled_from(["href", "src", "data-src", "srcset", "alt", "class", "onclick", "style", "title"]),
    st.sampled_from(["javascript:alert(1)", "/a.jpg", "https://x.example/b", "data:text/html,x", "x\" onload=\"y",
                     "a.jpg 1x, b.jpg 2x", "related", "article-body", "<script>"]), max_size=3)


def _element(args) -> str:
    tag, attributes, children = args
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in attributes.items())
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


random_html = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30).map(html.escape)
    | st.sampled_from(HOSTILE + BENIGN),
    lambda children: st.tuples(st.sampled_from(TAGS), ATTRIBUTES, st.lists(children, max_size=5)).map(_element),
    max_leaves=40)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(fragment=random_html)
def test_random_markup_renders_inert_and_cleans_idempotently(fragment):
    page = f"<html><body><article><h1>Ferry plan approved</h1>{PROSE}{fragment}{PROSE}</article></body></html>"
    try:
        article = clean_article(page, "https://news.example/story", source_name="random.html")
    except CleanerError:
        return
    assert_inert(article.markdown)
    text = to_pelican_markdown(article)
    assert to_pelican_markdown(clean_article(text, source_name="again.md")) == text


@settings(max_examples=300)
@given(url=st.text(max_size=60), base=st.none() | st.sampled_from(["https://news.example/a/", "http://[::1", "x y"]))
def test_safe_url_never_raises_and_never_returns_an_unsafe_scheme(url, base):
    result = safe_url(url, base)
    assert result is None or not is_unsafe_url(result)


@settings(max_examples=100)
@given(url=st.none() | st.text(max_size=40))
@example(url="HTTP:")  # an http scheme and no host: once crashed naming the site
def test_any_given_url_is_accepted_or_ignored(url):
    article = clean_article(PROSE * 3, url, source_name="u.html")
    source = article.metadata.get("source_url")
    assert source is None or source.startswith(("http://", "https://"))
