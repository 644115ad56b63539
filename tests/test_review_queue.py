"""The review queue's judgements, one file at a time (``newsroom_cleaner.review``), and the
cleaning report's removed-text lines (``newsroom_cleaner.report``)."""

import datetime

from newsroom_cleaner.errors import CleanerError, NotAnArticle
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.report import CleaningReport, shorten
from newsroom_cleaner.review import Held, draft_of, queue_text, scrape_of

NOW = datetime.datetime(2026, 12, 7, 22, 5)
PAGE = ('<html><head><title>Harbour approves ferry timetable</title>{meta}</head><body><article>'
        '<h1>Harbour approves ferry timetable</h1>' + "<p>The harbour authority approved the new ferry "
        "timetable after months of consultation with residents.</p>" * 4 + "</article></body></html>")
DATED = '<meta property="article:published_time" content="2024-03-01T10:00:00Z">'


def test_a_dated_draft_is_published_by_deleting_its_status_line():
    text = "Title: Storm\nDate: 2024-01-02 10:00\nStatus: Draft\n\nBody.\nStatus: draft\n"
    assert draft_of("content/world/storm.md", text, NOW) == Held(
        "content/world/storm.md", "draft", 'edit content/world/storm.md:3: delete the line "Status: Draft"')


def test_an_undated_draft_is_published_by_giving_it_a_date_and_says_why_it_waits():
    text = "Title: Ferry\nStatus: draft\nReview: no publication date found: see the scrape\n\nBody.\n"
    assert draft_of("a.md", text, NOW) == Held(
        "a.md", "no publication date found: see the scrape",
        'edit a.md:2: replace "Status: draft" with "Date: 2026-12-07 22:05"')
    assert draft_of("b.md", "Title: Ferry\nStatus: draft\n", NOW).why == "draft with no date"


def test_published_posts_and_a_status_in_the_body_are_not_held():
    assert draft_of("a.md", "Title: Ferry\nDate: 2024-01-02\n\nStatus: draft\n", NOW) is None
    assert draft_of("a.md", "Title: Ferry\nStatus: published\n\nBody\n", NOW) is None


def test_scrapes_held_or_skipped_by_the_build_and_how_to_publish_them():
    undated = clean_article(PAGE.format(meta="").encode(), source_name="s/u.html")
    held = scrape_of("s/u.html", undated, "draft")
    assert held.why == "no publication date found: the build holds it as a draft"
    assert held.publish == "invoke import-scraped s/u.html, then date the draft it writes"
    assert scrape_of("s/u.html", undated, "skip").why == "no publication date found: the build skips it"
    assert scrape_of("s/u.html", undated, "file-time") is None  # published, dated by the file
    assert scrape_of("s/d.html", clean_article(PAGE.format(meta=DATED).encode()), "draft") is None

    refused = scrape_of("s/list.html", NotAnArticle("s/list.html: not an article: a list of links"), "draft")
    assert refused.why == "the build skips it: not an article: a list of links"
    assert "invoke new-post" in refused.publish
    broken = scrape_of("s/e.html", CleanerError("s/e.html: empty file"), "draft")
    assert broken.why == "the build skips it: empty file" and broken.publish.endswith("invoke extract s/e.html")


def test_a_low_confidence_clean_is_listed_with_its_reason():
    untitled = PAGE.replace("<title>Harbour approves ferry timetable</title>", "").replace(
        "<h1>Harbour approves ferry timetable</h1>", "")
    held = scrape_of("s/x.html", clean_article(untitled.format(meta=DATED).encode()), "draft")
    assert held.why == "published, but the clean is unsure: no title found"
    assert held.publish.startswith("check: invoke clean-report s/x.html; ")


def test_queue_text():
    assert queue_text([]) == "Nothing is held for review."
    assert queue_text([Held("a.md", "draft", "edit a.md:3")]) == (
        "1 story held for review:\na.md\n    why: draft\n    to publish: edit a.md:3")


def test_the_report_keeps_the_start_of_each_removed_text():
    report = CleaningReport()
    for _ in range(3):
        report.record("share", 9, text="Share  on\nFacebook")
    report.record("menu", 200, text=["Home ", "", "  World", " " * 500, "x" * 200])
    report.record("junk-svg", 0)
    assert report.as_text().splitlines() == [
        f"{'rule':<40} {'chars':>8} {'blocks':>7}",
        f"{'menu':<40} {200:>8} {1:>7}",
        "    Home World " + "x" * 68 + "…",  # 80 characters in all
        f"{'share':<40} {27:>8} {3:>7}",
        "    3x Share on Facebook",
        f"{'junk-svg':<40} {0:>8} {1:>7}",
    ]


def test_removed_text_is_bounded_and_cannot_drive_the_terminal():
    report = CleaningReport()
    for n in range(20):
        report.record("teaser", 10, text=f"Teaser number {n}")
    assert report.as_text().splitlines()[-1] == "    (12 more blocks)"
    assert shorten("\x1b[2J\x07Breaking\x9b news") == "[2JBreaking news"

    def huge_region():  # a removed element's text pieces: read no further than needed
        yield "y" * 100
        raise AssertionError("read past what the report shows")

    assert shorten(huge_region()) == "y" * 79 + "…"
