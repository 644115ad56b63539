"""The dump line model: its features, the span finder and its verdicts on small made-up dumps."""

from newsroom_cleaner import dumplines
from newsroom_cleaner.pipeline import clean_article

F = {name: i for i, name in enumerate(dumplines.STAGE1_FEATURES)}

STORY = [
    "Residents of Port Alder voted by a wide margin on Saturday to keep the town's ageing ferry running.",
    "The council had argued that a bridge would be cheaper to maintain, but many residents said the crossing "
    "was part of the town's identity.",
    "Turnout was the highest in two decades, with almost seven in ten voters taking part in the vote.",
    "The operator said it would now order new engines and repaint the hull before the summer season.",
    "The council will meet next week to set the fares for the coming year, a spokesman said on Sunday.",
]
MENU = ["Home", "News", "Sport", "Business", "Opinion", "Weather", "Home | World | Sport | Culture"]
RAIL = ["Most read", "Storm closes coastal road", "Fish market to open on Sundays", "Council approves new lights"]
FOOTER = ["About us | Contact | Advertise", "Privacy policy | Terms of use", "© 2025 The Coastline Courier"]
TITLE = "Harbour town votes to keep its ferry"


def test_features_tell_a_menu_line_from_prose():
    rows = dumplines.line_features(["Home | World | Sport | Culture", STORY[0]], TITLE)
    menu, prose = rows
    assert menu[F["separators"]] > 0.4 and prose[F["separators"]] == 0
    assert prose[F["sentence_end"]] == 1 and menu[F["sentence_end"]] == 0
    assert prose[F["stopwords"]] > 0.2 and menu[F["stopwords"]] == 0


def test_features_see_phrases_repeats_and_the_title_echo():
    lines = [TITLE + " | Courier", "Share", "Subscribe", TITLE, STORY[0], "Share"]
    rows = dumplines.line_features(lines, lines[0])
    assert rows[2][F["phrase"]] == 1 and rows[4][F["phrase"]] == 0  # "Subscribe": a rules.py family
    assert rows[1][F["repeated"]] == 1 and rows[4][F["repeated"]] == 0
    assert rows[3][F["title_like"]] > 0.6
    assert [r[F["before_title"]] for r in rows] == [1, 1, 1, 0, 0, 0]  # before the headline's echo


def test_span_is_the_run_with_the_largest_sum():
    assert dumplines._span([-1, -2, 3, -1, 4, -5, 1]) == (2, 4)
    assert dumplines._span([-1, -1]) == (0, -1)


def test_menu_rail_and_footer_go_the_story_stays():
    lines = [TITLE + " | The Coastline Courier", *MENU, TITLE, *STORY, *RAIL, *FOOTER]
    keep = dumplines.article_lines(lines, lines[0])
    kept = [line for line, k in zip(lines, keep) if k]
    assert kept[-len(STORY):] == STORY
    assert not set(kept) & set(MENU + RAIL + FOOTER)


def test_a_standfirst_cut_off_by_header_lines_stays():
    lines = [TITLE, STORY[0], "Published: 12.03.2025 - 09:15", TITLE, "Share", *STORY[1:]]
    keep = dumplines.article_lines(lines, TITLE)
    assert keep[1] and all(keep[5:])


def test_too_little_evidence_leaves_the_lines_to_the_line_rules():
    lines = ["Fähre bleibt", "Die Fähre fährt weiter.", "Teilen"]
    assert dumplines.article_lines(lines, lines[0]) == [True, True, True]


def test_dump_title_drops_the_site_name_when_the_headline_is_repeated():
    dump = "\n\n".join([TITLE + " | The Coastline Courier", *MENU, TITLE, *STORY, *FOOTER])
    article = clean_article(dump, source_name="d.txt")
    assert article.metadata["title"] == TITLE
    assert article.markdown == "\n\n".join(STORY)
    assert article.report.hits["text.dump-chrome"].blocks >= len(MENU)


def test_label_prefix_tree_matches_the_lines_the_flat_alternation_matches():
    """The label check written as a tree of shared prefixes (a speed-up) accepts exactly the lines
    the plain alternation of every label phrase accepts."""
    import re

    from newsroom_cleaner import rules, textdump

    phrases = [*rules.DUMP_PUBLISHED_LABELS, *rules.DUMP_MODIFIED_LABELS, *rules.DUMP_BYLINE_LABELS,
               *rules.DUMP_TAG_LABELS, *rules.DUMP_CREDIT_LABELS, *rules.DUMP_WIDGET_PHRASES,
               *rules.DUMP_TRAILER_HEADINGS]
    flat = re.compile(textdump._phrases(phrases), re.I)
    lines = [*(p.upper() for p in phrases), *(p.replace(" ", " \t ") for p in phrases),
             *(p[:-1] for p in phrases), *(p + " and more" for p in phrases), *(p.title() for p in phrases),
             "Mis  à\njour le 3 mai", "ſubscribe now", "Bypass road reopens", "Xmas market", "x", "İmage: AA",
             *STORY, *MENU, *RAIL, *FOOTER, TITLE, "Publié le 12 mars", "Fotoğraf: AA", "Теги: экономика"]
    verdicts = [(line, textdump._LABEL_START.match(line) is not None) for line in lines]
    assert verdicts == [(line, flat.match(line) is not None) for line in lines]
    assert sum(v for _, v in verdicts) > len(phrases) and not all(v for _, v in verdicts)
