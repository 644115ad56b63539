"""Cleaning throughput: raw scrapes cleaned over 1..N processes, as a build's pre-cleaning does.

    python benchmarks/cleaning.py                 # the WCXB dev pages in ../shared, 3 runs
    python benchmarks/cleaning.py --pages 200 --runs 1

Each run cleans every page from an empty cache with ``ScrapeCache.preclean`` (the pool a build
uses) and prints the median wall time, pages per second and the speed-up over one process, so
"all cores busy, throughput scaling with cores" is a measured figure.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
DEFAULT_PAGES = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared")) / "bench/data/wcxb-dev/dev/html"

from newsroom_speed.scrape_cache import ScrapeCache  # noqa: E402
from newsroom_speed.store import RenderCache  # noqa: E402


def unpack(source: Path, target: Path, limit: int | None) -> list[tuple[str, str]]:
    """The benchmark's gzipped pages as plain .html files: (path, source name) pairs."""
    files = []
    for page in sorted(source.glob("*.html.gz"))[:limit]:
        path = target / page.name.removesuffix(".gz")
        path.write_bytes(gzip.decompress(page.read_bytes()))
        files.append((str(path), path.name))
    if not files:
        raise SystemExit(f"benchmarks/cleaning.py: no *.html.gz pages in {source} (use --data)")
    return files


def clean_all(files: list[tuple[str, str]], workers: int, work: Path) -> float:
    """Seconds to clean every file from an empty cache with ``workers`` processes."""
    cache = work / f"cache-{workers}.sqlite"
    for old in work.glob(f"{cache.stem}-*"):  # RenderCache adds its format to the name; SQLite adds -wal/-shm
        old.unlink()
    start = time.perf_counter()
    cleaned = ScrapeCache(RenderCache(cache)).preclean(files, workers, min_batch=1)
    elapsed = time.perf_counter() - start
    assert cleaned == len(files), (cleaned, len(files))
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_PAGES, help="folder of *.html.gz pages")
    parser.add_argument("--pages", type=int, help="use only the first N pages")
    parser.add_argument("--runs", type=int, default=3, help="runs per process count; medians are reported")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsroom-clean-"))
    try:
        files = unpack(args.data, work, args.pages)
        counts = list(range(1, (os.cpu_count() or 1) + 1))
        times = {n: statistics.median(clean_all(files, n, work) for _ in range(args.runs)) for n in counts}
        print(f"\n{len(files)} pages from {args.data}, median of {args.runs} run(s)")
        print(f"{'processes':>9} {'seconds':>8} {'pages/s':>8} {'speed-up':>9}")
        for n in counts:
            print(f"{n:>9} {times[n]:>8.2f} {len(files) / times[n]:>8.1f} {times[1] / times[n]:>8.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
