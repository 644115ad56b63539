"""A real Pelican build of a tiny site with raw scrapes, through the newsroom_cleaner plugin."""

import re
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
SEED = Path(__file__).parent / "golden" / "cases" / "seed_text_dump.txt"
TITLE = "Russia hosts North Korean foreign minister to strengthen ties"
SEED_PAGE = "russia-hosts-north-korean-foreign-minister-to-strengthen-ties.html"


def build(tmp_path: Path, files: dict[str, bytes], **overrides) -> Path:
    """Build a site from ``files`` (content-relative path -> bytes) with the default theme."""
    content = tmp_path / "content"
    for name, data in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    output = tmp_path / "output"
    settings = read_settings(override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "PLUGIN_PATHS": [str(PLUGINS)],
        "PLUGINS": ["newsroom_cleaner"], "SITEURL": "", "TIMEZONE": "UTC", "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False, "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, **overrides})
    Pelican(settings).run()
    return output


def entry_content(page: str) -> str:
    """The article body in the default theme, after its post-info footer."""
    return page[page.index("<!-- /.post-info -->"):page.index("<!-- /.entry-content -->")]


def test_seed_scrape_builds_into_a_clean_article(tmp_path):
    output = build(tmp_path, {"scraped/seed.txt": SEED.read_bytes()})
    page = (output / SEED_PAGE).read_text(encoding="utf-8")
    assert len(re.findall(rf"<h1 class=\"entry-title\">\s*<a [^>]*>{TITLE}</a></h1>", page)) == 1
    body = entry_content(page)
    assert TITLE not in body
    assert 'title="2024-01-15T11:33:00+00:00"' in page
    assert body.index("<p>North Korean Foreign Minister Choe") < body.index("<p>Choe arrived in Moscow")
    assert body.count("<p>") == 15
    for junk in ("Abone Ol", "google-news", "Most Read News", "Publication:"):
        assert junk not in page
    assert '<a href="/category/news.html">News</a>' in page  # NEWSROOM_SCRAPED_CATEGORY default


def test_bad_scrape_logs_one_line_and_the_site_still_builds(tmp_path, caplog):
    hand = b"<html><head><title>Hand page</title><meta name='date' content='2024-02-01'></head>" \
           b"<body><p>Hand-written <b>HTML</b></p></body></html>"
    output = build(tmp_path, {"scraped/seed.txt": SEED.read_bytes(), "scraped/empty.html": b"",
                              "scraped/binary.html": b"\x89PNG\r\n\x1a\n\x00\x00", "hand.html": hand})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert sorted(errors) == ["newsroom_cleaner: skipped scraped/binary.html: binary file (not HTML or text)",
                              "newsroom_cleaner: skipped scraped/empty.html: empty file"]
    assert not any(r.exc_info for r in caplog.records)
    assert (output / SEED_PAGE).exists()
    hand_page = (output / "hand-page.html").read_text(encoding="utf-8")
    assert "<p>Hand-written <b>HTML</b></p>" in hand_page  # Pelican's HTMLReader, not the cleaner


def test_scraped_paths_and_category_settings(tmp_path):
    output = build(tmp_path, {"raw/seed.txt": SEED.read_bytes(), "scraped/seed.txt": SEED.read_bytes()},
                   NEWSROOM_SCRAPED_PATHS=["raw"], NEWSROOM_SCRAPED_CATEGORY="Wire")
    page = (output / SEED_PAGE).read_text(encoding="utf-8")
    assert '<a href="/category/wire.html">Wire</a>' in page
    assert not (output / "category" / "news.html").exists()  # scraped/ is no longer a scrape folder


