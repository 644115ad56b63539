"""Newsroom's cleaner: turns scraped news pages into clean, safe Markdown with metadata.

Pipeline, one module per stage (pure functions between them):
decode (bytes -> text) -> parse (text -> tree) or textdump (text -> blocks) -> extract
(main content, boilerplate out) -> metadata -> convert (tree -> Markdown) -> safety -> write
(Pelican Markdown file). ``pipeline.clean_article`` runs them; ``reader`` plugs them into
Pelican; ``importer`` writes reviewable posts. Boilerplate rules are data in ``rules.py``.
"""


def register() -> None:
    """Pelican plugin entry point: add the reader for scraped .html/.htm/.txt files."""
    from pelican import signals

    from .reader import add_reader

    signals.readers_init.connect(add_reader)
