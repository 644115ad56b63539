"""Units of newsroom_speed whose mistakes would silently change a site: the date shortcut, digests,
and what the template tracker records."""

from __future__ import annotations

import datetime
import functools
import logging
import os
import pickle

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, FileSystemLoader
from pelican.contents import Article
from pelican.paginator import Paginator
from pelican.urlwrappers import Category
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_date

from newsroom_speed import contract, preread, tracking
from newsroom_speed.fastdate import fast_get_date
from newsroom_speed.fingerprint import Fingerprinter, Volatile
from newsroom_speed.markdown_cache import MarkdownRenderer
from newsroom_speed.pool import WorkerDied, forked_pool
from newsroom_speed.versions import LINKS, Versions

from .deadline import deadline


@pytest.fixture(autouse=True)
def _patches_undone():
    """Jinja hooks installed by a test outside a build are undone after it (Macro is shared by
    every environment of the process: a later test would find it patched)."""
    with contract.build_scope():
        yield


ISO_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


def outcome(function, text):
    try:
        value = function(text)
        return type(value), value
    except ValueError:
        return ValueError


@given(st.datetimes(min_value=datetime.datetime(1000, 1, 1)), st.sampled_from(ISO_FORMATS))
def test_fast_get_date_equals_pelicans_on_iso_dates(moment: datetime.datetime, fmt: str):
    text = moment.strftime(fmt)
    assert outcome(fast_get_date, text) == outcome(get_date, text)


@given(st.from_regex(r"\s?\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?\s?", fullmatch=True))
def test_fast_get_date_equals_pelicans_on_near_iso_text(text: str):
    assert outcome(fast_get_date, text) == outcome(get_date, text)


def article(path: str, title: str) -> Article:
    settings = dict(DEFAULT_CONFIG)
    return Article("<p>Body</p>", {"title": title, "date": get_date("2024-01-02")}, settings, f"/c/{path}", {})


def test_digests_see_nested_changes_and_name_content_by_source():
    fp = Fingerprinter()
    one, two = article("a.md", "A"), article("b.md", "B")
    assert fp.digest([{"x": [1, 2]}]) != Fingerprinter().digest([{"x": [1, 3]}])
    # a template iterating a dict shows its order: reordered, it may render differently
    assert fp.digest({"a": 1, "b": 2}) != Fingerprinter().digest({"b": 2, "a": 1})
    assert fp.digest({"a": 1, "b": 2}) == Fingerprinter().digest({"a": 1, "b": 2})
    assert fp.digest([one, two]) != Fingerprinter().digest([two, one])
    assert fp.digest(one) == Fingerprinter().digest(article("a.md", "changed title"))
    with pytest.raises(Volatile):
        Fingerprinter().digest([object()])


def test_digests_ignore_caches_pelican_fills_lazily():
    """A digest taken before a template asked for a URL or a page count equals one taken after
    (else pages rendered in different worker processes would look changed on every build)."""
    section = Category("World", dict(DEFAULT_CONFIG))
    paginator = Paginator("index.html", "", [article("a.md", "A")], dict(DEFAULT_CONFIG), 10)
    before = Fingerprinter().digest([section, paginator])
    assert section.url and paginator.num_pages == 1  # fills section.__dict__ and paginator._num_pages
    assert Fingerprinter().digest([section, paginator]) == before
    assert Fingerprinter().digest([Category("Science", dict(DEFAULT_CONFIG)), paginator]) != before


def render_recorded(source: str, **context):
    env = Environment(loader=DictLoader({"page.html": source}))
    tracking.install(env)
    recorder = tracking.Recorder(Fingerprinter(), lambda key: context.get(key, tracking.missing))
    tracking.recording(recorder)
    try:
        html = env.get_template("page.html").render(context)
    finally:
        tracking.recording(None)
    return html, recorder


def test_the_tracker_records_names_attributes_and_only_touched_article_lists():
    one, two = article("a.md", "First"), article("b.md", "Second")
    categories = [("World", [one]), ("Science", [two])]
    html, recorder = render_recorded(
        "{{ SITENAME }}|{% for cat, arts in categories %}{{ cat }} {% endfor %}|{{ article.title }}",
        SITENAME="Daily",
        categories=categories,
        article=one,
        articles=[one, two],
    )
    assert html == "Daily|World Science |First"
    names = {path for path in recorder.names}
    assert ("SITENAME", "value") in names and ("categories", "shape") in names
    assert not any(path[0] == "articles" for path in names)  # never read
    assert not any(len(path) > 2 for path in names)  # the section menu did not look at the lists
    assert [key[:2] for key in recorder.attrs] == [("/c/a.md", "title")]


