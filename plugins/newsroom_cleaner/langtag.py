"""Language tags: a page's or a post's ``lang`` is data that ends up in attributes, URLs and
file names, so only the shape of a BCP 47 tag is let through."""

from __future__ import annotations

import re

# BCP 47 (RFC 5646) shape: a 2-3 letter primary language (or a 4-8 letter registered one),
# then subtags of 1-8 letters or digits. Nothing else: no quotes, spaces, slashes or dots.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|[A-Za-z]{4,8}")
_MAX_LENGTH = 35  # the longest tag RFC 5646 requires implementations to keep


def language_tag(value: object) -> str | None:
    """``value`` as a normalised language tag ("pt_BR" -> "pt-BR"), or None when it is not one."""
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    if len(tag) > _MAX_LENGTH or not _TAG.fullmatch(tag):
        return None
    primary, *rest = tag.split("-")
    return "-".join([primary.lower(), *(part.upper() if len(part) == 2 and part.isalpha() else part
                                        for part in rest)])
