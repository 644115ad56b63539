"""A build's inputs (every file under PATH, the theme, the settings, plugin and library code) and
the skip check: is the last build's output still what this build would make?"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.metadata
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from . import interface
from .fingerprint import Fingerprinter, Volatile
from .ledger import OutputLedger
from .records import BuildState, Inputs

logger = logging.getLogger(__name__)

LIBRARIES = ("pelican", "jinja2", "markdown", "markupsafe", "feedgenerator")
SPEED_SETTINGS = "NEWSROOM_SPEED_"  # this plugin's own settings change how fast, never what is built


def stat(path: str) -> tuple:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def tree(root: str, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Relative path -> stat of every file under ``root`` (except under ``skip``)."""
    found = {}
    start = len(os.path.join(root, ""))  # os.walk's folders are root + os.sep + names: slice, not relpath
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            path = os.path.join(folder, name)
            try:
                found[path[start:]] = stat(path)
            except OSError:  # a dangling or looping symlink: left to its reader, which names it in one line
                continue
    return found


def code_digest(plugins: list) -> bytes:
    """Library versions and the source of every loaded plugin (its whole package)."""
    h = hashlib.blake2b(digest_size=16)
    for name in LIBRARIES:
        h.update(f"{name}={importlib.metadata.version(name)};".encode())
    for plugin in plugins:
        module_file = getattr(plugin, "__file__", None) or ""
        folder = os.path.dirname(module_file) if module_file.endswith("__init__.py") else module_file
        files = sorted(Path(folder).rglob("*.py")) if os.path.isdir(folder) else [Path(module_file)]
        for file in files:
            if file.is_file():
                h.update(str(file).encode() + b"\0" + file.read_bytes())
    return h.digest()


def template_files(settings: dict) -> dict[str, tuple]:
    """Absolute path -> stat of every template file (the theme's and the overrides')."""
    found = {}
    for folder in [os.path.join(settings["THEME"], "templates"), *settings.get("THEME_TEMPLATES_OVERRIDES", [])]:
        found.update({os.path.abspath(os.path.join(folder, name)): st for name, st in tree(folder).items()})
    return found


def settings_digests(settings: dict, fingerprinter: Fingerprinter) -> tuple[bytes, dict[str, bytes]]:
    """The digest of the settings, and of each (a random one for a value with none: pages are
    then always rendered)."""
    each = {}
    for key, value in settings.items():
        if not key.startswith(SPEED_SETTINGS):
            try:
                each[key] = fingerprinter.digest(value)
            except Volatile as error:
                logger.info("newsroom_speed: setting %s has no stable digest (%s); pages always rendered", key, error)
                each[key] = os.urandom(16)
    return _digest(repr(sorted(each.items())).encode()), each


def read_inputs(settings: dict, plugins: list, output: str, fingerprinter: Fingerprinter) -> Inputs:
    """This build's inputs. The template files' bytes are read now, as the build starts: they are
    what pages record for their templates, so a template saved while pages render makes them
    render again next time."""
    templates = template_files(settings)
    for path in templates:
        fingerprinter.file(path)
    settings_digest, each_setting = settings_digests(settings, fingerprinter)
    settings_code = settings_digest + code_digest(plugins)
    skip = tuple(os.path.abspath(p) for p in (output, settings["CACHE_PATH"]))
    return Inputs(
        settings_code=_digest(settings_code),
        # a record holds the bytes of the templates it used; a file added may shadow one
        pages=_digest(settings_code + repr(sorted(templates)).encode()),
        everything=_digest(settings_code + repr(sorted(templates.items())).encode()),
        content=tree(os.path.abspath(settings["PATH"]), skip),
        theme_static=theme_static(settings),
        settings=each_setting,
        templates=templates,
    )


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def theme_static(settings: dict) -> dict[str, tuple]:
    """Output path -> (source path, stat) of the theme's static files, as Pelican copies them."""
    found = {}
    ignores = settings["IGNORE_FILES"]
    for path in settings["THEME_STATIC_PATHS"]:
        source = os.path.join(settings["THEME"], path)
        target = os.path.join(settings["THEME_STATIC_DIR"])
        if os.path.isfile(source):
            found[os.path.normpath(os.path.join(target, os.path.basename(path)))] = (source, stat(source))
        for rel, st in tree(source).items() if os.path.isdir(source) else ():
            if not any(fnmatch.fnmatch(part, i) for part in Path(rel).parts for i in ignores):
                found[os.path.normpath(os.path.join(target, rel))] = (os.path.join(source, rel), st)
    return found


def nothing_changed(previous: BuildState | None, now: Inputs, ledger: OutputLedger, output: str, pelican) -> bool:
    """May the build be skipped: same inputs but the theme's static files, the output as the last
    build left it, no story due, every other plugin's output current?"""
    if previous is None or previous.inputs.everything != now.everything or previous.inputs.content != now.content:
        return False
    return outputs_intact(previous, ledger, output) and others_current(previous, pelican)


def outputs_intact(previous: BuildState, ledger: OutputLedger, output: str) -> bool:
    """Pages and feeds as the last build wrote them, static copies present."""
    return all(ledger.intact(name, os.path.join(output, name)) for name in previous.outputs) and all(
        os.path.isfile(os.path.join(output, name)) for name in previous.produced)


def others_current(previous: BuildState, pelican) -> bool:
    """Is the last build's output still good: no story it held as scheduled is due (Pelican
    compares with the real clock), and every other plugin finds its own output current?"""
    if previous.due is not None and datetime.now(UTC) >= previous.due:
        logger.info("newsroom_speed: nothing changed but a story scheduled for %s is due; building",
                    previous.due.isoformat(timespec="seconds"))
        return False
    answers = interface.outputs_current.send(pelican, expires=previous.expires)
    if all(answer is not False for _, answer in answers):
        return True
    logger.info("newsroom_speed: nothing changed but another plugin's output is stale or damaged; building")
    return False
