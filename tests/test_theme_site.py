"""The built sample site (``theme_site`` fixture): pages, metadata, feeds, sitemaps."""

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

import pelicanconf

from tests.theme_sample import build_theme_site, utc_now, write_theme_site

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$")
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "n": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article_dir(site: Path, slug: str) -> Path:
    found = list(site.glob(f"*/*/{slug}/index.html"))
    assert len(found) == 1, f"no single page for {slug}: {found}"
    return found[0]


def html_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


def test_every_page_kind_is_built(theme_site):
    for rel in ["index.html", "404.html", "search/index.html", "about/index.html",
                "section/world/index.html", "tag/trade/index.html", "author/ana-ruiz/index.html",
                "archives/index.html", "sections/index.html", "tags/index.html", "authors/index.html",
                "sitemap.xml", "news-sitemap.xml", "robots.txt", "feeds/all.atom.xml",
                "feeds/all.rss.xml", "feeds/world.atom.xml", "feeds/world.rss.xml",
                "pagefind/pagefind-ui.js"]:
        assert (theme_site / rel).is_file(), rel
    year = next(p for p in theme_site.iterdir() if re.fullmatch(r"\d{4}", p.name))
    assert (year / "index.html").is_file()
    assert any((m / "index.html").is_file() for m in year.iterdir() if m.is_dir())


def test_front_page_has_lead_latest_and_bookmark(theme_site):
    page = soup(theme_site / "index.html")
    lead = page.select_one(".lead .story")
    assert lead.select_one("a[rel=bookmark]").get_text() == "Harbour reopens after long talks"
    img = lead.select_one("img")
    assert img["width"] == "1200" and img["height"] == "800" and img["alt"]
    assert img.get("fetchpriority") == "high"
    site = json.loads(page.find("script", type="application/ld+json").string)
    assert (site["@type"], site["name"], site["publisher"]["@type"]) == (
        "WebSite", pelicanconf.SITENAME, "NewsMediaOrganization")
    assert len(page.select(".latest .story")) == 6
    blocks = {b.h2.get_text(): [a.get_text() for a in b.select(".story-title a")]
              for b in page.select(".section-block")}
    assert blocks == {"World": ["Port strike after long talks"],
                      "Politics": ["Senate reform after long talks"]}
    # Each of the nine stories appears exactly once on the front page.
    titles = [a.get_text() for a in page.select("main .story-title a")]
    assert len(titles) == len(set(titles)) == 9


def test_every_page_has_its_own_title_one_h1_a_description_and_no_root_relative_link(theme_site):
    titles = {}
    for path in html_files(theme_site):
        page = soup(path)
        titles.setdefault(page.title.get_text(), []).append(path)
        assert len(page.find_all("h1")) == 1, path
        desc = page.find("meta", attrs={"name": "description"})
        assert desc and desc["content"].strip(), path
        if path.name == "404.html":
            continue  # a server shows it at any missing path, however deep: its links start from the root
        for tag_ in page.find_all(["a", "link", "img", "script", "form"]):
            url = tag_.get("href") or tag_.get("src") or tag_.get("action") or ""
            assert not url.startswith("/"), f"{path}: root-relative {url}"
    assert {t: p for t, p in titles.items() if len(p) > 1} == {}


