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
    (project / "content" / "world" / "2026-11-28-unfinished.md").write_text(
        "Title: Unfinished story\nDate: 2026-11-28 10:00\nCategory: World\nStatus: draft\n\nNot yet.\n"
    )
    output = tmp_path / "out"
    base = "https://example.github.io/newsroom/"
    pelican_build(project, output, "publishconf.py", env={"NEWSROOM_SITEURL": base.rstrip("/")})
    assert broken_links(output, base) == []
    feed = (output / "feeds" / "all.atom.xml").read_text()
    assert f'href="{base}' in feed  # absolute feed URLs
    assert "Unfinished story" not in "".join(p.read_text() for p in output.rglob("*.html"))  # no drafts


def test_a_scraped_lede_is_shown_once(sample_site: Path):
    main = lxml_html.fromstring((sample_site / SEED_PAGE).read_bytes()).xpath("//main")[0]
    assert main.text_content().count("North Korean Foreign Minister Choe Son Hui is in Russia for talks") == 1


def test_a_scrape_in_another_language_keeps_the_dated_url_scheme(tmp_path: Path):
    project = copy_project(tmp_path / "site")
    (project / "content" / "scraped" / "haber.html").write_text(
        '<!DOCTYPE html><html lang="tr"><head><meta charset="utf-8"><title>Liman yeniden açıldı</title>'
        '<meta property="article:published_time" content="2026-11-20T08:00:00+03:00"></head><body>'
        "<article><h1>Liman yeniden açıldı</h1><p>Fırtınadan sonra liman bugün yeniden açıldı ve gemiler "
        "sabah saatlerinden itibaren yük boşaltmaya başladı.</p><p>Yetkililer, hasarın beklenenden az "
        "olduğunu ve onarımların iki hafta içinde biteceğini söyledi.</p></article></body></html>",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    pelican_build(project, output)
    [page] = output.glob("2026/11/liman-yeniden-acildi-tr/index.html")
    assert "Fırtınadan sonra liman" in page.read_text(encoding="utf-8")
    assert broken_links(output) == []


UNDATED_SCRAPE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry timetable changes again</title>'
    "</head><body><article><h1>Ferry timetable changes again</h1><p>The island ferry will leave half an hour "
    "earlier from next month, the operator said, the third change this year.</p><p>Commuters said the new "
    "times clash with the first bus and asked the council to move the bus as well.</p></article></body></html>"
)


def test_an_undated_scrape_is_held_as_a_draft_off_every_listing(tmp_path: Path):
    """A scrape with no date used to be dated by its file time and top the front page."""
    project = copy_project(tmp_path / "site")
    (project / "content" / "scraped" / "ferry.html").write_text(UNDATED_SCRAPE, encoding="utf-8")
    output = tmp_path / "out"
    result = pelican_build(project, output, env={"COLUMNS": "400"})  # one log line, unwrapped
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "ferry" in line]
    assert len(warnings) == 1 and "scraped/ferry.html: no publication date found (held as a draft" in warnings[0]
    draft = (output / "drafts" / "ferry-timetable-changes-again" / "index.html").read_text()
    assert "Ferry timetable" in draft
    listed = [p for p in output.rglob("*") if p.is_file() and "drafts" not in p.parts and p.suffix in (
        ".html", ".xml", ".txt", ".json")]
    assert not [p for p in listed if "Ferry timetable" in p.read_text(encoding="utf-8", errors="replace")]
    assert not [p for p in listed if "ferry-timetable" in p.read_text(encoding="utf-8", errors="replace")]
    # Pagefind indexes only pages marked data-pagefind-body once any page is: a draft is not marked
    assert "data-pagefind-body" not in draft and "data-pagefind-body" in (output / SEED_PAGE).read_text()
    assert (output / SEED_PAGE).exists() and broken_links(output) == []
