"""Main-content extraction on small hand-written pages (none of them from a benchmark)."""

from __future__ import annotations

import time

import lxml.html
import pytest

from newsroom_cleaner.extract import extract_main_content
from newsroom_cleaner.report import CleaningReport

PARAS = [
    "The city council voted on Tuesday to expand the harbour ferry service, adding two "
    "boats and a late-evening route after a year of crowded commuter crossings.",
    "Council member Ana Ruiz said the decision followed months of complaints from riders, "
    "who have waited up to forty minutes for a boat during the morning rush.",
    "The expansion will cost about 3.2 million euros over three years, paid from the "
    "transport budget and a regional grant approved last spring.",
    "Ferry operators expect the new schedule to start in March, once crews are hired and "
    "the second landing stage on the north shore has been repaired.",
]


def page(body: str, head: str = "<title>Council expands ferry service - Harbour Times</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def article(extra_inside: str = "", paras: list[str] = PARAS) -> str:
    ps = "".join(f"<p>{p}</p>" for p in paras)
    return f'<article><h1>Council expands ferry service</h1><div class="story">{ps}{extra_inside}</div></article>'


def run(html: str, **kw) -> tuple[lxml.html.HtmlElement | None, CleaningReport]:
    report = CleaningReport()
    tree = lxml.html.document_fromstring(html)
    return extract_main_content(tree, report, **kw), report


def text_of(el) -> str:
    return " ".join(el.text_content().split())


def assert_article_kept(out) -> None:
    assert out is not None
    paragraphs = [" ".join(p.text_content().split()) for p in out.iter("p")]
    positions = [paragraphs.index(p) for p in PARAS]
    assert positions == sorted(positions), "article paragraphs out of order"


BOILERPLATE = {
    "navigation": '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>'
                  '<li><a href="/sport">Sport results</a></li></ul></nav>',
    "header": '<header class="site-header"><a href="/">Harbour Times</a> Your city, every day</header>',
    "footer": "<footer><p>Copyright 2026 Harbour Times Media Group. All rights reserved. "
              "Registered office: 1 Quay Street.</p></footer>",
    "share-bar": '<div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a> '
                 '<span>Share this article with friends</span></div>',
    "related-list": '<section class="related-stories"><h2>Related</h2><ul>'
                    '<li><a href="/a">Bus fares rise again next year</a></li>'
                    '<li><a href="/b">New bridge opens to cyclists</a></li></ul></section>',
    "subscribe": '<div class="newsletter-box"><p>Get the morning briefing in your inbox every day, '
                 'free of charge.</p><a href="/nl">Sign up</a></div>',
    "consent-banner": '<div id="cookie-consent"><p>We use cookies to improve your experience on our '
                      'site and to show you personalised content.</p><a href="#">Accept</a></div>',
    "ads": '<div class="ad-slot"><p>Advertisement: Best mortgage rates in town, compare now and save '
           'money on your home loan today.</p></div>',
    "comments": '<div id="comments"><h3>12 comments</h3><div class="comment"><p>I have taken this '
                'ferry for years and it is always late, glad they finally fixed it.</p></div></div>',
    "gallery": '<div class="photo-gallery"><img src="/g1.jpg"><p>Crowds wait at the north landing '
               'stage in the rain.</p><span>1 of 8</span></div>',
    "author-bio": '<div class="author-bio"><p>Maria Lind covers transport and city politics for the '
                  'Harbour Times since 2015.</p></div>',
}


@pytest.mark.parametrize("family", sorted(BOILERPLATE))
def test_each_boilerplate_family_is_removed_and_recorded(family: str) -> None:
    block = BOILERPLATE[family]
    out, report = run(page(block + article() + block))
    assert_article_kept(out)
    junk = text_of(lxml.html.fragment_fromstring(block, create_parent="div"))
    assert junk not in text_of(out)
    assert family in report.hits and report.hits[family].chars > 0


@pytest.mark.parametrize("phrase", [
    "Abone Ol",                       # Turkish "Subscribe"
    "Follow us on Google News",
    "Read more",
    "Advertisement",
    "Share this article",
    "Lire aussi",
])
def test_boilerplate_phrases_inside_the_article_are_removed(phrase: str) -> None:
    out, report = run(page(article(extra_inside=f'<p><a href="/x">{phrase}</a></p>')))
    assert_article_kept(out)
    assert phrase.lower() not in text_of(out).lower()
    assert report.hits


def test_related_heading_takes_its_link_list_along() -> None:
    section = ('<h3>You may also like</h3><ul><li><a href="/1">Harbour master retires after '
               '30 years</a></li><li><a href="/2">Fish market to move</a></li></ul>')
    out, report = run(page(article(extra_inside=section)))
    assert_article_kept(out)
    assert "Harbour master retires" not in text_of(out)
    assert report.hits["related-list"].blocks == 2  # the heading and its list, each once


def test_duplicate_title_is_dropped_but_subheadings_stay() -> None:
    ps = "".join(f"<p>{p}</p>" for p in PARAS)
    body = f'<div class="story"><h1>Council expands ferry service</h1>{ps}<h2>What riders say</h2>' \
           f"<p>{PARAS[0]}</p></div>"
    out, report = run(page(body), title="Council expands ferry service")
    assert "Council expands ferry service" not in text_of(out)
    assert [h.text for h in out.iter("h2")] == ["What riders say"]
    assert "duplicate-title" in report.hits


def test_picks_article_over_longer_teaser_list_and_keeps_figures() -> None:
    teasers = "".join(
        f'<div class="item"><h3><a href="/t{i}">Teaser headline number {i}</a></h3>'
        f"<p>{PARAS[i % 4][:120]}</p></div>" for i in range(12))
    figure = ('<figure><img src="/ferry.jpg" data-src="/ferry-large.jpg" alt="A ferry">'
              "<figcaption>The ferry at dawn.</figcaption></figure>")
    body = f'<div class="grid"><div class="col">{teasers}</div>' \
           f'<div class="main">{article(extra_inside=figure)}</div></div>'
    out, _ = run(page(body))
    assert_article_kept(out)
    assert "Teaser headline" not in text_of(out)
    img = out.find(".//figure/img")
    assert img is not None and img.get("data-src") == "/ferry-large.jpg"
    assert out.find(".//figcaption").text == "The ferry at dawn."


def test_article_split_into_sibling_columns_is_kept_whole() -> None:
    cols = "".join(f'<div class="col"><div><p>{PARAS[i]}</p><p>{PARAS[i + 1]}</p></div></div>'
                   for i in (0, 2))
    out, _ = run(page(f"<section>{cols}</section><aside><p>{'Sidebar text. ' * 5}</p></aside>"))
    assert_article_kept(out)
    assert "Sidebar" not in text_of(out)


def test_inline_markup_kept_and_loose_text_becomes_paragraphs() -> None:
    body = ('<div class="entry-content">' + PARAS[0] + '<br><br>' + PARAS[1] +
            f' <a href="https://example.org/report">the report</a> and <em>more</em>.'
            f"<p>{PARAS[2]}</p><p>{PARAS[3]} <strong>Bold</strong> <code>x = 1</code></p></div>")
    out, _ = run(page(body))
    assert out.tag == "div"
    assert [c.tag for c in out] == ["p", "p", "p"]
    assert out.find(".//a").get("href") == "https://example.org/report"
    assert out.find(".//em").text == "more"
    assert out.find(".//code").text == "x = 1"


def test_hidden_and_script_content_never_reaches_the_output() -> None:
    body = article(extra_inside='<p style="display:none">Secret tracking text that is hidden.</p>'
                                "<script>alert('x')</script><iframe src='https://ads'></iframe>")
    out, report = run(page(body))
    assert_article_kept(out)
    assert "Secret" not in text_of(out) and "alert" not in text_of(out)
    assert out.find(".//script") is None and out.find(".//iframe") is None
    assert "hidden" in report.hits and "junk-script" in report.hits


def test_page_without_article_returns_none() -> None:
    links = "".join(f'<li><a href="/{i}">Section {i}</a></li>' for i in range(30))
    out, _ = run(page(f"<nav><ul>{links}</ul></nav><footer>Contact us</footer><div>Loading...</div>"))
    assert out is None


def test_json_ld_article_body_used_when_html_body_is_missing() -> None:
    out, _ = run(page('<div class="app">Loading...</div>'), article_body="\n\n".join(PARAS))
    assert_article_kept(out)


def test_100000_nested_divs_return_promptly() -> None:
    html = page("<div>" * 100_000 + f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p>" + "</div>" * 100_000)
    start = time.perf_counter()
    out, _ = run(html)
    assert time.perf_counter() - start < 5
    assert out is None or "ferry" in text_of(out)


def test_deep_tree_built_directly_does_not_recurse() -> None:
    tree = lxml.html.document_fromstring(page(""))
    node = tree.find("body")
    for _ in range(3000):  # deeper than Python's default recursion limit
        node = lxml.html.etree.SubElement(node, "div")
    for text in PARAS:
        lxml.html.etree.SubElement(node, "p").text = text
    out = extract_main_content(tree, CleaningReport())
    assert_article_kept(out)


def test_layout_class_on_the_article_wrapper_does_not_remove_it() -> None:
    body = (f'<div class="page and-w-sidebar"><div class="story">{"".join(f"<p>{p}</p>" for p in PARAS)}'
            f'</div></div><div class="sidebar"><p>{"Weather: sunny all week long. " * 4}</p></div>')
    out, report = run(page(body))
    assert_article_kept(out)
    assert "Weather" not in text_of(out)
    assert "sidebar" in report.hits


def test_paragraphs_each_wrapped_in_a_div_are_one_article() -> None:
    sections = "".join(f'<div class="sect"><h2>Part {i}</h2><div class="paragraph"><p>{p}</p></div></div>'
                       for i, p in enumerate(PARAS))
    out, _ = run(page(f'<div class="doc">{sections}</div><div class="promo"><p>{PARAS[0][:90]}</p></div>'))
    assert_article_kept(out)
    assert [h.text for h in out.iter("h2")] == [f"Part {i}" for i in range(4)]


def test_teaser_river_with_headline_links_is_not_the_article() -> None:
    river = "".join(f'<li><a href="/s{i}">Harbour news story number {i} of the week</a> '
                    f"<span>{PARAS[i % 4]}</span></li>" for i in range(8))
    out, _ = run(page(f"<ul>{river}</ul><div>{article()}</div>"))
    assert_article_kept(out)
    assert "Harbour news story number" not in text_of(out)


def test_embedded_tweet_and_custom_inline_elements_are_kept() -> None:
    tweet = ('<blockquote class="twitter-tweet"><p>The new ferry timetable is out today.</p>'
             '&mdash; Harbour Council (@harbour) <a href="https://twitter.com/x">March 1</a></blockquote>')
    cite = f'<p>{PARAS[0]} (<cite-ref><a href="/r1">1</a></cite-ref>)</p>'
    out, _ = run(page(article(extra_inside=tweet + cite)))
    assert "The new ferry timetable is out today." in text_of(out)
    assert "(1)" in text_of(out)


def test_responsive_hidden_classes_keep_their_text() -> None:
    body = article(extra_inside=f'<p class="hidden-xs">{PARAS[1]} Desktop note.</p>'
                                '<p class="sr-only">Skip to the next section</p>')
    out, _ = run(page(body))
    assert "Desktop note." in text_of(out)
    assert "Skip to the next section" not in text_of(out)


def test_code_blocks_keep_syntax_highlighted_comments() -> None:
    code = ('<pre><code class="language-bash"><span class="hljs-comment"># install the ferry app</span>\n'
            'pip install ferry</code></pre>')
    out, _ = run(page(article(extra_inside=code)))
    assert "# install the ferry app" in out.find(".//pre").text_content()


def test_json_ld_article_body_picks_the_container_among_look_alikes() -> None:
    other = ["The museum reopens its east wing on Saturday after two years of renovation work "
             "costing nearly eight million euros, with new lighting and climate control.",
             "Curators say the collection of maritime paintings will return in stages, starting "
             "with the harbour views that were painted in the eighteenth century by local artists.",
             "Entry stays free for residents under eighteen, and guided tours restart in April "
             "with volunteers trained over the winter by the museum's education team.",
             "The cafe on the ground floor will open later, once its new kitchen has passed the "
             "inspection that the city requires for every public building serving food."]
    boxes = (f'<div class="box">{"".join(f"<p>{p}</p>" for p in other)}</div>'
             f'<div class="box">{"".join(f"<p>{p}</p>" for p in PARAS)}</div>')
    out, _ = run(page(boxes), article_body="\n\n".join(PARAS))
    assert_article_kept(out)
    assert "museum" not in text_of(out)


def test_20_mb_page_is_linear_and_keeps_its_article() -> None:
    links = "".join(f'<li><a href="/{i}">Section {i}</a></li>' for i in range(5_000))
    paras = "".join(f"<p>{i}. {PARAS[i % 4]}</p>" for i in range(130_000))
    html = page(f'<nav><ul>{links}</ul></nav><div class="story">{paras}</div>')
    assert len(html) > 20_000_000
    tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    start = time.perf_counter()
    out = extract_main_content(tree, CleaningReport())
    assert time.perf_counter() - start < 60
    assert len(out) == 130_000 and "Section 4999" not in out.text_content()


def test_bare_text_body_and_fragments_are_articles() -> None:
    text = " ".join(PARAS)
    out, _ = run(f"<html><body>{text}</body></html>")
    assert out is not None and text_of(out) == text
    fragment = lxml.html.fragment_fromstring(f"<div><p>{PARAS[0]}</p><p>{PARAS[1]}</p></div>")
    out = extract_main_content(fragment, CleaningReport())
    assert [text_of(p) for p in out] == PARAS[:2]


def test_json_ld_article_body_keeps_the_pages_paragraph_breaks_and_no_other_story() -> None:
    other = "Lighthouse keepers vote to strike over winter pay"
    # As the metadata stage hands it over: whitespace collapsed, a related headline spliced in,
    # a space left before punctuation where tags were stripped.
    body = " ".join([PARAS[0], PARAS[1].replace("riders,", "riders ,"), other, PARAS[2], PARAS[3]])
    html = page(f'<div class="app"><p>{PARAS[0]}</p><p>Loading...</p></div>'
                f'<aside><ul><li><a href="/strike">{other}</a></li></ul></aside>')
    out, report = run(html, article_body=body)
    paragraphs = [" ".join(p.text_content().split()) for p in out.iter("p")]
    assert paragraphs[0] == PARAS[0]
    assert paragraphs[1:] == [PARAS[1], f"{PARAS[2]} {PARAS[3]}"]
    assert other not in text_of(out) and report.hits["related-list"].chars == len(other)


def test_stray_no_break_spaces_become_spaces_but_french_typography_keeps_them() -> None:
    body = (f"<div class='story'><p>{PARAS[0]} It was the first&nbsp;<a href='/v'>vote</a> of"
            f"&nbsp;&nbsp;the year.</p><p>{PARAS[1]} « Enfin&nbsp;! » dit-elle, 10&#8239;000 passagers"
            f"&#160;:&nbsp;un record.</p></div>")
    out, _ = run(page(body))
    first, second = (p.text_content() for p in out.iter("p"))
    assert "first vote of the year." in first and "\u00a0" not in first
    assert "Enfin\u00a0!" in second and "10\u202f000" in second and "passagers\u00a0:" in second
    assert ": un record" in second


def test_body_split_around_a_call_to_action_keeps_its_short_first_part() -> None:
    intro = f'<div class="rich-text"><p>{PARAS[0]}</p></div>'
    cta = '<div class="cta"><a href="/demo">Book a demo</a></div>'
    rest = "".join(f"<p>{p}</p>" for p in PARAS[1:] * 3)
    out, _ = run(page(f'<div class="post">{intro}{cta}<div class="rich-text">{rest}</div></div>'
                      f'<div class="related"><div class="rich-text"><a href="/x">Other story</a></div></div>'))
    text = text_of(out)
    assert text.startswith(PARAS[0]) and "Book a demo" not in text and "Other story" not in text


def test_rules_opening_or_closing_the_body_go_but_rules_between_paragraphs_stay() -> None:
    ps = [f"<p>{p}</p>" for p in PARAS]
    out, report = run(page(f'<div class="story"><hr>{ps[0]}{ps[1]}<hr>{ps[2]}{ps[3]}<hr><hr></div>'))
    assert [c.tag for c in out] == ["p", "p", "hr", "p", "p"]
    assert report.hits["edge-rule"].blocks == 3


def test_cms_component_prefix_cmp_is_no_consent_banner_but_a_bare_cmp_box_is() -> None:
    # Adobe Experience Manager names every block "cmp-<component>"; a consent manager's box is "cmp".
    parts = [f'<div class="cmp-text"><p>{PARAS[0]}</p></div>',
             f'<div class="cmp-text">{"".join(f"<p>{p}</p>" for p in PARAS[1:])}</div>']
    box = ('<div class="cmp"><p>Your privacy choices: we and our partners store and access information '
           'on your device to measure audiences.</p></div>')
    out, report = run(page(f'<div class="cmp-container">{"".join(parts)}</div>{box}'))
    assert_article_kept(out)
    assert "privacy choices" not in text_of(out)
    assert report.hits["consent-banner"].blocks == 1


def test_linked_sentences_in_a_list_stay_but_a_list_of_linked_headlines_goes() -> None:
    tips = ('<ul><li><a href="/boats">The new ferry boats and their bicycle racks</a> are shown in '
            'the timetable.</li><li>Tickets are sold at the landing kiosk on both shores from six in the '
            'morning.</li></ul>')
    links = ('<ul><li><a href="/a">Bus fares rise again next year</a></li>'
             '<li><a href="/b">New bridge opens to cyclists</a></li></ul>')
    out, report = run(page(article(extra_inside=tips + links)))
    assert_article_kept(out)
    text = text_of(out)
    assert "are shown in the timetable." in text and "from six in the morning." in text
    assert "Bus fares" not in text and report.hits["link-dense-block"].blocks >= 1
