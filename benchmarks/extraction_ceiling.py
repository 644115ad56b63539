"""How far can choosing or combining the extractors' outputs go? Oracle ceilings for issue 22.

Reads one run of ``benchmarks/extraction.py`` (per-page rows from ``--json-dir``, each extractor's
scored text from ``--dump-dir``) and prints, per dataset and per half of the split by site:

- each extractor alone (as scored in that run);
- **page oracle**: per page the best whole output of all candidates, or of newsroom and trafilatura
  only (what any selector between whole outputs could reach at most);
- **agreement vote**: per page the output that agrees most with the others (a real selector);
- **block oracle**: per page the truth's paragraphs that some candidate produced, in the truth's
  words and order (what a perfect paragraph-level combination of these outputs could reach: no
  boilerplate, nothing the candidates all missed);
- **sentence oracle**: the same with the truth cut into sentences (finer, so higher).

It also counts the intro/standfirst blocks both truths disagree on: a block the page shows that
names itself an intro (class or id: standfirst, dek, summary, lede, intro, ...) or repeats the
page's meta description, and whether each truth keeps it; and what following the other set's
convention costs a perfect extractor.

    NEWSROOM_SHARED=../shared python benchmarks/extraction.py --only newsroom --only trafilatura \\
        --only readability --only justext --json-dir DIR --dump-dir DIR/dump
    NEWSROOM_SHARED=../shared python benchmarks/extraction_ceiling.py DIR

A page oracle picks by page F1 for scrapinghub (its F1 is of mean precision and mean recall, so
this is close to, not exactly, the best set), by word F1 or by must-keep for WCXB (both exact).
Block oracles count a truth paragraph as produced when half its 4-word shingles are in one output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import DATASETS, REPO, _page_urls, domain_half  # noqa: E402

CANDIDATES = ("newsroom", "trafilatura", "readability", "justext")
PAIR = ("newsroom", "trafilatura")
# Boundaries of a sentence: end punctuation, then space and what starts a sentence.
SENTENCE = re.compile(r"(?<=[.!?…:;])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9])")
# Class/id words of a block that presents itself as the story's intro or standfirst.
INTRO_NAME = re.compile(r"standfirst|\bdeck\b|\bdek\b|summary|\blede\b|\bintro|excerpt|subtitle|"
                        r"subhead|\bsapo\b|chapo|chapeau|strapline|article-lead|lead-text|\blead\b", re.I)


def load_eval(shared: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("extract_eval", shared / "bench" / "extract_eval.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules["extract_eval"] = ev  # (its dataclasses look their module up)
    spec.loader.exec_module(ev)
    return ev


def short_name(extractor: str) -> str:
    return extractor.rsplit(":", 1)[-1]


def load_run(run: Path, name: str) -> tuple[dict, dict]:
    """Per-page rows and scored texts of one dataset, keyed by extractor's short name."""
    results = json.loads((run / f"{name}.json").read_text(encoding="utf-8"))["results"]
    rows = {short_name(ex): {r["id"]: r for r in res["per_page"]} for ex, res in results.items()}
    texts = {}
    for path in (run / "dump" / name).glob("*.json"):
        key = next((c for c in CANDIDATES if path.stem.endswith(c)), path.stem)
        texts[key] = {pid: v["articleBody"] for pid, v in
                      json.loads(path.read_text(encoding="utf-8"))["output"].items()}
    return rows, texts


def load_pages(ev, shared: Path, name: str) -> list:
    args = argparse.Namespace(split="dev", page_type=["article"])
    root = Path(DATASETS[name][1].format(shared=shared))
    return ev.DATASETS[name](root, args)[0]


def vote(ev, outputs: dict[str, str]) -> str:
    """The candidate whose words agree most with the others' (mean word F1 against each other
    output): a selector that needs no truth, the page-level vote of Bevendorff et al. (2023)."""
    def agreement(name: str) -> float:
        return sum(ev.words_page(outputs[name], other)["f1"] for o, other in outputs.items() if o != name)
    return max(outputs, key=lambda name: (agreement(name), name == "newsroom"))


# ----------------------------------------------------------------------------- block oracle

