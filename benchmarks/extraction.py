"""Score Newsroom's cleaner against trafilatura and readability on the shared extraction benchmarks.

Runs /work/shared-style ``bench/extract_eval.py`` once per dataset (scrapinghub: shingle F1;
WCXB dev articles: word F1 and must-remove share), all extractors in the same process and
run, so speeds are comparable. The shared directory is ``../shared`` relative to the repo
root, or ``--shared DIR`` / ``$NEWSROOM_SHARED``.

    python benchmarks/extraction.py                    # both datasets, all three extractors
    python benchmarks/extraction.py --only newsroom --dataset scrapinghub   # quick loop

This file is also the ``py:`` adapter extract_eval loads: ``newsroom`` runs the whole
cleaner (Markdown out, as the site gets it); ``newsroom_extract`` only parses and extracts
(HTML out), to separate extraction quality from the Markdown conversion.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "plugins"

DATASETS = {
    "scrapinghub": ["--data", "{shared}/bench/data/scrapinghub", "--dataset", "scrapinghub"],
    "wcxb": ["--data", "{shared}/bench/data/wcxb-dev", "--dataset", "wcxb", "--split", "dev",
             "--page-type", "article"],
}
PEERS = ("trafilatura", "readability")


def newsroom(html: str, url: str | None) -> str:
    """The full cleaner: page in, Markdown body out (metadata header stripped by the scorer)."""
    from newsroom_cleaner.errors import CleanerError
    from newsroom_cleaner.pipeline import clean_article

    try:
        return clean_article(html, url, source_name=url or "<page>").markdown
    except CleanerError:
        return ""  # "no article found" scores as an empty prediction, like a peer's None


def newsroom_extract(html: str, url: str | None) -> str:
    """Parsing and main-content extraction only, without metadata hints: the <div> as HTML."""
    import lxml.html

    from newsroom_cleaner.errors import CleanerError
    from newsroom_cleaner.extract import extract_main_content
    from newsroom_cleaner.parse import parse_html
    from newsroom_cleaner.report import CleaningReport

    try:
        tree = parse_html(html, CleaningReport(), url or "<page>")
    except CleanerError:
        return ""
    body = extract_main_content(tree, CleaningReport())
    return "" if body is None else lxml.html.tostring(body, encoding="unicode")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSROOM_SHARED", REPO.parent / "shared")),
                    help="the shared directory holding bench/ (default: ../shared or $NEWSROOM_SHARED)")
    ap.add_argument("--dataset", choices=sorted(DATASETS), action="append",
                    help="dataset to run (repeatable; default: all)")
    ap.add_argument("--only", choices=("newsroom", "newsroom_extract", *PEERS), action="append",
                    help="extractor to run (repeatable; default: both newsroom adapters and the peers)")
    ap.add_argument("--json-dir", type=Path, help="write each dataset's per-page results here")
    args = ap.parse_args(argv)
    script = args.shared / "bench" / "extract_eval.py"
    if not script.is_file():
        ap.error(f"{script} not found: pass --shared DIR or set NEWSROOM_SHARED")
    extractors = [ex if ex in PEERS else f"py:{Path(__file__).resolve()}:{ex}"
                  for ex in args.only or ["newsroom", "newsroom_extract", *PEERS]]
    status = 0
    for name in args.dataset or list(DATASETS):
        data = [a.format(shared=args.shared) for a in DATASETS[name]]
        json_path = args.json_dir / f"{name}.json" if args.json_dir else None
        status = run_eval(script, data, extractors, json_path) or status
    return status


def run_eval(script: Path, data: list[str], extractors: list[str], json_path: Path | None) -> int:
    """One run of the shared ``extract_eval.py`` with every extractor (same process, comparable
    speeds), our plugins importable; its exit status. benchmarks/dumps.py uses it too."""
    cmd = [sys.executable, str(script), "--py-path", str(PLUGINS), *data]
    for extractor in extractors:
        cmd += ["--extractor", extractor]
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--json", str(json_path)]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=REPO)


if __name__ == "__main__":
    sys.exit(main())
