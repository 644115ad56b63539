"""The cleaning report: which rule removed what, so a publisher can see why text vanished."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .settings import REPORT_SAMPLE_CHARS, REPORT_SAMPLES_PER_RULE

_RULE_NAME = re.compile(r"[\w.\-]+")  # a rule name read back from a header is a word, never markup
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a scrape's text must not drive the terminal it is shown in


@dataclass
class RuleHit:
    """What one rule removed from one article."""

    rule: str
    chars: int = 0
    blocks: int = 0
    samples: dict[str, int] = field(default_factory=dict)  # the start of each removed text -> times seen


@dataclass
class CleaningReport:
    """Rule hits and warnings collected while cleaning one article."""

    source: str = ""
    hits: dict[str, RuleHit] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extractor: str = ""  # the body's candidate ("newsroom", "trafilatura") and why it won
    site_template: int = 0  # lines in the site's template the dump was cleaned with (sitetemplate.py)

    def record(self, rule: str, chars: int, blocks: int = 1, text: str | Iterable[str] = "") -> None:
        """Count ``chars`` characters in ``blocks`` blocks removed by ``rule``; keep the start of
        the removed ``text`` (a string, or an element's text pieces, read only as far as needed)
        so the report can show what went, not just how much."""
        hit = self.hits.setdefault(rule, RuleHit(rule))
        hit.chars += chars
        hit.blocks += blocks
        sample = shorten(text)
        if sample and (sample in hit.samples or len(hit.samples) < REPORT_SAMPLES_PER_RULE):
            hit.samples[sample] = hit.samples.get(sample, 0) + 1

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def choose(self, candidate: str, why: str) -> None:
        """Record which extractor's body was used, and why (see candidates.py)."""
        self.extractor = f"{candidate} ({why})"

    def as_text(self) -> str:
        """A table for the command line, biggest removals first, each rule followed by the
        start of the texts it removed (``3x`` when the same text went several times)."""
        lines = [f"{'rule':<40} {'chars':>8} {'blocks':>7}"]
        for hit in sorted(self.hits.values(), key=lambda h: (-h.chars, h.rule)):
            lines.append(f"{hit.rule:<40} {hit.chars:>8} {hit.blocks:>7}")
            lines.extend(f"    {f'{n}x ' if n > 1 else ''}{text}" for text, n in hit.samples.items())
            if (shown := sum(hit.samples.values())) < hit.blocks and hit.samples:
                lines.append(f"    ({hit.blocks - shown} more blocks)")
        if self.extractor:
            lines.append(f"body from: {self.extractor}")
        if self.site_template:
            lines.append(f"site template: {self.site_template} lines")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def add_metadata(self, text: str) -> None:
        """Take back hits written by ``as_metadata`` (a cleaned file being cleaned again)."""
        for item in text.split(";"):
            rule, _, counts = item.strip().partition("=")
            chars, _, blocks = counts.partition("/")
            if _RULE_NAME.fullmatch(rule) and chars.isdigit() and blocks.isdigit():
                self.record(rule, int(chars), int(blocks))

    def as_metadata(self) -> str:
        """One line for a Pelican metadata field: ``rule=chars/blocks; ...``."""
        return "; ".join(
            f"{h.rule}={h.chars}/{h.blocks}"
            for h in sorted(self.hits.values(), key=lambda h: h.rule)
        )


def shorten(text: str | Iterable[str]) -> str:
    """The first REPORT_SAMPLE_CHARS characters of ``text`` on one line, "…" when cut.

    Pieces are joined until enough is read, so a removed page region is not walked whole.
    """
    pieces = [text] if isinstance(text, str) else text
    words: list[str] = []
    size = 0
    for piece in pieces:
        words.extend(piece.split())
        size += len(piece.strip())
        if size > REPORT_SAMPLE_CHARS:
            break
    line = _CONTROL.sub("", " ".join(words))
    return line if len(line) <= REPORT_SAMPLE_CHARS else line[:REPORT_SAMPLE_CHARS - 1].rstrip() + "…"
