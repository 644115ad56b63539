"""Helpers for tests that look at a built site: where a URL lands, which links are broken."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "srcset"}


def page_url(output: Path, page: Path, base: str) -> str:
    """The public URL of a generated file, for a site published at ``base`` (ends with /)."""
    relative = page.relative_to(output).as_posix()
    return urljoin(base, relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def target_file(output: Path, url: str, base: str) -> Path | None:
    """The file a same-site URL points to, or None when the URL is on another host.

    A URL on the site's host but outside its base path (a hard-coded "/" under a sub-path)
    maps to a file that cannot exist, so it counts as broken.
    """
    if urlsplit(url).netloc != urlsplit(base).netloc:
        return None
    if not url.startswith(base):
        return output / "<outside the site's base path>"
    path = unquote(urlsplit(url).path[len(urlsplit(base).path) :])
    file = output / path
    return file / "index.html" if path == "" or path.endswith("/") or file.is_dir() else file


def broken_links(output: Path, base: str = "http://site.test/") -> list[str]:
    """Every internal link, asset or image of every page that points to no file, as 'page -> url'."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        here = page_url(output, page, base)
        tree = lxml_html.fromstring(page.read_bytes())
        for tag, attribute in LINK_ATTRIBUTES.items():
            for element in tree.iter(tag):
                value = element.get(attribute)
                if not value:
                    continue
                candidates = [part.split()[0] for part in value.split(",")] if attribute == "srcset" else [value]
                for candidate in candidates:
                    url = urljoin(here, candidate.strip())
                    if urlsplit(url).scheme not in ("http", "https"):
                        continue
                    file = target_file(output, url.split("#")[0], base)
                    if file is not None and not file.exists():
                        broken.append(f"{page.relative_to(output)} -> {candidate}")
    return broken
