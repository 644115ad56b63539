"""Importing scrapes as reviewable Markdown posts under content/<section>/."""

import datetime
from pathlib import Path

import pytest

from newsroom_cleaner.errors import CleanerError
from newsroom_cleaner.importer import import_scraped

CASES = Path(__file__).parent / "golden" / "cases"


def test_import_writes_dated_posts_in_section_folders(tmp_path):
    seed, page = CASES / "seed_text_dump.txt", CASES / "news_page_boilerplate.html"
    before = seed.read_bytes(), page.read_bytes()
    written = import_scraped([seed, page], tmp_path / "content")
    assert [p.relative_to(tmp_path / "content").as_posix() for p in written] == [
        "news/2024-01-15-russia-hosts-north-korean-foreign-minister-to-strengthen-ties.md",
        "news/2023-11-02-storm-ciaran-leaves-thousands-without-power.md",  # UK: no such section
    ]
    post = written[0].read_text(encoding="utf-8")
    assert post.startswith("Title: Russia hosts North Korean foreign minister to strengthen ties\n"
                           "Date: 2024-01-15 11:33\nCategory: News\n")
    assert (seed.read_bytes(), page.read_bytes()) == before  # inputs untouched


def test_existing_post_is_not_overwritten_without_force(tmp_path):
    seed = CASES / "seed_text_dump.txt"
    [target] = import_scraped([seed], tmp_path)
    target.write_text("edited by a reviewer\n", encoding="utf-8")
    with pytest.raises(CleanerError, match=r"already exists \(from .*seed_text_dump\.txt\); use force"):
        import_scraped([seed], tmp_path)
    assert target.read_text(encoding="utf-8") == "edited by a reviewer\n"
    assert import_scraped([seed], tmp_path, force=True) == [target]
    assert target.read_text(encoding="utf-8").startswith("Title: Russia hosts")


def test_bad_input_names_the_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CleanerError, match=r"empty\.txt: empty file"):
        import_scraped([empty], tmp_path / "content")
    assert not (tmp_path / "content").exists()


def test_one_bad_input_writes_nothing(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(CleanerError, match=r"empty\.html: empty file"):
        import_scraped([CASES / "seed_text_dump.txt", empty], tmp_path / "content")
    assert not (tmp_path / "content").exists()
    with pytest.raises(CleanerError, match="two inputs map to this post"):
        import_scraped([CASES / "seed_text_dump.txt", CASES / "seed_text_dump.txt"], tmp_path / "content")
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("section_map, new_sections, folder, category, tags", [
    ({}, False, "news", "News", ["Storm Ciarán", "weather", "power cuts", "UK"]),  # unmapped: a tag
    ({"uk": "World"}, False, "world", "World", ["Storm Ciarán", "weather", "power cuts"]),  # case-insensitive
    ({"harbourherald.example": {"UK": "Politics"}, "UK": "World"}, False, "politics", "Politics", None),
    ({"other.example": {"UK": "Politics"}}, False, "news", "News", None),  # another site's map
    ({}, True, "uk", "UK", ["Storm Ciarán", "weather", "power cuts"]),  # allowed to make sections
])
def test_source_categories_map_to_the_sites_sections(tmp_path, section_map, new_sections, folder, category, tags):
    page = CASES / "news_page_boilerplate.html"
    [post] = import_scraped([page], tmp_path, section_map=section_map, new_sections=new_sections)
    header = post.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    assert post.parent.name == folder and f"Category: {category}" in header
    if tags is not None:
        assert f"Tags: {', '.join(tags)}" in header


def test_a_folder_stands_for_the_scrapes_in_it(tmp_path):
    scraped = tmp_path / "scraped"
    (scraped / "deeper").mkdir(parents=True)
    (scraped / "seed.txt").write_bytes((CASES / "seed_text_dump.txt").read_bytes())
    (scraped / "deeper" / "storm.html").write_bytes((CASES / "news_page_boilerplate.html").read_bytes())
    (scraped / "notes.json").write_text("{}")
    written = import_scraped([scraped], tmp_path / "content")
    assert sorted(p.parent.name for p in written) == ["news", "news"]


UNDATED = (b"<html><head><title>Ferry timetable changes again</title></head><body><article>"
           b"<h1>Ferry timetable changes again</h1><p>The island ferry will leave half an hour earlier from "
           b"next month, the operator said, the third change this year.</p></article></body></html>")


def test_an_undated_scrape_is_imported_as_a_draft_and_said_so(tmp_path):
    scrape = tmp_path / "ferry.html"
    scrape.write_bytes(UNDATED)
    said: list[str] = []
    [post] = import_scraped([scrape], tmp_path / "content", say=said.append)
    header = post.read_text(encoding="utf-8").split("\n\n")[0]
    assert "Status: draft" in header.splitlines() and "Date:" not in header
    assert said == [f"{scrape}: no publication date found: held as a draft: set its Date to publish it"]


def test_undated_setting_skip_and_file_time(tmp_path):
    scrape = tmp_path / "ferry.html"
    scrape.write_bytes(UNDATED)
    assert import_scraped([scrape], tmp_path / "a", undated="skip", say=lambda _: None) == []
    [post] = import_scraped([scrape], tmp_path / "b", undated="file-time", say=lambda _: None)
    assert "Status:" not in post.read_text() and post.name.startswith(f"{datetime.date.today():%Y-%m}")
    with pytest.raises(ValueError, match="NEWSROOM_UNDATED must be one of draft, skip, file-time"):
        import_scraped([scrape], tmp_path / "c", undated="later")
