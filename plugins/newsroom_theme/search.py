"""The Pagefind search index over the finished site (static hosting, no server), kept up to
date incrementally.

By default (``NEWSROOM_SEARCH_SHARD`` "all") the index is one bundle of the whole site, so that
results are exactly Pagefind's: the site is indexed in parts (the stories of one month, the
pages without a date), only parts whose pages changed are indexed again (search_pages.py finds
them without reading unchanged files), and the parts are merged into one index
(pagefind_merge.py). A site the merge cannot handle is indexed whole by Pagefind.

With a strftime pattern as ``NEWSROOM_SEARCH_SHARD`` the index is one Pagefind bundle per
shard: the first shard (undated pages, else the oldest) lives in ``pagefind/`` beside
Pagefind's scripts, the others in ``pagefind/shards/<name>/``, listed in
``pagefind/shards.json``; the search page merges them in the reader's browser (Pagefind's
``mergeIndex``), and only shards whose pages changed are indexed again.

Either way an incremental build's index is the clean build's, byte for byte.
"""

import ctypes
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from newsroom_cleaner.write import write_atomic

from .pagefind_merge import ENTRY, NotMergeable, merge, read_part
from .pagefind_service import PagefindError, PagefindService
from .search_pages import ShardNameError, scan, shards, signature
from .search_state import (
    BUNDLE, SHARD_LIST, SHARDS, bundle_files, bundle_intact, load_part, load_state, parts_folder, save,
    save_parts, search_state, state_lock, update_files)
from .settings import DEFAULTS

log = logging.getLogger(__name__)

__all__ = ["BUNDLE", "SHARDS", "SHARD_LIST", "WHOLE", "BackgroundIndexer", "build_index", "bundle_intact",
           "search_state"]


_INDEX_FOLDERS = ("index/", "fragment/", "filter/")  # a bundle's index files, beside its entry and .pf_meta
# Work folders in the output, one per run, named with the pid of the process that made them: a
# run never touches another's, and one left by a killed run is removed by a later run.
_BUILDING, _RETIRED = ".pagefind-building-", ".pagefind-retired-"
_RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths in one step
_AT_FDCWD = -100
WHOLE = "all"  # NEWSROOM_SEARCH_SHARD for one index of the whole site
_PARTS = "%Y-%m"  # which parts that one index is merged from
_MERGED, _WHOLE_BY_PAGEFIND = "merged", "pagefind"  # the state's mode: that index merged, or by Pagefind


def build_index(output_path: str, language: str, timeout: float, state: Path | None = None,
                shard_format: str = DEFAULTS["NEWSROOM_SEARCH_SHARD"]) -> bool:
    """Bring the search index of ``output_path`` up to date; report failure in one line
    rather than raising, so a missing indexer never loses the built site.

    One language for the whole site: stories scraped in another language stay findable from
    the one search page. ``state``: the record of the last run (``search_state``); without
    one, or after a run that did not finish, every shard is indexed into a folder of this
    run's own, swapped in whole when done. With one, only changed shards are indexed, each
    put in place file by file with its entry last, so a reader (or a killed run) only ever
    sees whole shards. The state is removed while a run works and written when it is done:
    a failed or killed run leaves none, so the next build indexes everything again."""
    output = Path(output_path)
    _remove_abandoned(output)
    try:
        with state_lock(state):
            previous = load_state(state, output, language, shard_format)
            if state is not None:
                state.unlink(missing_ok=True)
            if shard_format == WHOLE and previous.get("mode") != _WHOLE_BY_PAGEFIND:
                try:  # (the pages' records of another mode name other shards)
                    return _update_merged(output, language, timeout, state,
                                          previous if previous.get("mode") == _MERGED else {})
                except NotMergeable as reason:
                    log.info("search index: the site is indexed whole by Pagefind (%s)", reason)
                    previous = {}
            return _update(output, language, timeout, state, shard_format, previous)
    except (PagefindError, ShardNameError, OSError) as exc:
        log.error("search index: not updated for %s: %s", output_path, exc)
        return False


