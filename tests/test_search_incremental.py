"""The search index kept up to date shard by shard (plugins/newsroom_theme/search.py), on the
sample site with stories added over several months, built by real ``pelican`` runs.

- After editing, adding and deleting stories, the incremental index equals a full index of the
  same output byte for byte, and a clean build's; each step rewrites only its story's shard.
- In Chromium, queries give the same pages as a plain ``pagefind --site`` index of the output.
- Drafts and hidden stories are never indexed; a failed or interrupted run leaves a whole index.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom_theme import search
from tests.conftest import copy_project
from tests.test_speed_integrity import _build, tree  # a logged pelican run with a fixed clock; a folder's files

# Stories added to the sample site (its own are all from November 2026): months with one and
# several stories, a story in Turkish, a draft and a hidden story. slug: (date, title, body)
STORIES = {
    "tram-depot": ("2025-03-04 09:00", "Tram depot plan approved",
                   "The council approved the tram depot. Quokkatram routes start in spring."),
    "river-survey": ("2025-03-19 10:30", "River survey finds clean water",
                     "Scientists counted herons along the river. The water was clean for the first time in years."),
    "night-market": ("2025-07-02 18:00", "Night market returns to the old port",
                     "Stalls sold grilled fish and herons were painted on the walls of the quokkatram stop."),
    "liman-haberi": ("2025-07-11 08:15", "Limanda yeni dönem başlıyor",
                     "Belediye meclisi liman için yeni bir yatırım planını onayladı. "
                     "Balıkçılar kararı memnuniyetle karşıladı."),
}
MONTHS = "%Y-%m"  # NEWSROOM_SEARCH_SHARD of these tests: one bundle per month
DRAFT = ("Title: Unfinished okapidraft story\nDate: 2025-07-20 10:00\nCategory: World\nStatus: draft\n\n"
         "The okapidraft plan is not ready.\n")
HIDDEN = ("Title: Hidden wombathidden notice\nDate: 2025-07-21 10:00\nCategory: World\nStatus: hidden\n\n"
          "The wombathidden notice is reachable by its link only.\n")


def _write_story(content: Path, slug: str, date: str, title: str, body: str) -> Path:
    path = content / "world" / f"{slug}.md"
    path.write_text(f"Title: {title}\nDate: {date}\nCategory: World\nTags: city\nSlug: {slug}\n\n{body}\n",
                    encoding="utf-8")
    return path


def _site(tmp_path: Path) -> Path:
    """The sample site with the stories above, its index split by month (the large-archive setting)."""
    project = copy_project(tmp_path / "site")
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nNEWSROOM_SEARCH_SHARD = {MONTHS!r}\n")
    content = project / "content"
    for slug, (date, title, body) in STORIES.items():
        _write_story(content, slug, date, title, body)
    (content / "world" / "okapidraft.md").write_text(DRAFT, encoding="utf-8")
    (content / "world" / "wombathidden.md").write_text(HIDDEN, encoding="utf-8")
    return project


def _full_index(output: Path, copy: Path) -> dict[str, bytes]:
    """The bundle that indexing every shard of the same pages gives (no state: nothing reused)."""
    subprocess.run(["cp", "-al", f"{output}/.", str(copy)], check=True)
    search.shutil.rmtree(copy / search.BUNDLE)
    assert search.build_index(str(copy), "en", 600, shard_format=MONTHS)
    return tree(copy / search.BUNDLE)


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _indexed_urls(bundle: Path) -> set[str]:
    """The URL of every page in every shard (a fragment: gzip, a marker, then JSON)."""
    urls = set()
    for fragment in bundle.rglob("fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


def test_each_change_reindexes_its_shard_only_and_the_index_is_a_clean_builds(tmp_path: Path):
    project = _site(tmp_path)
    content, output = project / "content", tmp_path / "output"
    _build(project, output)
    bundle = output / search.BUNDLE
    listed = json.loads((bundle / search.SHARD_LIST).read_text())["merge"]
    # undated pages (about, contact) at the top, one shard a month in order after them
    assert {"shards/2025-03/", "shards/2025-07/", "shards/2026-11/"} <= set(listed) and listed == sorted(listed)
    assert (bundle / "pagefind-entry.json").is_file() and (bundle / "pagefind.js").is_file()
    steps = [
        ("edit", "2025-03", lambda: (content / "world" / "river-survey.md").write_text(
            (content / "world" / "river-survey.md").read_text() + "\nA kingfisherword was seen too.\n")),
        ("add to a month", "2025-07", lambda: _write_story(
            content, "ferry-clock", "2025-07-30 07:00", "Ferry clock repaired", "The kingfisherword clock runs.")),
        ("add in a new month", "2025-05", lambda: _write_story(
            content, "may-fair", "2025-05-05 12:00", "May fair draws crowds", "The fair sold maypolewords.")),
        ("delete the month's only story", "2025-05", lambda: (content / "world" / "may-fair.md").unlink()),
    ]
    for n, (step, shard, change) in enumerate(steps):
        before = tree(bundle)
        change()
        log = _build(project, output)
        assert "search index: 1 of" in log or step.startswith("delete"), log[-2000:]
        after = tree(bundle)
        changed = _changed(before, after)
        assert changed, step
        assert all(name.startswith(f"shards/{shard}/") or name == search.SHARD_LIST for name in changed), changed
        assert (search.SHARD_LIST in changed) == (shard == "2025-05"), step  # a shard came or went
        assert after == _full_index(output, tmp_path / f"full-{n}"), step
    _build(project, tmp_path / "clean", cache=tmp_path / "clean-cache")
    assert tree(bundle) == tree(tmp_path / "clean" / search.BUNDLE)
    assert not (bundle / "shards" / "2025-05").exists()

    urls = _indexed_urls(bundle)
    assert {"/about/", "/contact/"} <= urls
    assert all(any(f"/{slug}/" in url for url in urls) for slug in [*STORIES, "ferry-clock"])
    for page in bundle.rglob("fragment/*.pf_fragment"):
        text = gzip.decompress(page.read_bytes()).decode()
        assert "okapidraft" not in text and "wombathidden" not in text
    hidden = next(output.rglob("*wombathidden*/index.html"))  # the hidden story is built, just not indexed
    assert "wombathidden" in hidden.read_text()


def test_a_failed_or_interrupted_run_leaves_a_whole_index_and_the_next_one_mends_it(
        tmp_path: Path, monkeypatch, caplog):
    project = _site(tmp_path)
    output = tmp_path / "output"
    _build(project, output, cache=tmp_path / "cache")
    state = tmp_path / "cache" / "newsroom_theme" / "search-index.json"
    bundle = output / search.BUNDLE
    whole = tree(bundle)
    story = next(output.glob("2025/03/tram-depot/index.html"))
    story.write_text(story.read_text().replace("Quokkatram routes", "Quokkatram and heron routes"))

    # the indexer cannot run: one error line, the index as it was, no state (the next run redoes it)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with caplog.at_level("ERROR"):
        assert not search.build_index(str(output), "en", 60, state, MONTHS)
    assert [r.levelname for r in caplog.records] == ["ERROR"] and "no-such-pagefind" in caplog.text
    assert tree(bundle) == whole and not state.exists()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert search.build_index(str(output), "en", 60, state, MONTHS)  # everything again, from no state
    assert tree(bundle) == _full_index(output, tmp_path / "full-1")

    # stopped after a shard's new files are in place, before its entry names them: the old
    # entry still names only files that are there, so readers keep the index it describes
    class Stop(BaseException):
        pass

    real_replace = os.replace

    def stop_at_entry(source, destination):
        if str(destination).endswith("pagefind-entry.json") and "/shards/" in str(destination):
            raise Stop
        real_replace(source, destination)

    whole = tree(bundle)
    story.write_text(story.read_text().replace("heron routes", "heron and egret routes"))
    monkeypatch.setattr(search.os, "replace", stop_at_entry)
    with pytest.raises(Stop):
        search.build_index(str(output), "en", 60, state, MONTHS)
    monkeypatch.setattr(search.os, "replace", real_replace)
    for name, data in whole.items():
        assert (bundle / name).read_bytes() == data, name
    assert not state.exists()
    assert search.build_index(str(output), "en", 60, state, MONTHS)
    assert tree(bundle) == _full_index(output, tmp_path / "full-2")
    assert not [p for p in output.iterdir() if p.name.startswith(".pagefind")]


# --- what a reader finds -------------------------------------------------------------------------

# Single words from titles and bodies, a phrase, words in one story only and in many, words of
# the Turkish story, words only a draft or a hidden story holds (found nowhere).
QUERIES = ["harbour", "council", "ferry strike", '"sea wall"', "quokkatram", "tram depot", "liman",
           "balıkçılar", "okapidraft", "wombathidden", "the"]
# Words some shards lack while one of their words begins them ("her" in "herons"): an index
# with no word starting with a query word matches the longest word that begins it instead, and
# each merged shard does so on its own, finding pages a single index does not.
FALLBACK_QUERIES = ["herons", "inflation", "harbour herons", "belediye meclisi"]
SEARCH = """async ([bundle, query]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const found = await pagefind.search(query);
  return Promise.all(found.results.map(async (result) => (await result.data()).url));
}"""


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory) -> Path:
    """The site built with its index split by month, plus, to compare with, a plain
    ``pagefind --site`` index of the same output in ``pagefind-full/`` and the default
    one-bundle index (NEWSROOM_SEARCH_SHARD "all") in ``pagefind-all/``."""
    tmp_path = tmp_path_factory.mktemp("search")
    project, output = _site(tmp_path), tmp_path / "output"
    _build(project, output)
    single = tmp_path / "single"
    subprocess.run(["cp", "-al", f"{output}/.", str(single)], check=True)
    search.shutil.rmtree(single / search.BUNDLE)
    assert search.build_index(str(single), "en", 600, shard_format="all")
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--output-path",
                    str(output / "pagefind-full"), "--force-language", "en", "--silent"], check=True, timeout=600)
    search.shutil.copytree(single / search.BUNDLE, output / "pagefind-all")
    return output


@contextlib.contextmanager
def _search_page(site: Path):
    """Chromium on the site's search page (served on 127.0.0.1): (page, base URL, console errors)."""
    playwright = pytest.importorskip("playwright.sync_api")
    from newsroom_theme.screenshots import CHROMIUM, CHROMIUM_ARGS, serve

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with serve(site) as url, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, url, errors
        browser.close()


