"""newsroom_speed never changes the site: after any sequence of edits, additions, deletions and
theme changes, its incremental output is byte-identical to a clean build by stock Pelican.

Each step runs the real ``pelican`` command twice: incrementally with newsroom_speed (reusing
its caches and output) and from scratch without it; then the two output trees are compared.
"""

from __future__ import annotations

import os
import pickle
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import datetime

from tests.sites import Site, scrape_page

SECTIONS = ["World", "Politics", "Science", "Sports"]
TAGS = ["Climate", "Energy", "Trade", "Housing", "Election", "Privacy"]
AUTHORS = ["Ana Alvarez", "Ben Brooks", "Chloe Chen"]
WORDS = "the council said on monday that water prices would rise after the vote in the city".split()


def post(rng: random.Random, i: int, others: list[str]) -> str:
    """A Markdown article; some link to another article with {filename} (resolved at render time)."""
    title = " ".join(rng.choices(WORDS, k=5)).capitalize() + f" {i}"
    meta = [
        f"Title: {title}",
        f"Date: 202{rng.randrange(5)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)} 1{rng.randrange(10)}:00",
        f"Category: {rng.choice(SECTIONS)}",
        f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}",
        f"Author: {rng.choice(AUTHORS)}",
    ]
    if rng.random() < 0.5:
        meta.append("Summary: " + " ".join(rng.choices(WORDS, k=12)) + ".")
    body = [" ".join(rng.choices(WORDS, k=40)) + "." for _ in range(rng.randint(2, 4))]
    if others and rng.random() < 0.4:
        body.append(f"See also [the earlier story]({{filename}}/{rng.choice(others)}).")
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def pelican(settings: Path, *flags: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", *flags, "-s", str(settings)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "400"},  # one log record per line
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_site(ours: Path, clean: Path) -> None:
    a, b = tree(ours), tree(clean)
    assert sorted(a) == sorted(b), (sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5])
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, differing[:5]


