"""Publishing left unattended (issue 25): imports, the review queue and the cleaning report,
driven through the real ``invoke`` entry points in a private copy of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_invoke
from tests.test_cleaner_importer import CASES, UNDATED

SEED = "000_b6e7998860e43f76.txt"  # the sample site's one scrape, dated 2024-01-15
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
UNTITLED = (b'<html><head><meta property="article:published_time" content="2024-03-01T10:00:00Z"></head>'
            b"<body><article><p>" + b"The island ferry will leave half an hour earlier from next month. " * 3
            + b"</p></article></body></html>")


def _log(result) -> str:
    return result.stdout + result.stderr


def test_a_folder_import_tries_every_file_and_holds_the_undated_one(project: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CASES / "news_page_boilerplate.html", inbox / "good.html")
    (inbox / "empty.html").write_bytes(b"")
    (inbox / "binary.html").write_bytes(PNG)
    (inbox / "undated.html").write_bytes(UNDATED)

    result = run_invoke(project, "import-scraped", str(inbox))
    assert result.returncode == 1 and "Traceback" not in _log(result)
    assert result.stderr.splitlines() == [f"{inbox / 'binary.html'}: failed: binary file (not HTML or text)",
                                          f"{inbox / 'empty.html'}: failed: empty file"]
    assert result.stdout.splitlines()[-1] == "import-scraped: 1 written, 1 held for review, 0 skipped, 2 failed"
    assert (project / "content" / "news" / "2023-11-02-storm-ciaran-leaves-thousands-without-power.md").exists()
    draft = project / "content" / "news" / "ferry-timetable-changes-again.md"
    header = draft.read_text().split("\n\n")[0].splitlines()
    assert "Status: draft" in header and any(line.startswith("Review: no publication date found") for line in header)

    build = run_invoke(project, "build")
    assert build.returncode == 0, _log(build)
    assert "ERROR" not in _log(build) and "Skipping" not in _log(build)
    output = project / "output"
    assert (output / "drafts" / "ferry-timetable-changes-again" / "index.html").exists()  # built, as a draft
    assert "Storm Ciarán leaves thousands" in (output / "feeds" / "all.atom.xml").read_text()
    for published in (output / "index.html", output / "feeds" / "all.atom.xml", output / "archives" / "index.html"):
        assert "Ferry timetable" not in published.read_text()


@pytest.mark.parametrize("source", ["content/scraped/" + SEED, "inbox copy"])
def test_an_imported_scrape_leaves_one_copy_of_the_story(project: Path, tmp_path: Path, source: str):
    scrape = project / "content" / "scraped" / SEED
    raw = scrape.read_bytes()
    if source == "inbox copy":  # the same file imported from elsewhere while a copy sits in content/scraped
        source = str(tmp_path / SEED)
        Path(source).write_bytes(raw)
    result = run_invoke(project, "import-scraped", source)
    assert result.returncode == 0, _log(result)
    assert not scrape.exists() and (project / "imported" / SEED).read_bytes() == raw  # moved, not lost
    assert f"to {project / 'imported' / SEED}" in result.stdout

    build = run_invoke(project, "build")
    assert build.returncode == 0, _log(build)
    assert "CRITICAL" not in _log(build) and "is taken by" not in _log(build) and "Traceback" not in _log(build)
    assert [p.name for p in (project / "output" / "2024" / "01").glob("russia-hosts-*")] == [
        "russia-hosts-north-korean-foreign-minister-to-strengthen-ties"]


@pytest.mark.parametrize("task", ["import-scraped", "extract", "clean-report"])
def test_no_traceback_on_bad_input(project: Path, tmp_path: Path, task: str):
    bad = {"empty.html": b"", "binary.html": PNG, "broken.html": b"<html><body><article><p>Half a page",
           "latin1.txt": "Caf\xe9 owners protest\n\nThe caf\xe9 owners gathered on Monday.\n".encode("latin-1")}
    for name, raw in bad.items():
        (tmp_path / name).write_bytes(raw)
    (tmp_path / "nothing").mkdir()
    for name in [*bad, "missing.html", "nothing"]:
        result = run_invoke(project, task, str(tmp_path / name))
        assert "Traceback" not in _log(result), (name, _log(result))
        if result.returncode != 0:
            assert len(result.stderr.splitlines()) == 1 and str(tmp_path / name) in result.stderr, (name, _log(result))
    if task == "import-scraped":  # a folder with nothing to import says so, and is not a failure
        result = run_invoke(project, task, str(tmp_path / "nothing"))
        assert result.returncode == 0
        assert result.stderr == f"{tmp_path / 'nothing'}: skipped: no .html, .htm, .txt, .warc, .warc.gz files in it\n"


def test_review_lists_what_is_held_and_its_instructions_publish_it(project: Path, tmp_path: Path):
    scraped = project / "content" / "scraped"
    (scraped / "undated.html").write_bytes(UNDATED)
    (scraped / "untitled.html").write_bytes(UNTITLED)
    shutil.copy(Path(__file__).parent / "not_articles" / "section_front.html", scraped / "front.html")
    (tmp_path / "ferry.html").write_bytes(UNDATED.replace(b"Ferry timetable", b"Harbour ferry"))
    assert run_invoke(project, "import-scraped", str(tmp_path / "ferry.html")).returncode == 0
    assert run_invoke(project, "new-post", "Storm Closes Harbour", "--section", "World").returncode == 0
    [post] = (project / "content" / "world").glob("*-storm-closes-harbour.md")

    result = run_invoke(project, "review")
    assert result.returncode == 0 and "Traceback" not in _log(result), _log(result)
    out = result.stdout
    assert out.startswith("5 stories held for review:\n")
    dated = f"content/world/{post.name}"
    assert f'{dated}\n    why: draft\n    to publish: edit {dated}:8: delete the line "Status: draft"\n' in out
    undated = "content/news/harbour-ferry-changes-again.md"
    assert (f"{undated}\n    why: no publication date found: to publish, replace the Status line with Date: "
            f"YYYY-MM-DD HH:MM\n    to publish: edit {undated}:2: replace \"Status: draft\" with \"Date: ") in out
    assert ("content/scraped/undated.html\n    why: no publication date found: the build holds it as a draft\n"
            "    to publish: invoke import-scraped content/scraped/undated.html, then date the draft it writes\n") in out
    assert ("content/scraped/untitled.html\n    why: published, but the clean is unsure: no title found\n"
            "    to publish: check: invoke clean-report content/scraped/untitled.html;") in out
    assert "content/scraped/front.html\n    why: the build skips it: not an article: " in out
    assert SEED not in out  # a good scrape is not held

    # Doing what the queue says publishes both drafts.
    post.write_text(post.read_text().replace("Status: draft\n", ""))
    draft = project / undated
    date_line = out.split('replace "Status: draft" with "')[1].split('"')[0]
    draft.write_text(draft.read_text().replace("Status: draft", date_line))
    assert "3 stories held for review:" in run_invoke(project, "review").stdout
    build = run_invoke(project, "build")
    assert build.returncode == 0, _log(build)
    home = (project / "output" / "index.html").read_text()
    assert "Storm Closes Harbour" in home and "Harbour ferry changes again" in home


def test_clean_report_shows_the_removed_text(project: Path):
    result = run_invoke(project, "clean-report", f"content/scraped/{SEED}")
    assert result.returncode == 0, _log(result)
    lines = result.stdout.splitlines()
    widgets = lines.index(next(line for line in lines if line.startswith("text.share-follow-widgets ")))
    assert lines[widgets + 1] == "    Abone Ol google-news"
    trailer = lines.index(next(line for line in lines if line.startswith("text.trailing-link-list ")))
    assert lines[trailer + 1].startswith("    Most Read News")
