"""Unit tests of the theme plugin's pure functions (no build)."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from newsroom_theme import enrich, images, jsonld, search, sitemaps
from newsroom_theme.settings import DEFAULTS, apply_defaults

UTC = timezone.utc
NS = {"s": sitemaps.SITEMAP_NS, "n": sitemaps.NEWS_NS}


def tag(name):
    return SimpleNamespace(name=name, slug=name.lower())


def story(slug, section="World", tags=(), hours=0, **extra):
    return SimpleNamespace(
        slug=slug, title=f"{slug} &amp; more", url=f"2026/11/{slug}/",
        date=datetime(2026, 11, 28, 12, tzinfo=UTC) - timedelta(hours=hours),
        category=SimpleNamespace(name=section, slug=section.lower(), url=f"section/{section.lower()}/"),
        tags=[tag(t) for t in tags], **extra)


# --- reading time ---------------------------------------------------------------------

def test_word_count_ignores_markup_and_entities():
    assert enrich.word_count("<p>One <b>two</b> three&nbsp;four</p><p>five</p>") == 5
    assert enrich.word_count("") == 0


def test_reading_time_rounds_up_and_is_zero_only_without_text():
    assert enrich.reading_time(enrich.word_count("<p>" + "word " * 230 + "</p>"), 230) == 1
    assert enrich.reading_time(enrich.word_count("<p>" + "word " * 231 + "</p>"), 230) == 2
    assert enrich.reading_time(enrich.word_count("<p>word</p>"), 230) == 1
    assert enrich.reading_time(enrich.word_count("<div> </div>"), 230) == 0


def test_standfirst_is_dropped_when_the_body_opens_with_it():
    body = "<h2>x</h2><p>Tens of thousands of homes <b>lost</b> power overnight as the storm hit.</p><p>More.</p>"
    assert enrich.standfirst("<p>Tens of thousands of homes lost power overnight…</p>", body) == ""
    assert enrich.standfirst("Tens of thousands of homes lost power overnight as the storm hit.", body) == ""
    assert enrich.standfirst("<p>Storm &amp; power: what next</p>", body) == "Storm & power: what next"
    assert enrich.standfirst("", body) == ""
    assert enrich.standfirst("A summary.", "") == "A summary."


# --- images and sources -----------------------------------------------------------------

def test_offsite_body_images_become_links_and_the_rest_is_untouched():
    html = ('Intro &amp; <p>Before <img alt="Waves  at the wall" src="https://cdn.example/w.jpg"> after</p>'
            '<p><a href="https://paper.example/"><img src="//cdn.example/x.jpg"></a></p>'
            '<p><img alt="local" src="images/a.jpg" width="10" height="10"></p>')
    out = enrich.link_offsite_images(html)
    assert out.startswith("Intro &amp; <p>Before ")
    assert ('<a class="offsite-image" href="https://cdn.example/w.jpg">'
            'Image at cdn.example: Waves at the wall</a> after</p>') in out
    assert '<a href="https://paper.example/"><span class="offsite-image">Image at cdn.example</span></a>' in out
    assert '<img alt="local" src="images/a.jpg" width="10" height="10">' in out
    assert out.count("<img") == 1
    unchanged = '<p>No <b>images</b> here &lt;img&gt;</p>'
    assert enrich.link_offsite_images(unchanged) == unchanged
    local_only = '<p><img src="images/a.jpg" alt=""></p>'
    assert enrich.link_offsite_images(local_only) == local_only


def _image_set(content: Path, cache: Path) -> images.ImageSet:
    settings = {**DEFAULTS, "CACHE_PATH": str(cache)}
    return images.ImageSet(images.Config.from_settings(settings), str(content))


def test_lead_image_reads_size_of_local_file(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (640, 427)).save(tmp_path / "images" / "a.jpg")
    found = _image_set(tmp_path, tmp_path / "cache")
    found.original("images/a.jpg")
    found.prepare()
    img = enrich.lead_image({"image": "images/a.jpg", "image_alt": "Alt", "image_caption": "Cap"},
                            found.facts, "post.md")
    assert (img["width"], img["height"], img["alt"], img["caption"]) == (640, 427, "Alt", "Cap")
    assert [width for _, width in img["webp"]] == [480, 640]  # never upscaled to 800
    assert img["src"].endswith("-640.jpg") and img["webp"][0][0].endswith("-480.webp")


def test_lead_image_skips_missing_remote_and_unsafe(tmp_path, caplog):
    facts = _image_set(tmp_path, tmp_path / "cache").facts
    assert enrich.lead_image({"image": "images/none.jpg"}, facts, "post.md") is None
    assert "post.md" in caplog.text and "images/none.jpg" in caplog.text
    assert enrich.lead_image({"image": "https://cdn.example/x.jpg"}, facts, "p") is None
    assert enrich.lead_image({"image": "javascript:alert(1)"}, facts, "p") is None
    assert enrich.lead_image({}, facts, "p") is None
    (tmp_path / "content").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "outside.png")
    facts = _image_set(tmp_path / "content", tmp_path / "cache").facts
    assert enrich.lead_image({"image": "../outside.png"}, facts, "p.md") is None
    assert "outside the content folder" in caplog.text
    (tmp_path / "content" / "not-an-image.jpg").write_text("hello")
    assert enrich.lead_image({"image": "not-an-image.jpg"}, facts, "p") is None


def test_share_image_keeps_local_and_http_but_drops_other_schemes():
    assert enrich.share_image({"image": "/images/a.jpg"})["src"] == "images/a.jpg"
    assert enrich.share_image({"image": "https://cdn.example/x.jpg"})["src"] == "https://cdn.example/x.jpg"
    for bad in ("javascript:alert(1)", "data:image/png;base64,AAAA", "//evil.example/x.jpg"):
        assert enrich.share_image({"image": bad}) is None


def test_source_link_names_site_or_host_and_rejects_unsafe_urls():
    assert enrich.source_link({"source_url": "https://www.paper.example/a", "site_name": "The Paper"}) == {
        "url": "https://www.paper.example/a", "name": "The Paper"}
    assert enrich.source_link({"source_url": "https://www.paper.example/a"})["name"] == "paper.example"
    assert enrich.source_link({"source_url": "javascript:alert(1)"}) is None
    assert enrich.source_link({"source_url": "https://"}) is None
    assert enrich.source_link({}) is None


# --- related, neighbours, menu --------------------------------------------------------------

def test_related_stories_rank_by_shared_tags_then_recency():
    a = story("a", tags=["Trade", "Shipping"], hours=10)
    both = story("both", tags=["Shipping", "Trade"], hours=50)
    one_new = story("one-new", tags=["Trade"], hours=1)
    one_old = story("one-old", tags=["Shipping"], hours=90)
    none = story("none", tags=["Art"])
    untagged = story("untagged")
    related = enrich.related_stories([a, one_old, none, both, one_new, untagged], 3, window=10)
    assert [s.slug for s in related[id(a)]] == ["both", "one-new", "one-old"]
    assert [s.slug for s in related[id(one_new)]] == ["a", "both"]
    assert related[id(none)] == [] and related[id(untagged)] == []
    assert enrich.related_stories([a, both], 0, window=10)[id(a)] == []


def test_related_stories_look_only_at_neighbours_in_time_per_tag():
    stories = [story(f"s{h}", tags=["Trade"], hours=h) for h in range(10)]
    related = enrich.related_stories(stories, 5, window=1)
    assert [s.slug for s in related[id(stories[5])]] == ["s4", "s6"]
    assert [s.slug for s in related[id(stories[0])]] == ["s1"]


def slugs_of(related: dict[int, list]) -> dict[int, list[str]]:
    return {key: [s.slug for s in stories] for key, stories in related.items()}


def test_related_stories_reused_from_an_earlier_build_equal_a_fresh_ranking():
    """Across random edits (retags, new dates, new and deleted stories, equal dates), ranking
    with the last build's results at hand gives what ranking everything gives; and an edit
    that touches no tag or date reuses every story's result."""
    import random

    rng = random.Random(7)
    names = ["Trade", "Shipping", "Art", "Energy", "Courts"]

    def new_story(i):
        return story(f"s{i}", tags=rng.sample(names, rng.randrange(0, 4)), hours=rng.randrange(40),
                     source_path=f"/c/s{i}.md")

    stories = [new_story(i) for i in range(30)]
    known: dict = {}
    for step in range(60):
        result = enrich.related_stories(stories, 3, 4, known)
        fresh = enrich.related_stories(stories, 3, 4)
        assert slugs_of(result) == slugs_of(fresh), step
        assert set(known) == {s.source_path for s in stories} | {enrich.SITE_KEY, enrich.TAG_LISTS}
        change = rng.choice(["retag", "redate", "add", "newest", "delete", "reorder"])
        victim = rng.randrange(len(stories))
        if change == "retag":
            stories[victim].tags = [tag(t) for t in rng.sample(names, rng.randrange(0, 4))]
        elif change == "redate":
            stories[victim].date = stories[rng.randrange(len(stories))].date  # equal dates too
        elif change == "reorder":  # the same stories in another order (ties rank by it)
            stories.insert(rng.randrange(len(stories)), stories.pop(victim))
        elif change == "add":
            stories.insert(victim, new_story(100 + step))
        elif change == "newest":  # as a newsroom adds them
            stories.insert(0, new_story(100 + step))
            stories[0].date = max(s.date for s in stories) + timedelta(hours=rng.choice([0, 1]))
        elif len(stories) > 5:
            del stories[victim]

    # a body edit: nothing related_stories reads changes, so no story is ranked again
    enrich.related_stories(stories, 3, 4, known)
    before = dict(known)
    edited = [SimpleNamespace(**vars(s)) for s in stories]  # new objects, same fields
    again = enrich.related_stories(edited, 3, 4, known)
    assert all(known[path] is before[path] for path in before)
    by_path = {s.source_path: s for s in edited}
    assert all(again[id(s)] == [by_path[p] for p in known[s.source_path][1]] for s in edited)


