"""The invoke tasks, driven through their real entry point in a private copy of the project."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BIN, run_invoke

SEED = "000_b6e7998860e43f76.txt"


def test_new_post_writes_a_draft_and_refuses_to_overwrite(project: Path):
    result = run_invoke(project, "new-post", "Storm Closes Harbour", "--section", "World", "--tags", "weather,ports")
    assert result.returncode == 0, result.stderr
    [post] = (project / "content" / "world").glob("*-storm-closes-harbour.md")
    assert post.name[:10].count("-") == 2  # YYYY-MM-DD prefix
    header = dict(line.split(": ", 1) for line in post.read_text().split("\n\n")[0].splitlines() if ": " in line)
    assert header["Title"] == "Storm Closes Harbour"
    assert header["Category"] == "World"
    assert header["Tags"] == "weather,ports"
    assert header["Status"] == "draft"
    for key in ("Date", "Authors", "Slug"):
        assert header[key]
    post.write_text(post.read_text() + "\nEdited by hand.\n")
    again = run_invoke(project, "new-post", "Storm Closes Harbour", "--section", "World")
    assert again.returncode != 0
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert post.read_text().endswith("Edited by hand.\n")


def test_publish_without_a_target_says_so(project: Path):
    result = run_invoke(project, "publish", env={"NEWSROOM_PUBLISH_TARGET": ""})
    assert result.returncode == 1
    assert "no target set" in result.stderr
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr


def test_preview_without_siteurl_says_so(project: Path):
    result = run_invoke(project, "preview", env={"NEWSROOM_SITEURL": ""})
    assert result.returncode == 1
    assert "NEWSROOM_SITEURL" in result.stderr and "Traceback" not in result.stderr


def test_build_writes_the_site(project: Path):
    result = run_invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output" / "index.html").exists()
    assert list((project / "output" / "2024" / "01").glob("*/index.html"))


def test_import_scraped_writes_posts_and_never_overwrites(project: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    raw = (project / "content" / "scraped" / SEED).read_bytes()
    (inbox / SEED).write_bytes(raw)
    result = run_invoke(project, "import-scraped", str(inbox / SEED))
    assert result.returncode == 0, result.stdout + result.stderr
    [post] = [p for p in (project / "content").rglob("2024-01-15-*.md")]
    text = post.read_text()
    assert "Title: Russia hosts North Korean foreign minister to strengthen ties" in text
    assert "Abone Ol" not in text and "Most Read News" not in text
    assert (inbox / SEED).read_bytes() == raw  # the input is untouched

    post.write_text(text + "\nAn editor's note.\n")
    again = run_invoke(project, "import-scraped", str(inbox / SEED))
    assert again.returncode == 0  # skipped, which is not a failure
    assert f"skipped: {post} already exists" in again.stderr and "Traceback" not in again.stderr
    assert post.read_text().endswith("An editor's note.\n")

    forced = run_invoke(project, "import-scraped", str(inbox / SEED), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "An editor's note." not in post.read_text()


def test_import_scraped_takes_several_paths(project: Path, tmp_path: Path):
    seed = (project / "content" / "scraped" / SEED).read_text()
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(seed)
    second.write_text(seed.replace("Russia hosts North Korean", "Moscow welcomes North Korean"))
    result = run_invoke(project, "import-scraped", str(first), str(second))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((project / "content").rglob("2024-01-15-*.md"))) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch_when_up(url: str, process: subprocess.Popen, deadline: float = 120) -> str:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert process.poll() is None, process.stderr.read() if process.stderr else "server exited"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url}")


def _start(project: Path, task: str, log: bool = False) -> tuple[subprocess.Popen, str]:
    """Start a server task; ``log``: its log (Pelican's, on stdout, and stderr) is in ``stdout``."""
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "invoke"), task, "--host", "127.0.0.1", "--port", str(port)],
        cwd=project,
        env={"NEWSROOM_OPEN_BROWSER": "0", "PATH": str(BIN) + ":/usr/bin:/bin", "COLUMNS": "200"},
        stdout=subprocess.PIPE if log else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.PIPE,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("task", ["serve", "livereload"])
def test_servers_answer_on_localhost(project: Path, task: str):
    assert run_invoke(project, "build").returncode == 0
    process, url = _start(project, task)
    try:
        page = _fetch_when_up(url, process)
        assert "The Newsroom Daily" in page
    finally:
        process.terminate()
        process.wait(timeout=30)


def _retitle_newest_post(project: Path, url: str, process: subprocess.Popen, title: str) -> None:
    """Save a new title in the front page's newest story and wait until the server shows it."""
    post = sorted((project / "content" / "world").glob("*.md"))[-1]  # the newest: on the front page
    old = next(line for line in post.read_text().splitlines() if line.startswith("Title: "))
    post.write_text(post.read_text().replace(old, f"Title: {title}"))
    end = time.monotonic() + 90
    while title not in _fetch_when_up(url, process):
        assert time.monotonic() < end, "the saved edit never reached the served front page"
        time.sleep(0.5)


def test_livereload_rebuilds_a_saved_post(project: Path):
    process, url = _start(project, "livereload")
    try:
        assert "The Newsroom Daily" in _fetch_when_up(url, process)
        _retitle_newest_post(project, url, process, "Edited while previewing")
        # the search index is built in the background, after the pages
        assert "page_count" in _fetch_when_up(url + "pagefind/pagefind-entry.json", process, deadline=120)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_livereload_outlives_a_failed_build(project: Path):
    """A template saved half-written fails its build (Pelican exits on the syntax error): the
    server goes on serving the last good site and builds the next save."""
    process, url = _start(project, "livereload", log=True)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(process.stdout), daemon=True)
    try:
        reader.start()
        assert "The Newsroom Daily" in _fetch_when_up(url, process)
        base = project / "theme" / "templates" / "base.html"
        good = base.read_text()
        base.write_text(good + "{% if %}\n")
        end = time.monotonic() + 90
        while not any("TemplateSyntaxError" in line for line in errors):
            assert process.poll() is None, "".join(errors[-40:])
            assert time.monotonic() < end, "the broken template was never built"
            time.sleep(0.5)
        time.sleep(1)
        assert process.poll() is None, "the server stopped with the failed build:\n" + "".join(errors[-40:])
        assert "The Newsroom Daily" in _fetch_when_up(url, process)
        base.write_text(good)
        _retitle_newest_post(project, url, process, "Saved after the template was mended")
    finally:
        process.terminate()
        process.wait(timeout=30)