def test_a_recorded_page_goes_stale_exactly_when_what_it_read_changes():
    one, two = article("a.md", "First"), article("b.md", "Second")
    context = {"articles": [one, two]}
    _, recorder = render_recorded("{% for a in articles %}{{ a.title }}{% endfor %}", **context)
    record = recorder.record()
    contents = {one.source_path: one, two.source_path: two}

    def current(ctx):
        return tracking.current_digest(
            record, lambda k: ctx.get(k, tracking.missing), contents, Fingerprinter(), {}, Versions(Fingerprinter(), {}), None
        )

    assert current(context) == record.digest
    two.title = "Second, updated"
    assert current(context) != record.digest
    two.title = "Second"
    assert current({"articles": [one]}) != record.digest


def test_a_covered_object_is_checked_by_its_fields_and_linking_objects_are_not_covered():
    one, two = article("a.md", "First"), article("b.md", "Second")
    linking = Article('<a href="{filename}a.md">see</a>', {"title": "L"}, dict(DEFAULT_CONFIG), "/c/l.md", {})
    before = Versions(Fingerprinter(), {})
    assert before.covers(one) and not before.covers(linking)
    env_context = {"articles": [one, two]}
    env = Environment(loader=DictLoader({"page.html": "{% for a in articles %}{{ a.title }}{% endfor %}"}))
    tracking.install(env)
    recorder = tracking.Recorder(Fingerprinter(), lambda k: env_context.get(k, tracking.missing), before.covers, "..")
    tracking.recording(recorder)
    try:
        env.get_template("page.html").render(env_context)
    finally:
        tracking.recording(None)
    record = recorder.record()
    assert record.attrs == () and record.objects == ("/c/a.md", "/c/b.md")  # objects, not attributes
    contents = {one.source_path: one, two.source_path: two}
    saved = before.all(contents)

    def current(siteurl):
        return tracking.current_digest(
            record, lambda k: env_context.get(k, tracking.missing), contents, Fingerprinter(), {},
            Versions(Fingerprinter(), saved), siteurl,
        )

    assert current("..") == record.digest
    assert current("../..") != record.digest  # rendered for another site URL
    two.word_count = 12  # any field, even one no template read
    assert current("..") is None


def covered_record(source: str, context: dict, versions: Versions, env: Environment | None = None):
    """Render ``source`` recording reads, with covered objects checked by their field digests."""
    env = env or Environment()
    env.loader = DictLoader({"page.html": source})
    tracking.install(env)
    recorder = tracking.Recorder(Fingerprinter(), lambda k: context.get(k, tracking.missing), versions.covers, "..")
    tracking.recording(recorder)
    try:
        html = env.get_template("page.html").render(context)
    finally:
        tracking.recording(None)
    return html, recorder.record()


def test_links_to_other_stories_are_checked_only_where_a_page_reads_them():
    """A story added beside this one changes its related stories (a plugin's field holding other
    stories): the page showing them goes stale, a listing showing its title does not."""
    one, two, three = article("a.md", "First"), article("b.md", "Second"), article("c.md", "Third")
    one.related_stories, one.next_in_section = [two], three
    contents = {a.source_path: a for a in (one, two, three)}
    saved = Versions(Fingerprinter(), {}).all(contents)
    listing = covered_record("{% for a in articles %}{{ a.title }}{% endfor %}", {"articles": [one]}, Versions(Fingerprinter(), {}))[1]
    page = covered_record("{{ article.title }}{% for r in article.related_stories %}{{ r.title }}{% endfor %}"
                          "{{ article.next_in_section }}", {"article": one}, Versions(Fingerprinter(), {}))[1]
    assert listing[2] == ("/c/a.md",) and page[2] == ("/c/a.md", "/c/a.md" + LINKS, "/c/b.md")

    def current(record, context):
        return tracking.current_digest(record, lambda k: context.get(k, tracking.missing), contents, Fingerprinter(),
                                       {}, Versions(Fingerprinter(), saved), "..")

    one.related_stories, one.next_in_section = [three, two], two
    assert Versions(Fingerprinter(), saved).unchanged(("/c/a.md",), contents)
    assert current(listing, {"articles": [one]}) == listing[3]
    assert current(page, {"article": one}) is None
    one.related_stories, one.next_in_section = [two], three
    assert current(page, {"article": one}) == page[3]
    one.next_in_section = None  # no longer a link: one of its own fields
    assert current(listing, {"articles": [one]}) is None


