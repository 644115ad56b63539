"""The one search index merged from per-month parts (plugins/newsroom_theme/pagefind_merge.py),
against Pagefind's own index of the same pages, with the real Pagefind binary.

- The merged data (pages, every word's postings, meta fields, where the word list is cut into
  chunks and their names) is what Pagefind writes for the same pages in the same order; in
  Chromium, every query gets Pagefind's own results, scores and order.
- After editing, adding (in an old and a new month) and deleting pages, the incremental index
  equals a clean run's byte for byte and rewrites a few files; an unchanged site rewrites none.
- Pages with Pagefind filters are indexed whole by Pagefind, and still found.
"""

from __future__ import annotations

import random
from pathlib import Path

from newsroom_theme import pagefind_merge, search
from newsroom_theme.pagefind_service import PagefindService
from tests.test_search_incremental import _search_page  # Chromium on a folder served on 127.0.0.1
from tests.test_speed_integrity import tree  # a folder's files

# Words to write pages with: plain, numbers, accented and non-Latin words, shared prefixes.
VOCABULARY = ([f"word{n}" for n in range(1500)] + [f"{n}" for n in range(0, 3000, 7)]
              + ["über", "uber", "überall", "çay", "çarşı", "東京", "café", "cafés", "cafe", "caffè", "résumé",
                 "resume", "résume", "heron", "herons", "her"])


MONTHS = ("2024-01", "2024-02", "2024-03")  # the stories' months: the merged index's parts


def _page(rng: random.Random, n: int, date: str | None, extra: str = "") -> str:
    words = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(40, 400)))
    published = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f"<!doctype html><html lang=en><head><title>Story {n}</title>{published}</head><body>"
            f"<nav>Menu Sections</nav><main data-pagefind-body><h1>Story {n} {rng.choice(VOCABULARY)}</h1>"
            f"<p>{words}</p><h2 id=more>More</h2><p>{words[:200]}</p>{extra}</main></body></html>")


def _site(folder: Path, pages: int, seed: int = 7) -> dict[str, str]:
    """``pages`` story pages over three months plus an undated page: path -> HTML (written)."""
    rng = random.Random(seed)
    site = {"about/index.html": _page(rng, 0, None)}
    for n in range(1, pages):
        month = MONTHS[n % 3]
        # Pictures in one month only: its part has meta fields (image, image_alt) the others lack.
        picture = f'<img src="/images/p{n}.jpg" alt="Picture {rng.choice(VOCABULARY)}">' if month == "2024-02" else ""
        site[f"{month}/story-{n}/index.html"] = _page(rng, n, f"{month}-{n % 27 + 1:02d}T10:00:00+00:00", picture)
    for path, html in site.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(html, encoding="utf-8")
    return site


def _decoded(files: dict[str, bytes]) -> tuple[list, dict, list]:
    """(meta file without its chunk list, word -> entry, chunk list) of a bundle's files."""
    meta = next(pagefind_merge._decode(data) for path, data in files.items() if path.endswith(".pf_meta"))
    words = {}
    for _, _, name in meta[2]:
        for entry in pagefind_merge._decode(files[f"index/{name}.pf_index"])[0]:
            words[entry[0]] = entry
    return meta[:2] + meta[3:], words, meta[2]


def test_the_merged_index_holds_what_pagefind_writes_for_the_same_pages(tmp_path: Path):
    site = _site(tmp_path, 240)
    order = sorted(site, key=lambda path: (path.split("/")[0] if path[0].isdigit() else "", path))
    parts = [[path for path in order if path.startswith(month)] for month in ("about", *MONTHS)]
    with PagefindService(str(tmp_path), "en", 600) as service:
        whole = service.index((path, site[path]) for part in parts for path in part)
        merged, paths = pagefind_merge.merge(
            [pagefind_merge.read_part(service.index((path, site[path]) for path in part)) for part in parts])
    ours, theirs = _decoded(merged), _decoded(whole)
    assert ours[0] == theirs[0]  # version, pages (fragment and word count) in order, meta fields
    assert theirs[0][-1] == ["image", "image_alt", "title"]
    assert ours[1] == theirs[1] and len(ours[1]) > 1000  # every word's postings
    assert len(theirs[2]) > 3  # the word list is cut into chunks, and ours are cut where Pagefind cuts
    assert [chunk[:2] for chunk in ours[2]] == [chunk[:2] for chunk in theirs[2]]
    assert {path for path in whole if path.startswith("fragment/")} == {p for p in paths if p.startswith("fragment/")}
    # Pagefind's own chunks are named by the rule the merge uses for its own.
    words = [pagefind_merge._decode(whole[f"index/{name}.pf_index"])[0] for _, _, name in theirs[2]]
    for n, (start, end, _) in enumerate(theirs[2]):
        first, last = words[n][0][0], words[n][-1][0]
        assert start == (pagefind_merge._prefix(first, words[n - 1][-1][0]) if n else first)
        expected = pagefind_merge._prefix(last, words[n + 1][0][0]) if n + 1 < len(words) else last
        assert end == (last if expected < start else expected)


