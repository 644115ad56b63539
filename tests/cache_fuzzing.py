"""The cache fuzzer's harness (``FuzzSite``): the sample project built once, its caches damaged
one way per seed, built again and compared with a clean build. Used by benchmarks/cache_fuzz.py
(many seeds, a table) and by the tests (a few seeds); benchmarks/cache_fuzz.py says what each
kind of damage is."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import copy_project

NOW = "2026-12-01T12:00:00"
EDIT = "\nOne more sentence, added by the cache fuzzer.\n"
TABLES = ("entries", "objects", "blocks")
OUTCOMES = ("identical", "loud failure", "silent difference")
KINDS = ("value", "anywhere", "structure")  # by seed % 3


@dataclass
class Trial:
    seed: int
    damage: str
    outcome: str  # one of OUTCOMES
    next_build_correct: bool
    log: str  # the damaged build's output, for a report


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _flip_bit(data: bytes, rng: random.Random) -> bytes:
    position = rng.randrange(len(data))
    return data[:position] + bytes([data[position] ^ (1 << rng.randrange(8))]) + data[position + 1:]


class FuzzSite:
    """The sample project, its kept caches and output, and the clean build to compare with."""

    def __init__(self, work: Path):
        self.work = work
        self.project = copy_project(work / "site")
        self.story = sorted((self.project / "content" / "world").glob("*.md"))[0]
        self.original = self.story.read_text(encoding="utf-8")
        self.cache, self.output = work / "cache", work / "output"
        done = self.build(self.cache, self.output)
        assert done.returncode == 0, done.stdout + done.stderr
        self.kept = work / "kept"
        for folder in (self.cache, self.output):  # copy2 keeps the times the output ledger checks
            shutil.copytree(folder, self.kept / folder.name, copy_function=shutil.copy2)
        self.story.write_text(self.original + EDIT, encoding="utf-8")
        done = self.build(work / "clean-cache", work / "clean-output")
        assert done.returncode == 0, done.stdout + done.stderr
        self.clean = tree(work / "clean-output")

    def build(self, cache: Path, output: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(output),
             "-e", f'CACHE_PATH="{cache}"', "NEWSROOM_SEARCH=false"],
            cwd=self.project, capture_output=True, text=True, timeout=600,
            env={**os.environ, "NEWSROOM_NOW": NOW, "COLUMNS": "400"})

    def restore(self) -> None:
        """The caches and output as the first build left them."""
        for folder in (self.cache, self.output):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(self.kept / folder.name, folder, copy_function=shutil.copy2)

    def save_story(self) -> None:
        """Save the edited story again: a new stat, so the build is not skipped."""
        self.story.write_text(self.original + EDIT, encoding="utf-8")

    def trial(self, seed: int) -> Trial:
        rng = random.Random(seed)
        self.restore()
        damage = (self.damage_value, self.damage_anywhere, self.damage_structure)[seed % 3](rng)
        self.save_story()
        done = self.build(self.cache, self.output)
        log = done.stdout + done.stderr
        if done.returncode != 0:
            outcome = "loud failure" if "newsroom_speed" in log else "silent difference"
        else:
            outcome = "identical" if tree(self.output) == self.clean else "silent difference"
        self.save_story()
        after = self.build(self.cache, self.output)
        return Trial(seed, damage, outcome, after.returncode == 0 and tree(self.output) == self.clean, log)

    def _cache_file(self, rng: random.Random, sqlite: bool) -> Path | None:
        """A random cache file, its kind first (the SQLite file, if ``sqlite``; each pickle; the
        compiled templates, many files, count as one kind), so that every kind is hit as often."""
        files = sorted(p for p in self.cache.rglob("*") if p.is_file() and p.stat().st_size)
        kinds: dict[str, list[Path]] = {}
        for path in files:
            kind = "templates" if path.parent.name.startswith("templates-") else path.name
            if sqlite or not path.name.endswith(".sqlite"):
                kinds.setdefault(kind, []).append(path)
        return rng.choice(kinds[rng.choice(sorted(kinds))])

    def damage_value(self, rng: random.Random) -> str:
        """One bit flipped in one stored value; says which."""
        (db_path,) = self.cache.glob("newsroom_speed/render-*.sqlite")
        target = rng.choice([*TABLES, "file", "file"])
        if target == "file":  # a pickle or a compiled template: a value each
            path = self._cache_file(rng, sqlite=False)
            path.write_bytes(_flip_bit(path.read_bytes(), rng))
            return f"value: bit in {path.relative_to(self.cache)}"
        with sqlite3.connect(db_path) as db:
            rows = db.execute(f"SELECT rowid FROM {target}").fetchall()
            if not rows:
                return f"value: none ({target} empty)"
            (rowid,) = rng.choice(rows)
            (value,) = db.execute(f"SELECT value FROM {target} WHERE rowid = ?", (rowid,)).fetchone()
            db.execute(f"UPDATE {target} SET value = ? WHERE rowid = ?", (_flip_bit(value, rng), rowid))
        return f"value: bit in a row of {target}"

    def damage_anywhere(self, rng: random.Random) -> str:
        """One to three bytes changed anywhere in one cache file; says where."""
        path = self._cache_file(rng, sqlite=True)
        data = bytearray(path.read_bytes())
        offsets = sorted(rng.randrange(len(data)) for _ in range(rng.randint(1, 3)))
        for offset in offsets:
            data[offset] ^= rng.randrange(1, 256)
        path.write_bytes(bytes(data))
        return f"anywhere: {path.relative_to(self.cache)} at {offsets}"

    def damage_structure(self, rng: random.Random) -> str:
        """One bit flipped in SQLite's file header (a quarter of the time) or in a page's b-tree
        header and cell pointer array; says where."""
        (path,) = self.cache.glob("newsroom_speed/render-*.sqlite")
        data = bytearray(path.read_bytes())
        page_size = int.from_bytes(data[16:18], "big") or 65536
        if rng.random() < 0.25:
            offset = rng.randrange(100)
        else:
            page = rng.randrange(len(data) // page_size)
            start = page * page_size + (100 if page == 0 else 0)  # page 1's b-tree header follows the file's
            cells = int.from_bytes(data[start + 3:start + 5], "big")
            header = 12 if data[start] in (2, 5) else 8  # interior pages have a right-most pointer
            offset = start + rng.randrange(min(header + 2 * cells, (page + 1) * page_size - start))
        data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        return f"structure: {path.name} at {offset}"