def test_article_page_parts(theme_site):
    page = soup(article_dir(theme_site, "chip-plant"))
    assert page.select_one("h1.headline").get_text() == "Chip plant after long talks"
    assert "standfirst" in page.select_one(".article-header p.standfirst")["class"]
    authors = page.select(".byline a[rel=author]")
    assert [a.get_text() for a in authors] == ["Ana Ruiz", "Li Wei"]
    assert authors[0]["href"].endswith("author/ana-ruiz/")
    times = page.select(".dateline time")
    assert len(times) == 2 and all(ISO_WITH_OFFSET.match(t["datetime"]) for t in times)
    assert re.search(r"\d+ min read", page.select_one(".dateline").get_text())
    figure = page.select_one("figure.lead-image")
    assert figure.img["alt"] == "Illustration for chip-plant" and figure.img["width"] == "1200"
    assert figure.figcaption.get_text() == "Picture for the chip plant story."
    assert [a.get_text() for a in page.select(".tags a[rel=tag]")] == ["Trade", "Industry"]
    assert page.select_one(".kicker a").get_text() == "Business"
    related = [a.get_text() for a in page.select(".related .story-title a")]
    # earlier stories only (Harbour reopens shares Trade but came later: it is not ranked here)
    assert related == ["Quantum sensor after long talks"]
    assert page.find("link", rel="alternate", href=re.compile(r"feeds/business\.atom\.xml$"))


def test_previous_and_next_stay_in_section(theme_site):
    newer = soup(article_dir(theme_site, "harbour-reopens"))
    older = soup(article_dir(theme_site, "port-strike"))
    assert newer.select_one(".neighbours a[rel=prev]")["href"].endswith("port-strike/")
    assert not newer.select_one(".neighbours a[rel=next]")
    assert older.select_one(".neighbours a[rel=next]")["href"].endswith("harbour-reopens/")


def test_scraped_story_credits_and_canonicalises_its_source(theme_site):
    page = soup(article_dir(theme_site, "port-strike"))
    assert page.find("link", rel="canonical")["href"] == "https://example.com/news/port-strike"
    line = page.select_one(".source-line")
    assert line.get_text(" ", strip=True) == "Originally published at Example Tribune"
    assert line.a["href"] == "https://example.com/news/port-strike"
    # Its remote lead and body images are share metadata and a link: the page loads
    # nothing from elsewhere.
    assert not page.select("main img")
    link = page.select_one(".article-body a.offsite-image")
    assert (link["href"], link.get_text()) == ("https://cdn.example.com/pickets.jpg",
                                               "Image at cdn.example.com: Pickets at the gate")
    og_image = page.find("meta", property="og:image")["content"]
    assert og_image == 'https://cdn.example.com/strike.jpg?crop="wide"'
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["image"] == [og_image]


def test_markup_in_titles_summaries_and_tags_is_shown_as_text(theme_site):
    page = soup(article_dir(theme_site, "gallery-opens"))
    assert page.h1.get_text() == 'Gallery opens alert("t")& more'
    assert page.select_one(".article-header .standfirst").get_text() == 'Art alert("s")<b> & more'
    assert page.find("a", rel="tag", string="R&D")
    assert page.title.get_text().startswith('Gallery opens alert("t")& more |')
    assert not page.select("main script, main b, h1 *")
    front = soup(theme_site / "index.html")
    teaser = front.find("a", string='Gallery opens alert("t")& more')
    assert teaser and not teaser.find_all(True)


def test_jsonld_news_article_required_fields(theme_site):
    page = soup(article_dir(theme_site, "chip-plant"))
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Chip plant after long talks"
    assert ISO_WITH_OFFSET.match(data["datePublished"]) and ISO_WITH_OFFSET.match(data["dateModified"])
    assert [a["name"] for a in data["author"]] == ["Ana Ruiz", "Li Wei"]
    assert all(a["@type"] == "Person" and a["url"].endswith("/") for a in data["author"])
    assert data["image"][0].endswith("images/chip-plant.jpg")
    assert data["publisher"]["@type"] == "NewsMediaOrganization" and data["publisher"]["name"]


def test_social_tags_on_article(theme_site):
    page = soup(article_dir(theme_site, "chip-plant"))
    prop = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert prop["og:type"] == "article"
    assert prop["og:title"] == "Chip plant after long talks"
    assert prop["og:image"].endswith("images/chip-plant.jpg")
    assert ISO_WITH_OFFSET.match(prop["article:published_time"])
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"


