"""Metadata accuracy on the WCXB dev article pages: Newsroom's cleaner beside trafilatura's metadata
and htmldate (both settings of ``extensive_search``), in one run, on the same pages.

    python benchmarks/metadata.py [--data ../shared/bench/data/wcxb-dev/dev] [--limit N] [--halves]

Date: right = same calendar day as the truth, over pages whose truth has a full date; wrong = a
date given that is not the truth's (a missing date is neither). Title and author are compared as
in ``tests/cleaner_metadata_eval.py`` (case and punctuation ignored; an author counts when the
truth equals the joined list or one of the names). ``--halves`` also prints the table for each half
of a split by site (md5 of the domain, as for issue 22), so a gain can be seen to hold on both.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from tests.cleaner_metadata_eval import author_right, norm, pages  # noqa: E402


def ours(html: bytes, url: str, name: str) -> dict:
    from newsroom_cleaner.errors import CleanerError
    from newsroom_cleaner.pipeline import clean_article

    try:
        meta = clean_article(html, url, source_name=name).metadata
    except CleanerError:
        return {}
    date = meta.get("date")
    return {"date": date.date().isoformat() if date else None, "title": meta.get("title"),
            "authors": meta.get("authors", [])}


def trafilatura_meta(html: bytes, url: str, name: str) -> dict:
    from trafilatura import extract_metadata

    doc = extract_metadata(html.decode("utf-8", "replace"), default_url=url)
    if doc is None:
        return {}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return {"date": doc.date, "title": doc.title, "authors": authors}


def htmldate_with(extensive: bool):
    def run(html: bytes, url: str, name: str) -> dict:
        from htmldate import find_date

        return {"date": find_date(html.decode("utf-8", "replace"), url=url, original_date=True,
                                  extensive_search=extensive)}
    return run


TOOLS = {"newsroom": ours, "trafilatura": trafilatura_meta, "htmldate": htmldate_with(False),
         "htmldate-extensive": htmldate_with(True)}


def half(url: str) -> int:
    """The half of the split by site a page falls in (md5 of its domain, "www." ignored)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.md5(host.encode()).hexdigest(), 16) % 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared/bench/data/wcxb-dev/dev"))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--halves", action="store_true", help="also print each half of a split by site")
    args = parser.parse_args()
    import logging
    logging.disable(logging.WARNING)
    parts = ("all", 0, 1) if args.halves else ("all",)
    rows = {(part, tool): dict.fromkeys(("date", "wrong", "title", "author", "seconds"), 0.0)
            for part in parts for tool in TOOLS}
    n = {part: dict.fromkeys(("pages", "dated", "authored"), 0) for part in parts}
    for record, html in pages(Path(args.data), args.limit):
        truth = record["ground_truth"]
        day = (truth.get("publish_date") or "")[:10]
        full_day = len(day) == 10
        counted = ("all", half(record["url"])) if args.halves else ("all",)
        for part in counted:
            n[part]["pages"] += 1
            n[part]["dated"] += full_day
            n[part]["authored"] += bool(truth.get("author"))
        for tool, run in TOOLS.items():
            start = time.perf_counter()
            got = run(html, record["url"], record["file_id"])
            seconds = time.perf_counter() - start
            for row in (rows[part, tool] for part in counted):
                row["seconds"] += seconds
                if full_day and got.get("date"):
                    row["date" if got["date"][:10] == day else "wrong"] += 1
                if "title" in got and norm(got.get("title") or "") == norm(truth.get("title") or ""):
                    row["title"] += 1
                if "authors" in got and truth.get("author") and author_right(got["authors"], truth["author"]):
                    row["author"] += 1
    for part in parts:
        count = n[part]
        print(f"\n{'all pages' if part == 'all' else f'half {part} of the split by site'}: {count['pages']} article "
              f"pages, {count['dated']} with a full date, {count['authored']} with an author\n")
        print("| tool | date right | date wrong | author | title | ms/page |")
        print("| --- | --- | --- | --- | --- | --- |")
        for tool in TOOLS:
            row = rows[part, tool]
            has_names = tool in ("newsroom", "trafilatura")
            print(f"| {tool} | {row['date'] / count['dated']:.3f} | {row['wrong'] / count['dated']:.3f} | "
                  + (f"{row['author'] / count['authored']:.3f} | {row['title'] / count['pages']:.3f}"
                     if has_names else "- | -")
                  + f" | {1000 * row['seconds'] / count['pages']:.0f} |")


if __name__ == "__main__":
    main()
