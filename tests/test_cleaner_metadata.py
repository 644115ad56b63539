"""Metadata from pages and dates from the many ways pages write them."""

import datetime as dt

import lxml.html
import pytest

from newsroom_cleaner.dates import format_date, parse_date
from newsroom_cleaner.decode import decode
from newsroom_cleaner.htmlmeta import html_metadata
from newsroom_cleaner.metadata import lede

TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("text, expected", [
    ("15.01.2024 - 11:33", "2024-01-15 11:33"),
    ("05/03/2024", "2024-03-05"),  # day first
    ("2024-01-15T11:33:00+03:00", "2024-01-15 11:33+03:00"),
    ("January 15, 2024", "2024-01-15"),
    ("May 3, 2023 at 5:00 pm", "2023-05-03 17:00"),
    ("Pazartesi, 15 Ocak 2024, 11:33", "2024-01-15 11:33"),
    ("15. Januar 2024, 11.33 Uhr", "2024-01-15 11:33"),
    ("Published on Dec 17, 2023 by Jane Roe", "2023-12-17"),
    ("Posted: 17/12/2023 at 10:30 EST", "2023-12-17 10:30-05:00"),
    ("le 15 janvier 2024 à 11h33", "2024-01-15 11:33"),
    ("15 de enero de 2024, 11:33", "2024-01-15 11:33"),
    ("15 января 2024, 11:33", "2024-01-15 11:33"),
    ("2024年1月15日 11:33", "2024-01-15 11:33"),
    ("2024.01.15 11:33", "2024-01-15 11:33"),
])
def test_dates_read_right(text, expected):
    value = parse_date(text, today=TODAY)
    assert value is not None and format_date(value) == expected
    assert parse_date(format_date(value), today=TODAY) == value  # what we write reads back the same


@pytest.mark.parametrize("text", ["1 day ago", "3 hours ago", "Yesterday", "2024", "Expires Thu, 01 Jan 2099 00:00:00 GMT",
                                  "Jan 2024", "Cookies expire on 31/12/2099", "", "page 12 of 2024 results 33"])
def test_no_date_from_relative_partial_or_implausible_text(text):
    assert parse_date(text, today=TODAY) is None


def _meta(page: str, url: str | None = "https://news.example/a/story") -> dict:
    return html_metadata(lxml.html.document_fromstring(page), url)


