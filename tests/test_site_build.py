"""End-to-end: the sample site, built by real Pelican, as a reader and a crawler get it."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from tests.conftest import copy_project, pelican_build
from tests.sitecheck import broken_links

SEED_TITLE = "Russia hosts North Korean foreign minister to strengthen ties"
SEED_PAGE = "2024/01/russia-hosts-north-korean-foreign-minister-to-strengthen-ties/index.html"
BOILERPLATE = ["Abone Ol", "google-news", "Most Read News", "Publication:"]


def text_of(page: Path) -> str:
    return lxml_html.fromstring(page.read_bytes()).text_content()


def test_the_seed_scrape_becomes_a_clean_article(sample_site: Path):
    page = sample_site / SEED_PAGE
    assert page.exists(), sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html"))
    tree = lxml_html.fromstring(page.read_bytes())
    [main] = tree.xpath("//main") or [tree.body]
    body = main.text_content()
    assert body.count(SEED_TITLE) == 1
    assert SEED_TITLE in tree.findtext(".//title")
    assert tree.xpath("//time[starts-with(@datetime, '2024-01-15T11:33')]")
    for phrase in BOILERPLATE:
        assert phrase not in page.read_text()
    paragraphs = [p.text_content() for p in main.iter("p")]
    first = next(i for i, p in enumerate(paragraphs) if p.startswith("Choe arrived in Moscow on Sunday"))
    last = next(i for i, p in enumerate(paragraphs) if p.startswith("Anthony Rinna, a Korea-Russia"))
    assert first < last  # body kept in order, through its last paragraph
    assert any(p.startswith("Artyom Lukin of Russia") for p in paragraphs[first:last])


def test_the_seed_summary_is_its_first_paragraph(sample_site: Path):
    lede = "North Korean Foreign Minister Choe Son Hui is in Russia for talks"
    feed = (sample_site / "feeds" / "all.atom.xml").read_text()
    assert lede in feed
    description = lxml_html.fromstring((sample_site / SEED_PAGE).read_bytes()).xpath(
        "//meta[@name='description']/@content"
    )
    assert description and description[0].startswith(lede)


def test_every_hand_written_post_and_the_about_page_are_built(sample_site: Path):
    content = Path(__file__).resolve().parent.parent / "content"
    posts = [p for p in content.rglob("*.md") if "pages" not in p.parts]
    assert len(posts) >= 12
    titles = {line.split(": ", 1)[1] for p in posts for line in p.read_text().splitlines()[:3] if line.startswith("Title: ")}
    site_text = "".join(text_of(page) for page in sample_site.rglob("*/index.html"))
    for title in titles:
        assert title in site_text
    assert (sample_site / "about" / "index.html").exists()


def test_no_internal_link_of_the_sample_site_is_broken(sample_site: Path):
    assert broken_links(sample_site) == []


def test_production_build_under_a_sub_path_has_no_broken_links(tmp_path: Path):
    project = copy_project(tmp_path / "site")
    output = tmp_path / "out"
    base = "https://example.github.io/newsroom/"
    pelican_build(project, output, "publishconf.py", env={"NEWSROOM_SITEURL": base.rstrip("/")})
    assert broken_links(output, base) == []
    feed = (output / "feeds" / "all.atom.xml").read_text()
    assert f'href="{base}' in feed  # absolute feed URLs
    assert not list(output.glob("drafts/**/*.html"))


def test_a_scraped_lede_is_shown_once(sample_site: Path):
    main = lxml_html.fromstring((sample_site / SEED_PAGE).read_bytes()).xpath("//main")[0]
    assert main.text_content().count("North Korean Foreign Minister Choe Son Hui is in Russia for talks") == 1
