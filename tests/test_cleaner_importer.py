"""Importing scrapes as reviewable Markdown posts under content/<section>/."""

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
        "uk/2023-11-02-storm-ciaran-leaves-thousands-without-power.md",
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
