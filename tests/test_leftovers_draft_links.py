"""A story linking a draft with Pelican's ``{filename}`` syntax: the production build (publishconf.py)
writes no draft, so it shows the link as its text and warns naming both files; the development
build links the draft's preview. Real ``pelican`` builds of a copy of the sample site."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from tests.conftest import copy_project, pelican_build
from tests.sitecheck import broken_links

BASE = "https://news.example.org/"
WIDE = {"COLUMNS": "400"}  # one log record per line: Rich wraps at the terminal's width
DRAFT = "world/2026-12-01-ferry-plan.md"
LINKER = "world/2026-12-02-harbour-works.md"


def _write(project: Path) -> None:
    content = project / "content"
    (content / DRAFT).write_text("Title: The new ferry plan\nDate: 2026-12-01 09:00\nCategory: World\n"
                                 "Slug: ferry-plan\nStatus: draft\n\nThe plan, not yet final.\n")
    (content / LINKER).write_text(
        "Title: Harbour works begin\nDate: 2026-12-02 09:00\nCategory: World\nSlug: harbour-works\n\n"
        "Work began on the quay. Read [the *ferry plan*]({filename}2026-12-01-ferry-plan.md) for the timetable, "
        "and [who we are]({filename}/pages/about.md).\n")
    # the development build without its search index: it is checked for one link only
    (project / "devconf.py").write_text("import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n"
                                        "NEWSROOM_SEARCH = False\n")


def _body_links(page: Path) -> tuple[str, dict[str, str]]:
    """The story body's text and its links (text -> href)."""
    body = lxml_html.fromstring(page.read_bytes()).find_class("article-body")[0]
    return " ".join(body.text_content().split()), {" ".join(a.text_content().split()): a.get("href")
                                                   for a in body.iter("a")}


def _warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if "does not publish" in line]


def test_a_link_to_a_draft_is_plain_text_in_production_and_warned_of(tmp_path: Path):
    project = copy_project(tmp_path / "site")
    _write(project)
    output = tmp_path / "out"
    env = {"NEWSROOM_SITEURL": BASE.rstrip("/"), **WIDE}
    done = pelican_build(project, output, "publishconf.py", env=env)
    assert broken_links(output, BASE) == []
    page = output / "2026" / "12" / "harbour-works" / "index.html"
    text, links = _body_links(page)
    assert "Read the ferry plan for the timetable" in text  # the link's text stays, emphasis and all
    assert "ferry plan" not in links and "{filename}" not in page.read_text()
    assert links["who we are"] == f"{BASE}about/"  # a link to a published page is untouched
    [warning] = _warnings(done.stdout + done.stderr)
    assert "WARNING" in warning and LINKER in warning and DRAFT in warning

    # The development build previews drafts: the link goes to the draft's preview, no warning.
    dev = pelican_build(project, tmp_path / "dev", "devconf.py", env=WIDE)
    assert not _warnings(dev.stdout + dev.stderr)
    _, links = _body_links(tmp_path / "dev" / "2026" / "12" / "harbour-works" / "index.html")
    assert links["the ferry plan"] == "../../../drafts/ferry-plan/"
    assert (tmp_path / "dev" / "drafts" / "ferry-plan" / "index.html").exists()

    # Once the draft is published, the next production build links it (newsroom_speed rebuilds the page).
    draft = project / "content" / DRAFT
    draft.write_text(draft.read_text().replace("Status: draft\n", ""))
    again = pelican_build(project, output, "publishconf.py", env=env)
    assert not _warnings(again.stdout + again.stderr)
    _, links = _body_links(page)
    assert links["the ferry plan"] == f"{BASE}2026/12/ferry-plan/"
    assert broken_links(output, BASE) == []
