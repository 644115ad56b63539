"""The built sample site in a real browser (Debian's Chromium via Playwright) at phone and
desktop widths: layout, keyboard, dark mode, search, console."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.theme_sample import ROOT, THEME_SEARCH_WORD, build_theme_site, utc_now, write_theme_site
from newsroom_theme.screenshots import CHROMIUM, CHROMIUM_ARGS, serve

playwright = pytest.importorskip("playwright.sync_api")

WIDTHS = [390, 1280]
PAGES = ["", "section/world/", "tag/trade/", "author/ana-ruiz/", "archives/",
         "about/", "search/", "404.html"]


@pytest.fixture(scope="module")
def base_url(theme_site):
    with serve(theme_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, width, color_scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=color_scheme)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # A request cut short by the next navigation (ERR_ABORTED) is not a failure.
    page.on("requestfailed", lambda req: "ERR_ABORTED" not in (req.failure or "")
            and page.errors.append(f"failed: {req.url} {req.failure}"))
    return page


def article_path(site: Path, slug: str) -> str:
    return str(next(site.glob(f"*/*/{slug}/index.html")).parent.relative_to(site)) + "/"


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_width_without_console_errors(browser, base_url, theme_site, width):
    page = open_page(browser, width)
    story = article_path(theme_site, "chip-plant")
    year_archive = story.split("/")[0] + "/"
    paths = PAGES + [story, year_archive, article_path(theme_site, "port-strike")]
    for path in paths:
        page.goto(base_url + path, wait_until="load")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_lead_story_is_visible_on_first_screen(browser, base_url, width):
    page = open_page(browser, width)
    page.goto(base_url, wait_until="load")
    title = page.locator(".lead .story-title a")
    assert title.inner_text() == "Harbour reopens after long talks"
    assert title.is_visible()
    box = title.bounding_box()
    assert box["y"] + box["height"] <= 800, "lead headline below the first screen"
    image = page.locator(".lead img")
    assert image.is_visible() and image.evaluate("img => img.complete && img.naturalWidth > 0")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_skip_link_and_menu_work_by_keyboard(browser, base_url, width):
    page = open_page(browser, width)
    page.goto(base_url, wait_until="load")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0, "skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto(base_url, wait_until="load")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "World":
            break
    else:
        pytest.fail("the World menu link is not reachable by Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus indicator"
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/world/")
    assert page.locator("h1").inner_text() == "World"
    page.context.close()


@pytest.mark.parametrize("scheme, background", [("light", "rgb(255, 255, 255)"), ("dark", "rgb(18, 18, 18)")])
def test_colour_scheme_follows_the_system(browser, base_url, scheme, background):
    page = open_page(browser, 390, color_scheme=scheme)
    page.goto(base_url, wait_until="load")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_header_search_finds_a_known_story(browser, base_url, width):
    page = open_page(browser, width)
    page.goto(base_url, wait_until="load")
    page.fill("#header-search", THEME_SEARCH_WORD)
    page.press("#header-search", "Enter")
    page.wait_for_url(f"**/search/?q={THEME_SEARCH_WORD}")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    assert result.inner_text() == "Glacier survey after long talks"
    assert page.locator(".pagefind-ui__result-link").count() == 1
    result.click()
    page.wait_for_url("**/glacier-survey/")
    assert page.errors == []
    page.context.close()


@pytest.fixture(scope="module")
def subpath_url(tmp_path_factory):
    """The sample site built for production at http://127.0.0.1:PORT/news/ and served there."""
    base = tmp_path_factory.mktemp("subpath_browser")
    write_theme_site(base / "content", utc_now())
    (base / "www").mkdir()
    with serve(base / "www") as url:
        site = url + "news"
        done = build_theme_site(base / "content", base / "www" / "news",
                                extra=[f'SITEURL="{site}"', "RELATIVE_URLS=false"])
        assert done.returncode == 0, done.stdout + done.stderr
        yield site + "/"


def test_styles_and_search_work_under_a_sub_path(browser, subpath_url):
    page = open_page(browser, 1280)
    page.goto(subpath_url, wait_until="load")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.fill("#header-search", THEME_SEARCH_WORD)
    page.press("#header-search", "Enter")
    page.wait_for_url(f"{subpath_url}search/?q={THEME_SEARCH_WORD}")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=10_000)
    assert result.get_attribute("href").startswith("/news/")
    result.click()
    page.wait_for_url("**/news/*/*/glacier-survey/")
    assert page.locator("h1").inner_text() == "Glacier survey after long talks"
    assert page.errors == []
    page.context.close()


def test_screenshots_command_writes_home_and_article_at_both_widths(theme_site, tmp_path):
    done = subprocess.run([sys.executable, "-m", "newsroom_theme.screenshots", str(theme_site),
                           str(tmp_path / "shots")], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert done.returncode == 0, done.stderr
    written = sorted((tmp_path / "shots").iterdir())
    assert [p.name for p in written] == [
        "article-desktop.png", "article-mobile.png", "home-desktop.png", "home-mobile.png"]
    for path in written:
        with Image.open(path) as img:
            assert img.width == (390 if "mobile" in path.name else 1280)
            assert img.height > 800


@pytest.mark.parametrize("width, chosen", [(390, "-480.webp"), (1280, "-800.webp")])
def test_lead_image_loads_the_variant_its_width_needs(browser, base_url, theme_site, width, chosen):
    """A phone gets the 480 px WebP (the column is 358 px), a desktop the 800 px one (640 px)."""
    page = open_page(browser, width)
    page.goto(base_url + article_path(theme_site, "budget-vote"), wait_until="load")
    image = page.locator(".lead-image img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.currentSrc").endswith(chosen)
    body = page.locator(".article-body figure img")  # not in view: lazy, so load it by scrolling
    body.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=body.element_handle())
    assert page.errors == []
    page.context.close()
