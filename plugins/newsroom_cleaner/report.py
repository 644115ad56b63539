"""The cleaning report: which rule removed what, so a publisher can see why text vanished."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_RULE_NAME = re.compile(r"[\w.\-]+")  # a rule name read back from a header is a word, never markup


@dataclass
class RuleHit:
    """What one rule removed from one article."""

    rule: str
    chars: int = 0
    blocks: int = 0


@dataclass
class CleaningReport:
    """Rule hits and warnings collected while cleaning one article."""

    source: str = ""
    hits: dict[str, RuleHit] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extractor: str = ""  # the body's candidate ("newsroom", "trafilatura") and why it won
    site_template: int = 0  # lines in the site's template the dump was cleaned with (sitetemplate.py)


    def record(self, rule: str, chars: int, blocks: int = 1) -> None:
        """Count ``chars`` characters in ``blocks`` blocks removed by ``rule``."""
        hit = self.hits.setdefault(rule, RuleHit(rule))
        hit.chars += chars
        hit.blocks += blocks

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def choose(self, candidate: str, why: str) -> None:
        """Record which extractor's body was used, and why (see candidates.py)."""
        self.extractor = f"{candidate} ({why})"

    def as_text(self) -> str:
        """A table for the command line, biggest removals first."""
        lines = [f"{'rule':<40} {'chars':>8} {'blocks':>7}"]
        for hit in sorted(self.hits.values(), key=lambda h: (-h.chars, h.rule)):
            lines.append(f"{hit.rule:<40} {hit.chars:>8} {hit.blocks:>7}")
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
