"""Turn scraped files into reviewable Markdown posts under content/<section>/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .cli import _read
from .errors import CleanerError
from .metadata import hold_undated, place_in_section
from .pipeline import clean_article
from .sitetemplate import batch_templates
from .settings import DEFAULT_SCRAPED_CATEGORY, DEFAULT_UNDATED, SCRAPED_EXTENSIONS, undated_setting
from .write import to_pelican_markdown

_SLUG_MAX = 80  # keeps file names readable and well under file-system limits


def import_scraped(paths: Iterable[str | Path], content_dir: str | Path, *, force: bool = False,
                   default_category: str = DEFAULT_SCRAPED_CATEGORY, undated: str = DEFAULT_UNDATED,
                   section_map: Mapping[str, Any] | None = None, new_sections: bool = False,
                   say: Callable[[str], None] = print) -> list[Path]:
    """Write ``content/<section-slug>/<YYYY-MM-DD>-<slug>.md`` for each scraped file; return the paths.

    A folder in ``paths`` stands for the .html/.htm/.txt files in it (and below it).

    All inputs are cleaned and all targets checked before anything is written, so a bad
    input or an existing post (never overwritten unless ``force``) leaves no partial
    import. Raises CleanerError (one line naming the file); the inputs are only read.
    A scrape with no publication date is written as a draft (or skipped, or dated by the
    file's time: ``undated``, as NEWSROOM_UNDATED), and ``say`` is told so. Sections as the
    reader's (NEWSROOM_SECTION_MAP, NEWSROOM_SCRAPED_NEW_SECTIONS).
    """
    policy = undated_setting(undated)
    posts: dict[Path, str] = {}
    files = _inputs(paths)
    templates = batch_templates(files)  # a folder's dumps teach their site's template
    for path in files:
        article = clean_article(_read(path), source_name=str(path), template=templates.get(path))
        place_in_section(article.metadata, default_category, section_map or {}, new_sections)
        if note := hold_undated(article.metadata, policy, path):
            say(f"{path}: no publication date found: {note}")
            if policy == "skip":
                continue
        target = Path(content_dir) / _slug(article.metadata["category"]) / _file_name(article.metadata, path)
        if target in posts:
            raise CleanerError(f"{target}: two inputs map to this post (the second is {path})")
        if target.exists() and not force:
            raise CleanerError(f"{target}: already exists (from {path}); use force to overwrite")
        posts[target] = to_pelican_markdown(article)
    for target, text in posts.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return list(posts)


def _inputs(paths: Iterable[str | Path]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower().lstrip(".") in SCRAPED_EXTENSIONS and p.is_file()))
        else:
            files.append(path)
    return files


def _file_name(metadata: dict, source: Path) -> str:
    date = metadata.get("date")
    slug = _slug(metadata.get("title") or source.stem)[:_SLUG_MAX].rstrip("-")
    return f"{date:%Y-%m-%d}-{slug}.md" if date else f"{slug}.md"


def _slug(text: str) -> str:
    return slugify(re.sub(r"&\w+;", " ", text), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "article"
