"""Shared fixtures: a private copy of the project, and real Pelican builds of the sample site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from tests.theme_sample import build_theme_site, utc_now, write_theme_site

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROJECT_FILES = ["pelicanconf.py", "publishconf.py", "tasks.py", "content", "theme", "plugins"]

# No time limit per generated example: on a shared, noisy machine one took 250 ms against
# Hypothesis's default of 200 and failed the suite. Speed is the benchmarks' business.
settings.register_profile("newsroom", deadline=None)
settings.load_profile("newsroom")


def copy_project(destination: Path) -> Path:
    """Copy what a build needs, so a test may write posts or outputs without touching the repo."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_invoke(project: Path, *args: str, env: dict | None = None, timeout: float = 300):
    """Run ``invoke ARGS`` in ``project`` through its real command-line entry point."""
    return subprocess.run(
        [str(BIN / "invoke"), *args],
        cwd=project,
        env={**os.environ, "NEWSROOM_OPEN_BROWSER": "0", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pelican_build(project: Path, output: Path, settings: str = "pelicanconf.py", env: dict | None = None):
    """Build ``project`` into ``output`` with the real ``pelican`` command; fail on a non-zero exit."""
    result = subprocess.run(
        [str(BIN / "pelican"), "content", "-s", settings, "-o", str(output)],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site, built once for the session as `invoke build` builds it."""
    project = copy_project(tmp_path_factory.mktemp("sample-project"))  # keeps caches out of the repo
    output = tmp_path_factory.mktemp("sample-output")
    pelican_build(project, output)
    return output


@pytest.fixture(scope="session")
def theme_site(tmp_path_factory) -> Path:
    """The theme tests' own small site (tests/theme_sample.py), built once with the real
    ``pelican`` command, this repository's settings, theme and plugins (Pagefind included)."""
    base = tmp_path_factory.mktemp("theme_site")
    write_theme_site(base / "content", utc_now())
    done = build_theme_site(base / "content", base / "output")
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "output"
