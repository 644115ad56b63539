"""Score Newsroom's text-dump cleaner on the WCXB dev dumps, beside keeping every line and jusText.

Runs the shared ``bench/extract_eval.py`` once per dump form (``page``: all visible text of the
page; ``container``: the text of its ``<article>``/``<main>``), all extractors in the same run, so
speeds are comparable (pages/s is the harness's wall-clock figure, one process, one core):

    python benchmarks/dumps.py                      # both forms, all three extractors
    python benchmarks/dumps.py --form page --only newsroom
    python benchmarks/dumps.py --speed               # dumps/s of the whole cleaner, CPU time, one core

This file is also the ``py:`` adapter extract_eval loads (its input is the dump's text):
``newsroom`` runs the whole cleaner (Markdown out, as the site gets it); ``keep_all`` returns
the dump unchanged; ``justext_lines`` gives jusText the dump's lines as paragraphs.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "plugins"
FORMS = ("page", "container")
EXTRACTORS = ("keep_all", "justext_lines", "newsroom")


def newsroom(text: str, url: str | None) -> str:
    """The full cleaner on a dump: text in, Markdown body out (metadata header stripped by the scorer)."""
    from newsroom_cleaner.errors import CleanerError
    from newsroom_cleaner.pipeline import clean_article

    try:
        return clean_article(text, url, source_name=url or "<dump>").markdown
    except CleanerError:
        return ""


def keep_all(text: str, url: str | None) -> str:
    """Baseline: every line of the dump."""
    return text


def justext_lines(text: str, url: str | None) -> str:
    """jusText (English stoplist, the benchmark's parameters) on the dump's lines as paragraphs."""
    import justext

    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()
                                     if line.strip()) + "</body></html>"
    paras = justext.justext(page, justext.get_stoplist("English"), length_low=50, length_high=200,
                            stopwords_low=0.1, stopwords_high=0.2, max_link_density=0.2,
                            max_heading_distance=200, no_headings=True)
    return "\n\n".join(p.text for p in paras if not p.is_boilerplate)


def speed(shared: Path, form: str) -> float:
    """Dumps per CPU second of ``clean_article`` over every dump of ``form`` (decoded beforehand)."""
    import gzip
    import time

    sys.path.insert(0, str(PLUGINS))
    texts = [gzip.open(path, "rt", encoding="utf-8").read()
             for path in sorted((shared / "bench" / "data" / "wcxb-dev-dumps" / form / "dev" / "html").glob("*.gz"))]
    for text in texts[:5]:  # warm-up: imports, compiled patterns, the model file
        newsroom(text, None)
    start = time.process_time()
    for text in texts:
        newsroom(text, None)
    return len(texts) / (time.process_time() - start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSROOM_SHARED", REPO.parent / "shared")),
                    help="the shared directory holding bench/ (default: ../shared or $NEWSROOM_SHARED)")
    ap.add_argument("--form", choices=FORMS, action="append", help="dump form (repeatable; default: both)")
    ap.add_argument("--only", choices=EXTRACTORS, action="append", help="extractor (repeatable; default: all)")
    ap.add_argument("--json-dir", type=Path, help="write each form's per-page results here")
    ap.add_argument("--speed", action="store_true", help="only time the cleaner (dumps per CPU second)")
    args = ap.parse_args(argv)
    if args.speed:
        for form in args.form or FORMS:
            print(f"{form}: {speed(args.shared, form):.0f} dumps/s (CPU time, one process)")
        return 0
    script = args.shared / "bench" / "extract_eval.py"
    if not script.is_file():
        ap.error(f"{script} not found: pass --shared DIR or set NEWSROOM_SHARED")
    from extraction import run_eval  # benchmarks/, this script's folder (not on the path as an adapter)

    extractors = [f"py:{Path(__file__).resolve()}:{name}" for name in args.only or EXTRACTORS]
    status = 0
    for form in args.form or FORMS:
        data = ["--data", str(args.shared / "bench" / "data" / "wcxb-dev-dumps" / form), "--dataset", "wcxb",
                "--split", "dev", "--page-type", "article", "--output-format", "markdown", "--bootstrap", "0"]
        json_path = args.json_dir / f"{form}.json" if args.json_dir else None
        status = run_eval(script, data, extractors, json_path) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
