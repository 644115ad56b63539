"""Importing scrapes as reviewable Markdown posts under content/<section>/."""

import datetime
from pathlib import Path

import pytest

from newsroom_cleaner.importer import FAILED, HELD, SKIPPED, WRITTEN, Outcome, import_scraped, summary
from newsroom_cleaner.settings import ReaderSettings

CASES = Path(__file__).parent / "golden" / "cases"


def _posts(outcomes: list[Outcome]) -> list[Path]:
    return [outcome.post for outcome in outcomes if outcome.post is not None]


def test_import_writes_dated_posts_in_section_folders(tmp_path):
    seed, page = CASES / "seed_text_dump.txt", CASES / "news_page_boilerplate.html"
    before = seed.read_bytes(), page.read_bytes()
    written = _posts(import_scraped([seed, page], tmp_path / "content"))
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
    [target] = _posts(import_scraped([seed], tmp_path))
    target.write_text("edited by a reviewer\n", encoding="utf-8")
    [again] = import_scraped([seed], tmp_path)
    assert again.line() == f"{seed}: skipped: {target} already exists; --force overwrites it"
    assert target.read_text(encoding="utf-8") == "edited by a reviewer\n"
    assert _posts(import_scraped([seed], tmp_path, force=True)) == [target]
    assert target.read_text(encoding="utf-8").startswith("Title: Russia hosts")


def test_every_input_is_tried_and_each_bad_one_named_once(tmp_path):
    empty, binary = tmp_path / "empty.html", tmp_path / "photo.html"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    nothing = tmp_path / "no-scrapes"
    nothing.mkdir()
    seed = CASES / "seed_text_dump.txt"
    outcomes = import_scraped([empty, seed, binary, tmp_path / "missing.txt", nothing, seed], tmp_path / "content")
    assert [o.line() for o in outcomes if o.status != WRITTEN] == [
        f"{empty}: failed: empty file",
        f"{binary}: failed: binary file (not HTML or text)",
        f"{tmp_path / 'missing.txt'}: failed: cannot read it: No such file or directory",
        f"{nothing}: skipped: no .html, .htm, .txt, .warc, .warc.gz files in it",
        f"{seed}: skipped: another input of this import was written to {outcomes[1].post}",
    ]
    assert outcomes[1].status == WRITTEN and outcomes[1].post.exists()
    assert summary(outcomes) == "1 written, 0 held for review, 2 skipped, 3 failed"


@pytest.mark.parametrize("section_map, new_sections, folder, category, tags", [
    ({}, False, "news", "News", ["Storm Ciarán", "weather", "power cuts", "UK"]),  # unmapped: a tag
    ({"uk": "World"}, False, "world", "World", ["Storm Ciarán", "weather", "power cuts"]),  # case-insensitive
    ({"harbourherald.example": {"UK": "Politics"}, "UK": "World"}, False, "politics", "Politics", None),
    ({"other.example": {"UK": "Politics"}}, False, "news", "News", None),  # another site's map
    ({}, True, "uk", "UK", ["Storm Ciarán", "weather", "power cuts"]),  # allowed to make sections
])
def test_source_categories_map_to_the_sites_sections(tmp_path, section_map, new_sections, folder, category, tags):
    page = CASES / "news_page_boilerplate.html"
    options = ReaderSettings(section_map=section_map, new_sections=new_sections)
    [post] = _posts(import_scraped([page], tmp_path, options=options))
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
    written = _posts(import_scraped([scraped], tmp_path / "content"))
    assert sorted(p.parent.name for p in written) == ["news", "news"]


UNDATED = (b"<html><head><title>Ferry timetable changes again</title></head><body><article>"
           b"<h1>Ferry timetable changes again</h1><p>The island ferry will leave half an hour earlier from "
           b"next month, the operator said, the third change this year.</p></article></body></html>")


def test_an_undated_scrape_is_imported_as_a_draft_and_said_so(tmp_path):
    scrape = tmp_path / "ferry.html"
    scrape.write_bytes(UNDATED)
    said: list[Outcome] = []
    [outcome] = import_scraped([scrape], tmp_path / "content", say=said.append)
    header = outcome.post.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    assert "Status: draft" in header and not any(line.startswith("Date:") for line in header)
    note = "no publication date found: to publish, replace the Status line with Date: YYYY-MM-DD HH:MM"
    assert f"Review: {note}" in header
    assert said == [outcome] and outcome.status == HELD
    assert outcome.line() == f"{scrape}: wrote {outcome.post} as a draft, held for review: {note}"


def test_undated_setting_skip_and_file_time(tmp_path):
    scrape = tmp_path / "ferry.html"
    scrape.write_bytes(UNDATED)
    [skipped] = import_scraped([scrape], tmp_path / "a", options=ReaderSettings(undated="skip"))
    assert skipped.status == SKIPPED and not (tmp_path / "a").exists()
    [post] = _posts(import_scraped([scrape], tmp_path / "b", options=ReaderSettings(undated="file-time")))
    assert "Status:" not in post.read_text() and post.name.startswith(f"{datetime.date.today():%Y-%m}")
    with pytest.raises(ValueError, match="NEWSROOM_UNDATED must be one of draft, skip, file-time"):
        import_scraped([scrape], tmp_path / "c", options=ReaderSettings(undated="later"))


def test_a_scrape_the_build_reads_is_moved_out_once_it_has_a_post(tmp_path):
    content, archive = tmp_path / "content", tmp_path / "imported"
    (content / "scraped" / "2024").mkdir(parents=True)
    raw = (CASES / "seed_text_dump.txt").read_bytes()
    inside = content / "scraped" / "2024" / "seed.txt"
    inside.write_bytes(raw)
    [refused] = import_scraped([inside], content)  # nowhere to move it: refused, nothing written
    assert refused.status == FAILED and "move it out first" in refused.reason and not (content / "news").exists()
    [moved] = import_scraped([inside], content, archive=archive)
    assert moved.status == WRITTEN and not inside.exists()
    assert (archive / "2024" / "seed.txt").read_bytes() == raw  # its place below scraped/ kept

    inside.write_bytes(raw)  # a second copy turns up; the archive already has that name
    [kept] = import_scraped([inside], content, archive=archive)
    assert kept.status == FAILED and inside.exists() and "imported/2024/seed.txt exists" in kept.reason


def test_an_identical_copy_in_the_scraped_folder_is_moved_out_too(tmp_path):
    content, archive = tmp_path / "content", tmp_path / "imported"
    (content / "scraped").mkdir(parents=True)
    raw = (CASES / "seed_text_dump.txt").read_bytes()
    (content / "scraped" / "same.txt").write_bytes(raw)
    (content / "scraped" / "other.txt").write_bytes(raw.replace(b"Russia", b"Norway"))  # same size, other bytes
    inbox = tmp_path / "inbox.txt"
    inbox.write_bytes(raw)
    [outcome] = import_scraped([inbox], content, archive=archive)
    assert outcome.status == WRITTEN and outcome.reason == f"moved {content / 'scraped' / 'same.txt'} to {archive / 'same.txt'}"
    assert sorted(p.name for p in (content / "scraped").iterdir()) == ["other.txt"] and inbox.exists()