class Project:
    """A small site plus two builds of it: incremental (newsroom) and clean (stock)."""

    def __init__(self, tmp: Path, seed: int, n: int = 24, workers: int | None = None):
        self.rng = random.Random(seed)
        self.content = tmp / "content"
        self.content.mkdir()
        self.counter = 0
        for _ in range(n):
            self.add()
        (self.content / "scraped").mkdir()
        for _ in range(2):
            self.add_scrape()
        (self.content / "pages").mkdir(parents=True)
        (self.content / "pages" / "about.md").write_text("Title: About\n\nWho we are.\n")
        # A window of related-story candidates smaller than a tag's list, so the last build's
        # rankings are reused for some stories and not others (newsroom_theme.enrich).
        extra = ("NEWSROOM_RELATED_WINDOW = 2",)
        self.ours = Site(tmp, self.content, "newsroom", True, extra=extra)
        self.clean = Site(tmp, self.content, "stock", False, theme=self.ours.theme, extra=extra)
        if workers:
            with open(self.ours.settings, "a") as settings:
                settings.write(f"NEWSROOM_SPEED_WORKERS = {workers}\n")
        self.ours.reset()

    def articles(self) -> list[Path]:
        return sorted(p for p in self.content.glob("*.md"))

    def add(self) -> None:
        others = [p.name for p in self.articles()]
        self.counter += 1
        (self.content / f"story-{self.counter}.md").write_text(post(self.rng, self.counter, others))

    def add_scrape(self) -> None:
        """A raw news page with boilerplate, for the cleaner's reader."""
        self.counter += 1
        story = {
            "title": " ".join(self.rng.choices(WORDS, k=6)).capitalize() + f" {self.counter}",
            "author": self.rng.choice(AUTHORS),
            "date": datetime.datetime(2023, 1 + self.rng.randrange(12), 1 + self.rng.randrange(28), 9, 30),
            "body": "\n\n".join(" ".join(self.rng.choices(WORDS, k=60)) + "." for _ in range(4)),
        }
        (self.content / "scraped" / f"scrape-{self.counter}.html").write_text(scrape_page(story, self.rng))

    def edit_scrape(self) -> None:
        path = self.rng.choice(sorted((self.content / "scraped").glob("*.html")))
        path.write_text(path.read_text().replace("</p>", " Updated by the newsroom.</p>", 1))

    def check(self) -> subprocess.CompletedProcess:
        """Build incrementally (warnings shown) and from scratch; the outputs must be identical."""
        result = pelican(self.ours.settings)
        self.clean.reset()
        pelican(self.clean.settings, "-q")
        assert_same_site(self.ours.output, self.clean.output)
        return result

    # -- edits -----------------------------------------------------------------------------
    def edit_body(self) -> None:
        path = self.rng.choice(self.articles())
        path.write_text(path.read_text() + "\nA new paragraph, added in an edit.\n")

    def edit_title(self) -> None:
        path = self.rng.choice(self.articles())
        path.write_text(path.read_text().replace("Title: ", "Title: Updated: ", 1))

    def retag(self) -> None:
        path = self.rng.choice(self.articles())
        lines = path.read_text().splitlines()
        lines = [f"Tags: {self.rng.choice(TAGS)}" if line.startswith("Tags:") else line for line in lines]
        path.write_text("\n".join(lines) + "\n")

    def move_section(self) -> None:
        path = self.rng.choice(self.articles())
        lines = path.read_text().splitlines()
        lines = [f"Category: {self.rng.choice(SECTIONS)}" if line.startswith("Category:") else line for line in lines]
        path.write_text("\n".join(lines) + "\n")

    def delete(self) -> None:
        self.rng.choice(self.articles()).unlink()

    def edit_template(self) -> None:
        """A visible edit of one template: the pages made with it must show it, no other page
        may change (a page layout, the frame of every page, or the teaser macro)."""
        name, anchor = self.rng.choice(TEMPLATE_ANCHORS)
        template = self.ours.theme / "templates" / name
        text = template.read_text()
        assert anchor in text, (name, anchor)
        template.write_text(text.replace(anchor, anchor + f"<span>edit {self.rng.random()}</span>", 1))

    def edit_css(self) -> None:
        css = next((self.ours.theme / "static").rglob("*.css"))
        css.write_text(css.read_text() + f"\n/* {self.rng.random()} */\n")


# A template and where an edit of it shows on the pages made with it.
TEMPLATE_ANCHORS = [
    ("base.html", '<main id="main" class="wrap" tabindex="-1">'),
    ("article.html", "{% block content %}"),
    ("index.html", "{% block content %}"),
    ("category.html", "{% block content %}"),
    ("tag.html", "{% block content %}"),
    ("partials/macros.html", '<div class="story-text">'),
]

EDITS = [
    Project.edit_body,
    Project.edit_title,
    Project.retag,
    Project.move_section,
    Project.add,
    Project.add_scrape,
    Project.edit_scrape,
    Project.delete,
    Project.edit_template,
    Project.edit_css,
]


# with and without process pools; batch 1: every pool used however few the stories or pages
@pytest.mark.parametrize("seed, workers, min_batch", [(1, 2, 64), (2, 1, 64), (3, 2, 1)])
def test_random_edit_sequences_give_the_clean_build(tmp_path: Path, seed: int, workers: int, min_batch: int):
    project = Project(tmp_path, seed, workers=workers)
    with open(project.ours.settings, "a") as settings:
        settings.write(f"NEWSROOM_SPEED_MIN_BATCH = {min_batch}\n")
    project.check()  # cold
    project.check()  # nothing changed
    for _ in range(6):
        edit = project.rng.choice(EDITS)
        edit(project)
        project.check()


