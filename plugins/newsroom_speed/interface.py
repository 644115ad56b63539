"""How other plugins (the theme, the cleaner) talk to newsroom_speed, without importing it.

Every name below is what they use; nothing else of theirs is looked at.
- ``output_expires`` (signal "newsroom_output_expires"): during a build,
  ``send(sender, at=datetime)`` says output written from the clock goes stale at ``at`` (the
  theme's news sitemap); the earliest is kept with the build's state.
- ``outputs_current`` (signal "newsroom_outputs_current"): before a build with nothing changed
  is skipped, ``send(pelican, expires=that datetime or None)``; a receiver returning False has
  the build run (its output is damaged or stale: the theme's search index).
- ``CACHEABLE`` (``newsroom_speed_cacheable = True`` on a receiver of a reading signal): it only
  changes the object it is given, from that object and the settings, so the object cache may
  keep its work (objects.py).
- ``READS_HOOKS`` (a ``reads_hooks`` attribute on a Jinja global): the global caches rendered
  blocks; newsroom_speed sets it to ``(capture, replay)`` (tracking.py) so each block reports
  what it read.
"""

from __future__ import annotations

from typing import Any

from blinker import signal

output_expires = signal("newsroom_output_expires")
outputs_current = signal("newsroom_outputs_current")
CACHEABLE = "newsroom_speed_cacheable"
READS_HOOKS = "reads_hooks"


def cacheable(receiver: Any) -> bool:
    return bool(getattr(receiver, CACHEABLE, False))


def caches_blocks(value: Any) -> bool:
    """Is this Jinja global a block cache that reports its reads?"""
    return type(value) is not str and hasattr(value, READS_HOOKS)


def connect_block_cache(value: Any, capture, replay) -> None:
    value.reads_hooks = (capture, replay)  # READS_HOOKS