def test_article_page_is_small_and_readable_without_javascript(theme_site):
    for path in theme_site.glob("*/*/*/index.html"):
        assert path.stat().st_size < 50_000, path
    for path in html_files(theme_site):
        if path.parent.name == "search":
            continue
        scripts = soup(path).find_all("script")
        assert all(s.get("type") == "application/ld+json" for s in scripts), path


def test_feeds_parse_and_are_linked_from_head(theme_site):
    atom = ET.parse(theme_site / "feeds" / "all.atom.xml").getroot()
    assert len(atom.findall("atom:entry", NS)) == 9
    rss = ET.parse(theme_site / "feeds" / "world.rss.xml").getroot()
    assert len(rss.findall("channel/item")) == 2
    home = soup(theme_site / "index.html")
    types = {link["type"] for link in home.find_all("link", rel="alternate")}
    assert types == {"application/atom+xml", "application/rss+xml"}
    section = soup(theme_site / "section" / "world" / "index.html")
    assert section.find("link", rel="alternate", href=re.compile(r"feeds/world\.rss\.xml$"))


def test_sitemaps_parse_and_news_sitemap_holds_last_two_days(theme_site):
    locs = [e.text for e in ET.parse(theme_site / "sitemap.xml").getroot().findall("s:url/s:loc", NS)]
    assert sum("/chip-plant/" in loc for loc in locs) == 1
    assert any(loc.endswith("about/") for loc in locs)
    news = ET.parse(theme_site / "news-sitemap.xml").getroot()
    titles = [e.text for e in news.findall("s:url/n:news/n:title", NS)]
    # 3, 20 and 30 hours old are in; 80 hours and older are out.
    assert titles == ["Harbour reopens after long talks", "Budget vote after long talks",
                      "Chip plant after long talks"]
    assert (theme_site / "robots.txt").read_text().startswith("User-agent: *")


def test_404_page_offers_search_and_home(theme_site):
    page = soup(theme_site / "404.html")
    assert page.h1.get_text() == "Page not found"
    assert page.select_one("main form[role=search]")["action"].endswith("search/")


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    """The same content built for production under a sub-path (absolute SITEURL), eight
    stories on the front page, and the publisher settings changed from the command line."""
    base = tmp_path_factory.mktemp("subpath_site")
    write_theme_site(base / "content", utc_now())
    done = build_theme_site(base / "content", base / "output", extra=[
        'SITEURL="https://news.example/sub"', "RELATIVE_URLS=false",
        'FEED_DOMAIN="https://news.example/sub"', "NEWSROOM_SEARCH=false", "NEWSROOM_LATEST_STORIES=8",
        'NEWSROOM_MENU_SECTIONS=["Politics"]', 'NEWSROOM_LOGO="images/cup-final.jpg"',
        "NEWSROOM_LOGO_WIDTH=180", "NEWSROOM_LOGO_HEIGHT=40", 'NEWSROOM_FOOTER_TEXT="Footer words"',
        'NEWSROOM_SOCIAL=[["Fediverse", "https://social.example/@daily"]]',
        'NEWSROOM_TWITTER_SITE="@daily"', 'SITENAME="Sub Daily"',
        'NEWSROOM_DEFAULT_IMAGE="images/budget-vote.jpg"'])
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "output"


def test_subpath_build_links_stay_under_the_sub_path(subpath_site):
    for path in html_files(subpath_site):
        page = soup(path)
        for tag_ in page.find_all(["a", "link", "img", "script", "form"]):
            url = tag_.get("href") or tag_.get("src") or tag_.get("action")
            if url is None or url.startswith("#"):
                continue
            external = not url.startswith("https://news.example/")
            assert external or url.startswith("https://news.example/sub/"), f"{path}: {url}"
            assert not url.startswith("/"), f"{path}: {url}"
    robots = (subpath_site / "robots.txt").read_text()
    assert "Sitemap: https://news.example/sub/sitemap.xml" in robots
    assert "Sitemap: https://news.example/sub/news-sitemap.xml" in robots
    page = soup(article_dir(subpath_site, "chip-plant"))
    assert page.find("link", rel="canonical")["href"] == "https://news.example/sub/" + \
        str(article_dir(subpath_site, "chip-plant").parent.relative_to(subpath_site)) + "/"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["author"][0]["url"] == "https://news.example/sub/author/ana-ruiz/"
    # Reading time must not freeze the body before intersite links to pages resolve.
    assert page.find("a", string="about this newsroom")["href"] == "https://news.example/sub/about/"


