"""What newsroom_speed trusts is checked: sealed cache values (store.py), one build at a time
(lock.py), and a build with nothing changed still runs when another plugin's output is damaged
(the search bundle) or goes stale with the clock (the news sitemap's window)."""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from newsroom_speed import lock
from newsroom_speed.records import BuildState, PageRecords
from newsroom_speed.sealed import CacheDamage, SealedBytecodeCache, load_state, save_state, seal, unseal
from newsroom_speed.store import RenderCache
from newsroom_theme import search
from tests.conftest import copy_project


def _notices(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "newsroom_speed: cache" in r.getMessage()]


# --- digests ------------------------------------------------------------------------------------

def test_a_sealed_value_opens_only_intact_and_under_its_key():
    data = seal(b"some pickled value", b"key")
    assert unseal(data, b"key") == b"some pickled value"
    for position in range(len(data)):  # a bit flipped anywhere, digest or value
        flipped = data[:position] + bytes([data[position] ^ 0x10]) + data[position + 1:]
        with pytest.raises(CacheDamage):
            unseal(flipped, b"key")
    with pytest.raises(CacheDamage):
        unseal(data, b"another key")  # a value moved under another key
    with pytest.raises(CacheDamage):
        unseal(b"short", b"key")


def _flip_stored(path: Path, table: str) -> None:
    with sqlite3.connect(path) as db:
        (rowid, value), = db.execute(f"SELECT rowid, value FROM {table}").fetchall()
        db.execute(f"UPDATE {table} SET value = ? WHERE rowid = ?", (value[:-3] + b"X" + value[-2:], rowid))


@pytest.mark.parametrize("table", ["entries", "objects", "blocks"])
def test_a_damaged_value_is_a_miss_with_one_notice_and_the_file_starts_afresh(tmp_path: Path, caplog, table: str):
    cache = RenderCache(tmp_path / "render.sqlite")
    cache.put(b"k1", {"html": "<p>kept</p>"})
    cache.put_object(b"o1", b"gen", pickle.dumps("an object"))
    cache.put_block(b"b1", b"gen", pickle.dumps("a block"))
    cache.flush()
    _flip_stored(cache.path, table)
    cache = RenderCache(tmp_path / "render.sqlite")
    read = {"entries": lambda: cache.get(b"k1"), "objects": lambda: cache.get_object(b"o1"),
            "blocks": lambda: cache.get_block(b"b1")}[table]
    with caplog.at_level(logging.WARNING):
        assert read() is None
        assert read() is None
    assert len(_notices(caplog)) == 1 and cache.damage_seen
    assert cache.get(b"k1") is None and cache.get_object(b"o1") is None  # the whole file went
    cache.put(b"k2", "new")
    cache.flush()
    assert RenderCache(tmp_path / "render.sqlite").get(b"k2") == "new"


