"""A small sample site for the theme tests, written from code so the tests know every
story (dates relative to now, so the Google News sitemap has recent stories)."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent

# A word that appears in exactly one story, for the search test.
THEME_SEARCH_WORD = "zeppelinfield"

_STORIES = [
    # slug, section, tags, authors, hours ago, has image
    ("harbour-reopens", "World", "Trade; Shipping", "Ana Ruiz", 3, True),
    ("budget-vote", "Politics", "Budget; Parliament", "Tom Beck", 20, True),
    ("chip-plant", "Business", "Trade; Industry", "Ana Ruiz; Li Wei", 30, True),
    ("quantum-sensor", "Technology", "Research; Industry", "Li Wei", 80, False),
    ("glacier-survey", "Science", "Climate; Research", "Mara Holt", 100, True),
    ("gallery-opens", "Culture", "Art", "Tom Beck", 130, False),
    ("cup-final", "Sport", "Football", "Sam Ode", 150, True),
    ("port-strike", "World", "Shipping; Labour", "Ana Ruiz", 200, False),
    ("senate-reform", "Politics", "Parliament", "Tom Beck", 260, False),
]


def _paragraphs(slug: str, n: int) -> str:
    base = (f"The {slug.replace('-', ' ')} story continues with reporting from the ground, "
            "interviews with people affected and figures from official sources. ")
    return "\n\n".join(base * 4 for _ in range(n))


def write_theme_site(content: Path, now: datetime) -> None:
    """Markdown stories in every section (two within the last day), lead images, one story
    marked as scraped from another site, and an About page."""
    (content / "images").mkdir(parents=True, exist_ok=True)
    (content / "pages").mkdir(exist_ok=True)
    for i, (slug, section, tags, authors, hours, has_image) in enumerate(_STORIES):
        date = now - timedelta(hours=hours)
        lines = [
            f"Title: {slug.replace('-', ' ').capitalize()} after long talks",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Modified: {date + timedelta(hours=2):%Y-%m-%d %H:%M}",
            f"Category: {section}",
            f"Tags: {tags}",
            f"Authors: {authors}",
            f"Summary: A short standfirst about the {slug.replace('-', ' ')} for readers in a hurry.",
            f"Slug: {slug}",
        ]
        if has_image:
            img = Image.new("RGB", (1200, 800), (40 + 20 * i, 90, 140))
            ImageDraw.Draw(img).ellipse((300, 150, 900, 650), fill=(230, 200, 80))
            img.save(content / "images" / f"{slug}.jpg", quality=70)
            lines += [f"Image: images/{slug}.jpg", f"Image_alt: Illustration for {slug}",
                      f"Image_caption: Picture for the {slug.replace('-', ' ')} story."]
        if slug == "port-strike":
            # As the cleaner gives it: a remote lead image (with a quote to escape).
            lines += ["Source_url: https://example.com/news/port-strike",
                      "Site_name: Example Tribune",
                      'Image: https://cdn.example.com/strike.jpg?crop="wide"',
                      "Image_alt: Dockers on a picket line"]
        body = _paragraphs(slug, 3 + i)
        if slug == "gallery-opens":  # markup where plain text belongs must not become markup
            lines[0] = 'Title: Gallery opens <script>alert("t")</script>& more'
            lines[6] = 'Summary: Art <script>alert("s")</script>&lt;b&gt; & more'
            lines[4] = "Tags: Art; R&D"
        if slug == "port-strike":  # scraped stories keep their images' absolute URLs
            body += "\n\n![Pickets at the gate](https://cdn.example.com/pickets.jpg)\n"
        if slug == "chip-plant":  # a link to a page, resolved only once pages are read
            body += "\n\nRead [about this newsroom]({filename}/pages/about.md).\n"
        if slug == "budget-vote":  # a body figure by the path Image: uses, with caption and credit
            chart = Image.new("RGB", (1000, 600), (250, 250, 245))
            ImageDraw.Draw(chart).rectangle((100, 200, 300, 560), fill=(30, 80, 160))
            chart.save(content / "images" / "budget-chart.png")
            body = body.replace("\n\n", '\n\n![Bar chart of the vote](images/budget-chart.png '
                                '"Votes by party — Source: parliament records")\n\n', 1)
        if slug == "glacier-survey":
            body += f"\n\nThe survey team camped at {THEME_SEARCH_WORD} for a week.\n"
        (content / f"{slug}.md").write_text("\n".join(lines) + "\n\n" + body + "\n")
    (content / "pages" / "about.md").write_text(
        "Title: About\nSlug: about\nSummary: Who we are.\n\nWe are a small newsroom.\n")


def utc_now() -> datetime:
    """Now in UTC as a naive datetime, the way the sample posts write their dates."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def build_theme_site(content: Path, output: Path, extra: list[str] = (),
                     env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``pelican`` command with this repository's pelicanconf.py; caches go
    beside the output, so no build reuses another's. ``extra``: more ``-e`` settings (then
    options); ``env``: added to the environment."""
    cache = json.dumps(str(output.parent / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "-e", f"CACHE_PATH={cache}", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env={**os.environ, **(env or {})})
