"""Train the text-dump line model (``plugins/newsroom_cleaner/dump_model.json``) on the WCXB dev dumps.

Offline only; needs numpy (the cleaner's inference does not):

    python benchmarks/train_dump_model.py                 # grouped CV scores, then write the model
    python benchmarks/train_dump_model.py --cv-only       # scores only

A line is labelled article when its words (lower-cased ``\\w+``) occur, in order, in the ground
truth's main content. Features are ``newsroom_cleaner.dumplines``'s own (no copy). Scores are
word F1 per dump (the harness's ``words`` metric on kept lines) from 5-fold cross-validation
grouped by site (a site's page and container dumps fall in the same fold): the held-out-fold score,
never the training score. The threshold is chosen inside the training folds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from newsroom_cleaner import dumplines  # noqa: E402

FORMS = ("page", "container")
_WORD = re.compile(r"\w+")
THRESHOLDS = [x / 100 for x in range(20, 71, 2)]


def load(root: Path) -> list[dict]:
    """Every dump of both forms: lines, labels, truth words, site."""
    dumps = []
    for form in FORMS:
        base = root / form
        files = json.loads((base / "metadata.json").read_text())["files"]
        for key, info in sorted(files.items()):
            text = gzip.open(base / "dev" / "html" / f"{key}.html.gz", "rt", encoding="utf-8").read()
            truth = json.loads((base / "dev" / "ground-truth" / f"{key}.json").read_text()).get("ground_truth") or {}
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            if not lines:
                continue
            body = " " + " ".join(_WORD.findall((truth.get("main_content") or "").lower())) + " "
            labels = [(" " + " ".join(_WORD.findall(line.lower())) + " ") in body
                      if _WORD.search(line) else False for line in lines]
            dumps.append({"form": form, "id": key, "site": info["domain"], "lines": lines, "labels": labels,
                          "truth": Counter(body.split()), "title": lines[0]})
    return dumps


def word_f1(kept: list[str], truth: Counter) -> float:
    """WCXB's word metric for one dump."""
    pred = Counter(w for line in kept for w in _WORD.findall(line.lower()))
    if not truth:
        return 1.0 if not pred else 0.0
    overlap = sum((pred & truth).values())
    if not pred or not overlap:
        return 0.0
    p, r = overlap / sum(pred.values()), overlap / sum(truth.values())
    return 2 * p * r / (p + r)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1e-3, steps: int = 60) -> dict:
    """Weighted L2 logistic regression by Newton's method; weights exported for raw features."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + l2 * np.r_[0, beta[1:]] * w.sum()
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + l2 * w.sum() * np.diag(np.r_[0, np.ones(len(beta) - 1)])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    coef = beta[1:] / scale
    return {"bias": float(beta[0] - (coef * mean).sum()), "weights": [float(c) for c in coef]}


def sample_weight(dumps: list[dict]) -> np.ndarray:
    """Each line weighs its words (the metric counts words), at least one; each dump weighs the same."""
    out = []
    for d in dumps:
        w = np.array([max(1, len(_WORD.findall(line))) for line in d["lines"]], float)
        out.append(w / w.sum())
    return np.concatenate(out)


def train(dumps: list[dict]) -> dict:
    """Both stages and the threshold that maximises mean word F1 on these dumps."""
    rows1 = [dumplines.line_features(d["lines"], d["title"]) for d in dumps]
    y = np.concatenate([np.array(d["labels"], float) for d in dumps])
    w = sample_weight(dumps)
    stage1 = fit(np.array([r for rows in rows1 for r in rows]), y, w)
    rows2 = [dumplines.span_features(rows, dumplines.predict(stage1, rows)) for rows in rows1]
    stage2 = fit(np.array([r for rows in rows2 for r in rows]), y, w)
    probs = [dumplines.predict(stage2, rows) for rows in rows2]
    best = max(THRESHOLDS, key=lambda t: np.mean([word_f1(kept(d, p, t), d["truth"]) for d, p in zip(dumps, probs)]))
    return {"stage1": stage1, "stage2": stage2, "threshold": best}


def kept(d: dict, probs: list[float], threshold: float) -> list[str]:
    return [line for i, (line, p) in enumerate(zip(d["lines"], probs)) if i and p >= threshold]


def cross_validate(dumps: list[dict], folds: int = 5) -> dict[str, list[float]]:
    """Held-out word F1 per form, folds grouped by site."""
    sites = sorted({d["site"] for d in dumps})
    fold_of = {s: i % folds for i, s in enumerate(np.random.default_rng(0).permutation(sites))}
    scores: dict[str, list[float]] = {f"{form}/{what}": [] for form in FORMS for what in ("model", "oracle", "keep-all")}
    for k in range(folds):
        model = train([d for d in dumps if fold_of[d["site"]] != k])
        for d in (d for d in dumps if fold_of[d["site"]] == k):
            flags = dumplines.article_lines(d["lines"], d["title"], model)
            scores[f"{d['form']}/model"].append(word_f1([l for i, (l, f) in enumerate(zip(d["lines"], flags)) if i and f], d["truth"]))
            scores[f"{d['form']}/oracle"].append(word_f1([l for l, f in zip(d["lines"], d["labels"]) if f], d["truth"]))
            scores[f"{d['form']}/keep-all"].append(word_f1(d["lines"][1:], d["truth"]))
        print(f"fold {k}: threshold {model['threshold']}", file=sys.stderr)
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path,
                    default=Path(os.environ.get("NEWSROOM_SHARED", REPO.parent / "shared")))
    ap.add_argument("--cv-only", action="store_true", help="print the cross-validated scores, write nothing")
    args = ap.parse_args(argv)
    dumps = load(args.shared / "bench" / "data" / "wcxb-dev-dumps")
    print(f"{len(dumps)} dumps, {sum(len(d['lines']) for d in dumps)} lines, "
          f"{len({d['site'] for d in dumps})} sites", file=sys.stderr)
    scores = cross_validate(dumps)
    print("word F1 (proxy of the harness's), 5-fold CV grouped by site, held-out folds:")
    for name, values in scores.items():
        print(f"  {name:<20} {np.mean(values):.3f}  ({len(values)} dumps)")
    if not args.cv_only:
        model = train(dumps)
        model["features"] = {"stage1": list(dumplines.STAGE1_FEATURES), "stage2": list(dumplines.STAGE2_FEATURES)}
        model["trained_on"] = "WCXB dev dumps (page + container), benchmarks/train_dump_model.py"
        dumplines.MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {dumplines.MODEL_PATH} (threshold {model['threshold']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