def test_a_story_added_as_the_newest_ranks_again_only_the_stories_near_it_in_its_tags():
    names = ["Trade", "Shipping", "Art"]
    stories = [story(f"s{h}", tags=[names[h % 3], names[(h + 1) % 3]], hours=100 - h, source_path=f"/c/s{h}.md")
               for h in range(60)]
    known: dict = {}
    enrich.related_stories(stories, 3, 4, known)
    before = dict(known)
    newest = story("new", tags=["Trade"], hours=0, source_path="/c/new.md")
    result = enrich.related_stories([newest, *stories], 3, 4, known)
    fresh = enrich.related_stories([newest, *stories], 3, 4)
    assert slugs_of(result) == slugs_of(fresh)
    ranked = {s.slug for s in stories if known[s.source_path] is not before[s.source_path]}
    # the 4 newest Trade stories have the new one among their candidates; the others kept theirs
    trade = [s.slug for s in stories if "trade" in [t.slug for t in s.tags]]
    assert ranked == set(trade[-4:])


def test_related_stories_cache_survives_damage_and_other_settings(tmp_path, caplog):
    from newsroom_theme.generator import RelatedCache

    caplog.set_level("INFO")
    settings = {"CACHE_PATH": str(tmp_path), "NEWSROOM_RELATED_COUNT": 3, "NEWSROOM_RELATED_WINDOW": 20}
    cache = RelatedCache(settings)
    assert cache.load() == {}
    cache.save({"/c/a.md": ((), ["/c/b.md"])})
    assert cache.load() == {"/c/a.md": ((), ["/c/b.md"])}
    assert RelatedCache({**settings, "NEWSROOM_RELATED_COUNT": 4}).load() == {}  # other count: rank all
    Path(cache.path).write_bytes(b"\x80\x05not a pickle")
    assert cache.load() == {}
    assert "unusable" in caplog.text


