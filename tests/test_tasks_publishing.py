"""Publishing you can leave unattended (issue 25): strict deploys, the build summary, the dev
servers' 404 page, dev builds without the feed warning, new-post's section, drafts kept out of
every index and list. End to end through the real `invoke` entry point, in a private copy of the
project; deploys run fake rsync/ssh/git scripts that record their calls (no network)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BIN, run_invoke
from tests.test_tasks import _fetch_when_up, _start

SITEURL = "https://news.example.org"
TARGET = "deploy@example.org:/var/www/news/"
TOMORROW = "Title: Launch day\nDate: tomorrow\nCategory: World\n\nA story with a date Pelican cannot read.\n"
DRAFT = ("Title: Quokkazebra plan leaks\nDate: 2026-11-29 09:00\nCategory: World\nTags: quokkatag\n"
         "Authors: Zora Quokkaquill\nSummary: Quokkazebra summary.\nStatus: draft\n\nQuokkazebra body.\n")
DRAFT_PAGE = "Title: Okapiwombat notice\nStatus: draft\n\nOkapiwombat page body.\n"


def _fake_tools(folder: Path, *names: str) -> Path:
    """Scripts named ``names`` that append their name and arguments to ``folder/calls``."""
    folder.mkdir(exist_ok=True)
    for name in names:
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{folder / "calls"}"\n')
        script.chmod(0o755)
    return folder


def _deploy_env(fake: Path, **extra: str) -> dict:
    """Only the fake tools and the venv on PATH: no real rsync, ssh or git is ever run."""
    return {"PATH": f"{fake}:{BIN}:/bin", "NEWSROOM_PUBLISH_TARGET": TARGET, "NEWSROOM_SITEURL": SITEURL,
            "COLUMNS": "200", **extra}


def _calls(fake: Path) -> str:
    calls = fake / "calls"
    return calls.read_text() if calls.exists() else ""


def _published_posts(content: Path) -> list[Path]:
    """The sample site's stories: Markdown posts outside pages/ and the scrapes, none a draft."""
    posts = [p for p in content.rglob("*.md") if "pages" not in p.parts] + list((content / "scraped").iterdir())
    assert not any("Status: draft" in p.read_text() for p in posts)
    return posts


def test_publish_refuses_a_build_that_dropped_a_story(project: Path, tmp_path: Path):
    fake = _fake_tools(tmp_path / "bin", "rsync", "ssh")
    post = project / "content" / "world" / "2026-11-30-launch-day.md"
    post.write_text(TOMORROW)
    for attempt in range(2):  # the second, with nothing changed, must find the error again
        result = run_invoke(project, "publish", env=_deploy_env(fake))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "publish: not deploying" in result.stderr
        assert "launch-day.md" in result.stderr and "'tomorrow' is not a valid date" in result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert _calls(fake) == "", f"attempt {attempt}: deployed anyway"

    post.write_text(TOMORROW.replace("Date: tomorrow", "Date: 2026-11-30 10:00"))
    result = run_invoke(project, "publish", env=_deploy_env(fake))
    assert result.returncode == 0, result.stdout + result.stderr
    [call] = _calls(fake).splitlines()
    assert call.startswith("rsync ") and call.endswith(f"{project / 'output'}/ {TARGET}")
    assert (project / "output" / "2026" / "11" / "launch-day" / "index.html").is_file()


@pytest.mark.parametrize("task, fake_tool", [("preview", None), ("gh-pages", "git")])
def test_preview_and_gh_pages_refuse_a_post_that_is_not_utf8(project: Path, tmp_path: Path, task: str,
                                                             fake_tool: str | None):
    fake = _fake_tools(tmp_path / "bin", *([fake_tool] if fake_tool else []))
    (project / "content" / "world" / "cafe.md").write_bytes(
        "Title: Café opens\nDate: 2026-11-29 10:00\nCategory: World\n\nThe café.\n".encode("latin-1"))
    result = run_invoke(project, task, env=_deploy_env(fake))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cafe.md: not UTF-8" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert _calls(fake) == ""


def test_publish_without_rsync_says_what_to_install_before_building(project: Path, tmp_path: Path):
    fake = _fake_tools(tmp_path / "bin", "ssh")  # rsync is nowhere on PATH
    result = run_invoke(project, "publish", env=_deploy_env(fake))
    assert result.returncode == 1
    assert "rsync not found" in result.stderr and "apt-get install rsync openssh-client" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "output" / "index.html").exists()  # nothing was built
    assert _calls(fake) == ""


def test_publish_after_an_edit_sends_the_whole_site(project: Path, tmp_path: Path):
    """publishconf.py empties the output folder first; every page must then be written again,
    not only the edited story's (newsroom_speed's look-ahead once took them as still there)."""
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nNEWSROOM_SPEED_WORKERS = 2\nNEWSROOM_SPEED_MIN_BATCH = 1\n")
    fake = _fake_tools(tmp_path / "bin", "rsync", "ssh")
    assert run_invoke(project, "publish", env=_deploy_env(fake)).returncode == 0
    first = sorted(p.relative_to(project / "output") for p in (project / "output").rglob("*.html"))
    post = sorted((project / "content" / "world").glob("*.md"))[-1]
    post.write_text(post.read_text() + "\nA correction.\n")
    result = run_invoke(project, "publish", env=_deploy_env(fake))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.relative_to(project / "output") for p in (project / "output").rglob("*.html")) == first
    assert len(_calls(fake).splitlines()) == 2