def _update(output: Path, language: str, timeout: float, state: Path | None, shard_format: str,
            previous: dict) -> bool:
    records = scan(str(output), previous.get("pages", {}), shard_format, _skip)
    if not records:
        raise PagefindError("no HTML page to index")  # as pagefind --site says: most likely a wrong output path
    groups = shards(records)
    order = sorted(groups) or [""]  # the first (undated pages sort first) is the primary
    signatures = {name: signature(records, groups.get(name, [])) for name in order}
    old = previous.get("shards", {})
    incremental = bool(old) and next(iter(old)) == order[0]  # same primary: its files stay where they are
    changed = [name for name in order if not incremental or old.get(name, {}).get("sig") != signatures[name]]
    removed = [name for name in old if name not in signatures] if incremental else []
    files = {name: old[name]["files"] for name in order if name not in changed}
    # A first run builds the whole bundle aside and swaps it in; later ones write into the live one.
    work = None if incremental else Path(tempfile.mkdtemp(prefix=f"{_BUILDING}{os.getpid()}-", dir=output))
    target = output / BUNDLE if work is None else work / "bundle"
    try:
        if changed:
            with PagefindService(str(output), language, timeout) as service:
                for name, bundle in _index_shards(service, output, groups, changed):
                    files[name] = sorted(filter(_is_index_file, bundle))
                    if work is None or name != order[0]:  # Pagefind's scripts: once, beside the first
                        bundle = {path: bundle[path] for path in files[name]}
                    _install(bundle, _shard_folder(target, name, order), old.get(name, {}).get("files", []),
                             files[name])
        # Listed only once their shards are in place, removed after: the page only finds whole shards.
        listing = {"merge": [f"{SHARDS}/{name}/" for name in order[1:]]}
        _write_if_changed(target / SHARD_LIST, json.dumps(listing).encode())
        for name in removed:
            shutil.rmtree(target / SHARDS / name, ignore_errors=True)
        if work is not None:
            _swap_in(target, output / BUNDLE)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    if state is not None:
        if incremental:
            replaced = {name: old[name]["files"] for name in changed + removed if name in old}
            written = update_files(output, previous["files"], replaced, {name: files[name] for name in changed}, order)
        else:
            written = bundle_files(output)
        save(state, output, language, shard_format, mode=_WHOLE_BY_PAGEFIND if shard_format == WHOLE else None,
             files=written, pages=records, shards={name: {"sig": signatures[name], "files": files[name]}
                                                   for name in order})
    log.info("search index: %d of %d shards indexed (%s)", len(changed), len(order),
             "changed ones" if incremental else "all")
    return True


def _update_merged(output: Path, language: str, timeout: float, state: Path | None, previous: dict) -> bool:
    """The one index of the whole site, merged from the indexes of its parts (a part: the
    stories of one month, or the pages without a date); only parts with changed pages are
    indexed again."""
    records = scan(str(output), previous.get("pages", {}), _PARTS, _skip)
    if not records:
        raise PagefindError("no HTML page to index")
    groups = shards(records)
    order = sorted(groups)
    signatures = {name: signature(records, groups[name]) for name in order}
    old = previous.get("parts", {})  # (there only if the bundle is as the last run wrote it)
    changed = [name for name in order if old.get(name) != signatures[name]]
    paths, on_disk = previous.get("index", []), previous.get("files", {})
    if changed or set(order) != set(old):
        folder = parts_folder(state) if state is not None else None
        parts = {name: load_part(folder, name) for name in order if name not in changed}
        changed += [name for name, part in parts.items() if part is None]  # its file lost: index it again
        parts = {name: part for name, part in parts.items() if part is not None}
        paths, on_disk = _merge_parts(output, language, timeout, groups, order, changed, parts, previous)
        save_parts(folder, {name: parts[name] for name in changed}, order)
        log.info("search index: %d of %d parts indexed, merged into one index", len(changed), len(order))
    if state is not None:
        save(state, output, language, WHOLE, mode=_MERGED, files=on_disk, pages=records, index=paths,
             parts=signatures)
    return True