def test_a_reused_fragment_counts_what_it_read_in_every_page_that_shows_it():
    """The theme's fragment cache renders a teaser once; each page reusing it must depend on
    what the teaser read, as if it had rendered it."""
    from newsroom_theme.fragments import FragmentCache

    one, two = article("a.md", "First"), article("b.md", "Second")
    env = Environment()
    env.globals["fragment"] = FragmentCache()
    source = "{% for a in articles %}{% call fragment(a) %}{{ a.title }}{% endcall %}{% endfor %}"
    versions = Versions(Fingerprinter(), {})
    first = covered_record(source, {"articles": [one]}, versions, env)
    again = covered_record(source, {"articles": [two, one]}, versions, env)
    assert first[0] == "First" and again[0] == "SecondFirst"
    assert first[1][2] == ("/c/a.md",) and again[1][2] == ("/c/a.md", "/c/b.md")
    env.globals["fragment"] = FragmentCache()
    env.globals["fragment"](one, caller=lambda: "First")  # rendered while nothing was recorded
    assert covered_record(source, {"articles": [one]}, versions, env)[1] is None  # always rendered


def test_an_object_from_the_object_cache_has_the_fields_and_version_it_was_stored_with(tmp_path, monkeypatch):
    """Reused objects are this build's (settings, context) and digest as the object they replace,
    else every page would re-render after the first incremental build. Their body's digest comes
    stored with them, not hashed again, while they hold that body."""
    from newsroom_speed import versions
    from newsroom_speed.objects import ObjectCache
    from newsroom_speed.store import RenderCache

    class Generator:  # what ObjectCache needs of a Pelican generator
        settings, context = dict(DEFAULT_CONFIG), {"SITENAME": "Daily"}

    original = Article("<p>Body</p>", {"title": "A", "date": get_date("2024-01-02")}, Generator.settings, "/c/a.md",
                       Generator.context)
    original.metadata["title"] = original.title  # shares a string, as Pelican's reader does
    bodies = versions.BodyDigests()
    cache = ObjectCache(RenderCache(tmp_path / "r.sqlite"), Generator(), b"g", {"a.md": (1, 2)}, bodies)
    cache.cache_data("a.md", original)
    reused = cache.get_cached_data("a.md")
    assert reused is not original and reused.title == "A" and reused.content == "<p>Body</p>"
    assert reused.settings is Generator.settings and reused._context is Generator.context
    hashed = []
    plain_digest = versions.body_digest
    monkeypatch.setattr(versions, "body_digest", lambda body: hashed.append(body) or plain_digest(body))
    assert Versions(Fingerprinter(), {}, bodies).now(reused) == Versions(Fingerprinter(), {}).now(original)
    assert hashed == [original._content]  # the reused object's body digest was the stored one
    Versions(Fingerprinter(), {}, bodies).now(original)
    assert hashed == [original._content]  # so was the original's, digested when it was cached
    reused._content = "<p>Body, changed by a plugin</p>"
    assert Versions(Fingerprinter(), {}, bodies).now(reused) != Versions(Fingerprinter(), {}).now(original)
    assert ObjectCache(cache.store, Generator(), b"g", {"a.md": (1, 3)}).get_cached_data("a.md") is None  # file changed
    assert ObjectCache(cache.store, Generator(), b"h", {"a.md": (1, 2)}).get_cached_data("a.md") is None  # code changed


def test_a_filter_added_after_the_hooks_is_watched_once_they_are_installed_again():
    """Plugins add filters at generator_init in no fixed order relative to newsroom_speed; the
    writer installs the hooks again before rendering, so a filter reading an article in Python
    still makes the page depend on that article."""
    one = article("a.md", "First")
    env = Environment(loader=DictLoader({"page.html": "{{ article|headline }}"}))
    tracking.install(env)
    env.filters["headline"] = lambda a: a.title.upper()
    tracking.install(env)
    tracking.install(env)  # idempotent: wrapped once
    recorder = tracking.Recorder(Fingerprinter(), lambda k: {"article": one}.get(k, tracking.missing))
    tracking.recording(recorder)
    try:
        assert env.get_template("page.html").render(article=one) == "FIRST"
    finally:
        tracking.recording(None)
    assert [key[:2] for key in recorder.attrs] == [("/c/a.md", tracking.WHOLE)]


def test_the_object_cache_stays_off_while_a_plugin_listens_to_reading_signals():
    """A reused object skips content_object_init & co.; only receivers marked cacheable (their
    work is kept with the object) may listen while the cache is on."""
    from pelican import signals

    from newsroom_speed import objects

    def cacheable(sender):
        """Changes only the object it is given."""

    def other(sender):
        """May collect objects elsewhere."""

    cacheable.newsroom_speed_cacheable = True
    signals.content_object_init.connect(cacheable)
    try:
        assert objects.reading_signals_free()
        signals.content_object_init.connect(other)
        try:
            assert not objects.reading_signals_free()
        finally:
            signals.content_object_init.disconnect(other)
    finally:
        signals.content_object_init.disconnect(cacheable)