def test_section_neighbours_are_older_and_newer_in_same_section():
    w1, w2, w3 = story("w1", hours=30), story("w2", hours=20), story("w3", hours=10)
    p1 = story("p1", section="Politics", hours=15)
    result = enrich.section_neighbours([w3, p1, w2, w1])
    assert result[id(w2)] == (w1, w3)
    assert result[id(w1)] == (None, w2)
    assert result[id(w3)] == (w2, None)
    assert result[id(p1)] == (None, None)


def test_menu_sections_follow_setting_order_and_skip_unknown(caplog):
    cats = [(SimpleNamespace(name=n), [n]) for n in ("World", "Sport", "Business")]
    assert [c.name for c, _ in enrich.menu_sections(cats, ["sport", "World", "Weather"])] == ["Sport", "World"]
    assert "Weather" in caplog.text
    assert [c.name for c, _ in enrich.menu_sections(cats, None)] == ["Business", "Sport", "World"]


# --- JSON-LD ---------------------------------------------------------------------------------

def test_news_article_jsonld_has_required_fields_with_absolute_urls():
    art = story("a", tags=["Trade"],
                modified=datetime(2026, 11, 28, 14, tzinfo=timezone(timedelta(hours=1))),
                authors=[SimpleNamespace(name="Ana Ruiz", url="author/ana-ruiz/")],
                summary="<p>Short &amp; clear.</p>", share_image={"src": "images/a.jpg", "alt": ""},
                source={"url": "https://paper.example/a", "name": "Paper"}, word_count=420, lang="en")
    settings = {"SITENAME": "Daily", "NEWSROOM_LOGO": "images/logo.png", "NEWSROOM_LOGO_WIDTH": 200,
                "NEWSROOM_LOGO_HEIGHT": 40}
    data = jsonld.news_article(art, "https://news.example/sub", settings)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "a & more"
    assert data["datePublished"] == "2026-11-28T12:00:00+00:00"
    assert data["dateModified"] == "2026-11-28T14:00:00+01:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz",
                               "url": "https://news.example/sub/author/ana-ruiz/"}]
    assert data["image"] == ["https://news.example/sub/images/a.jpg"]
    assert data["publisher"]["name"] == "Daily"
    assert data["publisher"]["logo"]["url"] == "https://news.example/sub/images/logo.png"
    assert data["description"] == "Short & clear."
    assert data["isBasedOn"] == "https://paper.example/a"


