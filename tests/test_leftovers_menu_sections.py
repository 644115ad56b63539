"""A story without a category lands in DEFAULT_CATEGORY ("News" in pelicanconf.py), which is not
in NEWSROOM_MENU_SECTIONS: the menu lists it once it has stories, so a reader reaches it. A real
build of the theme's sample site, and the header menu used by keyboard in Chromium."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from newsroom_theme import enrich
from newsroom_theme.screenshots import CHROMIUM, CHROMIUM_ARGS, serve
from tests.test_theme_browser import open_page
from tests.theme_sample import build_theme_site, utc_now, write_theme_site

playwright = pytest.importorskip("playwright.sync_api")

UNFILED = "Title: Lighthouse keeper retires\nDate: {date}\nSlug: lighthouse-keeper\n\nAfter forty years on the rock.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("menu_site")
    write_theme_site(base / "content", utc_now())
    (base / "content" / "lighthouse.md").write_text(UNFILED.format(date=f"{utc_now():%Y-%m-%d %H:%M}"))
    done = build_theme_site(base / "content", base / "output", ["NEWSROOM_SEARCH=false"])
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "output"


def _menu(page: Path) -> list[tuple[str, str]]:
    nav = BeautifulSoup(page.read_text(), "html.parser").select_one("nav.site-nav")
    return [(a.get_text(), a["href"]) for a in nav.find_all("a")]


def test_the_default_section_joins_the_menu_when_it_has_stories(site: Path):
    menu = _menu(site / "index.html")
    names = [name for name, _ in menu]
    assert names[-1] == "News" and names.index("News") > names.index("World")  # after the chosen sections
    assert ("News", "./section/news/") in menu
    news = site / "section" / "news" / "index.html"
    assert "Lighthouse keeper retires" in news.read_text()
    assert ("News", "../../section/news/") in _menu(news)


def test_catch_all_sections_follow_the_chosen_ones_only_with_stories():
    cats = [(SimpleNamespace(name=name), [name]) for name in ("World", "News", "Wire")]
    chosen = enrich.menu_sections(cats, ["World"], ["news", "Wire", "News"])
    assert [c.name for c, _ in chosen] == ["World", "News", "Wire"]  # each once, in order
    assert [c.name for c, _ in enrich.menu_sections(cats[:1], ["World"], ["News"])] == ["World"]  # no stories
    assert [c.name for c, _ in enrich.menu_sections(cats, ["News", "World"], ["News"])] == ["News", "World"]


def test_the_default_section_is_reached_from_the_menu_by_keyboard(site: Path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with serve(site) as url, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = open_page(browser, 390)
        page.goto(url, wait_until="load")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('nav.site-nav') && document.activeElement.textContent"
                             ) == "News":
                break
        else:
            pytest.fail("the News menu link is not reachable by Tab")
        assert page.evaluate("document.activeElement.getBoundingClientRect().width") > 0  # shown, not hidden
        page.keyboard.press("Enter")
        page.wait_for_url("**/section/news/")
        assert page.locator("h1").inner_text() == "News"
        assert page.get_by_text("Lighthouse keeper retires").first.is_visible()
        browser.close()
