"""A Python-Markdown extension: no URL the Markdown makes can run script.

One rule on the parsed tree, whatever Markdown syntax made the link (inline, reference
definitions with the URL on the next line, images, footnotes...): every URL attribute whose
fully decoded value (``safety.url_scheme``) has a scheme outside ``safety.SAFE_SCHEMES`` is
removed; a link keeps its text, an image leaves its alt text. Relative URLs and ``#fragments``
stay. The plugin puts it into ``MARKDOWN`` by its dotted name (``EXTENSION``) when Pelican
starts, so every Markdown render of the build uses it (stock readers, the cleaner's reader,
newsroom_speed's cache, whose key covers ``MARKDOWN``).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as etree
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from . import safety

EXTENSION = "newsroom_cleaner.linksafety"  # the name Python-Markdown imports it by
# Attributes holding a URL, as Markdown or its extensions may write them (HTML's list).
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "cite", "data", "background",
                  "longdesc", "usemap", "manifest", "icon", "xlink:href", "ping")
# Elements that are nothing but their URL: replaced by their text (links) or alt text (images).
_UNWRAPPED = {"a": "href", "img": "src"}


def unsafe(attribute: str, value: str) -> bool:
    """Whether ``value`` of ``attribute`` holds a URL a browser could run (srcset: any of its URLs)."""
    if attribute in ("srcset", "ping"):
        return any(safety.is_unsafe_url(part.split()[0]) for part in value.split(",") if part.strip())
    return safety.is_unsafe_url(value)


class LinkSafetyTreeprocessor(Treeprocessor):
    """Drops unsafe URLs from the tree (runs after the inline patterns made the links)."""

    def run(self, root: etree.Element) -> None:
        stack = [root]  # no recursion: a hostile text can nest deeply
        while stack:
            parent = stack.pop()
            index = 0
            while index < len(parent):
                child = parent[index]
                if not self._clean(parent, child):
                    stack.append(child)
                    index += 1
                # else: what took the child's place is looked at next

    @staticmethod
    def _clean(parent: etree.Element, element: etree.Element) -> bool:
        """Drop ``element``'s unsafe URLs; True when the element itself went (unwrapped)."""
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is None or not unsafe(attribute, value):
                continue
            if _UNWRAPPED.get(element.tag) == attribute:
                _unwrap(parent, element)
                return True
            del element.attrib[attribute]
        return False


def _unwrap(parent: etree.Element, element: etree.Element) -> None:
    """Replace ``element`` by its content (an image by its alt text), keeping the text around it."""
    index = list(parent).index(element)
    if element.tag == "img":
        text, children = element.get("alt", ""), []
    else:
        text, children = element.text or "", list(element)
    tail = element.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    else:
        text += tail
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


def code_digest() -> str:
    """Digest of the rule's code (this module and safety.py): in the extension's config, so a
    cache keyed on MARKDOWN (newsroom_speed's rendered HTML) renders again after an edit."""
    digest = hashlib.blake2b(digest_size=8)
    for module in (__file__, safety.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


class LinkSafetyExtension(Extension):
    """Registers the treeprocessor after Python-Markdown's inline pass."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"code": ["", "digest of the rule's code (see code_digest); not used in rendering"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(LinkSafetyTreeprocessor(md), "newsroom_link_safety", 1)


def makeExtension(**kwargs: Any) -> LinkSafetyExtension:  # noqa: N802 (Python-Markdown's name)
    return LinkSafetyExtension(**kwargs)


def add_to(settings: MutableMapping[str, Any]) -> None:
    """Put the extension into ``settings["MARKDOWN"]`` by name (a new dict: the old one may be
    Pelican's default, shared), so a cache of the settings' digest stays valid across builds."""
    markdown_settings = dict(settings.get("MARKDOWN") or {})
    config = {"code": code_digest()}
    if (markdown_settings.get("extension_configs") or {}).get(EXTENSION) == config and EXTENSION in (
            markdown_settings.get("extensions") or []):
        return
    configs = dict(markdown_settings.get("extension_configs") or {})
    configs[EXTENSION] = config
    markdown_settings["extension_configs"] = configs
    extensions = list(markdown_settings.get("extensions") or [])
    if EXTENSION not in extensions:
        extensions.append(EXTENSION)
    markdown_settings["extensions"] = extensions
    settings["MARKDOWN"] = markdown_settings
