"""Damaged caches never give a silently different site (benchmarks/cache_fuzz.py, a few seeds):
after bits flipped in stored values, bytes changed anywhere in the cache files or bits flipped in
SQLite's own structure (headers, b-tree pages), a build gives
the clean build's site byte for byte, or fails with a line saying why; and the build after that
gives the clean build's site (the damage did not survive)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cache_fuzzing import FuzzSite, tree

# By seed % 3: a bit in one stored value, bytes anywhere, a bit in SQLite's structure. Nine of
# these gave a wrong site (silently, or in the build after a failure) before values were sealed.
SEEDS = [0, 1, 2, 3, 15, 17, 21, 23, 36, 38, 52, 65]


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory) -> FuzzSite:
    return FuzzSite(tmp_path_factory.mktemp("cache-fuzz"))


@pytest.mark.parametrize("seed", SEEDS)
def test_a_damaged_cache_gives_the_clean_site_or_a_loud_failure(fuzz_site: FuzzSite, seed: int):
    trial = fuzz_site.trial(seed)
    assert trial.outcome in ("identical", "loud failure"), (trial.damage, trial.log[-3000:])
    if trial.outcome == "loud failure":
        assert "newsroom_speed:" in trial.log and "damaged" in trial.log, trial.log[-3000:]
    assert trial.next_build_correct, trial.damage


@pytest.mark.parametrize("table", ["entries", "objects", "blocks"])
def test_every_value_of_a_table_damaged_gives_the_clean_site_with_one_notice(fuzz_site: FuzzSite, table: str):
    """A bit flipped in every row: whichever the build reads first, the file is dropped with
    one line and what it held is made again."""
    fuzz_site.restore()
    (db_path,) = fuzz_site.cache.glob("newsroom_speed/render-*.sqlite")
    with sqlite3.connect(db_path) as db:
        rows = db.execute(f"SELECT rowid, value FROM {table}").fetchall()
        assert rows
        db.executemany(f"UPDATE {table} SET value = ? WHERE rowid = ?",
                       [(value[:-1] + bytes([value[-1] ^ 1]), rowid) for rowid, value in rows])
    fuzz_site.save_story()
    done = fuzz_site.build(fuzz_site.cache, fuzz_site.output)
    assert done.returncode == 0, done.stderr[-3000:]
    log = done.stdout + done.stderr
    assert len([line for line in log.splitlines() if "newsroom_speed: cache" in line]) == 1, log
    assert tree(fuzz_site.output) == fuzz_site.clean
    assert not Path(str(db_path) + ".damaged").exists()