def test_a_paginated_page_digests_as_its_paginator_and_number():
    """Listing pages are checked through their paginator (digested once per build), so a page's
    digest must still change when its stories, number or paginator's list do."""
    stories = [article(f"{i}.md", f"Story {i}") for i in range(5)]
    settings = dict(DEFAULT_CONFIG, DEFAULT_ORPHANS=0)
    pages = Paginator("tag/x.html", "tag/x.html", stories, settings, 2)
    fp = Fingerprinter()
    first, second = fp.digest(pages.page(1)), fp.digest(pages.page(2))
    assert first != second and Fingerprinter().digest(pages.page(1)) == first
    shifted = Paginator("tag/x.html", "tag/x.html", [article("new.md", "New"), *stories], settings, 2)
    assert Fingerprinter().digest(shifted.page(2)) != second  # same number, other stories
    marked = pages.page(2)
    marked.highlight = True  # a plugin's attribute: digested with the page, generically
    assert Fingerprinter().digest(marked) != second


def test_versions_tell_which_stories_kept_their_fields():
    one, two = article("a.md", "First"), article("b.md", "Second")
    contents = {one.source_path: one, two.source_path: two}
    saved = Versions(Fingerprinter(), {}).all(contents)
    two.title = "Second, edited"
    now = Versions(Fingerprinter(), saved)
    assert now.unchanged((one.source_path,), contents)
    assert not now.unchanged((one.source_path, two.source_path), contents)
    assert not now.unchanged(("/c/gone.md",), contents)


def test_a_story_digest_sees_fields_shared_with_its_metadata_and_time_zones():
    """A field holding its metadata's very object is digested once, in the metadata: a change
    to either side still shows; so does a date's zone, even one with the same offset."""
    from zoneinfo import ZoneInfo

    def digest(story):
        return Versions(Fingerprinter(), {}).now(story)[0]

    story = article("a.md", "First")
    story.date = story.metadata["date"] = story.date.replace(tzinfo=ZoneInfo("UTC"))
    assert story.title is story.metadata["title"]
    first = digest(story)
    assert digest(article("a.md", "First")) != first  # a naive date
    story.metadata["title"] = "Edited in the metadata only"
    second = digest(story)
    story.title = "Edited as a field only"
    third = digest(story)
    story.date = story.metadata["date"] = story.date.replace(tzinfo=ZoneInfo("Europe/London"))  # GMT, not UTC
    assert len({first, second, third, digest(story)}) == 4
    other = article("b.md", "Other")
    before = digest(other)
    del other.title  # the metadata still has it
    assert digest(other) != before


def test_a_build_leaves_its_objects_frozen_until_the_next_one_thaws_them():
    """Exit skips walking the site; a live-reload server's next build hands it back to the collector."""
    import gc

    from newsroom_speed.pool import forked_pool, frozen_heap, settle

    try:
        with frozen_heap():
            kept = [[i] for i in range(1000)]
            settle()
            with forked_pool(2) as pool:
                assert pool.map(abs, [-1, -2]) == [1, 2]
            assert gc.get_freeze_count() >= len(kept)  # a pool inside a build does not thaw it
        assert gc.get_freeze_count() >= len(kept)
        with frozen_heap():
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("workers", [2, 3])
def test_digests_made_in_forked_processes_equal_those_made_here(workers):
    stories = {f"/c/{i}.md": article(f"{i}.md", f"Story {i}") for i in range(50)}
    here = Versions(Fingerprinter(), {}).all(stories)
    forked, made_here = Versions(Fingerprinter(), {}), []
    digest = forked.now
    forked.now = lambda obj: made_here.append(obj) or digest(obj)  # (a worker appends to its own copy)
    forked._digest_in_workers(list(stories.items()), workers)
    assert made_here == []  # every digest came from the workers
    assert {path + LINKS * i: d[i] for path, d in forked._now.items() for i in (0, 1)} == here
    assert {id(obj): hit for obj, hit in forked._covered.values()} == {id(obj): True for obj in stories.values()}
    assert forked.all(stories) == Versions(Fingerprinter(), {}).all(stories, workers) == here
    assert len(set(here.values())) == 51  # 50 stories, with the same (no) links