def _merge_parts(output: Path, language: str, timeout: float, groups: dict[str, list[str]], order: list[str],
                 changed: list[str], parts: dict, previous: dict) -> tuple[list[str], dict]:
    """Index the ``changed`` parts (into ``parts``), merge every part and put the index in place:
    into the live bundle if the last run left one, else built aside and swapped in. The paths of
    the index's files, and the bundle's files as written."""
    incremental = bool(previous.get("parts"))
    work = None if incremental else Path(tempfile.mkdtemp(prefix=f"{_BUILDING}{os.getpid()}-", dir=output))
    target = output / BUNDLE if work is None else work / "bundle"
    old_index = previous.get("index", []) if incremental else []
    try:
        if changed:
            with PagefindService(str(output), language, timeout) as service:
                for n, (name, files) in enumerate(_index_shards(service, output, groups, changed)):
                    parts[name] = read_part(files)
                    # Pages' fragments are named by their contents: written now, named by the entry last.
                    _install({path: data for path, data in files.items() if path.startswith("fragment/")
                              or (work is not None and n == 0 and not _is_index_file(path))}, target, [], [])
        index, paths = merge([parts[name] for name in order], set(old_index))
        _install(index, target, old_index, paths)
        if work is not None:
            _write_if_changed(target / SHARD_LIST, json.dumps({"merge": []}).encode())
            _swap_in(target, output / BUNDLE)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    if incremental:
        return paths, update_files(output, previous["files"], {"": old_index}, {"": paths}, [""])
    return paths, bundle_files(output)


def _skip(name: str) -> bool:
    """The output's top folders that are not pages to index: the bundle and work folders."""
    return name == BUNDLE or name.startswith(".pagefind-")


def _index_shards(service: PagefindService, output: Path, groups: dict[str, list[str]],
                  names: list[str]) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Each named shard's bundle (path -> bytes), in turn; Pagefind indexes the next one while
    the caller works on the one given."""
    bundles = service.index_each([((path, _read(output / path)) for path in groups.get(name, [])) for name in names])
    for name, bundle in zip(names, bundles):
        if not bundle.get(ENTRY):
            raise PagefindError(f"no index entry returned for shard {name or 'all'!r}")
        yield name, bundle


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def _shard_folder(bundle: Path, name: str, order: list[str]) -> Path:
    return bundle if name == order[0] else bundle / SHARDS / name


def _is_index_file(path: str) -> bool:
    """Does this file of a bundle hold its index? (The rest are Pagefind's scripts, the same for
    every bundle: one copy, beside the first shard's index.)"""
    return path == ENTRY or path.endswith(".pf_meta") or path.startswith(_INDEX_FOLDERS)


def _install(files: dict[str, bytes], target: Path, old_files: list[str], new_files: list[str]) -> None:
    """Write ``files`` in ``target``, whose index is to be ``new_files``: the new ones first (a
    file already there with the same bytes stays untouched), the entry (which names them, by
    names made of their contents) last and atomically, then delete the ``old_files`` it no
    longer names."""
    for path in sorted(files, key=lambda p: p == ENTRY):
        destination, data = target / path, files[path]
        if _holds(destination, data):
            continue
        if path == ENTRY:
            write_atomic(destination, data)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
    for path in set(old_files) - set(new_files):
        (target / path).unlink(missing_ok=True)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write_if_changed(path: Path, data: bytes) -> None:
    if not (path.is_file() and path.read_bytes() == data):
        write_atomic(path, data)


def _swap_in(new: Path, bundle: Path) -> None:
    """Put ``new`` where ``bundle`` is, in one step where the system can (the old bundle is
    deleted after); else by two renames, a moment apart."""
    if bundle.is_dir() and _exchange(new, bundle):
        shutil.rmtree(new, ignore_errors=True)  # the old bundle, now
        return
    retired = Path(tempfile.mkdtemp(prefix=f"{_RETIRED}{os.getpid()}-", dir=bundle.parent))
    if bundle.exists():
        bundle.rename(retired / bundle.name)
    new.rename(bundle)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not possible."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove_abandoned(output: Path) -> None:
    """Delete work folders whose run has ended (killed before it cleaned up)."""
    for folder in output.glob(".pagefind-*"):
        if not folder.name.startswith((_BUILDING.rstrip("-"), _RETIRED.rstrip("-"))):
            continue  # the prefixes without "-" also match earlier versions' shared work folders
        pid = folder.name.split("-")[2] if folder.name.count("-") >= 3 else ""  # .pagefind-building-<pid>-<random>
        if folder.is_dir() and not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class BackgroundIndexer:
    """Pagefind after preview rebuilds, in a thread: a saved story shows as soon as its pages
    are written, and the search index (its changed shards; every shard the first time) follows.
    A request while an index is being built makes one more pass once it is done."""

    def __init__(self, output_path: str, language: str, timeout: float, state: Path | None = None,
                 shard_format: str = DEFAULTS["NEWSROOM_SEARCH_SHARD"]):
        self._args = (output_path, language, timeout, state, shard_format)
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no index is being built; False if ``timeout`` passed first."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                self._pending = False
            build_index(*self._args)