def test_a_deleted_article_leaves_every_listing_feed_and_page(tmp_path: Path):
    project = Project(tmp_path, seed=3)
    project.check()
    victim = project.articles()[0]
    title = next(line[7:] for line in victim.read_text().splitlines() if line.startswith("Title: "))
    victim.unlink()
    project.check()
    for name, data in tree(project.ours.output).items():
        assert title.encode() not in data, name


def test_an_edited_body_renders_only_the_pages_that_show_the_story(tmp_path: Path):
    """The story's own page, and pages listing or linking to it, are rendered again; every other
    page (other stories' pages above all) is kept as the last build wrote it."""
    project = Project(tmp_path, seed=6)
    project.check()
    story = project.articles()[3]
    title = next(line[7:] for line in story.read_text().splitlines() if line.startswith("Title: "))
    slug = "-".join(title.lower().split())  # ARTICLE_SAVE_AS is {date:%Y}/{date:%m}/{slug}/index.html
    pages = {name: data for name, data in tree(project.ours.output).items() if name.endswith(".html")}
    assert len([name for name in pages if name.endswith(f"/{slug}/index.html")]) == 1
    showing = {name for name, data in pages.items() if f"/{slug}/".encode() in data or f"/{slug}/" in name}
    story.write_text(story.read_text() + "\nOne more sentence, edited.\n")
    log = pelican(project.ours.settings, "-v").stdout
    rendered, unchanged = map(int, re.search(r"newsroom_speed: .* (\d+) pages rendered \(\d+ blocks reused\), (\d+) unchanged", log).groups())
    assert 1 <= rendered <= len(showing) < len(pages), (rendered, len(showing), len(pages))
    assert unchanged > 4 * rendered  # (the other pages; some HTML files are copies, not rendered)
    project.clean.reset()
    pelican(project.clean.settings, "-q")
    assert_same_site(project.ours.output, project.clean.output)


def test_an_edited_story_is_written_before_the_rest_of_the_site(tmp_path: Path):
    """An editor previewing a saved story waits for its page only: it is rendered and written
    where stock Pelican writes it, before the rest of the site is checked and the pages listing
    the story are rendered; the site is the same."""
    project = Project(tmp_path, seed=6)
    project.check()
    story = project.articles()[3]
    title = next(line[7:] for line in story.read_text().splitlines() if line.startswith("Title: "))
    story.write_text(story.read_text() + "\nOne more sentence, edited.\n")
    log = pelican(project.ours.settings, "-v").stdout
    written = re.findall(r'Writing "([^"]+)"', log)
    assert len(written) > 1 and written[0].endswith("/" + "-".join(title.lower().split()) + "/index.html"), written
    project.clean.reset()
    pelican(project.clean.settings, "-q")
    assert_same_site(project.ours.output, project.clean.output)


def test_an_added_story_renders_no_other_months_archive(tmp_path: Path):
    """A month's archive page shows its stories' teasers and a link to its year. A story added
    beside another of its section, with the same tags, gives stories in other months new related
    stories and a new neighbour; their pages change, but no teaser does: the other months' pages
    are not rendered again."""
    project = Project(tmp_path, seed=7, workers=1)
    project.check()
    months = {name for name in tree(project.ours.output) if re.fullmatch(r"\d{4}/\d{2}/index\.html", name)}
    fields = {path: dict(re.findall(r"^(\w+): (.*)$", path.read_text(), re.M)) for path in project.articles()}
    beside = max((f["Date"], path) for path, f in fields.items()
                 if any(g["Category"] == f["Category"] and g["Date"] > f["Date"] for g in fields.values()))[1]
    text = beside.read_text().replace("Title: ", "Title: Added beside ", 1)
    (project.content / "added.md").write_text(text.replace(":00\n", ":01\n", 1))  # a minute later
    log = pelican(project.ours.settings, "-v").stdout
    written = {os.path.relpath(path, project.ours.output) for path in re.findall(r'Writing "([^"]+)"', log)}
    month = fields[beside]["Date"][:7].replace("-", "/") + "/index.html"
    assert int(re.search(r"\((\d+) blocks reused\)", log).group(1)) > 0  # teasers kept from the last build
    assert month in written and len(months) > 3
    assert not (months - {month}) & written, sorted(written)
    project.clean.reset()
    pelican(project.clean.settings, "-q")
    assert_same_site(project.ours.output, project.clean.output)