def test_memoised_strftime_tells_apart_dates_that_compare_equal():
    """An aware date equals its twin in the repeated hour after a DST change (fold), and a date in
    another zone at the same instant; each must still format as Pelican formats it."""
    from zoneinfo import ZoneInfo

    from pelican.utils import SafeDatetime

    from newsroom_speed import timememo

    from dateutil.tz import tzoffset

    first = SafeDatetime(2024, 11, 3, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    dates = [first, first.replace(fold=1), first.astimezone(ZoneInfo("Europe/Paris")), first.replace(tzinfo=None),
             first.astimezone(tzoffset(None, 3 * 3600))]  # an unhashable zone, as dateutil parses offsets
    formats = ["%Y/%m/%-d %H:%M %Z", "{date:%Y}/{date:%m}"]
    plain = [d.strftime(f) if f[0] == "%" else f.format(date=d) for d in dates for f in formats]
    undo = timememo.install()
    try:
        memoised = [d.strftime(f) if f[0] == "%" else f.format(date=d) for d in dates * 2 for f in formats]
    finally:
        undo()
    assert memoised == plain * 2 and len(set(plain)) == 6  # five times of day, one month


def test_memoised_urls_are_pelicans_and_static_files_are_left_alone():
    """An article's url and save_as come from the memo once Pelican writes; a Static file's are
    not memoised (Pelican rewrites them when another page links to the file)."""
    from pelican.contents import Static
    from pelican.utils import SafeDatetime

    from newsroom_speed import urlmemo

    settings = {**DEFAULT_CONFIG, "PATH": "/site/content"}
    article = Article("<p>x</p>", {"title": "A", "slug": "a", "date": SafeDatetime(2024, 5, 1)}, settings,
                      source_path="/site/content/a.md")
    static = Static("", {"title": "i"}, settings, source_path="/site/content/images/i.png")
    plain = (article.url, article.save_as, static.url)
    undo = urlmemo.install()
    try:
        assert (article.url, article.save_as, static.url) == plain
        article.slug = "b"  # not seen: objects are final once Pelican writes
        assert article.url == plain[0]
        static.override_url = "elsewhere/i.png"  # seen: Static is not memoised
        assert static.url == "elsewhere/i.png"
    finally:
        undo()
    assert article.url != plain[0]  # the memo is gone with the build


def test_relative_source_paths_sliced_equal_pelicans():
    """The sliced shortcut gives relpath's answer for paths under PATH, and defers to Pelican's
    method for the rest (not normalised, outside PATH, relative, PATH itself)."""
    from newsroom_speed import pathmemo

    bases = ["/site/content", "/site/content/", "site/content", "/", "/site/./content"]
    paths = ["/site/content/a.md", "/site/content/x/../a.md", "/site/contentx/a.md", "/site/content//a.md",
             "a.md", "/site/content", "/other/a.md", "/site/content/d/e/f.md"]

    def relative_paths():
        return [Article("x", {"title": "t"}, {**DEFAULT_CONFIG, "PATH": base}, source_path=path)
                .get_relative_source_path() for base in bases for path in paths]

    plain = relative_paths()
    undo = pathmemo.install()
    try:
        assert relative_paths() == plain
    finally:
        undo()
    assert "d/e/f.md" in plain and "../contentx/a.md" in plain


@pytest.mark.parametrize("prefetch", [True, False])
def test_object_cache_keeps_two_generations_and_only_the_objects_a_build_used(tmp_path, prefetch: bool):
    """Each settings or code change starts a generation of cached objects (a whole site's
    worth); the store keeps this build's used objects and the previous generation, no more
    (whether a build read its objects in one query, as the object cache does, or one by one)."""
    from newsroom_speed.store import RenderCache

    (tmp_path / "render.sqlite").write_bytes(b"an older format")

    def build(generation, previous, used, new):
        store = RenderCache(tmp_path / "render.sqlite")
        if prefetch:
            store.prefetch_objects(generation)
        for key in used:
            assert store.get_object(key) == key
        for key in new:
            store.put_object(key, generation, key)
        store.prune_objects(generation, previous)
        store.flush()
        return {row[0] for row in store._db.execute("SELECT key FROM objects")}

    assert build(b"A", None, [], [b"a1", b"a2"]) == {b"a1", b"a2"}
    assert not (tmp_path / "render.sqlite").exists()  # the older format's file is gone
    assert build(b"B", b"A", [], [b"b1", b"b2"]) == {b"a1", b"a2", b"b1", b"b2"}  # back to A stays cheap
    assert build(b"C", b"B", [], [b"c1", b"c2"]) == {b"b1", b"b2", b"c1", b"c2"}
    assert build(b"C", b"C", [b"c1"], [b"c2x"]) == {b"c1", b"c2x"}  # c2's file edited: its old object goes


def test_a_missing_entry_is_answered_without_a_query_and_stored_ones_are_found(tmp_path):
    """A cold build looks up every text it converts and finds none: those lookups are answered
    from the keys read once, while entries stored before, flushed during the build or still
    pending are all found, in this process and in a forked worker."""
    from newsroom_speed.store import RenderCache

    first = RenderCache(tmp_path / "render.sqlite")
    first.put(b"earlier", "stored by a build before")
    first.flush()
    store = RenderCache(tmp_path / "render.sqlite")
    queries = []
    store._db.set_trace_callback(queries.append)
    assert [store.get(key) for key in (b"absent", b"also absent")] == [None, None]
    assert len(queries) == 1 and "SELECT key FROM entries" in queries[0]  # the keys, read once
    assert store.get(b"earlier") == "stored by a build before"
    store.put(b"pending", "converted in this build")
    assert store.get(b"pending") == "converted in this build"
    store.flush()
    assert store.get(b"pending") == "converted in this build"  # flushed, found in the file
    assert b"pending" in store.keys() and b"absent" not in store.keys()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker of the read-ahead pool: its own connection, the same answers
        found = [store.get(key) for key in (b"earlier", b"pending", b"absent")]
        os.write(write, repr(found).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1000) == repr(["stored by a build before", "converted in this build", None]).encode()


def test_blocks_read_ahead_answer_as_single_lookups(tmp_path):
    """Rendering many pages, the stored blocks are read in one query; a block is found, or not,
    exactly as by looking it up, and the next build's lookups go to the file again."""
    from newsroom_speed.store import RenderCache

    store = RenderCache(tmp_path / "render.sqlite")
    store.put_block(b"kept", b"G", b"teaser")
    store.put_block(b"other generation", b"F", b"old teaser")
    store.flush()
    single = [store.get_block(key) for key in (b"kept", b"other generation", b"absent")]
    store.prefetch_blocks(b"G")
    store._db.execute("DELETE FROM blocks")  # a lookup would not find them any more
    ahead = [store.get_block(key) for key in (b"kept", b"other generation", b"absent")]
    assert ahead == [b"teaser", None, None]
    # (one by one, another generation's block is found too: never asked for, as a key is made
    # with its generation, blocks.py)
    assert single == [b"teaser", b"old teaser", None]
    store.prefetch_blocks(None)
    assert store.get_block(b"kept") is None


def test_the_output_ledger_writes_a_page_over_its_old_bytes_exactly(tmp_path):
    """Pages are written over their old bytes in place (not truncated first): a shorter page
    leaves nothing of the longer one, a new page gets its folder, and the ledger's entry is the
    file's stat as written, so the next build sees it intact."""
    from newsroom_speed.ledger import OutputLedger

    path = tmp_path / "section" / "world" / "index.html"
    entries = []
    for data in (b"<p>" + b"long page " * 1000 + b"</p>", b"<p>short</p>", b"<p>" + "éé".encode() * 5000):
        ledger = OutputLedger({"index.html": entries[-1]} if entries else {})
        entries.append(ledger.write("index.html", str(path), data))
        assert path.read_bytes() == data
        st = os.stat(path)
        assert entries[-1][:2] == (st.st_size, st.st_mtime_ns)
        assert OutputLedger({"index.html": entries[-1]}).intact("index.html", str(path))


def test_the_output_ledger_leaves_files_that_already_hold_the_page_untouched(tmp_path):
    """A page the ledger does not know is created with its missing folders; a file already
    there with the same bytes is not written (its stat stays), one with other bytes is replaced
    exactly; a known page whose bytes and file are unchanged is not written either."""
    from newsroom_speed.ledger import OutputLedger
    from newsroom_speed.records import OutputEntry

    page = b"<p>page</p>"
    new = tmp_path / "2024" / "05" / "story" / "index.html"  # two folders missing
    entry = OutputLedger({}).write("new", str(new), page)
    assert new.read_bytes() == page and entry[:2] == (new.stat().st_size, new.stat().st_mtime_ns)

    same, other = tmp_path / "same.html", tmp_path / "other.html"
    same.write_bytes(page)
    other.write_bytes(b"<p>" + b"older and longer " * 100 + b"</p>")
    os.utime(same, ns=(1_000_000_000, 1_000_000_000))
    os.utime(other, ns=(1_000_000_000, 1_000_000_000))
    OutputLedger({}).write("same", str(same), page)
    OutputLedger({}).write("other", str(other), page)
    assert same.stat().st_mtime_ns == 1_000_000_000
    assert other.read_bytes() == page and other.stat().st_mtime_ns != 1_000_000_000

    os.utime(new, ns=(2_000_000_000, 2_000_000_000))
    known = OutputEntry(new.stat().st_size, 2_000_000_000, entry.digest)
    assert OutputLedger({"new": known}).write("new", str(new), page) == known
    assert new.stat().st_mtime_ns == 2_000_000_000


def test_the_output_ledger_answers_from_stats_taken_ahead_by_another_process(tmp_path, monkeypatch):
    """The last build's files are stat'ed by a forked process as the build starts: a file kept,
    altered or removed is told apart as by stat'ing it, without a stat here; a file this build
    has written since, or one asked for under another path, is stat'ed as it is now."""
    from newsroom_speed import ledger as ledger_module
    from newsroom_speed.ledger import OutputLedger

    output = tmp_path / "output"
    names = ["kept/index.html", "altered/index.html", "removed/index.html", "rewritten/index.html"]
    previous = {name: OutputLedger({}).write(name, str(output / name), b"<p>as written</p>") for name in names}
    (output / "altered/index.html").write_bytes(b"<p>edited by hand</p>")
    (output / "removed/index.html").unlink()
    ledger = OutputLedger(previous)
    ledger.look_ahead(str(output))
    stats = []
    plain_stat = os.stat
    monkeypatch.setattr(ledger_module.os, "stat", lambda path, *a, **k: stats.append(path) or plain_stat(path, *a, **k))
    intact = {name: ledger.intact(name, str(output / name)) for name in names[:3]}
    assert intact == {"kept/index.html": True, "altered/index.html": False, "removed/index.html": False}
    assert stats == []
    ledger.current["rewritten/index.html"] = ledger.write("rewritten/index.html", str(output / "rewritten/index.html"),
                                                          b"<p>new</p>")
    assert not ledger.intact("rewritten/index.html", str(output / "rewritten/index.html"))  # its new stat
    assert not ledger.intact("kept/index.html", str(tmp_path / "elsewhere" / "kept/index.html"))
    assert len(stats) == 2

    def fail(*args):
        raise OSError("the look-ahead process failed")

    monkeypatch.setattr(ledger_module, "_stats", fail)
    ledger = OutputLedger(previous)
    ledger.look_ahead(str(output))
    intact = {name: ledger.intact(name, str(output / name)) for name in names[:3]}
    assert intact == {"kept/index.html": True, "altered/index.html": False, "removed/index.html": False}
    assert len(stats) == 5  # each stat'ed here instead


def test_a_block_records_the_files_of_the_code_it_ran_and_the_templates_they_name(tmp_path):
    """A kept block depends on the file of each macro it calls and on the templates that file
    names (a value imported from one runs none of its code); a macro whose file is unknown, or
    a name made by an expression, means the block cannot be kept (its page can)."""
    (tmp_path / "consts.html").write_text('{% set label = "Read" %}')
    (tmp_path / "macros.html").write_text('{% from "consts.html" import label %}'
                                          "{% macro teaser(t) %}{{ label }} {{ t }}{% endmacro %}")
    (tmp_path / "dynamic.html").write_text('{% macro teaser(t) %}{% include t ~ ".html" %}{% endmacro %}')
    (tmp_path / "x.html").write_text("included")
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    tracking.install(env)

    def block_calling(macro):
        block = tracking.Recorder(Fingerprinter(), lambda key: tracking.missing, block=True)
        tracking.recording(block)
        try:
            macro("x")
        finally:
            tracking.recording(None)
        return {path for path, kind in block.names if kind == tracking.TEMPLATE_FILE}, block.keepable, block.volatile

    teaser = env.get_template("macros.html").module.teaser
    assert block_calling(teaser) == ({str(tmp_path / "macros.html"), str(tmp_path / "consts.html")}, True, None)
    assert block_calling(env.get_template("dynamic.html").module.teaser)[1:] == (False, None)
    from_string = env.from_string("{% macro teaser(t) %}{{ t }}{% endmacro %}").module.teaser
    assert block_calling(from_string) == (set(), False, None)


LINK_FRAGMENTS = ['<a href="{filename}/b.md">b</a>', '<img src="{static}/i.png">', "<a href='|filename|b.md'>",
                  "plain text ", "<p>", "</p>", "{", "|", "}", '<a href="https://x.org/">x</a>', "<a href=\"{tag}t\">"]


@given(st.lists(st.sampled_from(LINK_FRAGMENTS), max_size=8).map("".join), st.booleans())
def test_link_scans_skipped_only_where_no_link_can_be(text: str, custom: bool):
    """With linkscan, texts resolve and yield static links exactly as with Pelican's scans, for
    the default link syntax and a custom one."""
    import re as regex

    from newsroom_speed import linkscan

    settings = {**DEFAULT_CONFIG, "PATH": "/site/content"}
    if custom:
        settings["INTRASITE_LINK_REGEX"] = r"[{|<](?P<what>.*?)[|}>]"

    def scans():
        art = Article(text, {"title": "A", "summary": text}, settings, source_path="/site/content/a.md",
                      context={"generated_content": {}, "static_content": {}, "localsiteurl": ""})
        return art._update_content(text, "/s"), art.get_static_links()

    plain = scans()
    undo = linkscan.install()
    compiled = []
    plain_compile = regex.compile
    try:
        regex.compile = lambda *a, **k: compiled.append(a) or plain_compile(*a, **k)
        assert scans() == plain
    finally:
        regex.compile = plain_compile
        undo()
    assert bool(compiled) == (custom or "{" in text or "|" in text)  # Pelican's scan ran only then


@given(st.lists(st.sampled_from(["a", "tag", ".", "..", "", "index.html", "2024", "é x"]), max_size=6).map("/".join))
def test_a_pages_way_to_the_root_equals_pelicans(name: str):
    from pelican.utils import get_relative_path, path_to_url

    from newsroom_speed.writer import _to_root

    assert _to_root(name) == path_to_url(get_relative_path(name))


def test_what_a_reading_worker_logs_reaches_the_parent_whole():
    """preread.py sends a worker's log records to the parent by pickle: an argument or an extra
    that cannot be pickled must not lose the record (nor fail the build), a traceback comes as text."""

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("not picklable")

        def __str__(self):
            return "story 7"

    logger = logging.getLogger("newsroom_speed.test_preread")
    with preread._Captured() as records:
        logger.warning("cannot place %s", Unpicklable(), extra={"hook": Unpicklable()})
        try:
            1 / 0
        except ZeroDivisionError:
            logger.exception("cleaner failed on %s", "a.html")
    back = pickle.loads(pickle.dumps(records))
    assert [r.getMessage() for r in back] == ["cannot place story 7", "cleaner failed on a.html"]
    assert back[1].msg == "cleaner failed on %s"  # kept as Pelican's log filters know it
    assert "ZeroDivisionError" in back[1].exc_text and not hasattr(back[0], "hook")


def _exit_on_thirteen(x: int) -> int:
    if x == 13:
        os._exit(1)
    return abs(x)


@pytest.mark.parametrize("chunksize", [1, 4])
def test_a_pool_gives_pools_results_and_reports_a_dead_worker_instead_of_waiting(chunksize: int):
    """multiprocessing's Pool waits forever for the task of a worker that died; forked_pool's
    raises WorkerDied (the alarm turns a hang into a failure)."""
    with deadline(30, "the pool waited for the dead worker's task"):
        with forked_pool(2, tasks_per_worker=2) as pool:
            assert list(pool.imap(abs, range(-9, 9), chunksize)) == list(map(abs, range(-9, 9)))
            assert sorted(pool.imap_unordered(abs, range(-5, 5), chunksize)) == sorted(map(abs, range(-5, 5)))
            assert pool.map(abs, range(-3, 3)) == [3, 2, 1, 0, 1, 2]
        with pytest.raises(WorkerDied, match="exit code 1"), forked_pool(2) as pool:
            list(pool.imap_unordered(_exit_on_thirteen, range(40), chunksize))


_MD_EXTENSIONS = {"markdown.extensions.codehilite": {"css_class": "highlight"}, "markdown.extensions.extra": {},
                  "markdown.extensions.meta": {}}  # Pelican's default MARKDOWN, as its reader completes it
_MD_SETTINGS = {"extensions": list(_MD_EXTENSIONS), "extension_configs": _MD_EXTENSIONS, "output_format": "html5"}
_MD_TOKENS = ["news", "vote", " ", "  ", "\n", "\n\n", "\t", "  \n", "\r\n", "*", "**", "_", "__", "`", "```", "[",
              "]", "(", ")", "![", "!", "<", ">", "&", "&amp;", "&#38;", "#", "\\", "\\*", "^", "[^1]", "[^1]: A note.",
              ":", "|", "-", "1. ", "    ", "> ", "{: .lead}", "<b>", "</b>", "<!-- c -->", "<https://example.org>",
              "<ed@example.org>", "[a](https://example.org)", "[a][r]", "[r]: https://example.org", "*[HTML]: Hyper",
              "HTML", "Title: Head\n", "~~~\ncode\n~~~\n", "\x02", "\x03", "é", "wzxhzdk:1"]


@given(st.lists(st.sampled_from(_MD_TOKENS), max_size=40).map("".join))
def test_markdown_renders_what_a_fresh_pelican_markdown_renders(text: str):
    """MarkdownRenderer reuses one instance and leaves out the inline patterns a text cannot match
    (markdown_cache.INLINE_NEEDS): the HTML and metadata must be a fresh instance's, stock Pelican's."""
    renderer = _renderer()
    fresh = markdown.Markdown(**_MD_SETTINGS)
    html, meta = renderer.document(text)
    assert html == fresh.convert(text)
    assert meta == {k: list(v) for k, v in getattr(fresh, "Meta", {}).items()}
    field = markdown.Markdown(**_MD_SETTINGS)
    field.preprocessors.deregister("meta")
    assert renderer.field(text) == field.convert(text)


@functools.lru_cache(maxsize=1)
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer(_MD_SETTINGS)