def test_script_json_cannot_close_the_script_element():
    text = jsonld.script_json({"headline": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & <!--"


# --- sitemaps, robots ---------------------------------------------------------------------------

def test_sitemap_lists_urls_with_lastmod():
    when = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    root = ET.fromstring(sitemaps.sitemap_xml([sitemaps.Entry("https://n.example/", when),
                                               sitemaps.Entry("https://n.example/about/")]))
    assert [e.text for e in root.findall("s:url/s:loc", NS)] == ["https://n.example/", "https://n.example/about/"]
    assert [e.text for e in root.findall("s:url/s:lastmod", NS)] == ["2026-11-28T09:30:00+00:00"]


def test_sitemap_becomes_an_index_past_the_per_file_limit():
    entries = [sitemaps.Entry(f"https://n.example/{i}/") for i in range(5)]
    assert list(sitemaps.sitemap_files(entries, "https://n.example/", per_file=5)) == ["sitemap.xml"]
    files = sitemaps.sitemap_files(entries, "https://n.example/", per_file=2)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex"
    assert [e.text for e in index.findall("s:sitemap/s:loc", NS)] == [
        "https://n.example/sitemap-1.xml", "https://n.example/sitemap-2.xml", "https://n.example/sitemap-3.xml"]
    locs = [e.text for name in list(files)[1:]
            for e in ET.fromstring(files[name]).findall("s:url/s:loc", NS)]
    assert locs == [e.loc for e in entries]


def test_sitemaps_and_robots_are_written_only_when_their_bytes_change(tmp_path):
    """An unchanged file keeps its time (a deploy comparing times skips it); any change, a
    shorter text included, is written."""
    import os

    from newsroom_theme.generator import NewsroomFilesGenerator

    files = NewsroomFilesGenerator({}, {}, "", "", str(tmp_path))
    robots = tmp_path / "robots.txt"
    files._write("robots.txt", b"User-agent: *\nAllow: /\n")
    os.utime(robots, (1_000_000, 1_000_000))
    files._write("robots.txt", b"User-agent: *\nAllow: /\n")
    assert robots.stat().st_mtime == 1_000_000
    files._write("robots.txt", b"User-agent: *\n")
    assert robots.read_bytes() == b"User-agent: *\n" and robots.stat().st_mtime != 1_000_000


def test_news_sitemap_keeps_last_two_days_and_splits_at_limit():
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    entries = [sitemaps.NewsEntry(f"https://n.example/{h}/", f"Story {h}", now - timedelta(hours=h), "en")
               for h in range(0, 60, 2)]
    recent = sitemaps.recent_news(entries, now, days=2)
    assert len(recent) == 25 and all(now - e.published <= timedelta(days=2) for e in recent)
    files = sitemaps.news_sitemaps(recent, "Daily", per_file=10)
    assert len(files) == 3
    roots = [ET.fromstring(f) for f in files]
    assert [len(r.findall("s:url", NS)) for r in roots] == [10, 10, 5]
    first = roots[0].find("s:url", NS)
    assert first.find("n:news/n:publication/n:name", NS).text == "Daily"
    assert first.find("n:news/n:publication/n:language", NS).text == "en"
    assert first.find("n:news/n:title", NS).text == "Story 0"
    assert first.find("n:news/n:publication_date", NS).text == "2026-11-28T12:00:00+00:00"
    assert [sitemaps.news_sitemap_name(i) for i in range(3)] == [
        "news-sitemap.xml", "news-sitemap-2.xml", "news-sitemap-3.xml"]
    assert len(sitemaps.news_sitemaps([], "Daily", 1000)) == 1


def test_robots_names_only_given_sitemaps():
    assert "Sitemap" not in sitemaps.robots_txt([])
    text = sitemaps.robots_txt(["https://n.example/sitemap.xml"])
    assert text.startswith("User-agent: *\n") and "Sitemap: https://n.example/sitemap.xml\n" in text


# --- search index ----------------------------------------------------------------------------------

def test_search_index_is_built_and_failure_is_one_logged_line(tmp_path, caplog):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
                                     "<body><main data-pagefind-body><h1>Zeppelins</h1></main></body></html>")
    assert search.build_index(str(site), "en", timeout=120)
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not search.build_index(str(empty), "en", timeout=120)
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert str(empty) in record.getMessage() and "\n" not in record.getMessage()


def test_a_new_index_replaces_the_old_whole_and_background_requests_are_served(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    page = '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><main data-pagefind-body><h1>{}</h1></main></body></html>'
    (site / "index.html").write_text(page.format("Zeppelins"))
    assert search.build_index(str(site), "en", timeout=120)
    leftover = site / "pagefind" / "from-an-old-index.pf_fragment"
    leftover.write_text("old")
    (site / "index.html").write_text(page.format("Airships"))
    indexer = search.BackgroundIndexer(str(site), "en", 120)
    indexer.request()
    indexer.request()  # while the first pass runs: one more pass, no error
    assert indexer.wait(240)
    assert not leftover.exists() and (site / "pagefind" / "pagefind-ui.js").is_file()
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "pagefind"]  # no work folders left


# --- settings -------------------------------------------------------------------------------------

def test_apply_defaults_keeps_site_values_and_adds_search_and_404_pages():
    settings = {"SITENAME": "Daily", "NEWSROOM_RELATED_COUNT": 5, "DIRECT_TEMPLATES": ["index", "tags"]}
    apply_defaults(settings)
    assert settings["NEWSROOM_RELATED_COUNT"] == 5
    assert settings["NEWSROOM_WORDS_PER_MINUTE"] == DEFAULTS["NEWSROOM_WORDS_PER_MINUTE"]
    assert settings["NEWSROOM_PUBLISHER"] == "Daily"
    assert settings["DIRECT_TEMPLATES"] == ["index", "tags", "search", "404"]
    apply_defaults(settings)
    assert settings["DIRECT_TEMPLATES"].count("search") == 1


def test_every_theme_setting_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "theme" / "README.md").read_text()
    assert [key for key in DEFAULTS if f"`{key}`" not in readme] == []