def test_a_teaser_kept_from_builds_ago_is_not_reused_after_its_story_changed(tmp_path: Path):
    """Teasers are kept between builds, one per story and layout. The front page's lead teaser of
    a story is stored, a newer story takes the lead, the first story's title is edited (its lead
    teaser is not rendered then), the newer story is deleted: the lead must show the new title."""
    project = Project(tmp_path, seed=8, workers=1)
    first = project.content / "first.md"
    first.write_text("Title: First lead\nDate: 2025-01-01 10:00\nCategory: World\nTags: Trade\n\nBody.\n")
    project.check()
    newer = project.content / "newer.md"
    newer.write_text("Title: Newer lead\nDate: 2025-02-01 10:00\nCategory: Science\nTags: Energy\n\nBody.\n")
    project.check()
    first.write_text(first.read_text().replace("First lead", "First lead, corrected"))
    project.check()
    newer.unlink()
    project.check()
    assert b"First lead, corrected" in (project.ours.output / "index.html").read_bytes()


def test_files_read_over_the_workers_are_cached_and_logged_once(tmp_path: Path):
    """With a batch of 1, Pelican's reading loops are run over the workers first (preread.py):
    the site is stock's, every valid file's object comes from a worker, a warning met while a
    worker read a file is logged once, and a file Pelican rejects is left to its own loop,
    which reports it once."""
    project = Project(tmp_path, seed=10, workers=2)
    with open(project.ours.settings, "a") as settings:
        settings.write("NEWSROOM_SPEED_MIN_BATCH = 1\n")
    (project.content / "pictures.md").write_text("Title: Pictures\nDate: 2024-03-01 10:00\nCategory: World\n\n"
                                                 "![](/images/missing-alt.png)\n")
    (project.content / "untitled.md").write_text("Date: 2024-03-02 10:00\nCategory: World\n\nNo title.\n")
    (project.content / "scraped" / "empty.html").write_bytes(b"")
    result = pelican(project.ours.settings, "-v")
    log = result.stdout + result.stderr
    valid = len(project.articles()) - 1 + 2 + 1  # Markdown stories but the untitled one, scrapes, the page
    assert re.search(r"\((\d+) files read over the workers\)", log).group(1) == str(valid)
    assert log.count("Empty alt attribute for image missing-alt.png") == 1, log
    assert len(re.findall(r"Skipping .*could not find information about 'title'", log)) == 1, log
    assert len(re.findall(r"newsroom_cleaner: skipped .*empty\.html", log)) == 1, log
    (render,) = (project.ours.cache / "newsroom_speed").glob("render*.sqlite")
    with sqlite3.connect(render) as db:  # the workers' Markdown and cleaned scrapes were kept
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] >= valid
    project.clean.reset()
    pelican(project.clean.settings, "-q")
    assert_same_site(project.ours.output, project.clean.output)


def test_a_template_edit_renders_every_page_from_the_kept_objects(tmp_path: Path):
    """Reading never uses the templates: after a template edit no content file is read again
    (the object cache is keyed by settings and code), every page is rendered, and the site is
    stock's with the edited template. A settings change still reads every file again."""
    project = Project(tmp_path, seed=11, workers=2)
    with open(project.ours.settings, "a") as settings:
        settings.write("NEWSROOM_SPEED_MIN_BATCH = 1\n")
    project.check()

    def files_read_in_a_checked_build() -> int:
        log = pelican(project.ours.settings, "-v")
        project.clean.reset()
        pelican(project.clean.settings, "-q")
        assert_same_site(project.ours.output, project.clean.output)
        return int(re.search(r"\((\d+) files read over the workers\)", log.stdout + log.stderr).group(1))

    base = project.ours.theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("</footer>", "<p>Edited footer line</p></footer>", 1))
    assert files_read_in_a_checked_build() == 0
    assert b"Edited footer line" in (project.ours.output / "index.html").read_bytes()
    for site in (project.ours, project.clean):
        with open(site.settings, "a") as settings:
            settings.write("SITESUBTITLE = 'Edited subtitle'\n")
    assert files_read_in_a_checked_build() == len(project.articles()) + 2 + 1  # stories, scrapes, the page


