"""Boilerplate and metadata rules, kept as data.

Every rule has a comment naming the pattern it targets. The code that applies them
(extract.py, textdump.py, metadata.py) is generic; a new site's quirk belongs here,
and only if it generalises beyond one site.
"""

# ---------------------------------------------------------------------------
# HTML boilerplate (applied by extract.py)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Plain-text dumps (applied by textdump.py)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Metadata (applied by metadata.py)
# ---------------------------------------------------------------------------
