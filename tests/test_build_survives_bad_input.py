"""One bad file never stops the build (issue 21, part B): a hostile or broken content file costs
that file one clear log line, and the rest of the site builds.

Unit tests for the decoder and the site-wide guard (``newsroom_cleaner.guard``), then real
``pelican`` builds of a copy of the project with the files of ``tests/hostile/b_*`` added (and
symlinks made here): with newsroom_speed as configured, again after a small edit (the
incremental path), against a clean build and against stock Pelican without newsroom_speed.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pelican.contents import Article, Page
from pelican.settings import read_settings
from pelican.urlwrappers import Category
from pelican.utils import SafeDatetime

from newsroom_cleaner import guard, linkloops
from newsroom_cleaner.decode import decode, why_not_utf8
from newsroom_cleaner.errors import CleanerError
from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.report import CleaningReport
from tests.conftest import BIN, ROOT, copy_project

HOSTILE = Path(__file__).resolve().parent / "hostile"
EDITED_STORY = "content/world/2026-11-14-ostrany-ferry-strike.md"
# Settings of the test builds: the project's own, without the search index (not under test here).
TEST_SETTINGS = """\
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403
NEWSROOM_SEARCH = False
CACHE_PATH = {cache!r}
if not {speed!r}:
    PLUGINS = [p for p in PLUGINS if p != "newsroom_speed"]
