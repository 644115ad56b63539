"""Output cleanup: the output folder holds what a clean build would, no file more."""

from __future__ import annotations

import logging
import os
import shutil

from pelican.utils import clean_output_dir

logger = logging.getLogger(__name__)


def clean_output(settings: dict, output: str) -> None:
    """Without a usable state nobody knows which old files are stale: start from empty.

    Same guard and retention list as Pelican's own DELETE_OUTPUT_DIRECTORY.
    """
    content = os.path.realpath(settings["PATH"])
    real = os.path.realpath(output)
    if os.path.isdir(real) and os.path.commonpath([real, content]) != real:
        logger.info("newsroom_speed: no build state; emptying %s first", output)
        clean_output_dir(output, settings["OUTPUT_RETENTION"])


def static_outputs(theme_static: dict, generators: list) -> set[str]:
    """The output names of the theme's static files and of every static file a generator copied."""
    outputs = set(theme_static)
    for generator in generators:
        for static in getattr(generator, "staticfiles", ()):
            outputs.add(os.path.normpath(static.save_as))
    return outputs


def copy_theme_static(output: str, before: dict, now: dict) -> None:
    """Copy the theme's static files whose stat changed; delete those that went."""
    for name, (source, stat) in now.items():
        if before.get(name, (None, None))[1] != stat:
            target = os.path.join(output, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    delete_stale(output, set(before) - set(now))


def delete_stale(output: str, names: set[str]) -> None:
    """Delete these output files, and the folders they leave empty."""
    for name in sorted(names):
        path = os.path.join(output, name)
        if os.path.isfile(path):
            os.remove(path)
            folder = os.path.dirname(path)
            while folder != output and os.path.isdir(folder) and not os.listdir(folder):
                os.rmdir(folder)
                folder = os.path.dirname(folder)
