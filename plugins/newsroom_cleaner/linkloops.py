"""A folder under PATH that is a symlink back to one of its own parents is not walked into.

Pelican finds content by walking folders and following symlinks (``os.walk(followlinks=True)``
in ``Generator.get_files``): a link such as ``world/again -> .`` makes it find every story again
under ``world/again/``, ``world/again/again/``... until the OS refuses the path (about 40
levels), and each copy becomes a story of its own; two such links make the walk branch and
never end. Here the walk does not go into such a link, and a warning names it; other
symlinked folders are read as before. Pelican's own ``get_files`` does the listing, with this
walk in place of ``os.walk`` while it runs (so its exclusions and ignores are its own).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from pelican import generators, signals

logger = logging.getLogger(__name__)


def _is_loop(folder: str, name: str) -> bool:
    """Is ``name`` in ``folder`` a symlink to ``folder`` itself or one of its parents?"""
    path = os.path.join(folder, name)
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return os.path.commonpath([target, os.path.realpath(folder)]) == target


class _OsWithoutLoops:
    """The ``os`` module as ``pelican.generators`` sees it while a generator lists its files:
    ``walk`` does not go into a symlinked folder leading back to itself or a parent (each
    named in a warning, relative to ``base``); the rest is ``os``."""

    def __init__(self, base: str):
        self._base = base

    def walk(self, top, topdown: bool = True, onerror=None, followlinks: bool = False):
        for folder, dirs, files in os.walk(top, topdown, onerror, followlinks):
            if topdown and followlinks:  # Pelican removes the folders it excludes from this list too
                for name in [d for d in dirs if _is_loop(folder, d)]:
                    dirs.remove(name)
                    link = os.path.relpath(os.path.join(folder, name), self._base).replace(os.sep, "/")
                    logger.warning("newsroom: %s: symbolic link to its own folder or a parent (a loop); not read",
                                   link)
            yield folder, dirs, files

    def __getattr__(self, name: str):
        return getattr(os, name)


def _walk_once(plain: Callable, base: str) -> Callable:
    def get_files(*args, **kwargs) -> set[str]:
        module_os, generators.os = generators.os, _OsWithoutLoops(base)
        try:
            return plain(*args, **kwargs)
        finally:
            generators.os = module_os

    return get_files


def install(generator) -> None:
    """``generator_init``: this generator's ``get_files`` does not walk into symlink loops."""
    if hasattr(generator, "get_files") and hasattr(generator, "path"):
        generator.get_files = _walk_once(generator.get_files, generator.path)


def register() -> None:
    signals.generator_init.connect(install)
