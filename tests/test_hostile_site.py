"""The hostile-input corpus (tests/hostile/) built into the sample site with real Pelican: no
page, feed or sitemap lets script, frames, handlers or script-capable URLs through, and no
scrape touches the site's own files.

Whatever files are in tests/hostile/ (but its README) are built: a case added there is checked.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import copy_project, pelican_build

HOSTILE = Path(__file__).parent / "hostile"
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "cite", "data", "background", "ping"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}
# The theme's own scripts: JSON-LD blocks, and the search page's Pagefind UI and glue.
THEME_SCRIPT_SOURCES = ("pagefind/pagefind-ui.js", "theme/js/search.js")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\]")


def browser_scheme(url: str) -> str:
    """The scheme a browser reads in an attribute value (already HTML-decoded once by the parser):
    entities decoded until stable, ASCII whitespace and control characters dropped."""
    while (decoded := html.unescape(url)) != url:
        url = decoded
    match = _SCHEME.match(_INVISIBLE.sub("", url).lower())
    return match.group(1) if match else ""


class Tokens(HTMLParser):
    """Start tags with their (decoded) attributes and each script's text, as a tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def html_problems(markup: str, where: str) -> list[str]:
    """What in ``markup`` could run script or frame another page."""
    tokens = Tokens()
    tokens.feed(markup)
    tokens.close()
    problems = []
    for tag, attributes in tokens.tags:
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"{where}: <{tag}> has handler {name}={value!r}")
            elif name == "autofocus":
                problems.append(f"{where}: <{tag}> has autofocus")
            elif name in URL_ATTRIBUTES and value:
                urls = [part.split()[0] for part in value.split(",") if part.split()] if name in ("srcset", "ping") \
                    else [value]
                for url in urls:
                    if browser_scheme(url) not in SAFE_SCHEMES | {""}:
                        problems.append(f"{where}: <{tag} {name}={value[:80]!r}>")
        if tag in FORBIDDEN_TAGS:
            problems.append(f"{where}: <{tag}>")
    for attributes, text in tokens.scripts:
        if attributes.get("type") == "application/ld+json":
            try:
                json.loads(text)
            except ValueError as error:
                problems.append(f"{where}: JSON-LD does not parse ({error}): {text[:80]!r}")
            if re.search(r"</script|<!--", text, re.I):
                problems.append(f"{where}: JSON-LD can close its script: {text[:80]!r}")
        elif not (attributes.get("src") or "").endswith(THEME_SCRIPT_SOURCES) or text.strip():
            problems.append(f"{where}: script {attributes} {text[:80]!r}")
    return problems


def corpus_files() -> list[Path]:
    return sorted(p for p in HOSTILE.rglob("*") if p.is_file() and p.name != "README.md")


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> tuple[Path, Path]:
    """(project, output): the sample site with the corpus under content/scraped/, built."""
    assert corpus_files(), "tests/hostile/ is empty"
    project = copy_project(tmp_path_factory.mktemp("hostile-project"))
    shutil.copytree(HOSTILE, project / "content" / "scraped", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("README.md"))
    output = tmp_path_factory.mktemp("hostile-output")
    pelican_build(project, output)
    return project, output


def test_corpus_stories_are_built(hostile_build):
    project, output = hostile_build
    pages = "".join(p.read_text(encoding="utf-8") for p in output.glob("*/*/*/index.html"))
    for title in ("Harbour pilots strike", "Ferry timetable cut", "Night bus routes", "Bridge repairs",
                  "Library opens late", "Council publishes the ferry contract"):
        assert title in pages, f"{title!r}: no story page"


def test_no_page_can_run_script(hostile_build):
    _, output = hostile_build
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 50
    problems = [problem for page in pages
                for problem in html_problems(page.read_text(encoding="utf-8"), str(page.relative_to(output)))]
    assert problems == []


def test_language_is_a_tag_everywhere(hostile_build):
    _, output = hostile_build
    for page in output.rglob("*.html"):
        match = re.search(r'<html lang="([^"]*)"', page.read_text(encoding="utf-8"))
        assert match and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", match.group(1)), page
    assert not [p for p in output.rglob("*") if re.search(r"[\"'<> ]", p.name)]


