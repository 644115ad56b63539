"""Stable list pages (issue 27), end to end on a small site spanning three months: publishing a
story changes exactly the files the design names, old numbered URLs redirect to the page holding
their stories, and readers page back through a section to its oldest story, in a real browser too."""

import hashlib
import posixpath
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.theme_sample import build_theme_site

PER_PAGE = 4  # the old numbered pages' size (DEFAULT_PAGINATION) and the lists' newest stories
SETTINGS = ["NEWSROOM_SEARCH=false", f"DEFAULT_PAGINATION={PER_PAGE}", f"NEWSROOM_LATEST_STORIES={PER_PAGE}",
            'NEWSROOM_NUMBERED_PAGES_UNTIL="2025-05-28"']  # the day of the last story below
START = datetime(2025, 3, 2, 8, 0)
SECTIONS = ["World", "Business"]
TAGS = ["Trade", "Energy", "Ports"]
AUTHORS = ["Ana Ruiz", "Li Wei"]


class Story:
    def __init__(self, i: int, date: datetime, section: str, tags: list[str], author: str):
        self.slug, self.date, self.section, self.tags, self.author = f"story-{i:02d}", date, section, tags, author

    @property
    def url(self) -> str:
        return f"{self.date:%Y/%m}/{self.slug}/"

    def write(self, content: Path) -> None:
        (content / f"{self.slug}.md").write_text(
            f"Title: Story {self.slug}\nDate: {self.date:%Y-%m-%d %H:%M}\nCategory: {self.section}\n"
            f"Tags: {', '.join(self.tags)}\nAuthor: {self.author}\nSlug: {self.slug}\nSummary: About {self.slug}.\n\n"
            f"The {self.slug} story, told in a few words.\n")


