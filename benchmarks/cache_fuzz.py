"""Cache fuzzing: a damaged cache gives the clean build's site or a loud failure, never a
silently different site, and the damage does not outlive the build that met it.

    python benchmarks/cache_fuzz.py --seeds 100

The sample project (this repository's content, theme and plugins) is built once and its caches
and output are kept. Each trial (one seed) puts them back, damages the caches, edits one story
(so the build is not skipped), builds with the real ``pelican`` command and compares the output
with a clean build of the same content, byte for byte: identical, a loud failure (non-zero exit
with a ``newsroom_speed`` line saying so), or a silent difference. Then the story is saved again
and the site built again: that build must give the clean build's site (a cache that survived its
damage would show here). Three kinds of damage, by seed:

- seeds 0, 3, 6..., "value": one bit flipped in one stored value (a row of ``entries``,
  ``objects`` or ``blocks``, the build state, the page records, the related stories, a compiled
  template);
- seeds 1, 4, 7..., "anywhere": one to three bytes changed at random offsets of one random file
  of the cache folder;
- seeds 2, 5, 8..., "structure": one bit flipped in the SQLite file outside the values: its
  header, or a page's b-tree header and cell pointers.

Search indexing is off: Pagefind indexes the output pages compared here, and no cache feeds it.
The clock is fixed (``NEWSROOM_NOW``) so every build writes the same news sitemap.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.cache_fuzzing import KINDS, OUTCOMES, FuzzSite  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="trials (seeds 0..N-1)")
    parser.add_argument("--first", type=int, default=0, help="first seed")
    parser.add_argument("--kind", choices=KINDS, help="only the seeds of this kind of damage (--seeds of them)")
    args = parser.parse_args()
    seeds = range(args.first, args.first + args.seeds)
    if args.kind:
        offset = KINDS.index(args.kind)
        seeds = range(args.first * 3 + offset, (args.first + args.seeds) * 3 + offset, 3)
    with tempfile.TemporaryDirectory(prefix="cache-fuzz-") as work:
        site = FuzzSite(Path(work))
        trials = []
        for seed in seeds:
            trial = site.trial(seed)
            trials.append(trial)
            flag = "" if trial.next_build_correct else "  NEXT BUILD WRONG"
            print(f"seed {seed:4d}  {trial.outcome:18s} {trial.damage}{flag}", flush=True)
    print()
    print("| damage | trials | identical | loud failure | silent difference | next build wrong |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in (*KINDS, "all"):
        chosen = [t for t in trials if kind == "all" or t.damage.startswith(kind)]
        counts = Counter(t.outcome for t in chosen)
        wrong_next = sum(not t.next_build_correct for t in chosen)
        print(f"| {kind} | {len(chosen)} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + f" | {wrong_next} |")


if __name__ == "__main__":
    main()
