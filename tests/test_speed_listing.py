"""newsroom_speed.listing replaces Pelican's list-in-list scans: the lists, and so the site, must
be exactly what stock Pelican makes, translations and duplicate-free groups included."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

from newsroom_speed import listing

from .deadline import deadline


@given(st.lists(st.integers(0, 30), max_size=40), st.integers(1, 30), st.booleans(), st.booleans())
def test_members_in_order_is_the_scan_it_replaces(picks: list[int], size: int, ordered: bool, outsider: bool):
    order = [object() for _ in range(size)]
    members = [order[i % size] for i in (sorted(set(picks)) if ordered else picks)]  # or with repeats
    members += [object()] if outsider else []
    assert listing.members_in_order(listing.ranks(order), members) == [a for a in order if a in members]


def write_site(content: Path, seed: int) -> None:
    """Articles over a few sections, tags, authors and days, some with a French translation."""
    rng = random.Random(seed)
    for i in range(60):
        day = f"2024-0{rng.randint(1, 3)}-{rng.randint(10, 12)} {rng.randint(0, 23):02}:00"
        tags = ", ".join(rng.sample(["vote", "rain", "chips", "rates", "film", "port"], rng.randint(0, 3)))
        head = (
            f"Title: Story {i}\nSlug: story-{i}\nDate: {day}\nCategory: {rng.choice(['World', 'Business', 'Sport'])}\n"
            f"Tags: {tags}\nAuthor: {rng.choice(['Ana Ruiz', 'Bo Chen', 'Cy Obi'])}\n"
        )
        (content / f"story-{i}.md").write_text(f"{head}\nBody of story {i}.\n", encoding="utf-8")
        if rng.random() < 0.3:
            (content / f"story-{i}-fr.md").write_text(f"{head}Lang: fr\n\nTexte {i}.\n", encoding="utf-8")
    # stories alone in their translation group: one in another language, one marked a translation
    (content / "seul.md").write_text("Title: Seul\nSlug: seul\nDate: 2024-02-11\nLang: fr\n\nTexte.\n")
    (content / "lone.md").write_text("Title: Lone\nSlug: lone\nDate: 2024-02-11\nTranslation: true\n\nText.\n")


def build(content: Path, output: Path) -> dict[str, bytes]:
    settings = read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False,
            "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
            "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
            "DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/index.html",
            "PLUGINS": [],
        },
    )
    Pelican(settings).run()
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def forget_warnings() -> None:
    """Pelican logs a warning once per process (and a group of them up to a threshold): a build
    compared with another starts from the same state."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def test_a_patched_build_equals_stock_pelicans(tmp_path: Path, caplog):
    content = tmp_path / "content"
    content.mkdir()
    write_site(content, seed=7)
    forget_warnings()
    stock = build(content, tmp_path / "stock")
    stock_warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    caplog.clear()
    forget_warnings()
    undo = listing.install()
    try:
        patched = build(content, tmp_path / "patched")
    finally:
        undo()
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == stock_warnings
    assert any("are translations" in w for w in stock_warnings)  # the story marked a translation
    assert any(name.startswith("tag/") for name in stock) and any("-fr" in name for name in stock)
    assert "seul-fr.html" in stock and "lone.html" in stock  # lone ones are listed as originals
    assert any(name.count("/") == 3 for name in stock)  # day archives exist
    assert patched.keys() == stock.keys()
    assert [n for n in stock if patched[n] != stock[n]] == []


def test_a_long_lived_process_holds_one_build_not_all_of_them(tmp_path: Path):
    """Live reload builds in one process: a build's content objects must be freed by the next
    build (Pelican's memoised get_content held them all, and frozen cycles were never collected)."""
    import weakref

    from pelican import signals

    content = tmp_path / "content"
    content.mkdir()
    write_site(content, seed=4)
    settings = read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache"),
        "PLUGIN_PATHS": [str(Path(__file__).parents[1] / "plugins")], "PLUGINS": ["newsroom_speed"],
    })
    seen = []

    def keep_an_eye(generator):
        seen.append(weakref.ref(generator.articles[0]))

    signals.article_generator_finalized.connect(keep_an_eye)
    try:
        for i in range(3):
            (content / "story-1.md").write_text((content / "story-1.md").read_text() + f"\nEdit {i}.\n")
            Pelican(settings).run()
    finally:
        signals.article_generator_finalized.disconnect(keep_an_eye)
    assert [ref() is None for ref in seen] == [True, True, False]  # only the last build's are alive


def test_a_worker_dying_while_reading_costs_time_not_the_site(tmp_path: Path, monkeypatch, caplog):
    """Files are read over forked workers (preread.py). A worker killed mid-read (out of memory,
    a crash in a C library) used to leave the build waiting forever for its task; now the build
    says so in one line and Pelican's own loop reads what is left: the site is the same."""
    import os

    from newsroom_speed import preread

    content = tmp_path / "content"
    content.mkdir()
    write_site(content, seed=5)

    def settings(name: str) -> dict:
        return read_settings(None, override={
            "PATH": str(content), "OUTPUT_PATH": str(tmp_path / name), "CACHE_PATH": str(tmp_path / f"cache-{name}"),
            "PLUGIN_PATHS": [str(Path(__file__).parents[1] / "plugins")], "PLUGINS": ["newsroom_speed"],
            "NEWSROOM_SPEED_WORKERS": 2, "NEWSROOM_SPEED_MIN_BATCH": 1,
        })

    Pelican(settings("whole")).run()
    parent, plain = os.getpid(), preread._read

    def dying(cache, kind, filename):
        if os.getpid() != parent and filename.endswith("story-7.md"):
            os._exit(3)
        return plain(cache, kind, filename)

    monkeypatch.setattr(preread, "_read", dying)

    with deadline(60, "the build waited for the dead worker's task"):  # a build of this site: ~1 s
        Pelican(settings("died")).run()
    assert "a worker process ended with exit code 3" in caplog.text
    whole, died = (tmp_path / "whole", tmp_path / "died")
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(died) for p in died.rglob("*") if p.is_file())
    assert [f for f in files if (whole / f).read_bytes() != (died / f).read_bytes()] == []