def test_front_page_lists_the_newest_stories_and_links_the_month_of_the_next(subpath_site):
    home = soup(subpath_site / "index.html")
    assert [a.get_text() for a in home.select(".site-nav a")] == ["Home", "Politics"]
    # Lead + 6 latest; Politics' newest not shown above is the ninth story; the 8th story is
    # in no block, so it is listed under "More stories".
    assert [a.get_text() for a in home.select(".section-block .story-title a")] == [
        "Senate reform after long talks"]
    assert [a.get_text() for a in home.select(".more .story-title a")] == ["Port strike after long talks"]
    # older stories: the month page holding the ninth, which lists it
    month = article_dir(subpath_site, "senate-reform").parent.parent
    older = home.select_one(".pagination a[rel=next]")
    assert older["href"] == f"https://news.example/sub/{month.relative_to(subpath_site).as_posix()}/"
    page = soup(month / "index.html")
    assert "Senate reform after long talks" in [a.get_text() for a in page.select(".story-list .story-title a")]
    assert page.select_one(".pagination a[rel=prev]")["href"].startswith("https://news.example/sub/")


def test_publisher_settings_reach_every_page(subpath_site):
    for path in html_files(subpath_site):
        page = soup(path)
        logo = page.select_one("header .brand img")
        assert logo["src"] == "https://news.example/sub/images/cup-final.jpg", path
        assert (logo["width"], logo["height"], logo["alt"]) == ("180", "40", "Sub Daily")
        assert page.select_one(".footer-text").get_text() == "Footer words"
        social = page.select_one("footer .social a")
        assert (social.get_text(), social["href"]) == ("Fediverse", "https://social.example/@daily")
        assert page.find("meta", attrs={"name": "twitter:site"})["content"] == "@daily"
    data = json.loads(soup(article_dir(subpath_site, "cup-final")).find(
        "script", type="application/ld+json").string)
    assert data["publisher"]["name"] == "Sub Daily"
    assert data["publisher"]["logo"]["url"] == "https://news.example/sub/images/cup-final.jpg"
    # A story without an image of its own shares the default image.
    no_image = soup(article_dir(subpath_site, "quantum-sensor"))
    assert json.loads(no_image.find("script", type="application/ld+json").string)["image"] == [
        "https://news.example/sub/images/budget-vote.jpg"]
    assert no_image.find("meta", property="og:image")["content"] == \
        "https://news.example/sub/images/budget-vote.jpg"
    assert soup(subpath_site / "about" / "index.html").find("meta", property="og:image")["content"] == \
        "https://news.example/sub/images/budget-vote.jpg"


def test_year_archive_indexes_its_months_and_months_list_their_stories(theme_site):
    """A year page links each month (not every story of the year); the month page lists its
    stories, says how many, and links back to its year."""
    for year in (p for p in theme_site.iterdir() if re.fullmatch(r"\d{4}", p.name)):
        page = soup(year / "index.html")
        assert not page.select(".story")
        months = {m.name for m in year.iterdir() if m.is_dir()}
        links = page.select("main .index-list li")
        assert {li.a["href"].rstrip("/").split("/")[-1] for li in links} == months
        for li in links:
            month = soup(year / li.a["href"].rstrip("/").split("/")[-1] / "index.html")
            count = int(month.select_one(".listing-feeds").get_text().split()[0])
            assert len(month.select(".story")) == count > 0
            assert month.select(".kicker a")[-1]["href"].rstrip("/").endswith(year.name)