@pytest.mark.parametrize("name, anchor", TEMPLATE_ANCHORS)
def test_a_template_edit_renders_the_pages_made_with_that_template(tmp_path: Path, name: str, anchor: str):
    """Each page records the template files it was made of (extends and imports included): an
    edit of article.html renders the story pages only, of base.html or the macros every page;
    the site is stock's with the edited template either way. Kept teasers are reused unless the
    teaser macro's own file was edited."""
    project = Project(tmp_path, seed=12)
    project.check()
    template = project.ours.theme / "templates" / name
    template.write_text(template.read_text().replace(anchor, anchor + "<span>Edited template</span>", 1))
    log = pelican(project.ours.settings, "-v")
    project.clean.reset()
    pelican(project.clean.settings, "-q")
    assert_same_site(project.ours.output, project.clean.output)
    rendered, unchanged = map(int, re.search(r"(\d+) pages rendered .*?, (\d+) unchanged", log.stdout).groups())
    showing = [p for p in project.ours.output.rglob("*.html") if b"<span>Edited template</span>" in p.read_bytes()]
    if name in ("base.html", "partials/macros.html"):  # the frame of every page; imported by it
        assert unchanged == 0 and 0 < len(showing) <= rendered  # not every page shows a teaser
    else:  # exactly the pages made with it
        assert len(showing) == rendered and unchanged > 0
    reused = int(re.search(r"\((\d+) blocks reused\)", log.stdout).group(1))
    assert (reused == 0) == (name == "partials/macros.html"), reused


# What a teaser takes from another template, how it shows it, and an edit of that template.
IMPORTED = {
    "macro": ('{% macro byline(article) %}<span class="by">{{ article.author }}</span>{% endmacro %}\n',
              "{{ byline(article) }}", '<span class="by">', '<span class="by">Written by '),
    "value": ('{% set byline = "Staff" %}\n', '<span class="by">{{ byline }}</span>', "Staff", "Written by Staff"),
}


@pytest.mark.parametrize("imported", sorted(IMPORTED))
def test_a_kept_teaser_renders_again_when_what_it_imports_from_another_template_changes(tmp_path: Path,
                                                                                         imported: str):
    """A teaser kept between builds depends on the files of the code it ran, the teaser macro's
    and those of the macros it calls, and on the templates those files import: here a macro or a
    value imported from another template (loaded with the macros, before any teaser renders). An
    edit of that template must show in every teaser."""
    project = Project(tmp_path, seed=14)
    templates = project.ours.theme / "templates"
    byline = templates / "partials" / "byline.html"
    definition, use, before, after = IMPORTED[imported]
    byline.write_text(definition)
    macros = templates / "partials" / "macros.html"
    anchor = '<div class="story-text">'
    text = macros.read_text().replace(anchor, anchor + use, 1)
    macros.write_text('{% from "partials/byline.html" import byline %}\n' + text)
    project.check()
    byline.write_text(byline.read_text().replace(before, after, 1))
    project.check()
    assert b'<span class="by">Written by ' in (project.ours.output / "index.html").read_bytes()


