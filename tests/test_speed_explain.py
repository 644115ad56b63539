"""NEWSROOM_SPEED_EXPLAIN (``invoke build --explain``): each page rendered again is named with the
first input that changed, and only those pages: an edited story, a changed setting, a changed
template. Real builds of a small site with Pelican's own theme."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pelican
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]


def write_site(content: Path) -> None:
    for i in range(4):
        (content / f"story-{i}.md").write_text(
            f"Title: Story {i}\nDate: 2024-01-1{i} 10:00\nCategory: {'World' if i % 2 else 'Sport'}\n\nBody {i}.\n")


def build(tmp: Path, caplog, **override) -> dict[str, str]:
    """Build; returns output name -> reason, for every page the build says it rendered again."""
    settings = read_settings(None, override={
        "PATH": str(tmp / "content"), "OUTPUT_PATH": str(tmp / "output"), "CACHE_PATH": str(tmp / "cache"),
        "THEME": str(tmp / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")], "PLUGINS": ["newsroom_speed"],
        "NEWSROOM_SPEED_WORKERS": 1, "NEWSROOM_SPEED_EXPLAIN": True, "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None, "TIMEZONE": "UTC", **override,
    })
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newsroom_speed"):
        Pelican(settings).run()
    said = [r.getMessage() for r in caplog.records if r.name == "newsroom_speed.reasons" and " rendered: " in r.getMessage()]
    return dict(line.removeprefix("newsroom_speed: ").split(" rendered: ", 1) for line in said)


def test_each_page_rendered_again_names_the_first_input_that_changed(tmp_path: Path, caplog):
    (tmp_path / "content").mkdir()
    write_site(tmp_path / "content")
    shutil.copytree(Path(pelican.__file__).parent / "themes" / "notmyidea", tmp_path / "theme")
    first = build(tmp_path, caplog)
    assert first and set(first.values()) == {"no previous build"}
    assert build(tmp_path, caplog) == {}  # nothing changed: nothing rendered, nothing said

    story = tmp_path / "content" / "story-2.md"
    story.write_text(story.read_text().replace("Body 2.", "Body 2, edited."))
    edited = build(tmp_path, caplog)
    assert edited["story-2.html"] == "story story-2.md changed"
    assert edited["index.html"] == "story story-2.md changed"  # the front page shows its summary
    assert "story-1.html" not in edited and "story-3.html" not in edited

    renamed = build(tmp_path, caplog, SITENAME="The Daily")
    assert renamed["story-0.html"] == renamed["index.html"] == "setting SITENAME changed"

    template = tmp_path / "theme" / "templates" / "article.html"
    template.write_text(template.read_text() + "\n<!-- edited -->\n")
    restyled = build(tmp_path, caplog, SITENAME="The Daily")
    assert {restyled[f"story-{i}.html"] for i in range(4)} == {"template templates/article.html changed"}
    assert "index.html" not in restyled  # not made with article.html


def test_invoke_build_explain_names_the_edited_story(tmp_path: Path):
    from .conftest import copy_project, run_invoke

    project = copy_project(tmp_path / "project")
    assert run_invoke(project, "build").returncode == 0
    story = next((project / "content" / "business").glob("*reserve-council*.md"))
    story.write_text(story.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    done = run_invoke(project, "build", "--explain", env={"COLUMNS": "400"})  # one log record a line
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    said = done.stdout + done.stderr
    lines = [line for line in said.splitlines() if " rendered: " in line]
    assert lines and all(f"rendered: story business/{story.name} changed" in line for line in lines), \
        said[-3000:]
    assert any("/reserve-council-holds-rates/index.html rendered" in line for line in lines)
    story.write_text(story.read_text(encoding="utf-8") + "\nAnother one.\n", encoding="utf-8")
    quiet = run_invoke(project, "build", env={"COLUMNS": "400"})
    assert quiet.returncode == 0 and " rendered: " not in quiet.stdout + quiet.stderr  # only when asked