def test_an_incremental_index_is_a_clean_runs_and_rewrites_few_files(tmp_path: Path):
    output, state = tmp_path / "output", tmp_path / "cache" / "search.pickle"
    _site(output, 120)
    assert search.build_index(str(output), "en", 600, state)
    before = tree(output / search.BUNDLE)
    assert search.build_index(str(output), "en", 600, state)
    assert tree(output / search.BUNDLE) == before  # nothing changed: nothing rewritten
    rng = random.Random(99)
    steps = {
        "edit": ("2024-03/story-5/index.html", _page(rng, 5, "2024-03-06T10:00:00+00:00", "<p>heron quokka</p>")),
        "add in an old month": ("2024-01/story-500/index.html", _page(rng, 500, "2024-01-15T10:00:00+00:00")),
        "add in a new month": ("2024-04/story-501/index.html", _page(rng, 501, "2024-04-01T10:00:00+00:00")),
        "delete": ("2024-01/story-9/index.html", None),
    }
    for step, (path, html) in steps.items():
        if step == "add in a new month":  # a kept part lost: indexed again
            (search.parts_folder(state) / "2024-02.pickle").unlink()
        if html is None:
            (output / path).unlink()
        else:
            (output / path).parent.mkdir(parents=True, exist_ok=True)
            (output / path).write_text(html, encoding="utf-8")
        assert search.build_index(str(output), "en", 600, state)
        after = tree(output / search.BUNDLE)
        clean = tmp_path / f"clean-{step}"
        search.shutil.copytree(output, clean,
                               ignore=lambda folder, names: [search.BUNDLE] if folder == str(output) else [])
        assert search.build_index(str(clean), "en", 600)
        assert after == tree(clean / search.BUNDLE), step
        changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
        # The page's own fragment, the chunks holding its words, the meta file and the entry.
        assert search.ENTRY in changed and len(changed) < len(after) / 3, (step, len(changed), len(after))
        assert len([name for name in changed if name.startswith("fragment/")]) <= 2, step
        before = after
    words = _decoded(tree(output / search.BUNDLE))[1]
    assert "quokka" in words and len(_decoded(tree(output / search.BUNDLE))[0][1]) == 120 + 2 - 1


def test_pages_with_filters_are_indexed_whole_by_pagefind(tmp_path: Path, caplog):
    output, state = tmp_path / "output", tmp_path / "search.pickle"
    site = _site(output, 20)
    path = next(iter(site))
    filtered = "<main data-pagefind-body><span data-pagefind-filter=section>World</span>"
    (output / path).write_text(site[path].replace("<main data-pagefind-body>", filtered))
    caplog.set_level("INFO")
    for _ in range(2):
        assert search.build_index(str(output), "en", 600, state)
    assert "indexed whole by Pagefind (pages with Pagefind filters or sort keys)" in caplog.text
    assert caplog.text.count("indexed whole by Pagefind") == 1  # the next run knows, and does not try again
    meta = next(p for p in (output / search.BUNDLE).iterdir() if p.name.endswith(".pf_meta"))
    assert len(pagefind_merge._decode(meta.read_bytes())[1]) == 20


# Score and URL of every result, in order: what a reader's search page shows.
SEARCH_SCORED = """async ([bundle, query]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const found = await pagefind.search(query);
  return Promise.all(found.results.map(async (result) => [(await result.data()).url, result.score]));
}"""


def test_a_reader_gets_pagefinds_own_results_scores_and_order(tmp_path: Path):
    """Chromium, the merged index beside Pagefind's own of the same pages: the same results with
    the same scores for words, prefixes at every chunk boundary, phrases and diacritic forms."""
    site = _site(tmp_path, 240)
    order = sorted(site, key=lambda path: (path.split("/")[0] if path[0].isdigit() else "", path))
    months = [[path for path in order if path.startswith(month)] for month in ("about", *MONTHS)]
    with PagefindService(str(tmp_path), "en", 600) as service:
        whole = service.index((path, site[path]) for part in months for path in part)
        bundles = [service.index((path, site[path]) for path in part) for part in months]
    merged, _ = pagefind_merge.merge([pagefind_merge.read_part(files) for files in bundles])
    scripts_and_fragments = {path: data for files in bundles for path, data in files.items()
                             if not search._is_index_file(path) or path.startswith("fragment/")}
    for folder, files in (("pagefind-full", whole), ("pagefind-merged", {**scripts_and_fragments, **merged})):
        for path, data in files.items():
            (tmp_path / folder / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / path).write_bytes(data)
    boundaries = [word for start, end, _ in _decoded(merged)[2] for word in (start, end)]
    queries = sorted({*boundaries, *(word[:2] for word in boundaries),
                      *(word[:-1] for word in boundaries if len(word) > 2),
                      "word1", "word12 word7", '"story 12"', "cafe", "café", "caf", "uber", "über", "resume", "her",
                      "herons", "東京", "çay", "picture", "notaword"})
    (tmp_path / "favicon.ico").write_bytes(b"")  # (the browser asks for it)
    with _search_page(tmp_path) as (page, url, errors):
        page.goto(url + "about/", wait_until="load")
        found = 0
        for query in queries:
            ours, theirs = (page.evaluate(SEARCH_SCORED, [f"/{folder}/", query])
                            for folder in ("pagefind-merged", "pagefind-full"))
            assert ours == theirs, query
            found += bool(ours)
    assert errors == [] and found > len(queries) * 0.8 and len(queries) > 30
