"""Metadata accuracy on the WCXB dev article pages (title, author, publication date vs ground truth).

Not a test (it needs /work/shared); run from the repository root:

    python -m tests.cleaner_metadata_eval [--data ../shared/bench/data/wcxb-dev/dev] [--show T|D|A]

Comparison: titles and authors after lower-casing and dropping punctuation (an author counts
when the truth equals our joined list, one of our names, or the same set of names); dates on
the calendar day.
"""

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
if str(PLUGINS) not in sys.path:  # run with ``python -m``, outside pytest's pythonpath
    sys.path.insert(0, str(PLUGINS))

from newsroom_cleaner.errors import CleanerError  # noqa: E402
from newsroom_cleaner.pipeline import clean_article  # noqa: E402


def norm(text: str) -> str:
    """Comparison key of a title or name: case and punctuation ignored."""
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())


def author_right(names: list[str], truth: str) -> bool:
    """The truth's author is our joined list of names, one of them, or the same set of names
    ("A, B, and C" or "A & B" in the truth against our list of them)."""
    from newsroom_cleaner.metadata import split_names

    keys = [norm(n) for n in names]
    return norm(truth) in (", ".join(keys), *keys) or (
        len(keys) > 1 and sorted(keys) == sorted(norm(n) for n in split_names(truth) if norm(n)))


def pages(data: Path, limit: int | None = None):
    """(ground-truth record, raw HTML bytes) of each article page, in file order."""
    for count, truth_path in enumerate(sorted((data / "ground-truth").glob("*.json"))):
        if limit is not None and count >= limit:
            return
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        if record["_internal"]["page_type"]["primary"] == "article":
            yield record, gzip.open(data / "html" / f"{record['file_id']}.html.gz").read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/bench/data/wcxb-dev/dev"))
    parser.add_argument("--show", choices="TDA", help="print the misses of one field")
    args = parser.parse_args()
    data = Path(args.data)
    counts = dict.fromkeys(("pages", "errors", "title", "date", "date_wrong", "date_truth", "author",
                            "author_truth"), 0)
    for record, raw in pages(data):
        truth = record["ground_truth"]
        counts["pages"] += 1
        try:
            meta = clean_article(raw, record["url"], source_name=record["file_id"]).metadata
        except CleanerError:
            counts["errors"] += 1
            continue
        misses = []
        if norm(meta.get("title", "")) == norm(truth.get("title") or ""):
            counts["title"] += 1
        else:
            misses.append(("T", meta.get("title"), truth.get("title")))
        if truth.get("publish_date"):
            counts["date_truth"] += 1
            if meta.get("date") and meta["date"].date().isoformat() == truth["publish_date"][:10]:
                counts["date"] += 1
            else:
                counts["date_wrong"] += bool(meta.get("date"))
                misses.append(("D", meta.get("date"), truth["publish_date"]))
        if truth.get("author"):
            counts["author_truth"] += 1
            if author_right(meta.get("authors", []), truth["author"]):
                counts["author"] += 1
            else:
                misses.append(("A", meta.get("authors"), truth["author"]))
        for field, ours, theirs in misses:
            if field == args.show:
                print(record["file_id"], repr(ours), "!=", repr(theirs))
    print(f"article pages {counts['pages']} (no article found: {counts['errors']}); "
          f"title {counts['title']}/{counts['pages']}, date {counts['date']}/{counts['date_truth']} "
          f"(wrong {counts['date_wrong']}), "
          f"author {counts['author']}/{counts['author_truth']}")


if __name__ == "__main__":
    main()