def test_a_template_added_in_front_of_another_renders_the_pages_again(tmp_path: Path):
    """A new file in THEME_TEMPLATES_OVERRIDES shadows the theme's template of the same name: the
    pages made with the theme's file must change although that file did not."""
    project = Project(tmp_path, seed=13)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    for site in (project.ours, project.clean):
        with open(site.settings, "a") as settings:
            settings.write(f"THEME_TEMPLATES_OVERRIDES = [{str(overrides)!r}]\n")
    project.check()
    theme_article = (project.ours.theme / "templates" / "article.html").read_text()
    (overrides / "article.html").write_text(
        theme_article.replace("{% block content %}", "{% block content %}<p>From the override</p>", 1))
    project.check()
    assert any(b"From the override" in p.read_bytes() for p in project.ours.output.rglob("index.html"))


@pytest.mark.parametrize("damage", ["garbage state", "foreign format", "garbage render cache"])
def test_a_damaged_cache_means_a_full_build_with_a_notice(tmp_path: Path, damage: str):
    project = Project(tmp_path, seed=4)
    project.check()
    project.edit_title()
    cache = project.ours.cache / "newsroom_speed"
    if damage == "garbage state":
        (cache / "state.pickle").write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "foreign format":
        (cache / "state.pickle").write_bytes(pickle.dumps({"format": -1, "records": {"index.html": None}}))
    else:
        next(cache.glob("render*.sqlite")).write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    result = project.check()
    notices = [line for line in (result.stdout + result.stderr).splitlines() if "newsroom_speed: cache" in line]
    assert len(notices) == 1, result.stdout + result.stderr


@pytest.mark.parametrize("min_batch", [64, 1])  # 1: stories digested in workers, outputs stat'ed meanwhile
def test_output_files_removed_or_altered_by_hand_are_restored(tmp_path: Path, min_batch: int):
    project = Project(tmp_path, seed=5, workers=2)
    with open(project.ours.settings, "a") as settings:
        settings.write(f"NEWSROOM_SPEED_MIN_BATCH = {min_batch}\n")
    project.check()
    pages = sorted(project.ours.output.rglob("index.html"))
    pages[0].unlink()
    pages[1].write_text("tampered")
    next(project.ours.output.rglob("*.css")).unlink()
    project.check()  # nothing in the content changed, yet the output is whole again


def test_compiled_templates_are_kept_per_settings_templates_and_code(tmp_path: Path):
    """Jinja's compiled templates are kept between builds, in one folder per global digest: a
    template edit shows at once, the old folder goes, and a damaged compiled file is compiled
    again."""
    project = Project(tmp_path, seed=9, workers=1)
    project.check()
    cache = project.ours.cache / "newsroom_speed"
    (first,) = cache.glob("templates-*")
    assert any(first.iterdir())
    base = project.ours.theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("</footer>", "<p>Edited footer line</p></footer>", 1))
    project.check()
    (second,) = cache.glob("templates-*")
    assert second != first
    assert b"Edited footer line" in (project.ours.output / "index.html").read_bytes()
    for compiled in second.iterdir():
        compiled.write_bytes(b"not bytecode")
    project.edit_body()
    project.check()


def test_a_scheduled_story_is_published_by_the_first_build_after_its_time(tmp_path: Path):
    """WITH_FUTURE_DATES is off: a story dated later is held as a draft, and a build after its
    time publishes it although no file changed (no fast-path skip, no reused draft object)."""
    import time

    project = Project(tmp_path, seed=11)
    due = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(seconds=25)
    (project.content / "scheduled.md").write_text(
        f"Title: Embargoed budget story\nDate: {due:%Y-%m-%d %H:%M:%S}\nCategory: World\n\n"
        "The budget will be published at noon.\n"
    )
    project.check()
    assert b"Embargoed budget story" not in (project.ours.output / "index.html").read_bytes()
    time.sleep(max(0.0, (due - datetime.datetime.now(datetime.UTC)).total_seconds()) + 1)
    project.check()
    assert b"Embargoed budget story" in (project.ours.output / "index.html").read_bytes()
