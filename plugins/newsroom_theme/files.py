"""One way for the theme to write its state files (image index, search state, numbered pages)."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(target: str | Path, data: bytes) -> None:
    """Whole file or none (a torn index would be read as good): written aside under this
    process's own name, then renamed; a failed write's leftover is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        aside.write_bytes(data)
        os.replace(aside, target)
    finally:
        aside.unlink(missing_ok=True)
