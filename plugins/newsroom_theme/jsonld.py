"""schema.org NewsArticle JSON-LD for article pages."""

import json
from typing import Any


from .enrich import is_remote, plain_text


def site_url(siteurl: str, path: str) -> str:
    """``path`` (relative to the site root) as seen from the current page; absolute URLs
    stay as they are."""
    if is_remote(path):
        return path
    return f"{siteurl}/{path}" if siteurl else path


def news_article(article: Any, siteurl: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The NewsArticle object: headline, ISO 8601 dates with offset, authors with their
    pages, image, publisher. URLs are absolute when SITEURL is (production builds)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": plain_text(article.title)[:110],
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "mainEntityOfPage": site_url(siteurl, article.url),
        "url": site_url(siteurl, article.url),
        "articleSection": article.category.name,
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
        "author": [
            {"@type": "Person", "name": a.name, "url": site_url(siteurl, a.url)}
            for a in getattr(article, "authors", [])
        ],
        "publisher": _publisher(siteurl, settings),
    }
    summary = plain_text(getattr(article, "summary", "") or "")
    if summary:
        data["description"] = summary
    tags = [t.name for t in getattr(article, "tags", [])]
    if tags:
        data["keywords"] = tags
    image = getattr(article, "share_image", None)
    if image:
        data["image"] = [site_url(siteurl, image["src"])]
    source = getattr(article, "source", None)
    if source:
        data["isBasedOn"] = source["url"]
    words = getattr(article, "word_count", 0)
    if words:
        data["wordCount"] = words
    return data


def _publisher(siteurl: str, settings: dict[str, Any]) -> dict[str, Any]:
    publisher: dict[str, Any] = {
        "@type": "NewsMediaOrganization",
        "name": settings.get("NEWSROOM_PUBLISHER") or settings.get("SITENAME", ""),
        "url": site_url(siteurl, ""),
    }
    if settings.get("NEWSROOM_LOGO"):
        publisher["logo"] = {
            "@type": "ImageObject",
            "url": site_url(siteurl, settings["NEWSROOM_LOGO"]),
            "width": settings.get("NEWSROOM_LOGO_WIDTH"),
            "height": settings.get("NEWSROOM_LOGO_HEIGHT"),
        }
    return publisher


def script_json(data: dict[str, Any]) -> str:
    """JSON safe to place inside <script>: no "</script>" or "<!--" can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
