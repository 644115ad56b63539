"""Markup of responsive images: ``<picture>`` elements, the lead image's preload, and story
bodies whose local ``<img>``s become ``<picture>``s (``ImageSet.facts`` says what each holds).

A body image may be written with the path used for ``Image:`` (``images/x.jpg``, relative to
the content folder), Pelican's ``{static}/images/x.jpg``, or a path relative to the post. One
that is not there is replaced by its alt text, with one warning naming the post and the path:
a broken image on the page says nothing to the editor.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from html import escape
from urllib.parse import unquote, urlsplit

import lxml.html

log = logging.getLogger(__name__)

_STATIC = ("{static}", "{attach}")  # Pelican's link prefixes for static files

# How wide each kind of image is shown, as theme/static/css/main.css lays it out (the browser
# picks a variant by it before the CSS is in): the page has 1rem margins below its 76rem width.
SIZES = {
    # .article: a 40rem column
    "article": "(min-width: 42rem) 40rem, calc(100vw - 2rem)",
    # the front page's lead story: 3/5 of the page from 48rem on
    "lead": "(min-width: 76rem) 44rem, (min-width: 48rem) 58vw, calc(100vw - 2rem)",
    # the front page's "Latest" grid: a third of the page from 48rem on
    "grid": "(min-width: 76rem) 24rem, (min-width: 48rem) 31vw, calc(100vw - 2rem)",
    # listings' thumbnails: 7rem, 14rem from 48rem on
    "list": "(min-width: 48rem) 14rem, 7rem",
}


def _srcset(root: str, candidates: list[tuple[str, int]]) -> str:
    return ", ".join(f"{root}/{path} {width}w" for path, width in candidates)


def picture_html(image: dict, root: str, sizes: str, eager: bool = False) -> str:
    """``<picture>`` for ``image`` (``ImageSet.facts``): the WebP candidates with ``sizes``, the
    fallback as the ``<img>``'s source, width and height (the browser reserves the space), lazy
    unless ``eager`` (the largest paint above the fold: fetched first). ``root``: the site
    root's URL from the page."""
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    img = (f'<img src="{escape(root)}/{escape(image["src"])}" width="{image["width"]}" height="{image["height"]}" '
           f'alt="{escape(image["alt"])}" {loading} decoding="async"')
    if not image["webp"]:
        return img + ">"
    sizes = escape(sizes)
    return (f'<picture><source type="image/webp" srcset="{escape(_srcset(root, image["webp"]))}" sizes="{sizes}">'
            f'{img}></picture>')


def preload_html(image: dict, root: str, sizes: str) -> str:
    """``<link rel="preload">`` fetching the WebP candidate the page's ``<picture>`` will choose."""
    if not image["webp"]:
        return f'<link rel="preload" as="image" href="{escape(root)}/{escape(image["src"])}" fetchpriority="high">'
    return (f'<link rel="preload" as="image" type="image/webp" imagesrcset="{escape(_srcset(root, image["webp"]))}" '
            f'imagesizes="{escape(sizes)}" fetchpriority="high">')


def candidates(src: str, post_dir: str) -> list[str]:
    """Content-relative paths an ``<img src>`` of a post in ``post_dir`` may mean, most likely
    first; [] for what is not a local file (a URL, another kind of Pelican link, a fragment).
    A plain relative path is read as ``Image:`` reads it (from the content folder), then
    relative to the post, as a browser would."""
    src = src.strip()
    if src.startswith(_STATIC):
        rest = src[len("{static}"):]
        paths = [rest[1:]] if rest.startswith("/") else [os.path.join(post_dir, rest)]
    elif not src or src.startswith(("{", "#", "//")) or urlsplit(src).scheme:
        return []
    elif src.startswith("/"):
        paths = [src[1:]]
    else:
        paths = [src, os.path.join(post_dir, src)]
    found = []
    for path in paths:
        path = os.path.normpath(unquote(urlsplit(path).path))
        if not path.startswith("..") and path not in found and path != ".":
            found.append(path)
    return found


def body_images(html: str) -> tuple[object, list] | None:
    """The parsed body and its ``<img>`` elements, or None when it has none (not parsed)."""
    if "<img" not in html:
        return None
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    images = list(root.iter("img"))
    return (root, images) if images else None


def responsive_body(root, images: list, post_dir: str, facts: Callable[[str, str], dict | None],
                    page_root: str, sizes: str, source: str) -> str:
    """The body with each local image as a ``<picture>`` (``facts(path, alt)`` describes it;
    ``page_root`` is the site root's URL from the post's page); a missing one becomes its alt
    text, with a warning."""
    # The markup goes in after serialising: lxml's HTML parser would nest <img> in <source>.
    marker = f"\ue000{secrets.token_hex(8)}-"
    pictures = []
    for img in images:
        paths = candidates(img.get("src") or "", post_dir)
        if not paths:
            continue
        alt = " ".join((img.get("alt") or "").split())
        image = next(filter(None, (facts(path, alt) for path in paths)), None)
        if image is None:
            log.warning("%s: image %s is missing or not an image (looked for %s in the content folder); "
                        "write images/NAME.jpg for content/images/NAME.jpg, as in Image:",
                        source, img.get("src"), " and ".join(paths))
            _replace(img, alt)
        else:
            _replace(img, f"{marker}{len(pictures)}\ue000")
            pictures.append(picture_html(image, page_root, sizes))
    html = fragment_html(root)
    for number, picture in enumerate(pictures):
        html = html.replace(f"{marker}{number}\ue000", picture, 1)
    return html


def _replace(old, text: str) -> None:
    """Put ``text`` where the element ``old`` was, keeping the text after it."""
    parent = old.getparent()
    tail = text + (old.tail or "")
    previous = old.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(old)


def fragment_html(root) -> str:
    """The HTML of a fragment parsed with ``create_parent``: its text and children."""
    return escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)
