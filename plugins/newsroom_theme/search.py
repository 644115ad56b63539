"""Build the Pagefind search index over the finished site (static hosting, no server)."""

import logging
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def pagefind_command(output_path: str, language: str) -> list[str]:
    """The indexer command. One language for the whole site: stories scraped in another
    language stay findable from the one search page."""
    return [sys.executable, "-m", "pagefind", "--site", output_path,
            "--force-language", language, "--silent"]


def build_index(output_path: str, language: str, timeout: float = 300) -> bool:
    """Run Pagefind on ``output_path``; report failure in one line rather than raising, so
    a missing indexer never loses the built site."""
    cmd = pagefind_command(output_path, language)
    # Pagefind adds new hashed files beside the old bundle's; start empty so the output holds
    # only the current index, as a clean build's does.
    shutil.rmtree(Path(output_path) / "pagefind", ignore_errors=True)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("search index: could not run Pagefind on %s: %s", output_path, exc)
        return False
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        log.error("search index: Pagefind failed on %s: %s", output_path,
                  detail[-1] if detail else f"exit status {done.returncode}")
        return False
    log.info("search index: Pagefind indexed %s", output_path)
    return True