# 26 stories, one every 3.5 days from 2 March to 28 May 2025 (no two on the same date)
STORIES = [Story(i, START + timedelta(hours=84 * i), SECTIONS[i % 2], [TAGS[i % 3], TAGS[(i + 1) % 3]],
                 AUTHORS[(i // 2) % 2]) for i in range(26)]


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Files added, changed or removed (what a publish uploads or deletes)."""
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def build(content: Path, output: Path) -> None:
    result = build_theme_site(content, output, SETTINGS)
    assert result.returncode == 0, result.stdout + result.stderr


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url.endswith("/") or not url else site / url


def resolve(page_url: str, href: str) -> str:
    """A relative link of the page at ``page_url`` as a URL relative to the site root."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/x"), href))
    return "" if joined == "." else joined + ("/" if href.endswith("/") else "")


def stories_on(site: Path, url: str) -> list[str]:
    """The story URLs a list page links to from its teasers, in order."""
    return [resolve(url, a["href"]) for a in soup(page_file(site, url)).select("main .story-title a")]


@pytest.fixture(scope="module")
def lists_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("stable-lists")
    content = root / "content"
    content.mkdir()
    for story in STORIES:
        story.write(content)
    build(content, root / "output")
    assert (content / "numbered-pages.json").is_file()  # the old pages as they were, kept
    return root


def test_publishing_changes_only_the_lists_first_pages_and_the_dated_pages_it_joins(lists_site, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(lists_site, root)
    content, output = root / "content", root / "output"
    newest_world = max((s for s in STORIES if s.section == "World"), key=lambda s: s.date)  # 24 May

    def publish(story: Story) -> set[str]:
        before = digests(output)
        story.write(content)
        build(content, output)
        return changed(before, digests(output))

    # Same month as the newest story, in its section: the previous newest World story gains a
    # "next in section" link; no other story's page, no other dated page, no index page changes.
    same_month = Story(90, datetime(2025, 5, 29, 16, 0), "World", ["Trade", "Energy"], "Ana Ruiz")
    assert publish(same_month) == {
        f"{same_month.url}index.html", f"{newest_world.url}index.html",
        "index.html", "2025/05/index.html",
        "section/world/index.html", "section/world/2025/05/index.html",
        "tag/trade/index.html", "tag/trade/2025/05/index.html",
        "tag/energy/index.html", "tag/energy/2025/05/index.html",
        "author/ana-ruiz/index.html", "author/ana-ruiz/2025/05/index.html",
        "feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/world.atom.xml", "feeds/world.rss.xml",
        "sitemap.xml",
    }
    # The first story of a month starts a dated page in each of its lists; the month before's
    # pages get their "newer" link, the year and the archive list the new month.
    next_month = Story(91, datetime(2025, 6, 2, 9, 0), "Business", ["Ports"], "Li Wei")
    business_before = max((s for s in STORIES if s.section == "Business"), key=lambda s: s.date)
    assert publish(next_month) == {
        f"{next_month.url}index.html", f"{business_before.url}index.html",
        "index.html", "2025/06/index.html", "2025/05/index.html", "2025/index.html", "archives/index.html",
        "section/business/index.html", "section/business/2025/06/index.html", "section/business/2025/05/index.html",
        "tag/ports/index.html", "tag/ports/2025/06/index.html", "tag/ports/2025/05/index.html",
        "author/li-wei/index.html", "author/li-wei/2025/06/index.html", "author/li-wei/2025/05/index.html",
        "feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/business.atom.xml", "feeds/business.rss.xml",
        "sitemap.xml",
    }
    # A story dated before numbering stopped, published later (an imported archive): the old
    # numbered pages redirect where they did, to what they held that day (numbered-pages.json).
    backdated = Story(92, datetime(2025, 4, 10, 7, 0), "World", ["Energy"], "Ana Ruiz")
    moved = publish(backdated)
    assert f"{backdated.url}index.html" in moved
    assert not {name for name in moved if re.search(r"(^|/)page/\d+/", name)}, sorted(moved)
    # and the site built so, step by step, is the site a clean build makes
    clean = tmp_path / "clean"
    build(content, clean / "output")
    assert digests(clean / "output") == digests(output)


def old_pages(stories: list[Story]) -> list[list[Story]]:
    """The numbered pages the lists had: newest first, PER_PAGE a page."""
    ordered = sorted(stories, key=lambda s: s.date, reverse=True)
    return [ordered[i:i + PER_PAGE] for i in range(0, len(ordered), PER_PAGE)]


LISTS = {"": STORIES,
         **{f"section/{name.lower()}/": [s for s in STORIES if s.section == name] for name in SECTIONS},
         **{f"tag/{name.lower()}/": [s for s in STORIES if name in s.tags] for name in TAGS},
         **{f"author/{name.lower().replace(' ', '-')}/": [s for s in STORIES if s.author == name] for name in AUTHORS}}


@pytest.mark.parametrize("list_url", LISTS)
def test_old_numbered_urls_redirect_to_a_page_holding_their_stories(lists_site, list_url):
    site = lists_site / "output"
    pages = old_pages(LISTS[list_url])
    assert len(pages) > 1
    for number, held in enumerate(pages[1:], start=2):
        old = f"{list_url}page/{number}/"
        page = soup(page_file(site, old))
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = resolve(old, re.fullmatch(r"0; url=(.+)", refresh).group(1))
        assert resolve(old, page.find("link", rel="canonical")["href"]) == target
        assert resolve(old, page.select_one("main a.moved-to")["href"]) == target
        # the dated page of its newest story: every story it held of that period is there
        assert target == f"{list_url}{held[0].date:%Y/%m}/"
        held_urls = {s.url for s in held}
        shown = [url for url in stories_on(site, target) if url in held_urls]
        assert shown == [s.url for s in held if s.date.month == held[0].date.month]
    assert not page_file(site, f"{list_url}page/{len(pages) + 1}/").exists()


def test_paging_back_through_a_section_reaches_its_oldest_story(lists_site):
    site = lists_site / "output"
    world = sorted((s for s in STORIES if s.section == "World"), key=lambda s: s.date, reverse=True)
    url, seen, visited = "section/world/", [], []
    while url is not None:
        visited.append(url)
        seen += [u for u in stories_on(site, url) if u not in seen]
        older = soup(page_file(site, url)).select_one("nav.pagination a[rel=next]")
        url = resolve(url, older["href"]) if older else None
    # the front holds the four May stories, so its older link goes on from the fifth: April
    assert visited == ["section/world/", "section/world/2025/04/", "section/world/2025/03/"]
    assert seen == [s.url for s in world]  # every story once, newest to oldest
    # and forward again through every dated page, May's included, to the front
    url, forward = visited[-1], []
    while url is not None:
        forward.append(url)
        newer = soup(page_file(site, url)).select_one("nav.pagination a[rel=prev]")
        url = resolve(url, newer["href"]) if newer else None
    assert forward == ["section/world/2025/03/", "section/world/2025/04/", "section/world/2025/05/", "section/world/"]


def test_reader_pages_back_through_a_section_by_keyboard_in_a_browser(lists_site):
    playwright = pytest.importorskip("playwright.sync_api")
    from newsroom_theme.screenshots import CHROMIUM, CHROMIUM_ARGS, serve

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    oldest = min((s for s in STORIES if s.section == "World"), key=lambda s: s.date)
    with serve(lists_site / "output") as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(base + "section/world/", wait_until="load")
        headings = []
        for _ in range(5):
            link = page.get_by_role("navigation", name=re.compile("older stories")).get_by_role(
                "link", name=re.compile(r"^Older: "))
            if not link.count():
                break
            link.focus()
            assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
            page.keyboard.press("Enter")
            page.wait_for_load_state("load")
            headings.append(page.locator("h1").inner_text())
        assert headings == ["World: April 2025", "World: March 2025"]
        assert page.get_by_role("link", name=f"Story {oldest.slug}").is_visible()
        page.get_by_role("link", name="Newer: April 2025").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(base + "section/world/2025/04/")
        browser.close()
