"""Turn scraped files into reviewable Markdown posts under content/<section>/."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .cli import _read
from .errors import CleanerError
from .pipeline import clean_article
from .settings import DEFAULT_SCRAPED_CATEGORY
from .write import to_pelican_markdown

_SLUG_MAX = 80  # keeps file names readable and well under file-system limits


def import_scraped(paths: Iterable[str | Path], content_dir: str | Path, *, force: bool = False,
                   default_category: str = DEFAULT_SCRAPED_CATEGORY) -> list[Path]:
    """Write ``content/<section-slug>/<YYYY-MM-DD>-<slug>.md`` for each scraped file; return the paths.

    An existing post is never overwritten unless ``force``; the inputs are only read.
    Raises CleanerError (one line naming the file) for unusable input or an existing target.
    """
    written = []
    for path in map(Path, paths):
        article = clean_article(_read(path), source_name=str(path))
        article.metadata.setdefault("category", default_category)
        target = Path(content_dir) / _slug(article.metadata["category"]) / _file_name(article.metadata, path)
        if target.exists() and not force:
            raise CleanerError(f"{target}: already exists (from {path}); use force to overwrite")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_pelican_markdown(article), encoding="utf-8")
        written.append(target)
    return written


def _file_name(metadata: dict, source: Path) -> str:
    date = metadata.get("date")
    slug = _slug(metadata.get("title") or source.stem)[:_SLUG_MAX].rstrip("-")
    return f"{date:%Y-%m-%d}-{slug}.md" if date else f"{slug}.md"


def _slug(text: str) -> str:
    return slugify(re.sub(r"&\w+;", " ", text), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "article"