def test_json_ld_beats_meta_tags_and_visible_markup():
    page = """<html lang="de"><head><title>Visible title | News Example</title>
    <meta property="article:published_time" content="2024-02-02T10:00:00Z">
    <script type="application/ld+json">[{"@type": "WebSite", "name": "News Example"},
      {"@type": ["NewsArticle"], "headline": "Stated headline", "datePublished": "2024-02-01T09:00:00+01:00",
       "author": {"@type": "Person", "name": "Anna Berg"}, "keywords": "Energie, Politik",
       "image": [{"url": "/img/lead.jpg"}], "articleBody": "Body text."}]</script></head>
    <body><h1>Stated headline</h1><img src="/img/lead.jpg" alt="Wind turbines at dusk"></body></html>"""
    meta = _meta(page)
    assert meta["title"] == "Stated headline"
    assert meta["date"] == dt.datetime(2024, 2, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert meta["authors"] == ["Anna Berg"]
    assert meta["tags"] == ["Energie", "Politik"]
    assert meta["lang"] == "de"
    assert meta["image"] == "https://news.example/img/lead.jpg"
    assert meta["image_alt"] == "Wind turbines at dusk"
    assert meta["article_body"] == "Body text."


def test_sidebar_and_cookie_dates_are_ignored_visible_byline_and_date_are_read():
    page = """<html><head><title>Council approves harbour bridge - Harbour News</title>
    <meta property="og:site_name" content="Harbour News"><link rel="canonical" href="/news/bridge"></head><body>
    <div class="cookie-banner"><time datetime="2099-12-31">Cookie expiry</time></div>
    <aside class="sidebar"><time datetime="2024-05-30T08:00:00Z">1 day ago</time></aside>
    <article><h1>Council approves harbour bridge</h1><div class="byline">By Jane Doe and John Roe</div>
    <span class="post-date">15.01.2024</span><p>Text.</p></article></body></html>"""
    meta = _meta(page, "https://harbour.example/feed-item")
    assert meta["title"] == "Council approves harbour bridge"
    assert meta["date"] == dt.datetime(2024, 1, 15)
    assert meta["authors"] == ["Jane Doe", "John Roe"]
    assert meta["source_url"] == "https://harbour.example/news/bridge"
    assert meta["site_name"] == "Harbour News"


def test_title_falls_back_to_stated_title_when_h1_is_a_logo():
    page = """<html><head><meta property="og:title" content="Ferry fares rise by ten percent"></head>
    <body><h1 class="logo">The Daily Example</h1><p>Text.</p></body></html>"""
    assert _meta(page)["title"] == "Ferry fares rise by ten percent"


def test_lede_is_the_first_plain_paragraph_cut_at_a_sentence():
    blocks = ["## Heading", "![photo](https://x.example/a.jpg)", "- list item",
              "First sentence here. " * 40, "Second paragraph."]
    summary = lede(blocks)
    assert summary.startswith("First sentence here.") and summary.endswith(".") and len(summary) <= 600


@pytest.mark.parametrize("raw, expected", [
    ("Grüße aus Köln".encode("utf-8-sig"), "Grüße aus Köln"),
    ("Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
    (b'<meta charset="iso-8859-1"><p>\x93quoted\x94 caf\xe9</p>', '<meta charset="iso-8859-1"><p>“quoted” café</p>'),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Привет, мир</p>'.encode("cp1251"),
     '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Привет, мир</p>'),
    ("Şu çılgın Türkçe metin: ağaç, ışık, göğüs, şişe, İzmir ve Iğdır.".encode("cp1254"),
     "Şu çılgın Türkçe metin: ağaç, ışık, göğüs, şişe, İzmir ve Iğdır."),
    ("line one\r\nline two\rline three".encode(), "line one\nline two\nline three"),
])
def test_decode(raw, expected):
    assert decode(raw, "x") == expected


@pytest.mark.parametrize("text, encoding", [
    ("Rusya, Kuzey Kore Dışişleri Bakanını ağırladı. Görüşmelerde ekonomik.", "cp1254"),
    ("Zażółć gęślą jaźń, powiedział minister w środę.", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
    ("Ελλάδα και Κύπρος υπέγραψαν συμφωνία.", "cp1253"),
    ("Привет, как дела? Всё хорошо.", "cp1251"),
    ("Déjà vu: le café était très bon à Noël.", "cp1252"),
    ("東京都は木曜日、新しい防災計画を発表した。", "shift_jis"),
])
def test_short_texts_without_declared_charset_decode_right(text, encoding):
    assert decode(text.encode(encoding), "x") == text


def test_unmarked_dateline_next_to_the_headline():
    page = """<html><body><div class="teasers"><span>Mar 3, 2021</span></div>
    <main><h1>Ferry timetable changes from Monday</h1><div class="flex"><div>Last updated:</div>
    <div class="text-16px">Dec 12, 2023</div></div><p>The harbour authority said on Friday that ...</p></main></body></html>"""
    assert _meta(page)["date"] == dt.datetime(2023, 12, 12)


def test_json_ld_fields_merge_across_objects_most_specific_first():
    page = """<html><head><script type="application/ld+json">{"@graph": [
      {"@type": "WebPage", "name": "Ferry news | Site", "datePublished": "2021-01-27T06:00:00+00:00"},
      {"@type": "BlogPosting", "headline": "Ferry timetable changes", "author": {"name": "Ann Poe"}}]}</script>
    </head><body><p>x</p></body></html>"""
    meta = _meta(page)
    assert (meta["title"], meta["authors"]) == ("Ferry timetable changes", ["Ann Poe"])
    assert meta["date"] == dt.datetime(2021, 1, 27, 6, tzinfo=dt.timezone.utc)


def test_byline_in_the_articles_own_footer_counts_the_page_footer_does_not():
    page = """<html><body><article><h1>Ferry timetable changes from Monday</h1><p>Text of the story.</p>
    <footer class="meta"><p class="author"><a rel="author" href="/a/hg">Halina Goetz</a></p></footer></article>
    <footer class="site"><p class="author">By Site Webmaster</p></footer></body></html>"""
    assert _meta(page)["authors"] == ["Halina Goetz"]
    page = page.replace('<p class="author"><a rel="author" href="/a/hg">Halina Goetz</a></p>', "")
    assert "authors" not in _meta(page)


_BODY = "<p>" + "The council met on Tuesday evening and agreed the budget after a long debate about roads. " * 3 + "</p>"
_DATED_PAGES = {  # where pages state their date: (article markup before the body, page URL, day)
    "time-itemprop": ('<time datetime="2020-01-19T10:00:00+01:00" itemprop="datePublished">19 Jan</time>',
                      "https://example.org/news/budget", "2020-01-19"),
    "label-pair-de": ('<div class="info"><span>Datum</span> <span>19.01.2020</span></div>',
                      "https://example.org/news/budget", "2020-01-19"),
    "german-uhr": ('<p class="x">12.10.2015, 19:16 Uhr</p>', "https://example.org/news/budget", "2015-10-12"),
    "french-byline": ("<p>Publié le 3 mars 2021 à 10h15</p>", "https://example.org/news/budget", "2021-03-03"),
    "url-path-only": ("", "https://example.org/news/2019/03/04/budget-agreed", "2019-03-04"),
    "future-date-is-not-trusted": ('<time datetime="2999-01-01">1 Jan 2999</time>',
                                   "https://example.org/news/budget", None),
}


@pytest.mark.parametrize("name", sorted(_DATED_PAGES))
def test_publication_date_from_every_place_a_page_states_it(name):
    from newsroom_cleaner.pipeline import clean_article

    markup, url, day = _DATED_PAGES[name]
    page = (f"<html><head><title>Budget agreed after long debate</title></head><body><article>"
            f"<h1>Budget agreed after long debate</h1>{markup}{_BODY}</article></body></html>")
    date = clean_article(page.encode(), url, source_name=name).metadata.get("date")
    assert (date.date().isoformat() if date else None) == day


@pytest.mark.parametrize("author, names", [
    ("Example Media GmbH, Munich, Germany", ["Example Media GmbH"]),  # an imprint, not three people
    ("Harbour News (harbournews.example.com)", []),  # a site and its domain
    ("By Ann Lee", ["Ann Lee"]),
    ("Ann Lee and Tom Berg", ["Ann Lee", "Tom Berg"]),
    ("Coast Herald Staff", ["Coast Herald Staff"]),  # a named desk, whole
])
def test_authors_are_people_or_one_named_desk(author, names):
    page = f'<html><head><meta name="author" content="{author}"></head><body><p>x</p></body></html>'
    assert html_metadata(lxml.html.fromstring(page), None).get("authors", []) == names


@pytest.mark.parametrize("byline, names", [
    ("By Luke Kim December 19, 2025", ["Luke Kim"]),
    ("Von Anna Berg Last updated: 12.10.2015", ["Anna Berg"]),
    ("Par Ann Lee", ["Ann Lee"]),
])
def test_a_byline_ends_where_its_date_starts(byline, names):
    page = f'<html><body><article><h1>Budget agreed</h1><p class="byline">{byline}</p></article></body></html>'
    assert html_metadata(lxml.html.fromstring(page), None).get("authors") == names


@pytest.mark.parametrize("stated, h1, title", [
    ("Harbour reopens after the storm › Coast Herald", "", "Harbour reopens after the storm"),
    ("Letters to the Editor | Letters: the harbour needs a new wall", "Letters: the harbour needs a new wall",
     "Letters: the harbour needs a new wall"),
    ("Letters to the Editor | Letters: the harbour needs a new wall", "",
     "Letters to the Editor | Letters: the harbour needs a new wall"),  # no <h1> to break the tie
    ("Coast Herald - Harbour reopens after the storm", "", "Harbour reopens after the storm"),
    ("Harbour reopens - and the ferries return", "", "Harbour reopens - and the ferries return"),
    ("Ferry fares explained | A 2025 guide to fares for families", "Ferry fares explained",
     "Ferry fares explained"),  # a headline, then an SEO subtitle
])
def test_site_names_and_column_labels_leave_titles(stated, h1, title):
    page = (f'<html><head><title>{stated}</title><meta property="og:site_name" content="Coast Herald">'
            f"</head><body><div><h1>{h1}</h1></div><p>x</p></body></html>")
    assert html_metadata(lxml.html.fromstring(page), None)["title"] == title


@pytest.mark.parametrize("tags, kept", [
    (["Elections", "general", "front-page", "Front Page"], ["Elections"]),
    (["us_election_2024", "us-election-2024", "covid-19", "e-bike"], ["covid-19", "e-bike"]),
    (["Textart: Heftarchiv", "Ressort: Politik", "Climate change", "12345"], ["Climate change"]),
])
def test_only_editorial_tags_are_kept(tags, kept):
    from newsroom_cleaner.metadata import complete

    assert complete({"tags": tags}, ["Body."], None)["tags"] == kept


def test_teaser_is_the_stated_standfirst_plain_and_cut_at_a_sentence():
    from newsroom_cleaner.metadata import complete

    long_lede = " ".join(["The harbour reopened on Friday after a week of repairs."] * 3 + ["Ferries " * 30])
    standfirst = "**Storm damage** was [lighter](https://example.org/a) than feared. " + "Repairs took a week. " * 6
    page = (f'<html><head><meta property="og:description" content="{standfirst}"></head>'
            f"<body><p>x</p></body></html>")
    summary = complete(html_metadata(lxml.html.fromstring(page), None), [long_lede], None)["summary"]
    assert summary.startswith("Storm damage was lighter than feared. Repairs took a week.")
    assert summary.endswith(".") and len(summary.split()) <= 40 and "*" not in summary and "](" not in summary
    assert complete({}, [long_lede], None)["summary"].startswith("The harbour reopened on Friday")


def _page(head: str = "", body: str = "", body_attrs: str = "") -> str:
    return (f'<html><head><meta property="og:site_name" content="Coast Herald">{head}</head><body {body_attrs}>'
            f"<article><h1>Harbour reopens after the storm</h1>{body}<p>Text of the story.</p></article></body></html>")


@pytest.mark.parametrize("byline", ["<p>By Ann Lee</p>", "<p>Von Ann Lee</p>", "<p>Par Ann Lee</p>",
                                    '<div class="byline">Written by <a href="/people/x">Ann Lee</a></div>',
                                    '<p><a href="/authors/ann-lee">Ann Lee</a></p>',
                                    "<div><p>Written by</p><p>Ann Lee</p></div>"])
def test_a_shown_byline_beats_a_site_wide_meta_author(byline):
    for stated in ('<meta name="author" content="Coast Herald">',  # the site itself
                   '<meta name="author" content="coastherald.editor">'):  # a CMS account, no person
        assert _meta(_page(stated, byline))["authors"] == ["Ann Lee"]


def test_a_stated_person_stays_and_the_site_stays_when_no_person_is_named():
    shown = '<p><a href="/authors/tom-berg">Tom Berg</a></p>'
    assert _meta(_page('<meta name="author" content="Ann Lee">', shown))["authors"] == ["Ann Lee"]
    assert _meta(_page('<meta name="author" content="Coast Herald">'))["authors"] == ["Coast Herald"]  # a desk
    beside = '<meta name="author" content="Ann Lee, Tom Berg, Coast Herald">'  # the publisher beside people
    assert _meta(_page(beside))["authors"] == ["Ann Lee", "Tom Berg"]


def test_an_avatars_initials_are_not_a_name():
    body = '<div class="author-card"><span class="author-avatar">AL</span></div><p>by Ann Lee</p>'
    assert _meta(_page(body=body))["authors"] == ["Ann Lee"]


def test_author_links_are_read_from_the_byline_not_from_teasers():
    body = ('<p>By <a href="/author/ann-lee">Ann Lee</a> and <a href="/author/tom-berg">Tom Berg</a></p>'
            + "<p>" + "Long paragraph of the story. " * 20 + "</p>"
            + '<ul class="more"><li><a href="/author/ed-poe">Ed Poe</a></li></ul>')
    assert _meta(_page(body=body))["authors"] == ["Ann Lee", "Tom Berg"]


@pytest.mark.parametrize("byline, names", [
    ("By Ann Lee Tech Reporter", ["Ann Lee"]),  # a job title after the name
    ("Ann Lee, Co-Founder", ["Ann Lee"]),
    ("AL Ann Lee", ["Ann Lee"]),  # the avatar's initials
    ("By Ann Lee, MD, PhD", ["Ann Lee, MD, PhD"]),  # qualifications stay with their person
    ("Dec. 19, 2025 · Ann Lee", ["Ann Lee"]),  # a byline in parts, date first
    ("Posted by Ann Lee in Politics", ["Ann Lee"]),
    ("This post was written by Ann Lee", ["Ann Lee"]),
])
def test_byline_names_lose_job_titles_initials_and_dates(byline, names):
    assert _meta(_page(body=f'<p class="byline">{byline}</p>'))["authors"] == names


def test_a_layout_class_on_the_page_does_not_hide_the_byline_and_date():
    body = '<span class="byline">By Ann Lee</span><span class="post-date">15.01.2024</span>'
    meta = _meta(_page(body=body, body_attrs='class="single has-sidebar"'))
    assert (meta["authors"], meta["date"]) == (["Ann Lee"], dt.datetime(2024, 1, 15))
    body = '<div class="elementor-widget-container"><h3>Written by Ann Lee</h3></div>'  # a page builder's wrapper
    assert _meta(_page(body=body))["authors"] == ["Ann Lee"]
    assert "authors" not in _meta(_page(body=body.replace("elementor-widget", "related-widget")))  # a real aside


@pytest.mark.parametrize("stated, shown, url, day", [
    ("2025-06-24", "August 25, 2024", "https://news.example/a/story", "2024-08-25"),  # republished: the shown original
    ("2025-06-24", "June 30, 2025", "https://news.example/a/story", "2025-06-24"),  # a later shown date: stated
    ("2025-12-19T02:41:41+00:00", "December 18, 2025", "https://news.example/2025/12/18/story", "2025-12-18"),
    ("2025-12-19T02:41:41+00:00", "December 18, 2025", "https://news.example/a/story", "2025-12-19"),  # time zone
])
def test_a_shown_earlier_publication_date_beats_the_stated_one(stated, shown, url, day):
    page = _page(f'<meta property="article:published_time" content="{stated}">',
                 f'<div class="post-date">{shown}</div>')
    assert _meta(page, url)["date"].date().isoformat() == day


@pytest.mark.parametrize("url, day", [("https://x.example/2024/01/15/slug", dt.date(2024, 1, 15)),
                                      ("https://x.example/2024/1/5/", dt.date(2024, 1, 5)),
                                      ("https://x.example/2023/02/30/slug", None), ("https://x.example/p/2024", None)])
def test_url_date(url, day):
    from newsroom_cleaner.dates import url_date

    assert url_date(url) == day


@pytest.mark.parametrize("stated, h1, title", [
    ("Ferry fares rise: what families will pay in 2025", "Families face higher fares on island ferries",
     "Families face higher fares on island ferries"),  # reworded for search engines: the shown headline
    ("Ferry fares rise for families", "Coast Herald Weekly Edition", "Ferry fares rise for families"),  # a masthead
    ("Ferry routes guide", "Top ferry routes of 2025<br>Your guide to the islands",
     "Top ferry routes of 2025 Your guide to the islands"),  # heading lines spaced
])
def test_the_shown_headline_breaks_ties_with_the_stated_title(stated, h1, title):
    page = (f'<html><head><meta property="og:title" content="{stated}"></head>'
            f"<body><h1>{h1}</h1><p>Text.</p></body></html>")
    assert _meta(page)["title"] == title


def test_trafilatura_byline_is_cleaned_as_ours():
    from newsroom_cleaner.htmlmeta import peer_authors

    page = '<html><head><meta name="author" content="{}"></head><body><p>Text of the story.</p></body></html>'
    assert peer_authors(page.format("Ann Lee Contributing Writer"), None) == ["Ann Lee"]
    assert peer_authors(page.format("Example Media GmbH"), None) == []  # not a person: left to our rules
