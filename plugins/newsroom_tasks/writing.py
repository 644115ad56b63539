"""Defaults of ``invoke new-post``."""

from collections.abc import Mapping
from typing import Any


def default_section(settings: Mapping[str, Any]) -> str:
    """The section a new post goes to unless told: the first of the site's menu
    (NEWSROOM_MENU_SECTIONS), so the post shows where readers look; DEFAULT_CATEGORY when the
    menu lists every section (None)."""
    menu = settings.get("NEWSROOM_MENU_SECTIONS")
    return menu[0] if menu else settings["DEFAULT_CATEGORY"]
