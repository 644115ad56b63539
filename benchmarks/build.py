"""Build-speed benchmark: Newsroom (with newsroom_speed) against stock Pelican, same corpus, one run.

    python benchmarks/build.py --sizes 1000 5000 --runs 3
    python benchmarks/build.py --quick            # 200 articles, 1 run: the CI smoke mode

For each size it writes a corpus (the shared synthetic generator, ``--generator``) plus N/10 raw
scraped HTML news pages full of boilerplate, then for each variant times, in fresh processes:
cold build (no output, no cache), rebuild with nothing changed, after editing one article, after
adding one article, after editing the theme CSS, and the peak memory (two ways: RSS of the
process plus its largest child, which counts a fork()ed worker's inherited pages twice, and
the sampled PSS of the whole process tree, which splits shared pages between processes). "stock" is the same project
settings and theme without ``newsroom_speed`` and with Pelican's own content cache on. Both use the
project's settings as a user runs them (search on); ``--set NEWSROOM_SEARCH=False`` turns it off.
Medians of ``--runs`` runs; ratios are stock / newsroom from the same run. After every step the two
output trees are compared, so a speed-up that changes the site shows up as "differs", and the output
files that step added, changed or removed are counted: what a publish then uploads.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import importlib.util
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.sites import CORPUS_GENERATOR as DEFAULT_GENERATOR, VARIANTS, Site, scrape_page  # noqa: E402

STEPS = ["cold", "unchanged", "edit one", "add one", "theme css"]
ADDED_FOLDER = "benchmark-added"  # where the "add one" step puts its story (removed after)


def load_generator(path: Path):
    """Import the shared corpus generator (deterministic: article i depends only on seed and i)."""
    if not path.is_file():
        raise SystemExit(f"benchmarks/build.py: corpus generator not found: {path} (use --generator)")
    spec = importlib.util.spec_from_file_location("gen_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_corpus(gen, n: int, content: Path, seed: int = 1) -> None:
    """N Markdown articles plus N/10 scraped pages (from articles N.. so no story is duplicated)."""
    rng = random.Random(seed)
    for i in range(n):
        article = gen.article(seed, i)
        gen.write(str(content / f"{article['date']:%Y/%m}" / f"{article['slug']}.md"), gen.pelican_md(article))
    scraped = content / "scraped"
    scraped.mkdir(parents=True, exist_ok=True)
    for i in range(n, n + n // 10):
        article = gen.article(seed, i)
        (scraped / f"{article['slug']}.html").write_text(scrape_page(article, rng), encoding="utf-8")


def tree_digests(path: Path) -> dict[str, str]:
    """Relative path -> digest of the bytes, for every output file."""
    return {
        file.relative_to(path).as_posix(): hashlib.blake2b(file.read_bytes(), digest_size=16).hexdigest()
        for file in sorted(p for p in path.rglob("*") if p.is_file())
    }


def tree_digest(files: dict[str, str]) -> str:
    """One hash over a tree's ``tree_digests``."""
    return hashlib.blake2b(json.dumps(files, sort_keys=True).encode(), digest_size=16).hexdigest()


def files_changed(before: dict[str, str], after: dict[str, str]) -> int:
    """Output files added, changed or removed between two ``tree_digests``."""
    return sum(before.get(name) != digest for name, digest in after.items()) + len(before.keys() - after.keys())