def test_queries_find_the_pages_a_full_index_finds(indexed_site: Path):
    with _search_page(indexed_site) as (page, url, errors):
        # the reader's search page: a word of two stories published in two months (two shards)
        page.goto(url + "search/?q=quokkatram", wait_until="load")
        page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-link').length == 2", timeout=60000)
        shown = sorted(page.locator(".pagefind-ui__result-link").evaluate_all("links => links.map(a => a.pathname)"))
        assert shown == ["/2025/03/tram-depot/", "/2025/07/night-market/"]
        found, same_order = {}, []
        for query in QUERIES:
            ours = page.evaluate(SEARCH, ["/pagefind/", query])
            full = page.evaluate(SEARCH, ["/pagefind-full/", query])
            assert sorted(ours) == sorted(full), query
            assert len(ours) == len(set(ours)), query  # no page twice
            found[query] = ours
            same_order.append(ours == full)
    assert errors == []
    assert found["okapidraft"] == found["wombathidden"] == []  # a draft's and a hidden story's words
    assert found["balıkçılar"] == ["/2025/07/liman-haberi/"]
    assert len(found["quokkatram"]) == 2 and len(found["harbour"]) > 3 and len(found["the"]) > 20
    # Order: each shard ranks its pages with its own word statistics, so pages of several shards
    # may come in another order than in one index; a query whose pages share a shard keeps it.
    print(f"same order as the full index: {sum(same_order)} of {len(QUERIES)} queries")


