"""The build benchmark's smoke mode runs end to end and reports every step for both variants."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.sites import CORPUS_GENERATOR as DEFAULT_GENERATOR

ROOT = Path(__file__).resolve().parent.parent
STEPS = ["cold", "unchanged", "edit one", "add one", "theme css"]  # the rows benchmarks/build.py prints


@pytest.mark.skipif(not DEFAULT_GENERATOR.is_file(), reason=f"corpus generator {DEFAULT_GENERATOR} not present")
def test_quick_benchmark_reports_all_steps_with_identical_output():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "build.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert any(line.startswith("200 articles + 20 scraped pages") for line in lines), proc.stdout
    files = {}
    for step in STEPS:
        [row] = [line for line in lines if line.startswith(step + " ")]
        newsroom, stock, ratio, identical, changed = row[len(step):].split()
        assert float(newsroom) > 0 and float(stock) > 0 and ratio.endswith("x")
        assert identical == "yes", row
        files[step] = int(changed)
    assert files["unchanged"] == 0 and files["cold"] > files["add one"] > 0, files  # cold: every file is new
    assert any(line.startswith("peak MiB") for line in lines)
    [pss] = [line.split() for line in lines if line.startswith("peak PSS")]
    assert float(pss[2]) > 0 and float(pss[3]) > 0  # sampled while the builds ran


@pytest.mark.skipif(not DEFAULT_GENERATOR.is_file(), reason=f"corpus generator {DEFAULT_GENERATOR} not present")
def test_quick_watch_benchmark_sees_every_edit_in_both_variants():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "watch.py"), "--quick", "--set", "NEWSROOM_SEARCH=False"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    for label in ("edit visible", "build ended"):
        [row] = [line for line in lines if line.startswith(label + " ")]
        newsroom, stock, ratio = row[len(label):].split()
        assert float(newsroom) > 0 and float(stock) > 0 and ratio.endswith("x")
    for variant in ("newsroom", "stock"):
        [row] = [line for line in lines if line.startswith(f"{variant} edits")]
        assert len(row.split(": ", 1)[1].split(", ")) == 2  # both edits seen on the page, both builds ended


CLEANING_PAGES = ROOT.parent / "shared" / "bench" / "data" / "wcxb-dev" / "dev" / "html"


@pytest.mark.skipif(not CLEANING_PAGES.is_dir(), reason=f"benchmark pages {CLEANING_PAGES} not present")
def test_cleaning_benchmark_reports_every_process_count():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "cleaning.py"), "--data", str(CLEANING_PAGES), "--pages", "8",
         "--runs", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line.split() for line in proc.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert [int(row[0]) for row in rows[1:]] == list(range(1, len(rows)))  # 1..CPUs after the title line
    assert all(float(row[2]) > 0 for row in rows[1:])


@pytest.mark.skipif(not DEFAULT_GENERATOR.is_file(), reason=f"corpus generator {DEFAULT_GENERATOR} not present")
def test_import_benchmark_reports_every_mode_with_identical_output():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "import.py"), "--pages", "120", "--per-file", "40"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = [line.split("|")[1].strip() for line in proc.stdout.splitlines()
            if line.startswith("| ") and "---" not in line]
    assert {"1 worker", "2 workers", "LocalCluster, 2 workers"} <= set(rows), proc.stdout
    assert "output identical across the three modes at 120 pages: yes" in proc.stdout
