"""What the command-line tasks print (``invoke extract`` and ``invoke clean-report``)."""

from __future__ import annotations

from pathlib import Path

from .pipeline import clean_article
from .sitetemplate import SiteTemplate
from .write import to_pelican_markdown


def extract_text(path: str | Path, url: str | None = None, template: SiteTemplate | None = None) -> str:
    """The cleaned article as a Pelican Markdown file: header, blank line, body.

    ``template``: the site template the build cleans the file with, so both show the same.
    """
    return to_pelican_markdown(_clean(path, url, template))


def report_text(path: str | Path, url: str | None = None, template: SiteTemplate | None = None) -> str:
    """Which rules removed what from the file, then warnings (``template`` as for extract_text)."""
    article = _clean(path, url, template)
    return f"{path}\n{article.report.as_text()}\n"


def _clean(path: str | Path, url: str | None, template: SiteTemplate | None):
    path = Path(path)
    return clean_article(_read(path), url, source_name=str(path), template=template)


def _read(path: Path) -> bytes:
    from .errors import CleanerError
    from .read_errors import cannot_open

    try:
        return path.read_bytes()
    except OSError as exc:
        raise CleanerError(f"{path}: cannot read it: {cannot_open(exc)}") from None