def test_month_shards_never_lose_a_page_a_full_index_finds(indexed_site: Path):
    """The shards' known divergence (FALLBACK_QUERIES) adds pages; it never drops one."""
    with _search_page(indexed_site) as (page, url, errors):
        page.goto(url + "search/", wait_until="load")
        page.wait_for_selector("#search input")  # mounted once every shard is merged
        for query in FALLBACK_QUERIES:
            ours = page.evaluate(SEARCH, ["/pagefind/", query])
            full = page.evaluate(SEARCH, ["/pagefind-full/", query])
            assert set(full) <= set(ours), query
    assert errors == []


def test_the_default_single_index_gives_exactly_pagefinds_results(indexed_site: Path):
    """NEWSROOM_SEARCH_SHARD "all": same pages in the same order as ``pagefind --site``, the
    queries a month split gets wrong included."""
    with _search_page(indexed_site) as (page, url, errors):
        page.goto(url + "search/", wait_until="load")
        for query in QUERIES + FALLBACK_QUERIES:
            single, full = (page.evaluate(SEARCH, [bundle, query]) for bundle in ("/pagefind-all/", "/pagefind-full/"))
            assert single == full, query
    assert errors == []


def test_the_previews_background_indexer_updates_only_the_changed_shard(tmp_path: Path, caplog):
    """``invoke livereload`` builds without the index and asks a BackgroundIndexer for it."""
    project = _site(tmp_path)
    output, state = tmp_path / "output", tmp_path / "cache" / "newsroom_theme" / "search-index.pickle"
    _build(project, output, cache=tmp_path / "cache")
    story = next(output.glob("2025/07/night-market/index.html"))
    story.write_text(story.read_text().replace("grilled fish", "grilled capybarafish"))
    indexer = search.BackgroundIndexer(str(output), "en", 120, state, MONTHS)
    with caplog.at_level("INFO", logger=search.log.name):
        indexer.request()
        assert indexer.wait(240)
        indexer.request()  # nothing changed since: a pass that indexes nothing
        assert indexer.wait(240)
    passes = [r.getMessage() for r in caplog.records if "shards indexed" in r.getMessage()]
    assert passes[0].startswith("search index: 1 of ") and passes[-1].startswith("search index: 0 of ")
    assert tree(output / search.BUNDLE) == _full_index(output, tmp_path / "full")
    assert any(b"capybarafish" in gzip.decompress(p.read_bytes()) for p in
               (output / search.BUNDLE / search.SHARDS / "2025-07").rglob("fragment/*"))