def _tree_pss_mib(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MiB: shared pages (a
    fork()ed worker's inherited memory) are split between the processes sharing them, so the
    sum is what the tree really occupies. 0 if the process is gone."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    pending.extend(int(child) for child in f.read().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def timed_build(settings: Path) -> tuple[float, float, float]:
    """Wall seconds, peak memory (MiB; process plus its largest child, by RSS) and peak PSS of
    the whole process tree (MiB, sampled every 0.1 s) of one Pelican run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(settings)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=settings.parent,
    )
    peak_pss = 0.0
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            peak_pss = max(peak_pss, _tree_pss_mib(proc.pid))
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({settings.name}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
    peak = json.loads(stdout.strip().splitlines()[-1])["peak_mib"]
    return elapsed, peak, peak_pss


def child(settings: str) -> None:
    """Run Pelican in this process, then print its peak memory as the last stdout line."""
    from pelican import main as pelican_main

    pelican_main(["-q", "-s", settings])
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"peak_mib": (own + kids) / 1024}))


def run_sequence(site: Site, content: Path, edit_target: Path, new_article: str) -> dict[str, tuple]:
    """The five timed builds, each returning (seconds, peak MiB, peak PSS MiB, output digest,
    output files changed by the step); content restored after."""
    original = edit_target.read_text(encoding="utf-8")
    added = content / ADDED_FOLDER / "benchmark-added-article.md"
    results, files = {}, {}
    site.reset()
    css = next(site.theme.rglob("*.css"))
    try:
        for step in STEPS:
            if step == "edit one":
                edit_target.write_text(original + "\nOne more sentence, edited for the benchmark.\n", encoding="utf-8")
            elif step == "add one":
                added.parent.mkdir(parents=True, exist_ok=True)
                added.write_text(new_article, encoding="utf-8")
            elif step == "theme css":
                css.write_text(css.read_text() + "\n/* benchmark edit */ body { margin: 0 auto; }\n")
            seconds, peak, pss = timed_build(site.settings)
            files, before = tree_digests(site.output), files
            results[step] = (seconds, peak, pss, tree_digest(files), files_changed(before, files))
    finally:
        edit_target.write_text(original, encoding="utf-8")
        shutil.rmtree(content / ADDED_FOLDER, ignore_errors=True)
    return results


def bench_size(gen, n: int, runs: int, work: Path, extra: tuple = (), variants: tuple = tuple(VARIANTS)) -> None:
    """Time the steps on an N-article corpus for ``variants`` and print the table; without "stock"
    (a large site's stock builds take most of the run) its columns and the comparison show "-"."""
    content = work / f"content-{n}"
    if not content.exists():
        write_corpus(gen, n, content)
    edit_target = sorted(content.rglob("*.md"))[n // 2]
    # the newest story of the site, dated after the corpus (which ends in the past): published at once
    newest = gen.START + datetime.timedelta(seconds=gen.SPAN_S, hours=1)
    new_article = gen.pelican_md({**gen.article(1, 10**6), "date": newest})
    sites = {name: Site(work / f"site-{n}", content, name, VARIANTS[name], extra=extra) for name in variants}
    samples = {name: {step: [] for step in STEPS} for name in sites}
    peaks = {name: [] for name in sites}
    pss_peaks = {name: [] for name in sites}
    same = {step: True for step in STEPS}
    changed = {name: {step: [] for step in STEPS} for name in sites}
    for run in range(runs):
        digests = {}
        for name, site in sites.items():
            results = run_sequence(site, content, edit_target, new_article)
            for step, (seconds, peak, pss, digest, count) in results.items():
                samples[name][step].append(seconds)
                changed[name][step].append(count)
                peaks[name].append(peak)
                pss_peaks[name].append(pss)
                digests.setdefault(step, set()).add(digest)
        for step in STEPS:
            same[step] &= len(digests[step]) == 1
        print(f"  run {run + 1}/{runs} done", file=sys.stderr, flush=True)
    print(f"\n{n} articles + {n // 10} scraped pages, median of {runs} run(s)")
    print(f"{'step':<11} {'newsroom s':>11} {'stock s':>9} {'stock/newsroom':>15}  output identical  files changed")
    compared = len(sites) == len(VARIANTS)
    for step in STEPS:
        identical = ("yes" if same[step] else "NO") if compared else "-"
        files = max(changed["newsroom"][step])
        print(_row(step, samples, statistics.median, ".2f", step), f" {identical:<16}  {files}")
    print(_row("peak MiB", peaks, max, ".0f"), " (RSS: process + largest child)")
    print(_row("peak PSS", pss_peaks, max, ".0f"), " (MiB, all processes, shared pages split)")
    sys.stdout.flush()


def _row(label: str, values: dict, summary, fmt: str, key: str | None = None) -> str:
    """One table line: newsroom's and stock's ``summary`` of ``values`` and their ratio ("-" for a
    variant not run)."""
    ours, theirs = (summary(values[name][key] if key else values[name]) if name in values else None
                    for name in VARIANTS)
    ratio = f"{theirs / ours:.1f}x" if theirs is not None else "-"
    return f"{label:<11} {ours:>11{fmt}} {format(theirs, fmt) if theirs is not None else '-':>9} {ratio:>15}"


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """--workdir, --generator and --set: the options of every benchmark that builds the corpus."""
    parser.add_argument("--workdir", type=Path, help="keep corpora and outputs here (default: a temp dir)")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="gen_corpus.py to use")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="extra setting for both, e.g. NEWSROOM_SEARCH=False"
    )


@contextlib.contextmanager
def corpus_run(args: argparse.Namespace, prefix: str) -> Iterator[tuple[Any, Path, tuple[str, ...]]]:
    """(generator module, work folder, extra settings lines) from ``add_corpus_arguments``'s
    options; a temporary work folder is deleted afterwards."""
    gen = load_generator(args.generator)
    work = args.workdir or Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield gen, work, tuple(setting.replace("=", " = ", 1) for setting in args.set)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="articles per corpus")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; medians are reported")
    parser.add_argument("--quick", action="store_true", help="smoke mode: 200 articles, one run")
    parser.add_argument("--newsroom-only", action="store_true",
                        help="skip the stock variant (no ratios, no output comparison): for large sites")
    add_corpus_arguments(parser)
    parser.add_argument("--child", metavar="SETTINGS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    if args.quick:
        args.sizes, args.runs = [200], 1
    with corpus_run(args, "newsroom-bench-") as (gen, work, extra):
        for n in args.sizes:
            bench_size(gen, n, args.runs, work, extra, ("newsroom",) if args.newsroom_only else tuple(VARIANTS))


if __name__ == "__main__":
    main()
