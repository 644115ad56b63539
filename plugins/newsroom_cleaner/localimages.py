"""Scraped stories' images kept in the site (NEWSROOM_FETCH_IMAGES), after cleaning.

A cleaned article names its images by their source URLs: the lead image in its metadata, body
images as Markdown ``![alt](url)``. Each becomes a file of the site,
``images/scraped/<story-slug>/<sha256-prefix>.<ext>`` under the content folder, referenced as
hand-written posts reference theirs (``Image: images/...``; ``{static}/images/...`` in the body),
so pages never load a third party's image (readers' privacy, link rot).

An image saved beside the scrape (a saved page's ``<name>_files/`` folder, a file next to it) is
copied without any fetch; else it is fetched once (imagefetch.py) and the URL's outcome written
to a record in the cache, so a rebuild does no network work and a failed fetch is not retried
before NEWSROOM_IMAGE_RETRY_AFTER. A failure keeps the source URL (the theme's placeholder) and
logs one warning naming the story and the URL. The cleaning itself stays pure and cacheable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .article import CleanedArticle
from .imagefetch import ImageRefused, fetch, vet_image
from .settings import SCRAPED_IMAGES_FOLDER, ImageSettings
from .write import write_atomic

logger = logging.getLogger(__name__)

SLUG_MAX = 80  # keeps file and folder names readable and well under file-system limits
_HASH_CHARS = 16  # of the content's sha256: 64 bits, no collision among a site's images
_BODY_IMAGE = re.compile(r"(!\[[^\]\n]*\]\()([^)\s]+)(\))")  # ![alt](url), as convert.py writes it
_ESCAPE = re.compile(r"\\(.)")
_CAPTION = re.compile(r"\*[^*\n]+\*")  # a figure's caption line, as convert.py writes it


def slug(text: str) -> str:
    """Pelican's slug of ``text`` (entities dropped), or "article"."""
    return slugify(re.sub(r"&\w+;", " ", text), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "article"


def localize(article: CleanedArticle, source: Path, name: str, settings: ImageSettings) -> CleanedArticle:
    """``article`` with every image kept in the site referenced locally (a new object: the
    cleaner's result may be a cached one)."""
    story = slug(article.metadata.get("title") or source.stem)[:SLUG_MAX].rstrip("-") or "article"
    lead = article.metadata.get("image")
    urls = dict.fromkeys([lead] if lead else [])
    urls.update(dict.fromkeys(m.group(2) for m in _BODY_IMAGE.finditer(article.markdown)))
    page_host = _host(article.metadata.get("source_url") or "")
    local = {}
    for url in urls:
        address = _ESCAPE.sub(r"\1", url)  # Markdown escapes are no part of the address
        host = _host(address)
        if host is None:
            continue
        saved = saved_beside(address, source) if host == page_host else None
        if path := _keep(address, saved, story, name, settings):
            local[url] = path
    if not local:
        return article
    metadata = dict(article.metadata)
    markdown = article.markdown
    if lead in local:
        metadata["image"] = local[lead]
        markdown = _without_lead(markdown, {url for url, path in local.items() if path == local[lead]}, metadata)
    markdown = _BODY_IMAGE.sub(
        lambda m: m.group(1) + (f"{{static}}/{local[m.group(2)]}" if m.group(2) in local else m.group(2)) + m.group(3),
        markdown)
    return replace(article, markdown=markdown, metadata=metadata)


def _without_lead(markdown: str, lead_urls: set[str], metadata: dict) -> str:
    """The body without its first picture when that is the lead image (the same file: the page
    shows the lead above the body); its caption becomes the lead's (``Image_caption``)."""
    blocks = markdown.split("\n\n")
    for index, block in enumerate(blocks):
        found = _BODY_IMAGE.fullmatch(block.strip())
        if found and found.group(2) in lead_urls:
            caption = blocks[index + 1].strip() if index + 1 < len(blocks) else ""
            taken = 2 if _CAPTION.fullmatch(caption) else 1
            if taken == 2:
                metadata.setdefault("image_caption", _ESCAPE.sub(r"\1", caption[1:-1]))  # metadata is plain text
            return "\n\n".join(blocks[:index] + blocks[index + taken:])
    return markdown


def _host(url: str) -> str | None:
    """The host of an http(s) URL, else None (a bracketed non-address makes urlsplit raise)."""
    try:
        parts = urlsplit(url)
        return parts.hostname if parts.scheme in ("http", "https") else None
    except ValueError:
        return None


def _keep(url: str, saved: Path | None, story: str, name: str, settings: ImageSettings) -> str | None:
    """The content-relative path of ``url``'s image (``saved``: its copy beside the scrape) in
    the site, or None (the placeholder stays)."""
    record = settings.record_path / (hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".json")
    try:
        if saved is not None:
            if saved.stat().st_size > settings.limits.max_bytes:
                raise ImageRefused(f"larger than {settings.limits.max_bytes} bytes")
            data = saved.read_bytes()
        else:
            known = _read_record(record)
            if known.get("file") and (settings.content_path / known["file"]).is_file():
                return known["file"]
            if known.get("failed") and time.time() - float(known.get("at", 0)) < settings.retry_after:
                logger.info("newsroom_cleaner: %s: image %s not kept (earlier: %s)", name, url, known["failed"])
                return None
            data = fetch(url, settings.limits)
        path = _store(data, vet_image(data, settings.limits.max_pixels), story, settings.content_path)
    except (ImageRefused, OSError) as error:
        where = f"{saved} (saved beside the scrape for {url})" if saved is not None else url
        logger.warning("newsroom_cleaner: %s: image %s not kept: %s; the placeholder stays", name, where, error)
        if saved is None:
            _write_json(record, {"url": url, "failed": str(error), "at": time.time()})
        return None
    if saved is None:
        _write_json(record, {"url": url, "file": path})
    return path


def saved_beside(url: str, source: Path) -> Path | None:
    """A file beside the scrape that ``url`` names: the longest tail of its path found under
    the scrape's folder ("Story_files/photo.jpg" of https://site/news/Story_files/photo.jpg).
    A saved page's relative image addresses became such URLs against the page's own address
    (so only URLs on the page's own host are looked for: ``localize``)."""
    folder = source.parent.resolve()
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p not in ("", ".", "..")]
    for start in range(len(parts)):
        candidate = folder.joinpath(*parts[start:])
        try:
            if candidate.is_file() and candidate.resolve().is_relative_to(folder):
                return candidate
        except (OSError, ValueError):  # a name too long or with a NUL byte names no saved file
            continue
    return None


def _store(data: bytes, extension: str, story: str, content_path: Path) -> str:
    """Write the image (once: named by its content) and return its content-relative path."""
    path = f"{SCRAPED_IMAGES_FOLDER}/{story}/{hashlib.sha256(data).hexdigest()[:_HASH_CHARS]}.{extension}"
    target = content_path / path
    if not target.is_file():
        write_atomic(target, data)
    return path


def _read_record(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or a torn one: fetch again
        return {}
    return found if isinstance(found, dict) else {}


def _write_json(path: Path, value: dict) -> None:
    try:
        write_atomic(path, json.dumps(value).encode())
    except OSError as error:  # the image is kept either way; only a rebuild's shortcut is lost
        logger.warning("newsroom_cleaner: cannot write the image record %s: %s", path, error)