def union_oracle(ev, truth: str, outputs: list[str], sentences: bool) -> str:
    """The truth's paragraphs (or sentences) that some candidate produced, in the truth's own words:
    a unit counts as produced when half its 4-word shingles are in one candidate's output (a unit
    too short for a shingle: when that output holds its words in a row)."""
    made = [(ev._shingles(text), " " + " ".join(ev._TOKEN.findall(text)) + " ") for text in outputs]

    def produced(unit: str) -> bool:
        tokens = ev._TOKEN.findall(unit)
        if len(tokens) < 4:
            return bool(tokens) and any(" " + " ".join(tokens) + " " in joined for _, joined in made)
        own = ev._shingles(unit)
        return any(sum((own & shingles).values()) * 2 >= sum(own.values()) for shingles, _ in made)

    kept = []
    for line in (ln.strip() for ln in truth.splitlines()):
        parts = [s for s in SENTENCE.split(line) if s.strip()] if sentences else [line]
        line = " ".join(part for part in parts if produced(part))
        if line:
            kept.append(line)
    return "\n".join(kept)


# ------------------------------------------------------------------------------- aggregates

def aggregate(ev, name: str, rows: list[dict]) -> dict[str, float]:
    if name == "scrapinghub":
        return {"shingle F1": ev.shingle_aggregate([r["shingle"] for r in rows])["f1"]}
    frag = ev.fragments_aggregate([r["fragments"] for r in rows])
    return {"word F1": ev.words_aggregate([r["words"] for r in rows])["f1"],
            "must-keep": frag["with_kept"], "must-remove": frag["without_removed"]}


def score(ev, name: str, page, text: str) -> dict:
    row = {"shingle": ev.shingle_page(page.text, text), "words": ev.words_page(page.text, text)}
    if page.with_ is not None and name == "wcxb":
        row["fragments"] = ev.fragments_page(page, text, "lower")
    return row


def page_f1(row: dict) -> float:
    p, r = row["shingle"]["p"], row["shingle"]["r"]
    return 2 * p * r / (p + r) if p + r else 0.0


def pick(name: str, rows: list[dict], by: str) -> dict:
    if by == "must-keep":
        return max(rows, key=lambda r: (r["fragments"]["with_kept"], r["words"]["f1"]))
    if name == "scrapinghub":
        return max(rows, key=lambda r: (page_f1(r), r["shingle"]["p"] + r["shingle"]["r"]))
    return max(rows, key=lambda r: (r["words"]["f1"], r["fragments"]["with_kept"]))


def ceilings(ev, name: str, pages: list, rows: dict, texts: dict) -> list[tuple[str, list[dict]]]:
    """(label, per-page rows) for each extractor alone and each oracle (groups the run lacks, or
    that repeat a larger one, left out; a vote needs three candidates)."""
    have = [c for c in CANDIDATES if c in rows]
    pair = [c for c in PAIR if c in have]
    groups = [(have, "all")] + ([(pair, "newsroom+trafilatura")] if len(pair) == 2 and pair != have else [])
    table = [(c, [rows[c][p.id] for p in pages]) for c in have]
    for group, label in groups:
        for by in ["F1"] if name == "scrapinghub" else ["F1", "must-keep"]:
            table.append((f"page oracle, {label}, by {by}",
                          [pick(name, [rows[c][p.id] for c in group], by) for p in pages]))
    trio = [c for c in CANDIDATES[:3] if c in have]
    for group in [have] + ([trio] if len(trio) == 3 and trio != have else []):
        if len(group) >= 3:
            table.append((f"agreement vote, {'+'.join(group)}", [
                rows[vote(ev, {c: texts[c].get(p.id, "") for c in group})][p.id] for p in pages]))
    for sentences in (False, True):
        unit = "sentence" if sentences else "block"
        for group, label in groups:
            table.append((f"{unit} oracle, {label}", [
                score(ev, name, p, union_oracle(ev, p.text, [texts[c].get(p.id, "") for c in group],
                                                sentences)) for p in pages]))
    return table


def head_to_head(name: str, pages: list, rows: dict) -> str:
    """On how many pages, and by how much in all, trafilatura's output beats ours and ours beats it:
    what a selector between the two would have to tell apart."""
    def f1(row: dict) -> float:
        return page_f1(row) if name == "scrapinghub" else row["words"]["f1"]
    gains = [f1(rows["trafilatura"][p.id]) - f1(rows["newsroom"][p.id]) for p in pages]
    better = [g for g in gains if g > 0.01]
    worse = [-g for g in gains if g < -0.01]
    return (f"trafilatura better than newsroom by > 0.01 page F1 on {len(better)} pages (sum {sum(better):.2f},"
            f" {sum(better) / len(pages):.4f} of the mean), worse on {len(worse)} (sum {sum(worse):.2f})")


