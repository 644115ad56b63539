"""Build the Pagefind search index over the finished site (static hosting, no server)."""

import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)


BUNDLE = "pagefind"  # the folder the search page loads the index from
_BUILDING, _RETIRED = ".pagefind-building", ".pagefind-retired"


def pagefind_command(output_path: str, language: str, bundle_path: str) -> list[str]:
    """The indexer command. One language for the whole site: stories scraped in another
    language stay findable from the one search page."""
    return [sys.executable, "-m", "pagefind", "--site", output_path, "--output-path", bundle_path,
            "--force-language", language, "--silent"]


def build_index(output_path: str, language: str, timeout: float) -> bool:
    """Run Pagefind on ``output_path``; report failure in one line rather than raising, so
    a missing indexer never loses the built site.

    The index is built in a folder of its own and then swapped in: the site keeps a working
    search while a new index is built, and the output holds only the current index, as a
    clean build's does (Pagefind adds new hashed files beside an old bundle's)."""
    output = Path(output_path)
    building, retired = output / _BUILDING, output / _RETIRED
    shutil.rmtree(building, ignore_errors=True)
    cmd = pagefind_command(output_path, language, str(building))
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("search index: could not run Pagefind on %s: %s", output_path, exc)
        shutil.rmtree(building, ignore_errors=True)
        return False
    if done.returncode != 0 or not building.is_dir():
        detail = (done.stderr or done.stdout).strip().splitlines()
        log.error("search index: Pagefind failed on %s: %s", output_path,
                  detail[-1] if detail else f"exit status {done.returncode}")
        shutil.rmtree(building, ignore_errors=True)
        return False
    shutil.rmtree(retired, ignore_errors=True)
    if (output / BUNDLE).exists():
        (output / BUNDLE).rename(retired)
    building.rename(output / BUNDLE)
    shutil.rmtree(retired, ignore_errors=True)
    log.info("search index: Pagefind indexed %s", output_path)
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