def test_feeds_and_sitemaps_parse_and_carry_no_script(hostile_build):
    _, output = hostile_build
    documents = sorted(output.rglob("*.xml"))
    assert any("feeds" in p.parts for p in documents) and (output / "sitemap.xml").exists()
    problems = []
    for document in documents:
        root = ElementTree.parse(document).getroot()  # raises if not well-formed
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            if name in ("content", "summary", "description") and element.text:
                problems += html_problems(element.text, f"{document.relative_to(output)} <{name}>")
            for attribute in ("href", "src"):
                if element.get(attribute) and browser_scheme(element.get(attribute)) not in SAFE_SCHEMES | {""}:
                    problems.append(f"{document.relative_to(output)}: {attribute}={element.get(attribute)!r}")
    assert problems == []


def test_names_are_names(hostile_build):
    _, output = hostile_build
    for index in ("authors", "tags"):
        text = (output / index / "index.html").read_text(encoding="utf-8")
        names = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', text)
        assert names
        for name in names:
            assert not re.search(r"^&[a-z]+$|^/|[<>;]|&lt;|&gt;|script&", html.unescape(name)), (index, name)


def test_site_images_untouched_and_shown(hostile_build):
    project, output = hostile_build
    source = project / "content" / "images"
    copied = {name: data for name, data in site_files(output / "images").items() if not name.startswith("sized/")}
    assert copied == site_files(source), "the site's own images moved or changed"  # sized/: the theme's variants
    assert not [p for p in output.rglob("*") if p.suffix in (".jpg", ".png") and "images" not in p.parts
                and "theme" not in p.parts]
    # every local image any page shows exists (other stories keep their images)
    missing = []
    for page in output.rglob("*.html"):
        tokens = Tokens()
        tokens.feed(page.read_text(encoding="utf-8"))
        here = "http://site.test/" + page.relative_to(output).as_posix()
        for tag, attributes in tokens.tags:
            src = attributes.get("src") if tag == "img" else None
            url = urljoin(here, src) if src else ""
            if url.startswith("http://site.test/"):
                if not (output / unquote(urlsplit(url).path).lstrip("/")).is_file():
                    missing.append(f"{page.relative_to(output)}: {src}")
    assert missing == []
    shown = "".join(p.read_text(encoding="utf-8") for p in output.glob("*/*/*/index.html"))
    for image in source.iterdir():
        if image.name in "".join(p.read_text(encoding="utf-8") for p in (project / "content").rglob("*.md")):
            assert f"images/{image.name}" in shown, f"{image.name}: no story shows it any more"


def story_pages(output: Path) -> list[str]:
    """Paths of the story pages built from the corpus (their text comes from tests/hostile/)."""
    corpus = "".join(p.read_text(encoding="utf-8", errors="replace") for p in corpus_files())
    return [p.parent.relative_to(output).as_posix() + "/" for p in sorted(output.glob("*/*/*/index.html"))
            if re.search(r"<h1 class=\"headline\">([^<]{12})", p.read_text(encoding="utf-8"))
            and html.unescape(re.search(r"<h1 class=\"headline\">([^<]{12})",
                                        p.read_text(encoding="utf-8")).group(1)) in corpus]


def dialogs_on(base_url: str, paths: list[str]) -> list[str]:
    """Open each page in Chromium, tab through it, focus and hover what can be: the dialogs seen."""
    from playwright.sync_api import sync_playwright

    from newsroom_theme.screenshots import CHROMIUM, CHROMIUM_ARGS

    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in paths:
            page.goto(base_url + path, wait_until="load")
            page.wait_for_timeout(100)
            for _ in range(25):
                page.keyboard.press("Tab")
            page.evaluate("""() => { for (const el of document.querySelectorAll('*')) {
                if (el.focus) el.focus();
                for (const type of ['mouseover', 'mouseenter', 'focus', 'click'])
                    if (type !== 'click' || el.tagName !== 'A') el.dispatchEvent(new Event(type)); } }""")
            for link in page.locator("main a").all()[:40]:
                if link.is_visible():
                    link.hover()
        browser.close()
    return dialogs


def test_no_dialog_in_a_browser(hostile_build):
    """Front page, page 2, the corpus stories, their sections, authors, tags and month: Chromium
    focuses, tabs and hovers; no script of a scrape may open a dialog."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    from newsroom_theme.screenshots import serve

    _, output = hostile_build
    stories = story_pages(output)
    assert len(stories) >= 5
    listings = sorted({p.parent.relative_to(output).as_posix() + "/" for folder in ("section", "author", "tag")
                       for p in (output / folder).glob("*/index.html")})
    paths = ["", "page/2/", *stories, *listings, "2026/11/", "authors/", "tags/", "sections/"]
    paths = [p for p in paths if (output / p / "index.html").exists()]
    with serve(output) as url:
        assert dialogs_on(url, paths) == []