@pytest.mark.parametrize("html", ["", "<p></p>"])
def test_word_count_of_empty_content_is_zero(html):
    assert enrich.word_count(html) == 0


def test_sitemap_text_is_what_elementtree_writes():
    """sitemap_xml writes text directly; the bytes must be ElementTree's for any URL (escaping,
    non-ASCII, no lastmod, no entries at all)."""
    import random

    def reference(entries):
        ET.register_namespace("", sitemaps.SITEMAP_NS)
        root = ET.Element(f"{{{sitemaps.SITEMAP_NS}}}urlset")
        for entry in entries:
            url = ET.SubElement(root, f"{{{sitemaps.SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{sitemaps.SITEMAP_NS}}}loc").text = entry.loc
            if entry.lastmod is not None:
                ET.SubElement(url, f"{{{sitemaps.SITEMAP_NS}}}lastmod").text = entry.lastmod.isoformat()
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    rng = random.Random(3)
    chars = "ab/&<>\"'é中 %?=:.\t\r\n"
    for _ in range(300):
        entries = [sitemaps.Entry("https://x.example/" + "".join(rng.choice(chars) for _ in range(rng.randrange(20))),
                                  None if rng.random() < 0.3 else
                                  datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(10**8)))
                   for _ in range(rng.randrange(6))]
        assert sitemaps.sitemap_xml(entries) == reference(entries)