"""
TEXT = ("The harbour authority approved the new ferry timetable on Tuesday after months of consultation "
        "with residents of the islands, and the first boat will leave at six.\n\n")


# -- decoding ------------------------------------------------------------------------------------

def test_mostly_utf8_text_with_damaged_bytes_stays_utf8_and_warns():
    text = "Le café de la gare a rouvert; l'été sera chaud à Genève, dit le maître d'hôtel.\n" * 4
    raw = text.encode()
    raw = raw[:30] + b"\xe9" + raw[30:100] + b"\xc3 " + raw[100:]
    report = CleaningReport()
    decoded = decode(raw, "cafe.txt", report)
    assert "Le café de la gare" in decoded and "maître d'hôtel" in decoded and "щ" not in decoded
    assert decoded.count("\ufffd") == 2
    assert report.warnings == ["invalid UTF-8: 2 damaged byte sequences replaced"]


def test_legacy_code_page_text_is_still_detected():
    text = "Le café de la gare a rouvert; l'été sera chaud à Genève, dit le maître d'hôtel.\n" * 4
    report = CleaningReport()
    assert decode(text.encode("cp1252"), "cafe.txt", report) == text
    assert report.warnings == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_decoded(encoding):
    text = "Island school opens a science laboratory\n\nPupils no longer cross to the mainland. Café.\n" * 3
    assert decode(text.encode(encoding), "wide.txt") == text
    assert why_not_utf8(text.encode(encoding), 1).startswith(encoding[:6].upper() + " text, not UTF-8")


def test_text_with_one_nul_byte_is_text():
    raw = ("Lighthouse keeper retires\n\n" + TEXT * 3).encode()
    raw = raw[:60] + b"\x00" + raw[60:]
    assert "Lighthouse keeper retires" in decode(raw, "nul.txt")
    article = clean_article(raw, source_name="nul.txt")
    assert "ferry timetable" in article.markdown and "\x00" not in article.markdown


@pytest.mark.parametrize("raw", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
    b"\x7fELF\x02\x01\x01\x00" + bytes(8) + bytes(range(256)) * 4,
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + bytes(range(256)) * 4,
    bytes((i * 7919 + 13) % 256 for i in range(5000)),  # pseudo-random bytes
])
def test_binaries_are_still_binary(raw):
    with pytest.raises(CleanerError, match="binary file"):
        decode(raw, "blob.txt")


# -- the guard, on content objects -----------------------------------------------------------------

@pytest.fixture(scope="module")
def settings() -> dict:
    return read_settings(str(ROOT / "pelicanconf.py"))


def _article(settings: dict, source: str, title: str, day: int = 5, **metadata) -> Article:
    values = {"title": title, "date": SafeDatetime(2026, 11, day, 10, 0), "category": Category("World", settings),
              **metadata}
    return Article("<p>Text.</p>", values, settings=settings, source_path=os.path.join(settings["PATH"], source),
                   context={})


@pytest.mark.parametrize("order", [1, -1])
def test_guard_suffixes_twins_in_source_path_order_whatever_the_input_order(settings, caplog, order):
    folder = f"order{order}"  # Pelican's logging drops a message it has logged already
    twins = [_article(settings, f"{folder}/twin-{n}.md", "Harbour lights", day=n + 3) for n in (1, 2, 3)]
    assert guard.Outputs(settings).admit(twins[::order]) == []
    assert [t.slug for t in twins] == ["harbour-lights", "harbour-lights-2", "harbour-lights-3"]
    assert twins[2].save_as == "2026/11/harbour-lights-3/index.html"
    assert [r.getMessage() for r in caplog.records] == [
        f"newsroom: {folder}/twin-{n}.md: its page 2026/11/harbour-lights/index.html is taken by {folder}/twin-1.md; "
        f"published as 2026/11/harbour-lights-{n}/" for n in (2, 3)]


def test_guard_suffixes_twin_drafts_and_a_hidden_twin_of_a_published_story(settings, caplog):
    drafts = [_article(settings, f"drafts/d{n}.md", "Draft lights", status="draft") for n in (1, 2)]
    published = _article(settings, "world/p.md", "Shown lights")
    hidden = _article(settings, "world/h.md", "Shown lights", status="hidden")
    outputs = guard.Outputs(settings)
    for status_list in ([published], [hidden], drafts):  # as Pelican's generator hands them over
        assert outputs.admit(status_list) == []
    assert [d.save_as for d in drafts] == ["drafts/draft-lights/index.html", "drafts/draft-lights-2/index.html"]
    assert (published.slug, hidden.slug) == ("shown-lights", "shown-lights-2")
    assert len(caplog.records) == 2


def test_guard_restores_a_suffix_a_content_cache_kept(settings):
    twin = _article(settings, "world/twin-2.md", "Harbour lights")
    guard.Outputs(settings).admit([_article(settings, "world/twin-1.md", "Harbour lights"), twin])
    assert twin.slug == "harbour-lights-2"
    guard.Outputs(settings).admit([twin])  # the next build, its twin deleted
    assert twin.slug == "harbour-lights" and twin.save_as == "2026/11/harbour-lights/index.html"


@pytest.mark.parametrize("lang", ["x/../../..", "x/../../../feeds", "../en", "en us", 'en"><script>', ""])
def test_guard_falls_back_to_default_lang(settings, caplog, lang):
    post = _article(settings, "world/lang.md", "Lang test", lang=lang)
    guard.Outputs(settings).admit([post])
    assert post.lang == "en" and post.in_default_lang
    assert post.save_as == "2026/11/lang-test/index.html"
    assert [r.getMessage() for r in caplog.records] == [
        f"newsroom: world/lang.md: Lang {lang!r} is not a language tag; using 'en'"]


def test_guard_keeps_real_language_tags(settings):
    post = _article(settings, "world/tr.md", "Kar yagisi", lang="tr")
    guard.Outputs(settings).admit([post])
    assert post.lang == "tr" and post.save_as == "2026/11/kar-yagisi-tr/index.html"


@pytest.mark.parametrize("slug, expected", [("../../..", "slug-test"), ("../../index", "index"), ("a/b", "ab"),
                                            ("..", "slug-test"), ("sub\\dir", "subdir")])
def test_guard_makes_a_slug_one_path_segment(settings, slug, expected):
    post = _article(settings, "world/slug.md", "Slug test", slug=slug)
    guard.Outputs(settings).admit([post])
    assert post.slug == expected and post.save_as == f"2026/11/{expected}/index.html"


def test_guard_keeps_content_off_the_sites_own_pages(settings):
    pages = [Page("<p>x</p>", {"title": title}, settings=settings, source_path=f"{settings['PATH']}/pages/{n}.md",
                  context={}) for n, title in enumerate(["Archives", "Tags", "Authors", "About"])]
    guard.Outputs(settings).admit(pages)
    assert [p.save_as for p in pages] == ["archives-2/index.html", "tags-2/index.html", "authors-2/index.html",
                                          "about/index.html"]
    outputs = guard.site_outputs(settings)
    for path in ["index.html", "page/3/index.html", "feeds/all.atom.xml", "feeds/world.rss.xml",
                 "2026/index.html", "2026/11/index.html", "tag/ports/page/2/index.html"]:
        assert outputs.fullmatch(path), path
    for path in ["2026/11/harbour-lights/index.html", "about/index.html", "feeds/index.html/x"]:
        assert not outputs.fullmatch(path), path


def test_walk_does_not_go_into_folder_links_back_to_a_parent(tmp_path, caplog):
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "story.md").write_text("Title: x\n")
    (tmp_path / "world" / "again").symlink_to(".")
    (tmp_path / "world" / "up").symlink_to("..")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.md").write_text("Title: y\n")
    (tmp_path / "world" / "linked").symlink_to("../elsewhere")  # an ordinary folder link: followed
    walk = linkloops._OsWithoutLoops(str(tmp_path)).walk
    found = sorted(os.path.relpath(os.path.join(folder, name), tmp_path)
                   for folder, _, files in walk(str(tmp_path), followlinks=True) for name in files)
    assert found == ["elsewhere/other.md", "world/linked/other.md", "world/story.md"]
    assert sorted(r.getMessage() for r in caplog.records) == [
        f"newsroom: world/{name}: symbolic link to its own folder or a parent (a loop); not read"
        for name in ("again", "up")]


def test_guard_leaves_out_a_twin_it_cannot_rename(settings, caplog):
    first = _article(settings, "world/a.md", "First", save_as="fixed/index.html", url="fixed/")
    second = _article(settings, "world/b.md", "Second", save_as="fixed/index.html", url="fixed/")
    assert guard.Outputs(settings).admit([second, first]) == [second]
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "world/b.md: its page fixed/index.html is taken by world/a.md; left out" in caplog.records[0].getMessage()


# -- real builds ---------------------------------------------------------------------------------

def _project(tmp_path: Path, *fixtures: str) -> Path:
    """A copy of the project with the named fixtures added: scrapes (.txt) to content/scraped,
    b_page_* to content/pages, other posts to content/world."""
    project = copy_project(tmp_path / "site")
    for speed, name in ((True, "testconf.py"), (False, "stockconf.py")):
        (project / name).write_text(TEST_SETTINGS.format(root=str(project), cache=str(project / "cache"),
                                                         speed=speed))
    (project / "cleanconf.py").write_text(TEST_SETTINGS.format(root=str(project), cache=str(tmp_path / "clean-cache"),
                                                               speed=True))
    for name in fixtures:
        folder = "scraped" if name.endswith(".txt") else "pages" if name.startswith("b_page_") else "world"
        shutil.copy2(HOSTILE / name, project / "content" / folder / name)
    return project


def _symlinks(project: Path) -> None:
    """A loop of two links, a link to nothing among posts and one among scrapes."""
    world, scraped = project / "content" / "world", project / "content" / "scraped"
    (world / "b_loop_a.md").symlink_to("b_loop_b.md")
    (world / "b_loop_b.md").symlink_to("b_loop_a.md")
    (world / "b_dangling.md").symlink_to("b_nowhere.md")
    (scraped / "b_dangling.txt").symlink_to("b_nowhere.txt")


def _folder_loops(project: Path) -> None:
    """A folder link back to its own folder: Pelican's walk of content (following links) would
    find every story of world/ again under world/b_again/, b_again/b_again/... (40 levels).
    Only one: two such links make that walk branch without end (and eat the machine's memory
    when the fix is missing); the walk itself is tested with two below."""
    (project / "content" / "world" / "b_again").symlink_to(".")


def _build(project: Path, output: Path, settings: str = "testconf.py", timeout: float = 600) -> str:
    """Build with the real ``pelican`` command; the build must exit 0. Returns its log, one line
    per message (a wide terminal: Pelican's log handler wraps at its width)."""
    result = subprocess.run([str(BIN / "pelican"), "content", "-s", settings, "-o", str(output)], cwd=project,
                            env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True, timeout=timeout)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "CRITICAL" not in log and "Traceback" not in log, log
    return log


def _named(log: str, *names: str) -> list[str]:
    """The warning and error lines of ``log`` naming all of ``names``."""
    return [line for line in log.splitlines()
            if all(name in line for name in names) and any(level in line for level in ("WARNING", "ERROR"))]


def _stories(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.glob("20*/*/*/index.html")}


def _same_tree(one: Path, other: Path) -> list[str]:
    """Files that differ or exist on one side only."""
    names = {p.relative_to(one) for p in one.rglob("*") if p.is_file()} | {
        p.relative_to(other) for p in other.rglob("*") if p.is_file()}
    return sorted(str(n) for n in names if not ((one / n).is_file() and (other / n).is_file()
                                                 and filecmp.cmp(one / n, other / n, shallow=False)))


@pytest.fixture(scope="module")
def plain_stories(tmp_path_factory) -> set[str]:
    """The story pages of the sample site built as it is."""
    base = tmp_path_factory.mktemp("plain")
    project = _project(base)
    _build(project, base / "output")
    return _stories(base / "output")


def _front_page_and_feeds_intact(output: Path) -> None:
    front = (output / "index.html").read_text()
    assert "<title>The Newsroom Daily" in front and 'class="section-block"' in front
    feeds = output / "feeds"
    assert all(p.is_file() and p.name.endswith((".atom.xml", ".rss.xml")) for p in feeds.iterdir())
    assert "<feed" in (feeds / "all.atom.xml").read_text()


def _twins(output: Path, log: str, folder: str, first: str, second: str, slug: str, second_text: str) -> None:
    assert _named(log, f"{folder}/{second}") == _named(log, f"{folder}/{first}", f"{folder}/{second}")
    assert len(_named(log, f"{folder}/{second}")) == 1
    assert "There are 2" not in log  # Pelican's own warnings about same-slug items: not reached
    assert second_text in (output / f"2026/11/{slug}-2/index.html").read_text()
    assert second_text not in (output / f"2026/11/{slug}/index.html").read_text()


def check_twin_scrapes(output: Path, log: str) -> None:
    _twins(output, log, "scraped", "b_twin_scrape_1.txt", "b_twin_scrape_2.txt",
           "harbour-ferry-timetable-approved-after-months-of-talks", "The island council welcomed")


def check_twin_posts(output: Path, log: str) -> None:
    _twins(output, log, "world", "b_twin_post_1.md", "b_twin_post_2.md", "council-approves-new-harbour-lights",
           "switched on in spring")


def check_lang(output: Path, log: str) -> None:
    for name, lang, slug in (("b_lang_root.md", "x/../../..", "lang-pointing-at-the-site-root"),
                             ("b_lang_feeds.md", "x/../../../feeds", "lang-pointing-at-the-feeds-folder")):
        assert _named(log, f"world/{name}") == [line for line in _named(log, f"world/{name}")
                                                 if f"Lang {lang!r} is not a language tag; using 'en'" in line]
        assert len(_named(log, f"world/{name}")) == 1
        assert (output / f"2026/11/{slug}/index.html").is_file()
    _front_page_and_feeds_intact(output)
    assert not (output / "feeds" / "index.html").exists()
    assert not list(output.parent.glob("*.html")) and not (output.parent / "feeds").exists()


def check_slug(output: Path, log: str) -> None:
    assert len(_named(log, "world/b_slug_root.md", "Slug '../../..' is not usable in a URL")) == 1
    assert len(_named(log, "world/b_slug_root.md")) == 1
    assert "leave its folder" in (output / "2026/11/slug-pointing-at-the-site-root/index.html").read_text()
    _front_page_and_feeds_intact(output)


def check_template(output: Path, log: str) -> None:
    lines = _named(log, "world/b_template_missing.md")
    assert len(lines) == 1 and "ERROR" in lines[0] and "'nonexistent'" in lines[0]
    page = (output / "2026/11/post-naming-a-missing-template/index.html").read_text()
    assert '<article class="article"' in page and "published with the article template" in page


def check_page_archives(output: Path, log: str) -> None:
    assert len(_named(log, "pages/b_page_archives.md", "archives/index.html")) == 1
    assert "<title>Archive | " in (output / "archives/index.html").read_text()
    assert "path of the site's archives listing" in (output / "archives-2/index.html").read_text()


def check_symlinks(output: Path, log: str) -> None:
    for name, reason in (("world/b_loop_a.md", "symbolic link loop"), ("world/b_loop_b.md", "symbolic link loop"),
                         ("world/b_dangling.md", "broken symbolic link"),
                         ("scraped/b_dangling.txt", "broken symbolic link")):
        lines = _named(log, name)
        assert len(lines) == 1 and reason in lines[0], (name, lines)


def check_folder_loops(output: Path, log: str) -> None:
    lines = _named(log, "world/b_again")
    assert len(lines) == 1 and "symbolic link to its own folder or a parent (a loop); not read" in lines[0], lines
    assert "-2/" not in " ".join(_stories(output))  # no story read twice


BREAKING = {  # inputs that stopped (or never ended) the build before this work: files, links, check
    "twin scrapes": (["b_twin_scrape_1.txt", "b_twin_scrape_2.txt"], None, check_twin_scrapes),
    "twin posts": (["b_twin_post_1.md", "b_twin_post_2.md"], None, check_twin_posts),
    "lang out of its folder": (["b_lang_root.md", "b_lang_feeds.md"], None, check_lang),
    "slug out of its folder": (["b_slug_root.md"], None, check_slug),
    "missing template": (["b_template_missing.md"], None, check_template),
    "page on a listing's path": (["b_page_archives.md"], None, check_page_archives),
    "symlinks": ([], _symlinks, check_symlinks),
    "folder symlink loops": ([], _folder_loops, check_folder_loops),
}


@pytest.mark.parametrize("case", BREAKING)
def test_build_breaking_file_costs_one_line(tmp_path, plain_stories, case):
    fixtures, links, check = BREAKING[case]
    project = _project(tmp_path, *fixtures)
    if links:
        links(project)
    output = tmp_path / "output"
    for build in ("cold", "incremental"):
        if build == "incremental":
            with open(project / EDITED_STORY, "a") as post:
                post.write("\nA sentence added by an editor.\n")
        log = _build(project, output, timeout=180)
        check(output, log)
        assert plain_stories <= _stories(output), build
        assert "A sentence added by an editor." in (
            output / "2026/11/ostrany-ferry-strike/index.html").read_text() or build == "cold"


@pytest.mark.parametrize("name, title, text", [
    ("b_damaged_utf8.txt", "Quay cafés expect more visitors after ferry change", "maître d'hôtel of the Bellevue"),
    ("b_utf16le_nobom.txt", "Island school gets a new science laboratory", "no longer take the morning ferry"),
    ("b_one_nul.txt", "Lighthouse keeper retires after forty years", "stayed on to look after the building"),
])
def test_badly_encoded_scrape_is_published(tmp_path, plain_stories, name, title, text):
    project = _project(tmp_path, name)
    output = tmp_path / "output"
    log = _build(project, output)
    pages = [p for p in output.glob("2026/11/*/index.html") if title in p.read_text()]
    assert len(pages) == 1 and text in pages[0].read_text()
    assert plain_stories <= _stories(output)
    lines = _named(log, f"scraped/{name}")
    if name == "b_damaged_utf8.txt":
        assert len(lines) == 1 and "invalid UTF-8: 2 damaged byte sequences replaced" in lines[0]
        assert "щ" not in pages[0].read_text()
    else:
        assert lines == []


def test_whole_hostile_folder_incremental_equals_clean_and_stock(tmp_path, plain_stories):
    """Every fixture at once, symlinks too: an incremental build after an edit, and after the
    first twins are deleted (their twins lose the suffix), is byte for byte a clean build, and
    stock Pelican without newsroom_speed (same guard) builds the same site."""
    project = _project(tmp_path, *sorted(p.name for p in HOSTILE.glob("b_*")))
    _symlinks(project)
    _folder_loops(project)
    output = tmp_path / "output"
    _build(project, output)
    with open(project / EDITED_STORY, "a") as post:
        post.write("\nA sentence added by an editor.\n")
    for step in ("edited", "first twins deleted"):
        if step == "first twins deleted":
            (project / "content/scraped/b_twin_scrape_1.txt").unlink()
            (project / "content/world/b_twin_post_1.md").unlink()
        log = _build(project, output)
        clean = tmp_path / f"clean-{step.replace(' ', '-')}"
        shutil.rmtree(tmp_path / "clean-cache", ignore_errors=True)
        _build(project, clean, "cleanconf.py")
        assert _same_tree(output, clean) == [], step
        assert plain_stories <= _stories(output)
    assert "council-approves-new-harbour-lights-2" not in " ".join(_stories(output))
    assert "switched on in spring" in (output / "2026/11/council-approves-new-harbour-lights/index.html").read_text()
    assert not _named(log, "b_twin_post_2.md")
    stock = tmp_path / "stock"
    _build(project, stock, "stockconf.py")
    assert _same_tree(output, stock) == []