def test_damage_a_forked_worker_finds_is_dropped_by_the_parent(tmp_path: Path, caplog):
    cache = RenderCache(tmp_path / "render.sqlite")
    cache.put_block(b"b1", b"gen", b"a block")
    cache.flush()
    _flip_stored(cache.path, "blocks")
    pid = os.fork()
    if pid == 0:  # a worker: a miss, and the file marked
        os._exit(0 if cache.get_block(b"b1") is None else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert cache.path.with_name(cache.path.name + ".damaged").exists()
    with caplog.at_level(logging.WARNING):
        cache.flush()
    assert len(_notices(caplog)) == 1 and cache.damage_seen
    assert not cache.path.with_name(cache.path.name + ".damaged").exists()
    assert cache.get_block(b"b1") is None


def test_a_damaged_state_file_is_a_notice_and_no_state(tmp_path: Path, caplog):
    path = tmp_path / "state.pickle"
    save_state(path, PageRecords("b1", versions={"a.md": b"1"}))
    assert load_state(path, PageRecords) == PageRecords("b1", versions={"a.md": b"1"})
    with caplog.at_level(logging.WARNING):
        assert load_state(path, BuildState) is None  # another kind of state: a notice, and it goes
    assert len(_notices(caplog)) == 1 and not path.exists()
    save_state(path, PageRecords("b1"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x04
    path.write_bytes(bytes(data))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert load_state(path, PageRecords) is None
    assert len(_notices(caplog)) == 1 and not path.exists()


def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path, caplog):
    def render() -> str:
        env = Environment(loader=DictLoader({"t.html": "{% for i in range(3) %}{{ i }}-{% endfor %}"}),
                          bytecode_cache=SealedBytecodeCache(str(tmp_path)))
        return env.get_template("t.html").render()

    assert render() == "0-1-2-"
    (compiled,) = tmp_path.iterdir()
    data = bytearray(compiled.read_bytes())
    data[-10] ^= 0x01  # inside the marshalled code, which Jinja does not check
    compiled.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        assert render() == "0-1-2-"
    assert len(_notices(caplog)) == 1
    assert render() == "0-1-2-" and len(_notices(caplog)) == 1  # written again, sealed


def test_a_build_failing_after_damage_was_found_deletes_the_caches_saying_so(tmp_path: Path):
    """Damaged objects are found while reading; a template saved half-written then fails the
    build: the caches go, with a line, and the build after the template is mended is clean."""
    from tests.cache_fuzzing import FuzzSite, tree as site_tree

    site = FuzzSite(tmp_path)
    site.restore()
    (db_path,) = site.cache.glob("newsroom_speed/render-*.sqlite")
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE objects SET value = substr(value, 1, length(value) - 1) || x'00'")
    template = site.project / "theme" / "templates" / "article.html"
    good = template.read_text()
    template.write_text(good + "{% if %}")
    site.save_story()
    done = site.build(site.cache, site.output)
    assert done.returncode != 0
    assert "this build failed after finding damaged caches; they are deleted" in done.stdout + done.stderr
    assert [p.name for p in (site.cache / "newsroom_speed").iterdir()] in ([], ["build.lock"])
    template.write_text(good)
    assert site.build(site.cache, site.output).returncode == 0
    assert site_tree(site.output) == site.clean


# --- the build lock -----------------------------------------------------------------------------

_TAKE_LOCK = """
import sys, time
sys.path.insert(0, {plugins!r})
import logging; logging.basicConfig(level=logging.INFO, format="%(message)s")
from pathlib import Path
from newsroom_speed.lock import build_lock
with build_lock(Path({cache!r})):
    print("locked", time.monotonic(), flush=True)
"""


def test_a_second_build_waits_for_the_first_saying_so_once(tmp_path: Path):
    plugins = str(Path(__file__).resolve().parent.parent / "plugins")
    with lock.build_lock(tmp_path):
        with lock.build_lock(tmp_path):  # a build inside a build of this process: no wait
            pass
        other = subprocess.Popen([sys.executable, "-c", _TAKE_LOCK.format(plugins=plugins, cache=str(tmp_path))],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        waiting = other.stdout.readline()  # the child says it waits (however slow it is to start)
        assert "another build is running" in waiting and f"(pid {os.getpid()})" in waiting, waiting
        time.sleep(0.5)
        assert other.poll() is None  # still waiting
        released = time.monotonic()
    out, _ = other.communicate(timeout=60)
    assert "another build is running" not in out, out  # said once
    assert float(out.split("locked ")[1]) >= released


def test_builds_in_forked_children_one_after_another_do_not_wait_on_themselves(tmp_path: Path):
    """As `invoke livereload` builds: each build in a child forked from the server, which may
    have built in its own process before."""
    import tasks

    with lock.build_lock(tmp_path):
        pass
    for _ in range(3):
        done = threading.Event()
        result = []
        thread = threading.Thread(target=lambda: (result.append(tasks._in_child(_locked, tmp_path)), done.set()))
        thread.start()
        assert done.wait(30), "the child waited for a lock nobody holds"
        assert result == [0]


def _locked(cache: Path) -> None:
    with lock.build_lock(cache):
        with lock.build_lock(cache):
            pass


# --- other plugins' output on the fast path ------------------------------------------------------

NOW = "2026-11-29T12:00:00"  # the newest sample stories are from 27 and 28 November 2026


def _build(project: Path, output: Path, now: str = NOW, cache: Path | None = None, search_on: bool = True) -> str:
    extra = ["-e", f'CACHE_PATH="{cache}"'] if cache else []
    if not search_on:
        extra += ["-e", "NEWSROOM_SEARCH=false"]
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "-v", "content", "-s", "pelicanconf.py", "-o", str(output), *extra],
        cwd=project, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NEWSROOM_NOW": now, "COLUMNS": "400"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("damage", ["fragment deleted", "entry truncated", "bundle deleted"])
def test_a_damaged_search_bundle_is_rebuilt_when_nothing_changed(tmp_path: Path, damage: str):
    project, output = copy_project(tmp_path / "site"), tmp_path / "output"
    _build(project, output)
    whole = tree(output / "pagefind")
    assert "output is up to date" in _build(project, output)
    bundle = output / "pagefind"
    if damage == "fragment deleted":
        next(bundle.glob("fragment/*")).unlink()
    elif damage == "entry truncated":
        (bundle / "pagefind-entry.json").write_text("{")
    else:
        search.shutil.rmtree(bundle)
    log = _build(project, output)
    assert "output is up to date" not in log and "stale or damaged" in log
    assert tree(bundle) == whole
    assert "output is up to date" in _build(project, output)


def test_the_news_sitemap_is_written_again_when_a_story_leaves_its_window(tmp_path: Path):
    project, output = copy_project(tmp_path / "site"), tmp_path / "output"
    _build(project, output, search_on=False)
    news = (output / "news-sitemap.xml").read_bytes()
    assert news.count(b"<url>") >= 2
    # the oldest story in the window, from 27 November 14:05, leaves it at 29 November 14:05
    assert "output is up to date" in _build(project, output, "2026-11-29T14:00:00", search_on=False)
    assert (output / "news-sitemap.xml").read_bytes() == news
    log = _build(project, output, "2026-11-29T14:10:00", search_on=False)
    assert "output is up to date" not in log
    later = (output / "news-sitemap.xml").read_bytes()
    assert later.count(b"<url>") == news.count(b"<url>") - 1
    _build(project, tmp_path / "clean", "2026-11-29T14:10:00", tmp_path / "clean-cache", search_on=False)
    assert tree(output) == tree(tmp_path / "clean")


# --- the search index's work folders -------------------------------------------------------------

_PAGE = ('<!DOCTYPE html><html lang="en"><head><title>T</title></head>'
         "<body><main data-pagefind-body><h1>{}</h1></main></body></html>")


def test_a_pagefind_run_that_fails_keeps_the_index_and_says_so_once(tmp_path: Path, caplog, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(_PAGE.format("Zeppelins"))
    manifest = tmp_path / "cache" / "bundle.json"
    assert search.build_index(str(site), "en", 120, manifest)
    before = tree(site / "pagefind")
    assert search.bundle_intact(str(site), manifest)
    (site / "index.html").write_text(_PAGE.format("Airships"))
    # an indexer that exits at once, saying nothing (not the Pagefind service)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("true"))
    with caplog.at_level(logging.ERROR):
        assert not search.build_index(str(site), "en", 120, manifest)
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 1
    assert tree(site / "pagefind") == before  # the index that was there stays
    assert not search.bundle_intact(str(site), manifest)  # and the next build makes it again
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "pagefind"]


def test_abandoned_work_folders_go_and_runs_at_once_each_swap_a_whole_index(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(_PAGE.format("Zeppelins"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    for name in (f".pagefind-building-{dead}-abc", f".pagefind-retired-{dead}-def", ".pagefind-building"):
        (site / name / "fragment").mkdir(parents=True)
    alive = site / f".pagefind-building-{os.getpid()}-live"  # a run of a live process: left alone
    alive.mkdir()
    results = []
    runs = [threading.Thread(target=lambda: results.append(search.build_index(str(site), "en", 120)))
            for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(240)
    assert results == [True, True, True]
    assert sorted(p.name for p in site.iterdir()) == sorted(["index.html", "pagefind", alive.name])
    assert (site / "pagefind" / "pagefind-entry.json").is_file() and (site / "pagefind" / "pagefind.js").is_file()
