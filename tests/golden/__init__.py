"""Golden files: each input in ``cases/`` sits beside the Pelican Markdown it must clean to.

``cases/<name>.<html|txt>``      the scraped input
``cases/<name>.json``            hand-written checks: optional "url", "must_keep", "must_remove"
``cases/<name>.expected.md``     the expected output (generated; review the diff before committing)

Regenerate the expected files on purpose only, after a deliberate output change:

    python -m tests.golden --regenerate
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
if str(PLUGINS) not in sys.path:  # run with ``python -m``, outside pytest's pythonpath
    sys.path.insert(0, str(PLUGINS))

from newsroom_cleaner.pipeline import clean_article  # noqa: E402
from newsroom_cleaner.write import to_pelican_markdown  # noqa: E402

CASES_DIR = Path(__file__).parent / "cases"
INPUT_SUFFIXES = (".html", ".htm", ".txt")


@dataclass(frozen=True)
class GoldenCase:
    name: str
    input_path: Path
    url: str | None
    must_keep: tuple[str, ...]
    must_remove: tuple[str, ...]

    @property
    def expected_path(self) -> Path:
        return CASES_DIR / f"{self.name}.expected.md"

    def render(self) -> str:
        """The cleaner's current output for this input."""
        article = clean_article(self.input_path.read_bytes(), self.url, source_name=self.input_path.name)
        return to_pelican_markdown(article)


def cases() -> list[GoldenCase]:
    found = []
    for path in sorted(CASES_DIR.iterdir()):
        if path.suffix not in INPUT_SUFFIXES:
            continue
        checks_path = path.with_suffix(".json")
        checks = json.loads(checks_path.read_text(encoding="utf-8")) if checks_path.exists() else {}
        found.append(GoldenCase(path.stem, path, checks.get("url"), tuple(checks.get("must_keep", ())),
                                tuple(checks.get("must_remove", ()))))
    return found
