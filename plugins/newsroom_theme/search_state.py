"""The record of the last search index built (search.py): what it was made for, its pages'
records, its shards' or parts' states and its files as written, so a build finds what changed
and whether the bundle is still as written."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

from newsroom_cleaner.write import write_atomic

from .pagefind_merge import ENTRY

BUNDLE = "pagefind"  # the folder the search page loads the index from
SHARDS = "shards"  # the subfolder of BUNDLE holding every shard but the first
SHARD_LIST = "shards.json"  # in BUNDLE: the shards the search page merges
_STATE_VERSION = 3  # of the state file's and the part files' format


def search_state(settings: dict) -> Path:
    """Where the last index built is recorded: its pages and shards (to find what changed) and
    its files as written (``bundle_intact``)."""
    return Path(settings["CACHE_PATH"]) / "newsroom_theme" / "search-index.pickle"


@contextlib.contextmanager
def state_lock(state: Path | None) -> Iterator[None]:
    """One index update at a time per state (a preview's background indexer beside a build)."""
    if state is None:
        yield
        return
    state.parent.mkdir(parents=True, exist_ok=True)
    with open(state.with_name(state.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def identity(output: Path, language: str, shard_format: str) -> dict:
    """What the recorded index was made for: another output, language, shard pattern or
    Pagefind version means indexing everything again."""
    return {"version": _STATE_VERSION, "pagefind": importlib.metadata.version("pagefind"),
            "output": str(output.resolve()), "language": language, "shard_format": shard_format}


def load_state(state: Path | None, output: Path, language: str, shard_format: str) -> dict:
    """The last run's state if it fits this run and its bundle is as it wrote it; else its page
    records only (they still spare reading unchanged pages) or nothing."""
    if state is None:
        return {}
    try:
        recorded = read_state(state)
        made_for = identity(output, language, shard_format)
        if {key: recorded[key] for key in made_for} != made_for:
            return {}
        if not files_intact(output, recorded["files"]):
            return {"pages": recorded["pages"], "mode": recorded.get("mode")}
        return recorded
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, pickle.UnpicklingError):
        return {}


def read_state(state: Path) -> dict:
    """The state file (pickle: a large site's tens of thousands of records load in a blink)."""
    with open(state, "rb") as f:
        recorded = pickle.load(f)
    if not isinstance(recorded, dict):
        raise ValueError("not a search state")
    return recorded


def save(state: Path, output: Path, language: str, shard_format: str, **fields) -> None:
    """Record a finished run: what it was made for (``identity``) and ``fields`` (its mode,
    the bundle's files, the pages' records and the shards' or parts' states)."""
    data = {**identity(output, language, shard_format), **fields}
    write_atomic(state, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def update_files(output: Path, recorded: dict, gone: dict[str, list[str]], new: dict[str, list[str]],
                 order: list[str]) -> dict[str, list[int]]:
    """The record of the bundle's files after shards were replaced (``gone``: their old
    files, ``new``: the files now there), stating only those."""
    def bundle_path(name: str, path: str) -> str:
        return path if name == order[0] else f"{SHARDS}/{name}/{path}"

    files = dict(recorded)
    for name, paths in gone.items():
        for path in paths:
            files.pop(bundle_path(name, path), None)
    for name, paths in new.items():
        for path in paths:
            st = os.stat(os.path.join(output, BUNDLE, bundle_path(name, path)))
            files[bundle_path(name, path)] = [st.st_size, st.st_mtime_ns]
    st = os.stat(output / BUNDLE / SHARD_LIST)
    files[SHARD_LIST] = [st.st_size, st.st_mtime_ns]
    return files


def bundle_files(output: Path) -> dict[str, list[int]]:
    """Relative path -> [size, mtime_ns] of every file of the bundle."""
    bundle, found = os.path.join(output, BUNDLE), {}
    for folder, _, files in os.walk(bundle):
        prefix = os.path.relpath(folder, bundle).replace(os.sep, "/") + "/" if folder != bundle else ""
        for name in files:
            st = os.stat(os.path.join(folder, name))
            found[prefix + name] = [st.st_size, st.st_mtime_ns]
    return found


def files_intact(output: Path, files: dict) -> bool:
    """Every recorded file of the bundle there, same size and time; its loader and entry among them."""
    if not {"pagefind.js", ENTRY} <= set(files):
        return False
    prefix = os.path.join(output, BUNDLE, "")  # joined as strings: a Path a file costs more than its stat
    try:
        for name, (size, mtime_ns) in files.items():
            st = os.stat(prefix + name)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return False
    except (OSError, ValueError, TypeError):
        return False
    return True


def bundle_intact(output_path: str, state: Path) -> bool:
    """Is the search bundle in ``output_path`` whole and as the last successful run wrote it?"""
    output = Path(output_path)
    try:
        recorded = read_state(state)
        return recorded["output"] == str(output.resolve()) and files_intact(output, recorded["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, pickle.UnpicklingError):
        return False


def parts_folder(state: Path) -> Path:
    """Where the merged index's parts are kept, one file each (read only when merging)."""
    return state.with_name(state.stem + "-parts")


def load_part(folder: Path | None, name: str) -> object | None:
    """A part as ``save_part`` kept it, or None (no folder, no file, or a damaged one)."""
    if folder is None:
        return None
    try:
        with open(folder / _part_file(name), "rb") as f:
            return pickle.load(f)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, pickle.UnpicklingError):
        return None


def save_parts(folder: Path | None, parts: dict[str, object], keep: list[str]) -> None:
    """Keep ``parts`` (name -> part) and delete the files of parts not in ``keep``."""
    if folder is None:
        return
    for name, part in parts.items():
        write_atomic(folder / _part_file(name), pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
    kept = {_part_file(name) for name in keep}
    for path in folder.glob("*.pickle"):
        if path.name not in kept:
            path.unlink(missing_ok=True)


def _part_file(name: str) -> str:
    return f"{name or 'undated'}.pickle"
