"""Newsroom's cleaner: turns scraped news pages into clean, safe Markdown with metadata.

Pipeline, one module per stage (pure functions between them):
decode (bytes -> text) -> parse (text -> bounded tree) -> htmlmeta (page metadata) -> extract
(main content, boilerplate out) -> convert (tree -> Markdown) -> textdump line rules; plain-text
dumps go decode -> textdump directly. Then safety (inert Markdown), metadata (lede, source),
write (Pelican Markdown file). ``pipeline.clean_article`` runs them; ``reader`` plugs them into
Pelican; ``importer`` writes reviewable posts; ``cli`` prints for the invoke tasks; ``read_errors``
puts the reason in Pelican's error for any content file it could not read. Boilerplate and metadata
rules are data in ``rules.py``; settings and limits are in ``settings.py``.
"""


def register() -> None:
    """Pelican plugin entry point: add the reader for scraped .html/.htm/.txt files, and say why
    Pelican could not read a content file (read_errors), and keep one file's bad metadata
    (lang, slug, a taken URL, a missing template) from stopping the build (guard), and walk a
    folder that links back to itself once (linkloops)."""
    from pelican import signals

    from . import guard, linkloops, read_errors
    from .reader import add_reader

    signals.readers_init.connect(add_reader)
    read_errors.install()
    guard.register()
    linkloops.register()
