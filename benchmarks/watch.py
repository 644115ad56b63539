"""Watch-mode benchmark: how soon a saved edit shows, Newsroom against stock Pelican, one run.

    python benchmarks/watch.py --size 5000 --edits 5
    python benchmarks/watch.py --quick            # 200 articles, 2 edits: the CI smoke mode

Same corpus, settings and theme as benchmarks/build.py. Each variant runs Pelican's own watch mode
(``pelican --autoreload``: it builds, waits for a change, builds again, all in one process); "stock"
is the project without ``newsroom_speed`` and with Pelican's content cache on. After the first build
the script saves an edit of one story, then measures, from the save, until the story's page on disk
shows the edit ("visible") and until the build ends (Pelican's "Done:" line), for ``--edits``
edits in a row. Both include the watcher noticing the save. ``invoke livereload`` builds the same
way for Newsroom, each build in a fork()ed child (tasks.py). Medians; ratios are stock / newsroom.
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import VARIANTS, Site, add_corpus_arguments, corpus_run, write_corpus  # noqa: E402

POLL_SECONDS = 0.02  # how often the story's page is read while waiting for the edit
BUILD_TIMEOUT = 3600  # seconds a build may take before the benchmark gives up


class WatchingPelican:
    """``pelican --autoreload`` on one site, with its stdout read line by line in a thread."""

    def __init__(self, settings: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pelican", "--autoreload", "-q", "-s", str(settings)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=settings.parent,
            env={**os.environ, "COLUMNS": "200"},
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()  # (when read, line)
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            self.lines.put((time.perf_counter(), line))
        self.lines.put((time.perf_counter(), ""))  # the process ended

    def wait_done(self) -> float:
        """Block until the running build has printed Pelican's "Done:" line; returns when it did."""
        deadline = time.monotonic() + BUILD_TIMEOUT
        while True:
            try:
                when, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"benchmarks/watch.py: no build ended in {BUILD_TIMEOUT} s") from None
            if not line:
                raise SystemExit("benchmarks/watch.py: pelican --autoreload ended:\n" + "".join(self.log[-40:]))
            if line.startswith("Done:"):
                return when

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)  # Pelican's watch mode ends on Ctrl-C
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def page_of(content: Path, output: Path, story: Path) -> Path:
    """The story's page as the project's settings save it: {date:%Y}/{date:%m}/{slug}/index.html,
    the corpus keeping each story in content/YYYY/MM/<slug>.md."""
    page = output / story.relative_to(content).with_suffix("") / "index.html"
    if not page.is_file():
        raise SystemExit(f"benchmarks/watch.py: {page} not built (ARTICLE_SAVE_AS changed?)")
    return page


def watch_edits(site: Site, content: Path, story: Path, edits: int) -> list[tuple[float, float]]:
    """(seconds until visible, seconds until the build ended) for each edit; the story restored."""
    original = story.read_text(encoding="utf-8")
    site.reset()
    watcher = WatchingPelican(site.settings)
    timings = []
    try:
        watcher.wait_done()  # the first build
        page = page_of(content, site.output, story)
        for i in range(edits):
            marker = f"Edited in watch mode, save {i + 1} at {time.time():.6f}."
            time.sleep(1.0)  # the watcher settles after the build it just ended
            story.write_text(f"{original}\n{marker}\n", encoding="utf-8")
            saved = time.perf_counter()
            while marker not in page.read_text(encoding="utf-8", errors="replace"):
                if time.perf_counter() - saved > BUILD_TIMEOUT:
                    raise SystemExit(f"benchmarks/watch.py: the edit never reached {page}")
                time.sleep(POLL_SECONDS)
            visible = time.perf_counter()
            done = watcher.wait_done()
            timings.append((visible - saved, done - saved))
    finally:
        watcher.stop()
        story.write_text(original, encoding="utf-8")
    return timings


def bench(gen, n: int, edits: int, work: Path, extra: tuple) -> None:
    content = work / f"content-{n}"
    if not content.exists():
        write_corpus(gen, n, content)
    story = sorted(content.rglob("*.md"))[n // 2]
    sites = {name: Site(work / f"watch-{n}", content, name, speed, extra=extra) for name, speed in VARIANTS.items()}
    results = {name: watch_edits(site, content, story, edits) for name, site in sites.items()}
    print(f"\n{n} articles + {n // 10} scraped pages, watch mode (pelican --autoreload), median of {edits} edits")
    print(f"{'seconds from save':<18} {'newsroom':>9} {'stock':>8} {'stock/newsroom':>15}")
    for column, label in enumerate(("edit visible", "build ended")):
        ours, theirs = (statistics.median(t[column] for t in results[name]) for name in VARIANTS)
        print(f"{label:<18} {ours:>9.2f} {theirs:>8.2f} {theirs / ours:>14.1f}x")
    for name in VARIANTS:
        print(f"{name} edits (visible/ended): " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in results[name]))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000, help="articles in the corpus")
    parser.add_argument("--edits", type=int, default=5, help="edits in a row; medians are reported")
    parser.add_argument("--quick", action="store_true", help="smoke mode: 200 articles, 2 edits")
    add_corpus_arguments(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.edits = 200, 2
    with corpus_run(args, "newsroom-watch-") as (gen, work, extra):
        bench(gen, args.size, args.edits, work, extra)


if __name__ == "__main__":
    main()
