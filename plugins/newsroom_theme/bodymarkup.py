"""A Python-Markdown extension for the markup the theme needs in a story's body.

Figures: an image alone in its paragraph with a title becomes a figure with that title as its
caption.

    ![Dockers at the gate](images/strike.jpg "Dockers at the gate on Monday — Ana Ruiz")

renders ``<figure><img src=… alt=…><figcaption>Dockers at the gate on Monday — Ana
Ruiz</figcaption></figure>``: one caption, no tooltip repeating it. Without a title, or with
text beside the image, the image stays as it is.

Tables: each table is wrapped in a region a keyboard can focus, so a table wider than a phone
scrolls sideways and can be scrolled without a mouse (axe's scrollable-region-focusable). Code
blocks scroll the same way, so each ``<pre>`` can take the focus too.

The plugin puts the extension into
``MARKDOWN`` when Pelican starts, with a digest of this file in its config, so newsroom_speed's
rendered-Markdown cache (keyed on ``MARKDOWN``) renders again after an edit of this rule.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

EXTENSION = "newsroom_theme.bodymarkup"  # the name Python-Markdown imports it by


class FigureTreeprocessor(Treeprocessor):
    """``<p><img title=…></p>`` -> ``<figure><img><figcaption>title</figcaption></figure>``."""

    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            if len(paragraph) != 1 or (paragraph.text or "").strip():
                continue
            img = paragraph[0]
            caption = " ".join((img.get("title") or "").split())
            if img.tag != "img" or not caption or (img.tail or "").strip():
                continue
            paragraph.tag = "figure"
            paragraph.text, img.tail = None, None
            del img.attrib["title"]
            etree.SubElement(paragraph, "figcaption").text = caption


class TableTreeprocessor(Treeprocessor):
    """``<table>`` -> ``<div class="table-scroll" role="region" tabindex="0" aria-label=…><table>``."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table" or parent.get("class") == "table-scroll":
                    continue
                caption = child.find("caption")
                label = " ".join("".join(caption.itertext()).split()) if caption is not None else ""
                wrapper = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0",
                                                "aria-label": label or "Table"})
                wrapper.tail, child.tail = child.tail, None
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


class CodeBlockPostprocessor(Postprocessor):
    """``<pre>`` -> ``<pre tabindex="0">``. A postprocessor, after raw HTML is put back: fenced
    code reaches the page through Python-Markdown's HTML stash, never through the tree."""

    _PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")

    def run(self, text: str) -> str:
        return self._PRE.sub('<pre tabindex="0"', text)


def code_digest() -> str:
    """Digest of this module: in the extension's config, so caches keyed on MARKDOWN see edits."""
    return hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()


class BodyMarkupExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"code": ["", "digest of the rule's code (see code_digest); not used in rendering"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # after the inline pass (priority 20) has made the images
        md.treeprocessors.register(FigureTreeprocessor(md), "newsroom_figures", 5)
        md.treeprocessors.register(TableTreeprocessor(md), "newsroom_tables", 4)
        # after the raw HTML (30) and the stashed code blocks are back in the text
        md.postprocessors.register(CodeBlockPostprocessor(md), "newsroom_code_blocks", 5)


def makeExtension(**kwargs: Any) -> BodyMarkupExtension:  # noqa: N802 (Python-Markdown's name)
    return BodyMarkupExtension(**kwargs)


def add_to(settings: MutableMapping[str, Any]) -> None:
    """Name the extension in ``settings["MARKDOWN"]`` with its code digest (a new dict: the old
    may be Pelican's default, shared between builds)."""
    markdown_settings = dict(settings.get("MARKDOWN") or {})
    markdown_settings["extension_configs"] = {**(markdown_settings.get("extension_configs") or {}),
                                              EXTENSION: {"code": code_digest()}}
    extensions = list(markdown_settings.get("extensions") or [])
    markdown_settings["extensions"] = extensions + [EXTENSION] * (EXTENSION not in extensions)
    settings["MARKDOWN"] = markdown_settings
