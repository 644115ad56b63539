"""`invoke review` and the commands it sends the reader to (`invoke extract`, `invoke clean-report`)
clean a scrape with the site template the build cleans it with, through the real ``invoke`` entry
points in a private copy of the project."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.conftest import run_invoke
from tests.site_batch import NEWSLETTER, site_dumps

PAGES = 6  # above NEWSROOM_SITE_TEMPLATE_MIN_PAGES: the build learns the folder's template


def _log(result) -> str:
    return result.stdout + result.stderr


def _body(page: Path) -> str:
    """The text of a built story's body (the theme's article-body block)."""
    text = page.read_text(encoding="utf-8")
    body = text[text.index('<div class="article-body">'):text.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def test_extract_shows_a_scrape_cleaned_with_the_builds_site_template(project: Path):
    folder = project / "content" / "scraped" / "gazette"
    folder.mkdir()
    dumps = site_dumps(PAGES)
    for number, dump in enumerate(dumps):
        (folder / f"page-{number}.txt").write_text(dump.text, encoding="utf-8")
    build = run_invoke(project, "build")
    assert build.returncode == 0, _log(build)

    for number, dump in enumerate(dumps):
        scrape = f"content/scraped/gazette/page-{number}.txt"
        [page] = [p for p in (project / "output" / "2026" / "03").glob("*/index.html")
                  if f">{html.escape(dump.title, quote=False)}</h1>" in p.read_text(encoding="utf-8")]
        built = _body(page)
        extracted = run_invoke(project, "extract", scrape)
        assert extracted.returncode == 0, _log(extracted)
        # The newsletter box is in every page's story: only the site template removes it.
        assert NEWSLETTER[1] not in built
        for line in dump.story + dump.template:
            if len(line) > 40:  # a menu word may be in the story's text; a line this long is the line
                assert (line in extracted.stdout) == (line in built), (scrape, line)

    report = run_invoke(project, "clean-report", "content/scraped/gazette/page-2.txt")
    assert report.returncode == 0, _log(report)
    assert re.search(r"^site template: \d+ lines$", report.stdout, re.M), report.stdout
    assert re.search(r"^text\.site-template ", report.stdout, re.M), report.stdout

    review = run_invoke(project, "review")  # cleans each scrape as the build did: every story dated, none held
    assert review.returncode == 0 and "gazette" not in review.stdout, _log(review)

    # A copy outside the scraped folders is not one of the site's scrapes: cleaned on its own.
    outside = project / "page-2.txt"
    outside.write_text(dumps[2].text, encoding="utf-8")
    alone = run_invoke(project, "extract", str(outside))
    assert alone.returncode == 0 and NEWSLETTER[1] in alone.stdout, _log(alone)


def test_the_import_review_asks_for_cleans_an_undated_scrape_as_the_build_did(project: Path):
    folder = project / "content" / "scraped" / "gazette"
    folder.mkdir()
    dumps = site_dumps(PAGES + 1)
    for number, dump in enumerate(dumps[:PAGES]):
        (folder / f"page-{number}.txt").write_text(dump.text, encoding="utf-8")
    undated = dumps[PAGES]
    date_line = next(line for line in undated.text.splitlines() if line.startswith("Published:"))
    (folder / "undated.txt").write_text(undated.text.replace(date_line + "\n", ""), encoding="utf-8")
    build = run_invoke(project, "build")
    assert build.returncode == 0, _log(build)
    [preview] = [p for p in (project / "output" / "drafts").glob("*/index.html")]
    assert NEWSLETTER[1] not in _body(preview)  # the build holds it as a draft, cleaned with the template

    review = run_invoke(project, "review")
    command = "invoke import-scraped content/scraped/gazette/undated.txt"
    assert f"    to publish: {command}, then date the draft it writes" in review.stdout, _log(review)
    imported = run_invoke(project, *command.split()[1:])
    assert imported.returncode == 0, _log(imported)
    [post] = (project / "content" / "news").glob("*.md")
    text = post.read_text(encoding="utf-8")
    assert "Status: draft" in text and undated.story[0] in text
    assert NEWSLETTER[1] not in text and "text.site-template=" in text  # as the build cleaned it

