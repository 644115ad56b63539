"""Newsroom's cleaner: turns scraped news pages into clean, safe Markdown with metadata.

Pipeline, one module per stage (pure functions between them):
decode (bytes -> text) -> parse (text -> bounded tree) -> htmlmeta (page metadata) -> extract
(main content, boilerplate out; ``candidates``: trafilatura's body when ours is short and its is
much longer) -> convert (tree -> Markdown) -> ``pagekind`` (no article: refused) -> textdump line rules;
plain-text dumps go decode -> textdump directly (its line model, ``dumplines``, tells the article's
lines from the site's chrome). Then safety (inert Markdown), metadata (lede, source), write (Pelican
Markdown file). With NEWSROOM_FETCH_IMAGES, ``localimages`` then keeps the cleaned article's images
in the site (``imagefetch``: fetched and vetted as untrusted input) before it is written. ``linksafety`` is a Markdown extension every render of the build
uses: no script-capable URL in the HTML. ``pipeline.clean_article`` runs them; ``reader`` plugs them into
Pelican; ``importer`` writes reviewable posts; ``review`` lists what is held back; ``cli`` prints for the invoke tasks; ``read_errors``
puts the reason in Pelican's error for any content file it could not read. Boilerplate and metadata
rules are data in ``rules.py``; settings and limits are in ``settings.py``.
"""


def _add_link_safety(pelican) -> None:
    """initialized handler: every Markdown render of the build drops script-capable URLs."""
    from . import linksafety

    linksafety.add_to(pelican.settings)


def register() -> None:
    """Pelican plugin entry point: add the reader for scraped .html/.htm/.txt files and the link
    safety Markdown extension (linksafety), say why Pelican could not read a content file
    (read_errors), keep one file's bad metadata (lang, slug, a taken URL, a missing template)
    from stopping the build (guard), and walk a folder that links back to itself once (linkloops)."""
    from pelican import signals

    from . import guard, linkloops, read_errors
    from .reader import add_reader

    signals.initialized.connect(_add_link_safety)
    signals.readers_init.connect(add_reader)
    read_errors.install()
    guard.register()
    linkloops.register()
