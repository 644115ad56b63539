"""Newsroom's cleaner: turns scraped news pages into clean, safe Markdown with metadata.

Pipeline, one module per stage (pure functions between them):
decode (bytes -> text) -> parse (text -> tree or lines) -> extract (main content, boilerplate out)
-> metadata -> convert (tree -> Markdown) -> write (Pelican Markdown file).
Boilerplate rules are data in ``rules.py``.
"""
