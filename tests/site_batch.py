"""A made-up news site's text dumps: one template (menu, rails, footer) around different stories.

Every word here was written for these tests. ``site_dumps(n)`` returns ``n`` dumps as the
publisher's scraper saves them (one block a line) with, for each, the story's own lines and
the template lines the page carries, so a test can score what a cleaner keeps.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE = "The Harbour Gazette"
MENU = ["Home", "News", "Port Alden", "Sport", "Business", "Culture", "Opinion", "Subscribe", "Search"]
FOOTER = [
    "The Harbour Gazette is an independent newspaper published in Port Alden since 1921 and owned by its readers' trust.",
    "Tips, corrections and letters go to the newsroom at desk@harbour.example or by post to 4 Quay Street.",
    "Our journalism is free to read because members pay for it; join them from three pounds a month.",
    "© 2026 The Harbour Gazette. All rights reserved.",
    "Privacy policy | Terms of use | Cookie settings",
]
NEWSLETTER = [
    "The morning tide",
    "Sign up for the Gazette's morning briefing, with the day's stories from Port Alden in your inbox before seven.",
]
PLACES = ["the harbour", "Quay Street", "the old mill", "Saltmarsh Road", "the lighthouse", "the ferry terminal",
          "the covered market", "Kelp Lane", "the rowing club", "the lifeboat station", "St Brannoc's school",
          "the allotments", "the tidal pool", "the bus depot", "Gull Point", "the library", "the fish quay",
          "the cinema", "the town hall", "the cricket ground", "the chapel", "the boatyard", "the dunes"]
ACTORS = ["The town council", "A group of residents", "The harbour master", "Local traders", "The county planners",
          "Volunteers from the lifeboat crew", "The head teacher", "Fishermen on the north wall"]
THINGS = ["a new timetable", "a repair plan", "a summer festival", "a parking scheme", "a safety review",
          "a funding bid", "a cleanup", "an art trail", "a night market", "a flood barrier", "a cycle path"]
# Sentence shapes for the stories' paragraphs: {place}, {actor}, {thing}, {n} vary per story.
SHAPES = [
    "{actor} said on Tuesday that {thing} for {place} would be put to a vote before the end of the month.",
    "Work near {place} is expected to take {n} weeks, and the council has promised to keep one lane open.",
    "People who live close to {place} told the Gazette they had waited years for someone to act.",
    "The cost, put at {n}0,000 pounds, will be shared between the town and a regional fund.",
    "{actor} argued that {thing} was the cheapest way to protect {place} from the winter storms.",
    "Not everyone agrees: a petition against {thing} has gathered {n}00 signatures since it opened.",
    "Meetings about {place} are held on the first Monday of each month at the town hall, and anyone may speak.",
    "Officials expect to publish the full plans for {place} in the spring, after a second round of talks.",
    "The last time {place} was changed this much was in the nineteen seventies, older residents recall.",
    "{actor} will answer questions about {thing} at a drop-in session on Saturday morning.",
]


@dataclass
class SiteDump:
    text: str
    title: str
    story: list[str]  # the story's paragraphs (title, byline and date lines excluded)
    template: list[str]  # the template lines this page carries


def _story(index: int) -> tuple[str, str, list[str]]:
    place = PLACES[index % len(PLACES)]
    actor = ACTORS[index % len(ACTORS)]
    thing = THINGS[index % len(THINGS)]
    title = f"{actor} backs {thing} for {place}"
    lede = (f"{actor} has backed {thing} for {place}, the first change there in a generation, "
            f"after a meeting that ran late into the evening.")
    paragraphs = [SHAPES[(index + k * 3) % len(SHAPES)].format(place=place, actor=actor, thing=thing, n=index + k + 2)
                  for k in range(4)]
    return title, lede, paragraphs


def site_dumps(count: int) -> list[SiteDump]:
    """``count`` dumps of the site: the first four stories are the "On the quayside" rail, above the
    story on every page; a newsletter box sits inside each story and the footer is prose."""
    stories = [_story(i) for i in range(count)]
    rail = ["On the quayside today"]
    for title, lede, _ in stories[:4]:
        rail += [title, lede]
    dumps = []
    for index, (title, lede, paragraphs) in enumerate(stories):
        byline = f"By {['Ada Penrose', 'Tom Varley', 'Mina Osei'][index % 3]}"
        date = f"Published: {index % 28 + 1} March 2026"
        lines = [f"{title} | {SITE}", *MENU, *rail, title, byline, date, lede, *paragraphs[:2], *NEWSLETTER,
                 *paragraphs[2:], *FOOTER]
        template = [*MENU, *NEWSLETTER, *[line for line in rail if line not in (title, lede)], *FOOTER]
        dumps.append(SiteDump("\n".join(lines) + "\n", title, [lede, *paragraphs], template))
    return dumps
