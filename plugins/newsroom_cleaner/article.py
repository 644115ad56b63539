"""The cleaned article and the metadata fields it carries, shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .report import CleaningReport

# Bump whenever the output for the same input changes (callers key caches on it).
CLEANER_VERSION = "15"

# Metadata key -> Pelican header name, in the order a header lists them. Lists are
# comma-separated in the header; dates are ISO-like text.
HEADER_FIELDS: dict[str, str] = {
    "title": "Title",
    "date": "Date",
    "modified": "Modified",
    "status": "Status",
    "review": "Review",  # why an import or the build held the story back (metadata.hold_undated)
    "authors": "Authors",
    "category": "Category",
    "tags": "Tags",
    "lang": "Lang",
    "summary": "Summary",
    "image": "Image",
    "image_alt": "Image_alt",
    "image_caption": "Image_caption",
    "source_url": "Source_url",
    "site_name": "Site_name",
}
LIST_FIELDS = frozenset({"authors", "tags"})
DATE_FIELDS = frozenset({"date", "modified"})
URL_FIELDS = frozenset({"image", "source_url"})
REPORT_FIELD = "Cleaning_report"


@dataclass
class CleanedArticle:
    """Markdown body, metadata (keys of HEADER_FIELDS; datetimes, lists, str) and the report."""

    markdown: str
    metadata: dict[str, Any]
    report: CleaningReport