# ---------------------------------------------------------------------------------- intros

def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def intro_text(html: str) -> str | None:
    """The page's intro/standfirst as shown: prose in a block whose class or id names it so."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for bad in tree.xpath("//script|//style|//noscript|//head|//nav|//footer|//aside"):
        bad.drop_tree()
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("body", "html", "a", "img", "figure", "figcaption"):
            continue
        if INTRO_NAME.search(" ".join((el.get("class") or "", el.get("id") or ""))):
            text = " ".join(el.text_content().split())
            if 60 <= len(text) <= 600 and text.count(" ") >= 8 and len(el.xpath(".//p")) <= 2:
                return text
    return None


def intro_table(ev, name: str, pages: list, ours: dict[str, str]) -> dict:
    """Pages showing an intro, how many truths keep it, whether ours does, and what the other set's
    convention costs a perfect extractor (the truth with the intro added, or taken out)."""
    counts = Counter()
    other = []
    for page in pages:
        intro = intro_text(page.html)
        if intro is None:
            other.append(score(ev, name, page, page.text))
            continue
        in_truth = _norm(intro) in _norm(page.text)
        in_ours = _norm(intro) in _norm(ours.get(page.id, ""))
        counts["shown"] += 1
        counts["truth keeps it" if in_truth else "truth leaves it out"] += 1
        counts[f"ours {'keeps' if in_ours else 'leaves'} what the truth {'keeps' if in_truth else 'leaves'}"] += 1
        if in_truth:
            cut = page.text.replace(intro, "") if intro in page.text else _drop_tokens(page.text, intro)
            counts["must-keep snippets in it"] += sum(1 for f in page.with_ or [] if f.lower() in intro.lower())
            other.append(score(ev, name, page, cut))
        else:
            other.append(score(ev, name, page, intro + "\n" + page.text))
    cost = aggregate(ev, name, other)
    return {"pages": len(pages), **counts, **{f"perfect but other convention: {k}": v for k, v in cost.items()}}


def _drop_tokens(text: str, intro: str) -> str:
    """The truth without the intro's words, where the two differ in punctuation or spacing."""
    words = re.findall(r"\w+", intro.lower())
    tokens = re.findall(r"\w+", text)
    low = [t.lower() for t in tokens]
    for i in range(len(low) - len(words) + 1):
        if low[i:i + len(words)] == words:
            return " ".join(tokens[:i] + tokens[i + len(words):])
    return text


# ------------------------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path, help="the --json-dir of one extraction.py run (with dump/ inside)")
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSROOM_SHARED", REPO.parent / "shared")))
    ap.add_argument("--dataset", choices=sorted(DATASETS), action="append")
    args = ap.parse_args(argv)
    ev = load_eval(args.shared)
    for name in args.dataset or list(DATASETS):
        if not (args.run / f"{name}.json").is_file():
            continue
        pages = load_pages(ev, args.shared, name)
        rows, texts = load_run(args.run, name)
        urls = _page_urls(name, Path(DATASETS[name][1].format(shared=args.shared)))
        halves = [[i for i, p in enumerate(pages) if domain_half(urls.get(p.id)) == h] for h in (0, 1)]
        print(f"\n## {name} ({len(pages)} pages; halves by site {len(halves[0])} / {len(halves[1])})\n")
        metrics = None
        for label, per_page in ceilings(ev, name, pages, rows, texts):
            cells = [aggregate(ev, name, per_page)] + [aggregate(ev, name, [per_page[i] for i in h])
                                                       for h in halves]
            if metrics is None:
                metrics = list(cells[0])
                print("| candidate | " + " | ".join(f"{m} (all / h0 / h1)" for m in metrics) + " |")
                print("| --- |" + " --- |" * len(metrics))
            print(f"| {label} | " + " | ".join(" / ".join(f"{c[m]:.3f}" for c in cells) for m in metrics)
                  + " |")
        print("\n" + head_to_head(name, pages, rows))
        intro = intro_table(ev, name, pages, texts.get("newsroom", {}))
        print(f"\nintro/standfirst blocks shown ({name}): " + ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in intro.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
