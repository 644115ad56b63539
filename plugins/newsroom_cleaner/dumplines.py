"""Which lines of a plain-text dump are the article: evidence that does not depend on the site.

A dump from an unknown site carries no markup, so each line is judged by what any site's chrome
looks like: length, sentence punctuation, stopword density, capitals, digits and menu separators,
the phrase families of ``rules.py`` (shared with the HTML cleaner), repeats within the dump,
similarity to the title and position. A logistic model turns those into a probability (stage 1);
a second one adds the neighbours' probabilities and the article's span (the run of lines holding
the most article-like words), so a short line inside the story stays and a teaser far from it
goes (stage 2). The weights are learned offline on the WCXB dev dumps by
``benchmarks/train_dump_model.py`` and shipped as ``dump_model.json``; inference is plain Python.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from . import rules

MODEL_PATH = Path(__file__).with_name("dump_model.json")


def _is_contains(pattern: str) -> bool:
    """True for a phrase pattern of the form ".*x.*": a line containing x."""
    return pattern.startswith(".*") and pattern.endswith(".*") and not pattern.endswith(r"\.*")


_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(w for words in rules.DUMP_STOPWORDS.values() for w in words.split())
_SEPARATORS = frozenset(rules.DUMP_MENU_SEPARATORS)
_HAS_SEPARATOR = re.compile(f"[{re.escape(rules.DUMP_MENU_SEPARATORS)}]")  # prose lines mostly have none
_SENTENCE_END = tuple(".!?…。:;\"”’»)")
_ALL_PHRASES = [p for family in rules.HTML_BOILERPLATE_PHRASES.values() for p in family]
_ALL_PHRASES += [re.escape(p) for p in (*rules.DUMP_WIDGET_PHRASES, *rules.DUMP_TRAILER_HEADINGS)]
# A whole line in a phrase family. ".*x.*" patterns are searched for x instead: the same lines,
# without the backtracking of a leading ".*" tried against every line.
_PHRASES = re.compile("(?:" + "|".join(p for p in _ALL_PHRASES if not _is_contains(p)) + r")\W*")
_CONTAINS = re.compile("|".join(p[2:-2] for p in _ALL_PHRASES if _is_contains(p)))
_FOOTER = re.compile("|".join(map(re.escape, rules.DUMP_FOOTER_MARKS)))
_FIRST = operator.itemgetter(0)
_CONTEXT = 3  # lines on each side whose shape tells a menu or teaser rail from prose
_TITLE_ECHO = 0.6  # a line sharing this share of words with the title repeats the headline

STAGE1_FEATURES = ("chars", "words", "sentence_end", "stopwords", "capitals", "digits", "separators",
                   "phrase", "footer", "repeated", "title_like", "short", "position", "before_title",
                   "context_short", "context_chars")
STAGE2_FEATURES = (*STAGE1_FEATURES, "p_self", "p_near", "p_around", "in_span", "span_distance")
_SENTENCE, _WORDS, _STOP, _SHORT, _TITLE, _PHRASE = (STAGE1_FEATURES.index(name) for name in (
    "sentence_end", "words", "stopwords", "short", "title_like", "phrase"))
_LEDE_WORDS = math.log1p(rules.DUMP_LEDE_MIN_WORDS)


def line_features(lines: list[str], title: str | None) -> list[list[float]]:
    """Stage-1 features of each (non-empty, stripped) line; ``title`` is the dump's headline if known."""
    lowered = list(map(str.lower, lines))
    tokens = list(map(_WORD.findall, lowered))
    counts = Counter(lowered)
    title_words = set(_WORD.findall(title.lower())) if title else set()
    title_like = [_overlap(t, title_words) for t in tokens]
    echo = next((i for i in range(1, len(lines)) if title_like[i] >= _TITLE_ECHO), 0)
    n = max(1, len(lines) - 1)
    short = [float(len(line) <= rules.DUMP_SHORT_LINE_CHARS) for line in lines]
    chars = [math.log1p(len(line)) for line in lines]
    short_sums, chars_sums = _prefix_sums(short), _prefix_sums(chars)
    rows = []
    last = len(lines)
    phrase, contains, footer = _PHRASES.fullmatch, _CONTAINS.search, _FOOTER.search
    is_stopword, is_separator, has_separator = _STOPWORDS.__contains__, _SEPARATORS.__contains__, _HAS_SEPARATOR.search
    for i, line in enumerate(lines):  # one pass, few calls: this loop is most of the model's time
        words, low = tokens[i], lowered[i]
        count = len(words) or 1
        spaced = line.split()
        spaced_count = len(spaced) or 1
        lo = i - _CONTEXT if i > _CONTEXT else 0
        hi = i + _CONTEXT + 1 if i + _CONTEXT + 1 < last else last
        around = hi - lo - 1 or 1
        listed = len(line) <= rules.HTML_PHRASE_MAX_CHARS
        rows.append([
            chars[i],
            math.log1p(len(words)),
            float(line.endswith(_SENTENCE_END)),
            sum(map(is_stopword, words)) / count,
            sum(map(str.isupper, map(_FIRST, spaced))) / spaced_count,
            sum(map(str.isdigit, map(_FIRST, words))) / count,
            sum(map(is_separator, spaced)) / spaced_count if has_separator(line) else 0.0,
            float(listed and (phrase(low) is not None or contains(low) is not None)),
            float(listed and footer(low) is not None),
            float(counts[low] > 1),
            title_like[i],
            short[i],
            i / n,
            float(i < echo),
            (short_sums[hi] - short_sums[lo] - short[i]) / around,
            (chars_sums[hi] - chars_sums[lo] - chars[i]) / around,
        ])
    return rows


