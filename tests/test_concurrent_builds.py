"""Two builds of one site at once (real ``pelican`` processes, Pagefind on): one waits for the
other (newsroom_speed's build lock), both end well, and the site is a clean build's, search
index included (its files are named by content hashes: equal trees, equal indexes).

To have the two builds truly start together, the test holds the build lock while they start,
until both say they wait, and lets them go at once."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import copy_project

NOW = "2026-12-01T12:00:00"  # NEWSROOM_NOW: every build writes the same news sitemap
WAITING = "another build is running (pid"


def _pelican(project: Path, output: Path, log: Path, cache: Path | None = None) -> subprocess.Popen:
    extra = ["-e", f'CACHE_PATH="{cache}"'] if cache else []
    return subprocess.Popen(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(output), *extra],
        cwd=project, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NEWSROOM_NOW": NOW, "COLUMNS": "400"})


def _finish(proc: subprocess.Popen, log: Path) -> str:
    proc.wait(timeout=600)
    text = log.read_text()
    assert proc.returncode == 0, text[-4000:]
    return text


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("start", ["cold", "warm"])
def test_two_builds_at_once_give_the_clean_site_with_its_search_index(tmp_path: Path, start: str):
    project = copy_project(tmp_path / "site")
    output = tmp_path / "output"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    story = sorted((project / "content" / "world").glob("*.md"))[0]
    if start == "warm":
        _finish(_pelican(project, output, logs[0]), logs[0])
        story.write_text(story.read_text() + "\nA sentence saved while two builds start.\n")
    lock_path = project / "cache" / "newsroom_speed" / "build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write(str(os.getpid()))
        lock.flush()
        builds = [_pelican(project, output, log) for log in logs]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(WAITING in log.read_text() for log in logs):
            time.sleep(0.05)
        lock.truncate(0)
    # (closing the file let both go at once)
    texts = [_finish(build, log) for build, log in zip(builds, logs)]
    assert all(text.count(WAITING) == 1 and f"(pid {os.getpid()})" in text for text in texts), texts
    clean_log = tmp_path / "clean.log"
    _finish(_pelican(project, tmp_path / "clean", clean_log, tmp_path / "clean-cache"), clean_log)
    ours, clean = tree(output), tree(tmp_path / "clean")
    assert "pagefind/pagefind-entry.json" in clean
    assert sorted(ours) == sorted(clean)
    assert [name for name in ours if ours[name] != clean[name]] == []
    assert not [p for p in output.iterdir() if p.name.startswith(".pagefind")]