def test_build_ends_with_a_summary_line(project: Path):
    content = project / "content"
    stories = len(_published_posts(content))
    (content / "world" / "2026-11-30-launch-day.md").write_text(TOMORROW)
    (content / "world" / "2026-11-29-plan.md").write_text(DRAFT)
    result = run_invoke(project, "build", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == (f"Summary: {stories} stories and 2 pages built, 1 held for review (drafts), "
                       "1 skipped; 1 error, listed above.")


def test_a_template_saved_half_written_fails_in_one_message_without_traceback(project: Path):
    """Pelican stops on the error and logs it with its traceback (70 lines through the worker
    pool); the user gets the error and the template's line, and a non-zero exit."""
    base = project / "theme" / "templates" / "base.html"
    base.write_text(base.read_text() + "{% if %}\n")
    result = run_invoke(project, "build", env={"COLUMNS": "200"})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "TemplateSyntaxError" in output and "base.html" in output
    assert "Traceback" not in output and "RemoteTraceback" not in output


@pytest.mark.parametrize("task", ["serve", "livereload"])
def test_servers_answer_a_missing_page_with_the_404_page(project: Path, task: str):
    assert run_invoke(project, "build").returncode == 0
    process, url = _start(project, task)
    try:
        _fetch_when_up(url, process)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "no/such/story/", timeout=10)
        assert missing.value.code == 404
        page = missing.value.read().decode()
        assert "Page not found" in page and "The Newsroom Daily" in page
        # its links start from the site root, so its stylesheet loads at any depth
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
        assert stylesheet == "/theme/css/main.css"
        assert "body" in _fetch_when_up(url + stylesheet.lstrip("/"), process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_dev_build_does_not_warn_about_feeds_and_both_builds_have_absolute_feed_urls(project: Path):
    result = run_invoke(project, "build", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Feeds generated without SITEURL" not in result.stdout + result.stderr
    links = re.findall(r'<link href="([^"]+)"', (project / "output" / "feeds" / "all.atom.xml").read_text())
    assert links and all(link.startswith("http://localhost:8000/") for link in links)

    result = run_invoke(project, "preview", env={"NEWSROOM_SITEURL": SITEURL})
    assert result.returncode == 0, result.stdout + result.stderr
    links = re.findall(r'<link href="([^"]+)"', (project / "output" / "feeds" / "all.atom.xml").read_text())
    assert links and all(link.startswith(SITEURL + "/") for link in links)


def _header(post: Path) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in post.read_text().split("\n\n")[0].splitlines())


def test_new_post_defaults_to_the_first_menu_section(project: Path):
    result = run_invoke(project, "new-post", "Harbour Reopens")
    assert result.returncode == 0, result.stderr
    [post] = (project / "content" / "world").glob("*-harbour-reopens.md")
    assert _header(post)["Category"] == "World"  # pelicanconf.py's menu starts with World

    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('NEWSROOM_MENU_SECTIONS = ["World", ', 'NEWSROOM_MENU_SECTIONS = ["Sport", '))
    assert run_invoke(project, "new-post", "Cup Final Tonight").returncode == 0
    [post] = (project / "content" / "sport").glob("*-cup-final-tonight.md")
    assert _header(post)["Category"] == "Sport"


def _indexed(output: Path) -> list[dict]:
    """The pages in the Pagefind index, every shard (its fragments: gzip, a marker, then JSON)."""
    pages = []
    for fragment in (output / "pagefind").rglob("fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        pages.append(json.loads(data[data.index(b"{"):]))
    return pages


@pytest.mark.parametrize("build", ["dev", "dev without newsroom_speed", "publish"])
def test_drafts_are_never_indexed_or_listed(project: Path, build: str):
    content = project / "content"
    stories = len(_published_posts(content))
    (content / "world" / "2026-11-29-quokkazebra.md").write_text(DRAFT)
    (content / "pages" / "okapiwombat.md").write_text(DRAFT_PAGE)
    if "without" in build:
        conf = project / "pelicanconf.py"
        conf.write_text(conf.read_text().replace('PLUGINS += ["newsroom_speed"]', ""))
    if build == "publish":
        result = run_invoke(project, "preview", env={"NEWSROOM_SITEURL": SITEURL})
    else:
        result = run_invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    output = project / "output"

    indexed = _indexed(output)
    assert len(indexed) >= stories  # the stories are in the search index
    for page in indexed:
        assert "uokkazebra" not in json.dumps(page) and "kapiwombat" not in json.dumps(page), page["url"]
    own_pages = {output / "drafts" / "quokkazebra-plan-leaks" / "index.html",
                 output / "drafts" / "pages" / "okapiwombat-notice.html"}
    if build == "publish":
        assert not any(p.exists() for p in own_pages)
    else:
        assert all(p.exists() for p in own_pages)
    for path in output.rglob("*"):
        assert "quokkatag" not in str(path) and "zora" not in str(path)
        if path.is_file() and path.suffix in (".html", ".xml", ".txt") and path not in own_pages:
            text = path.read_text(errors="replace")
            assert "uokkazebra" not in text and "kapiwombat" not in text, path


def test_gh_pages_pushes_the_production_build_to_a_local_remote(project: Path, tmp_path: Path):
    """gh-pages runs ghp-import from this Python (found without the venv on PATH) and pushes;
    the remote is a bare repository on disk."""
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    remote = tmp_path / "remote.git"
    for args, cwd in [(["init", "-q", "--bare", str(remote)], tmp_path), (["init", "-q"], project),
                      (["commit", "-q", "--allow-empty", "-m", "init"], project),
                      (["remote", "add", "origin", str(remote)], project)]:
        subprocess.run(["git", *args], cwd=cwd, env=git, check=True)
    result = run_invoke(project, "gh-pages", env={**git, "NEWSROOM_SITEURL": SITEURL})
    assert result.returncode == 0, result.stdout + result.stderr
    files = subprocess.run(["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
                           env=git, capture_output=True, text=True, check=True).stdout.split()
    assert "index.html" in files and "404.html" in files and "feeds/all.atom.xml" in files
