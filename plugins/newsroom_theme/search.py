"""Build the Pagefind search index over the finished site (static hosting, no server)."""

import ctypes
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)


BUNDLE = "pagefind"  # the folder the search page loads the index from
# Work folders in the output, one per run, named with the pid of the process that made them: a
# run never touches another's, and one left by a killed run is removed by a later run.
_BUILDING, _RETIRED = ".pagefind-building-", ".pagefind-retired-"
_RENAME_EXCHANGE = 2  # renameat2(2) flag: swap two paths in one step
_AT_FDCWD = -100


def pagefind_command(output_path: str, language: str, bundle_path: str) -> list[str]:
    """The indexer command. One language for the whole site: stories scraped in another
    language stay findable from the one search page."""
    return [sys.executable, "-m", "pagefind", "--site", output_path, "--output-path", bundle_path,
            "--force-language", language, "--silent"]


def build_index(output_path: str, language: str, timeout: float, manifest: Path | None = None) -> bool:
    """Run Pagefind on ``output_path``; report failure in one line rather than raising, so
    a missing indexer never loses the built site.

    The index is built in a folder of this run's own and then swapped in: the site keeps a
    working search while a new index is built (and if it fails), and the output holds only the
    current index, as a clean build's does (Pagefind adds new hashed files beside an old
    bundle's). The work folders hold no HTML, so Pagefind finds nothing to index in them.
    ``manifest``: a file recording the bundle's files as written (``bundle_intact``), or
    deleted when the index could not be made, so the next build makes it again."""
    output = Path(output_path)
    _remove_abandoned(output)
    if manifest is not None:
        manifest.unlink(missing_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{_BUILDING}{os.getpid()}-", dir=output))
    cmd = pagefind_command(output_path, language, str(building))
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("search index: could not run Pagefind on %s: %s", output_path, exc)
        shutil.rmtree(building, ignore_errors=True)
        return False
    if done.returncode != 0 or not (building / "pagefind-entry.json").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        log.error("search index: Pagefind failed on %s: %s", output_path,
                  detail[-1] if detail else f"exit status {done.returncode}, no index written")
        shutil.rmtree(building, ignore_errors=True)
        return False
    _swap_in(building, output / BUNDLE)
    if manifest is not None:
        _write_manifest(manifest, output)
    log.info("search index: Pagefind indexed %s", output_path)
    return True


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


def _bundle_files(output: Path) -> dict[str, list[int]]:
    """Relative path -> [size, mtime_ns] of every file of the bundle."""
    bundle, found = output / BUNDLE, {}
    for folder, _, files in os.walk(bundle):
        for name in files:
            path = os.path.join(folder, name)
            st = os.stat(path)
            found[os.path.relpath(path, bundle)] = [st.st_size, st.st_mtime_ns]
    return found


def _write_manifest(manifest: Path, output: Path) -> None:
    manifest.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"output": str(output.resolve()), "files": _bundle_files(output)})
    tmp = manifest.with_name(manifest.name + f".{os.getpid()}.tmp")
    tmp.write_text(data)
    os.replace(tmp, manifest)


def bundle_intact(output_path: str, manifest: Path) -> bool:
    """Is the search bundle in ``output_path`` whole and as the last successful run wrote it
    (every file there, same size and time; its loader and entry among them)?"""
    output = Path(output_path)
    try:
        recorded = json.loads(manifest.read_text())
        files = recorded["files"]
        if recorded["output"] != str(output.resolve()) or not {"pagefind.js", "pagefind-entry.json"} <= set(files):
            return False
        prefix = os.path.join(output, BUNDLE, "")  # joined as strings: a Path a file costs more than its stat
        for name, (size, mtime_ns) in files.items():
            st = os.stat(prefix + name)
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


class BackgroundIndexer:
    """Pagefind after preview rebuilds, in a thread: a saved story shows as soon as its pages
    are written, and the search index (a whole-site pass, minutes on a large archive) follows.
    A request while an index is being built makes one more pass once it is done."""

    def __init__(self, output_path: str, language: str, timeout: float):
        self._args = (output_path, language, timeout)
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
