"""Issue 22: a page that holds no article is skipped with one line naming it and why, and the
rest of the site builds; a short real story beside related headlines is still published.

The pages in ``tests/not_articles/`` are written for these tests, one per kind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsroom_cleaner.candidates import prefer_peer
from newsroom_cleaner.errors import CleanerError
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.report import CleaningReport
from tests.conftest import copy_project, pelican_build

PAGES = Path(__file__).resolve().parent / "not_articles"
KINDS = {
    "spa_template_shell.html": "unrendered template placeholders",
    "spa_empty_shell.html": "single-page-app shell",
    "error_page.html": "an error page",
    "paywall_stub.html": "paywall stub",
    "section_front.html": "section front or listing",
}
STORY = "The island council approved the winter ferry timetable on Tuesday after a long debate."


@pytest.mark.parametrize("name, reason", sorted(KINDS.items()))
def test_a_page_without_an_article_is_refused_with_its_reason(name: str, reason: str):
    with pytest.raises(CleanerError) as caught:
        clean_article((PAGES / name).read_bytes(), source_name=name)
    message = str(caught.value)
    assert message.startswith(f"{name}: not an article: ") and reason in message
    assert "\n" not in message


def _short_story(extra: str) -> str:
    related = "".join(f'<li><h3><a href="/news/{i}">Another harbour story number {i} for the reader</a></h3></li>'
                      for i in range(12))
    return f"""<html><head><title>Ferry timetable approved</title>{extra}</head><body>
<article><h1>Ferry timetable approved</h1><p>{STORY}</p>
<p>Boats will leave at six each morning from the first of December, the harbour master said.</p></article>
<aside><h2>Related</h2><ul>{related}</ul></aside></body></html>"""


@pytest.mark.parametrize("extra", ['<meta property="og:type" content="article">',
                                   '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'])
def test_a_short_story_with_related_headlines_is_published(extra: str):
    article = clean_article(_short_story(extra), source_name="short.html")
    assert STORY in article.markdown


def test_the_same_short_page_declaring_nothing_reads_as_a_listing():
    with pytest.raises(CleanerError, match="section front or listing"):
        clean_article(_short_story(""), source_name="short.html")


def test_template_syntax_in_code_is_content():
    page = f"""<html><head><title>How our templates work</title></head><body><article>
<p>{STORY}</p><p>Write <code>{{{{ story.title }}}}</code> where the headline should go, then build the site.</p>
</article></body></html>"""
    assert "story.title" in clean_article(page, source_name="howto.html").markdown


def test_the_report_names_the_candidate_that_won_and_why():
    import lxml.html

    peer = lxml.html.fromstring("<div><p>" + "word " * 200 + "</p></div>")
    report = CleaningReport()
    assert prefer_peer("only ten words " * 3, peer, report)
    assert report.extractor == "trafilatura (ours had 9 words, trafilatura 200)"
    assert "body from: trafilatura" in report.as_text()
    report = CleaningReport()
    assert not prefer_peer("word " * 150, peer, report)
    assert report.extractor.startswith("newsroom (")


def test_the_build_skips_each_non_article_with_one_line_and_builds_the_rest(tmp_path: Path):
    project = copy_project(tmp_path / "site")
    for name in KINDS:
        shutil.copy(PAGES / name, project / "content" / "scraped" / name)
    result = pelican_build(project, tmp_path / "out", env={"COLUMNS": "1000"})  # one log line per message
    log = result.stdout + result.stderr
    for name, reason in KINDS.items():
        lines = [line for line in log.splitlines() if name in line]
        assert len(lines) == 1 and reason in lines[0] and "skipped" in lines[0], (name, log)
    assert (tmp_path / "out" / "index.html").exists()
    assert any((tmp_path / "out").glob("2024/01/*/index.html"))  # the seed scrape still builds