def _prefix_sums(values: list[float]) -> list[float]:
    """sums[i] = sum(values[:i]): window sums in constant time."""
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def _overlap(words: list[str], title_words: set[str]) -> float:
    """Jaccard similarity of a line's words with the title's."""
    if not words or title_words.isdisjoint(words):
        return 0.0
    mine = set(words)
    shared = len(mine & title_words)
    return shared / (len(mine) + len(title_words) - shared)


def span_features(rows: list[list[float]], p1: list[float]) -> list[list[float]]:
    """Stage-2 features: stage 1's, the line's and its neighbours' probabilities, and the span.

    The span is the run of lines maximising the article-like words minus the chrome-like ones
    (each line weighs its word count): the story's start and end.
    """
    start, end = _span([(p - 0.5) * math.expm1(row[1]) for p, row in zip(p1, rows)])
    out = []
    for i, row in enumerate(rows):
        near = p1[max(0, i - 1):i + 2]
        around = p1[max(0, i - _CONTEXT):i + _CONTEXT + 1]
        distance = 0 if start <= i <= end else (start - i if i < start else i - end)
        out.append(row + [p1[i], sum(near) / len(near), sum(around) / len(around),
                          float(start <= i <= end), math.log1p(distance)])
    return out


def _span(scores: list[float]) -> tuple[int, int]:
    """Start and end (inclusive) of the run with the largest sum (Kadane); (0, -1) when none is positive."""
    best, best_range = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_range = total, (start, i)
    return best_range


def predict(weights: dict[str, Any], rows: list[list[float]]) -> list[float]:
    """Probabilities of a logistic model ``{"bias": b, "weights": [...]}`` for feature rows."""
    bias, w = weights["bias"], weights["weights"]
    out = []
    for row in rows:
        z = bias + sum(map(operator.mul, w, row))
        z = 30.0 if z > 30.0 else -30.0 if z < -30.0 else z
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


@cache
def model() -> dict[str, Any]:
    """The shipped model (stage-1 and stage-2 weights and the keep threshold)."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def article_lines(lines: list[str], title: str | None, weights: dict[str, Any] | None = None) -> list[bool]:
    """For each non-empty stripped line: True when it belongs to the article."""
    if not lines:
        return []
    weights = weights or model()
    rows = line_features(lines, title)
    p2 = predict(weights["stage2"], span_features(rows, predict(weights["stage1"], rows)))
    keep = [p >= weights["threshold"] for p in p2]
    if not any(keep[1:]):  # too little evidence (a few short lines): the line rules alone decide
        return [True] * len(lines)
    _keep_lede(rows, keep)
    return keep


def _keep_lede(rows: list[list[float]], keep: list[bool]) -> None:
    """Keep the standfirst cut off from the story by its header lines (date, repeated title, buttons).

    Walking back from the first kept line over at most DUMP_LEDE_GAP header-like lines (short,
    title-like or a boilerplate phrase), a prose line found there is the lede: the model, which
    sees the chrome between, would drop it.
    """
    first = next((i for i, k in enumerate(keep) if k), None)
    if first is None:
        return
    for i in range(first - 1, max(-1, first - 2 - rules.DUMP_LEDE_GAP), -1):
        row = rows[i]
        if row[_SENTENCE] and row[_WORDS] >= _LEDE_WORDS and row[_STOP] >= rules.DUMP_LEDE_MIN_STOPWORDS:
            keep[i] = i > 0  # line 0 is the title
            return
        if not (row[_SHORT] or row[_TITLE] >= _TITLE_ECHO or row[_PHRASE]):
            return