def test_a_table_in_a_body_scrolls_inside_a_region_a_keyboard_can_focus():
    """axe's scrollable-region-focusable: a wide table on a phone must be reachable by keyboard."""
    import markdown
    from bs4 import BeautifulSoup

    from newsroom_theme import bodymarkup

    html = markdown.markdown("Before.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nAfter.\n",
                             extensions=["tables", bodymarkup.makeExtension()])
    page = BeautifulSoup(html, "html.parser")
    wrapper = page.table.parent
    assert wrapper.name == "div" and wrapper["class"] == ["table-scroll"]
    assert wrapper["tabindex"] == "0" and wrapper["role"] == "region" and wrapper["aria-label"] == "Table"
    assert [p.get_text() for p in page.find_all("p")] == ["Before.", "After."]


def test_a_code_block_in_a_body_can_take_the_focus_to_scroll():
    """A long line of code scrolls sideways like a wide table: indented and fenced blocks alike."""
    import markdown
    from bs4 import BeautifulSoup

    from newsroom_theme import bodymarkup

    text = "Text.\n\n    indented = 1\n\n```\nfenced = 2\n```\n\n<pre tabindex=\"-1\">raw</pre>\n"
    html = markdown.markdown(text, extensions=["extra", bodymarkup.makeExtension()])
    blocks = BeautifulSoup(html, "html.parser").find_all("pre")
    assert [(b.get_text().strip(), b.get("tabindex")) for b in blocks] == [
        ("indented = 1", "0"), ("fenced = 2", "0"), ("raw", "-1")]  # an editor's own tabindex stays
