"""Crawl-scale import benchmark (issue 29): WARC archives through ``import_scraped`` three ways.

    python benchmarks/import.py                 # 20,000 pages, memory also at 5,000
    python benchmarks/import.py --pages 1000    # a quick run

It writes ``--pages`` generated news pages (the shared corpus generator's articles in
benchmarks/build.py's boilerplate page, each story once, under its own URL) into .warc.gz
files of ``--per-file`` pages, then imports them in fresh processes, each into an empty content
folder: on 1 and on 2 local worker processes (``--workers``) and on a 2-worker Dask
LocalCluster. For each it prints pages/s (wall time of the whole import, start-up included),
the speed-up against 1 worker, a digest of the written content tree (the three must be equal)
and the client process's peak memory (its own maximum RSS; the workers are other processes), the
CPU time of the client and of its workers, and the CPUs the import had on average (both over
the wall time: on a shared machine, what the scheduler gave it).
The 2-worker LocalCluster is also run on ``--small`` pages, to show the client's memory does not
grow with the crawl. Load averages are printed with the table: the machine may be shared.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "plugins")]

from build import DEFAULT_GENERATOR, load_generator, scrape_page, tree_digest, tree_digests  # noqa: E402

MODES = {  # name -> import_scraped keyword arguments (the ImportSettings fields as a dict)
    "1 worker": {"workers": 1},
    "2 workers": {"workers": 2},
    "LocalCluster, 2 workers": {"spread": {"workers": 2, "in_process_max": 0}},
}
SEED = 29


def write_crawl(folder: Path, pages: int, per_file: int, generator: Path) -> None:
    """``pages`` HTML responses (plus their request records) in .warc.gz files of ``per_file``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    gen, rng = load_generator(generator), random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, pages, per_file):
        with (folder / f"crawl-{start // per_file:04d}.warc.gz").open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for i in range(start, min(start + per_file, pages)):
                article = gen.article(SEED, i)
                url = f"https://news.example/{article['date']:%Y/%m}/{article['slug']}"
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                body = scrape_page(article, rng).encode()
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers,
                    warc_headers_dict={"WARC-Date": f"{article['date']:%Y-%m-%dT%H:%M:%SZ}"}))


def child(crawl: str, content: str, mode: str) -> None:
    """One import in this fresh process; prints what it measured as one JSON line."""
    from newsroom_cleaner.importer import import_scraped, summary
    from newsroom_cleaner.settings import ImportSettings

    options = dict(MODES[mode])
    if "spread" in options:
        options["spread"] = ImportSettings(**options["spread"])
    start = time.perf_counter()
    outcomes = import_scraped([crawl], content, keep_outcomes=False, **options)  # as the invoke task does
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, reaped at the end
    print(json.dumps({"seconds": seconds, "pages": sum(outcomes.counts.values()), "peak_mib": usage.ru_maxrss / 1024,
                      "client_cpu": usage.ru_utime + usage.ru_stime, "workers_cpu": workers.ru_utime + workers.ru_stime,
                      "summary": summary(outcomes, outcomes.passed_over)}))


def run(crawl: Path, content: Path, mode: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", str(crawl), str(content), mode],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"import failed ({mode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["digest"] = tree_digest(tree_digests(content))
    measured["load"] = os.getloadavg()[0]
    return measured


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--small", type=int, help="pages of the memory comparison run (default: a quarter)")
    parser.add_argument("--per-file", type=int, default=2_500, help="pages per .warc.gz file")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    small = args.small or args.pages // 4
    with tempfile.TemporaryDirectory(prefix="newsroom-import-bench-") as work:
        work = Path(work)
        for pages in (args.pages, small):
            write_crawl(work / f"crawl-{pages}", pages, args.per_file, args.generator)
        print(f"{args.pages} pages in {len(list((work / f'crawl-{args.pages}').iterdir()))} .warc.gz files; "
              f"{os.cpu_count()} CPUs; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        rows = []
        for mode in MODES:
            rows.append((mode, args.pages, run(work / f"crawl-{args.pages}", work / f"content-{len(rows)}", mode)))
        rows.append((list(MODES)[-1], small, run(work / f"crawl-{small}", work / "content-small", list(MODES)[-1])))
    base = rows[0][2]["pages"] / rows[0][2]["seconds"]
    print("| mode | pages | seconds | pages/s | speed-up vs 1 worker | output digest | peak client MiB "
          "| client CPU s | workers CPU s | CPUs used | load avg after |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for mode, pages, m in rows:
        rate = m["pages"] / m["seconds"]
        print(f"| {mode} | {pages} | {m['seconds']:.1f} | {rate:.1f} | {rate / base:.2f}x | {m['digest'][:12]} | "
              f"{m['peak_mib']:.0f} | {m['client_cpu']:.1f} | {m['workers_cpu']:.1f} | "
              f"{(m['client_cpu'] + m['workers_cpu']) / m['seconds']:.2f} | {m['load']:.2f} |")
    same = len({m["digest"] for _, pages, m in rows if pages == args.pages}) == 1
    print(f"output identical across the three modes at {args.pages} pages: {'yes' if same else 'NO'}")
    print(f"summary ({list(MODES)[0]}): {rows[0][2]['summary']}")


if __name__ == "__main__":
    main()
