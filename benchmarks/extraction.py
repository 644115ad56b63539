"""Score Newsroom's cleaner against trafilatura, readability and jusText on the shared extraction benchmarks.

Runs /work/shared-style ``bench/extract_eval.py`` once per dataset (scrapinghub: shingle F1;
WCXB dev articles: word F1 and must-remove share), all extractors in the same process and
run, so speeds are comparable. The shared directory is ``../shared`` relative to the repo
root, or ``--shared DIR`` / ``$NEWSROOM_SHARED``.

    python benchmarks/extraction.py                    # both datasets, all extractors
    python benchmarks/extraction.py --only newsroom --dataset scrapinghub   # quick loop

With ``--json-dir`` it also prints each extractor's figures on the two halves of a split of
the pages by site (md5 of the domain, "www." dropped): a rule that fits some sites gains on
one half only. ``--dump-dir`` keeps each extractor's scored text per page, which
``benchmarks/extraction_ceiling.py`` reads to compute what choosing or combining them could reach.

This file is also the ``py:`` adapter extract_eval loads: ``newsroom`` runs the whole
cleaner (Markdown out, as the site gets it); ``newsroom_extract`` only parses and extracts
(HTML out), to separate extraction quality from the Markdown conversion.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "plugins"

DATASETS = {
    "scrapinghub": ["--data", "{shared}/bench/data/scrapinghub", "--dataset", "scrapinghub"],
    "wcxb": ["--data", "{shared}/bench/data/wcxb-dev", "--dataset", "wcxb", "--split", "dev",
             "--page-type", "article"],
}
PEERS = ("trafilatura", "readability", "justext")


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
    ap.add_argument("--dump-dir", type=Path,
                    help="write each extractor's scored text per page here, in <dataset>/ (for "
                         "benchmarks/extraction_ceiling.py)")
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
        dump = args.dump_dir / name if args.dump_dir else None
        status = run_eval(script, data, extractors, json_path, dump) or status
        if json_path and json_path.is_file():
            print_halves(script, name, json_path, data[1])
    return status


def domain_half(url: str | None) -> int:
    """0 or 1: which half of the split by site a page's URL falls in."""
    domain = urlparse(url or "").netloc.lower().removeprefix("www.")
    return int(hashlib.md5(domain.encode()).hexdigest(), 16) % 2


def _page_urls(name: str, data_dir: Path) -> dict[str, str | None]:
    if name == "scrapinghub":
        truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
        return {pid: item.get("url") for pid, item in truth.items()}
    return {path.stem: json.loads(path.read_text(encoding="utf-8")).get("url")
            for path in (data_dir / "dev" / "ground-truth").glob("*.json")}


def print_halves(script: Path, name: str, json_path: Path, data_dir: str) -> None:
    """Each extractor's primary figures on both halves of the split by site, from the per-page rows."""
    spec = importlib.util.spec_from_file_location("extract_eval", script)
    ev = importlib.util.module_from_spec(spec)
    sys.modules["extract_eval"] = ev  # (its dataclasses look their module up)
    spec.loader.exec_module(ev)
    urls = _page_urls(name, Path(data_dir))
    results = json.loads(json_path.read_text(encoding="utf-8"))["results"]
    print(f"\n{name}, halves by site (md5 of the domain)")
    for extractor, res in results.items():
        cells = []
        for half in (0, 1):
            rows = [r for r in res["per_page"] if domain_half(urls.get(r["id"])) == half]
            if name == "scrapinghub":
                shingle = ev.shingle_aggregate([r["shingle"] for r in rows])["f1"]
                cells.append(f"half {half} ({len(rows)}): shingle F1 {shingle:.4f}")
            else:
                words = ev.words_aggregate([r["words"] for r in rows])["f1"]
                frag = ev.fragments_aggregate([r["fragments"] for r in rows])
                cells.append(f"half {half} ({len(rows)}): word F1 {words:.4f}, must-keep "
                             f"{frag['with_kept']:.4f}, must-remove {frag['without_removed']:.4f}")
        print(f"  {extractor.rsplit(':', 1)[-1]}: " + "; ".join(cells))


def run_eval(script: Path, data: list[str], extractors: list[str], json_path: Path | None,
             dump: Path | None = None) -> int:
    """One run of the shared ``extract_eval.py`` with every extractor (same process, comparable
    speeds), our plugins importable; its exit status. benchmarks/dumps.py uses it too."""
    cmd = [sys.executable, str(script), "--py-path", str(PLUGINS), *data]
    for extractor in extractors:
        cmd += ["--extractor", extractor]
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--json", str(json_path)]
    if dump:
        cmd += ["--dump", str(dump)]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=REPO)


if __name__ == "__main__":
    sys.exit(main())
