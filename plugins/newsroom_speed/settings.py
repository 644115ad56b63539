"""newsroom_speed settings, read in this one place with their documented defaults.

NEWSROOM_SPEED_CACHE_PATH  where the caches live; default ``<CACHE_PATH>/newsroom_speed``.
NEWSROOM_SPEED_WORKERS     processes for reading content files and rendering pages;
                           default: the number of CPUs; 1 disables the process pools.
NEWSROOM_SPEED_FAST_PATH   skip the whole build when no input changed (default True).
NEWSROOM_SPEED_MIN_BATCH   fewer uncached files / pages to render than this are done
                           in-process, as a pool costs more than it saves (default 64).
NEWSROOM_SPEED_EXPLAIN     log, for each page rendered again, the first input that changed
                           (default False; the environment variable of the same name set to 1,
                           as ``invoke build --explain`` does, turns it on too).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SpeedSettings:
    cache_path: Path
    workers: int
    fast_path: bool
    min_batch: int
    explain: bool


def speed_settings(settings: dict) -> SpeedSettings:
    """The plugin's settings from Pelican's, defaults filled in."""
    cache = settings.get("NEWSROOM_SPEED_CACHE_PATH") or os.path.join(settings["CACHE_PATH"], "newsroom_speed")
    return SpeedSettings(
        cache_path=Path(cache),
        workers=max(1, int(settings.get("NEWSROOM_SPEED_WORKERS") or os.cpu_count() or 1)),
        fast_path=bool(settings.get("NEWSROOM_SPEED_FAST_PATH", True)),
        min_batch=int(settings.get("NEWSROOM_SPEED_MIN_BATCH", 64)),
        explain=bool(settings.get("NEWSROOM_SPEED_EXPLAIN", False)) or os.environ.get("NEWSROOM_SPEED_EXPLAIN") == "1",
    )