def test_html_scrape_builds_without_boilerplate_or_script(tmp_path):
    page = (Path(__file__).parent / "golden" / "cases" / "news_page_boilerplate.html").read_bytes()
    output = build(tmp_path, {"scraped/storm.html": page}, NEWSROOM_SECTION_MAP={"uk": "UK"})
    html = (output / "storm-ciaran-leaves-thousands-without-power.html").read_text(encoding="utf-8")
    body = entry_content(html)
    assert "<p>Tens of thousands of homes lost power overnight" in body
    assert '<a href="https://www.harbourherald.example/companies/southern-grid">Southern Grid</a>' in body
    for junk in ("<script", "<iframe", "onmouseover", "javascript:", "cookie", "Most read", "Storm Babet"):
        assert junk not in html
    assert html.count("Storm Ciarán leaves thousands without power</a></h1>") == 1
    assert '<a href="/category/uk.html">UK</a>' in html
    assert "Priya Raman" in html and 'title="2023-11-02T07:15:00+00:00"' in html


def test_missing_title_and_date_log_one_warning_line_and_still_build(tmp_path, caplog):
    long_line = "A first line far too long to be a headline, " * 8
    output = build(tmp_path, {"scraped/untitled-story.txt": f"{long_line}\n\nSecond paragraph.\n".encode()})
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("newsroom_cleaner")]
    assert warnings == ["newsroom_cleaner: scraped/untitled-story.txt: no title found; no publication date found "
                        "(file name used as title, held as a draft: set its Date to publish it)"]
    assert (output / "drafts" / "untitled-story.html").exists()


def test_a_post_pelican_cannot_read_gets_one_error_line_with_the_reason(tmp_path, caplog):
    """Stock Pelican logs "Could not process <file>" and keeps why for --debug; the plugin puts
    the reason on that line (wrong encoding, a picture saved as .md, a bad date)."""
    post = "Title: {}\nDate: {}\nCategory: World\n\nThe caf\u00e9 opened on the harbour.\n"
    files = {
        "good.md": post.format("Ferry timetable", "2024-01-02").encode(),
        "latin1.md": post.format("Cafe opens", "2024-01-03").encode("latin-1"),
        "utf16.md": post.format("Wide text", "2024-01-04").encode("utf-16"),
        "picture.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "bad-date.md": post.format("Bad date", "the day after tomorrow").encode(),
    }
    output = build(tmp_path, files)
    offset = files["latin1.md"].index(b"\xe9")
    errors = sorted(r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert errors == [
        "Could not process ./bad-date.md: ValueError: 'the day after tomorrow' is not a valid date",
        f"Could not process ./latin1.md: not UTF-8 (byte 0xe9 at offset {offset}); save it as UTF-8",
        "Could not process ./picture.md: binary file, not text",
        "Could not process ./utf16.md: UTF-16 text, not UTF-8; save it as UTF-8",
    ]
    assert not any(r.exc_info for r in caplog.records)
    assert (output / "ferry-timetable.html").exists()
    assert not (output / "cafe-opens.html").exists()


def test_unmapped_source_categories_make_no_sections(tmp_path):
    page = (Path(__file__).parent / "golden" / "cases" / "news_page_boilerplate.html").read_bytes()
    output = build(tmp_path, {"scraped/storm.html": page})
    html = (output / "storm-ciaran-leaves-thousands-without-power.html").read_text(encoding="utf-8")
    assert '<a href="/category/news.html">News</a>' in html and (output / "tag" / "uk.html").exists()
    assert not (output / "category" / "uk.html").exists()


def test_undated_scrapes_follow_newsroom_undated(tmp_path):
    undated = (b"<html><head><title>Ferry timetable changes again</title></head><body><article><h1>Ferry "
               b"timetable changes again</h1><p>The island ferry will leave half an hour earlier from next "
               b"month, the operator said, the third change this year.</p></article></body></html>")
    page = "ferry-timetable-changes-again.html"
    skipped = build(tmp_path / "skip", {"scraped/ferry.html": undated}, NEWSROOM_UNDATED="skip")
    assert not list(skipped.rglob("ferry*"))
    drafted = build(tmp_path / "draft", {"scraped/ferry.html": undated})
    assert (drafted / "drafts" / page).exists() and not (drafted / page).exists()
    dated = build(tmp_path / "time", {"scraped/ferry.html": undated}, NEWSROOM_UNDATED="file-time")
    assert (dated / page).exists()
