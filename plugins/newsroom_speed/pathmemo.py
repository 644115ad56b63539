"""``Content.get_relative_source_path`` memoised for the length of a build.

Pelican computes every URL and output path through it (``url_format``), an ``os.path.relpath``
of two absolute paths, several times per article per build. Its result depends only on the
source path, the PATH setting and the working directory. The memo lives for one build, keyed by
the first two; the directory is taken once as the build starts (Pelican does not change it, and
asking the system on every call is not free). The value is Pelican's own method's, or, for a
normalised absolute path under PATH (every file Pelican found there), the same string sliced off
that path, which is quicker.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pelican.contents import Content
from pelican.utils import posixize_path

from . import contract
from .memo import memoise_method


def install() -> Callable[[], None]:
    """Memoise the method on Content; returns the function that restores it (and drops the memo)."""
    plain = Content.__dict__["get_relative_source_path"]
    cwd = os.getcwd()

    def key(self: Content, source_path: str | None = None) -> tuple:
        return source_path or self.source_path, self.settings["PATH"]

    def sliced(self: Content, source_path: str | None = None) -> str | None:
        path = source_path or self.source_path
        base = os.path.normpath(os.path.join(cwd, self.settings["PATH"]))  # abspath, cwd asked once
        if path and path.startswith(base) and path[len(base):len(base) + 1] == os.sep and os.path.isabs(path) \
                and os.path.normpath(path) == path:
            return posixize_path(path[len(base) + 1:])  # what relpath(abspath(path), base) gives
        return plain(self, source_path)

    return contract.together(contract.replace(Content, "get_relative_source_path", sliced),
                             memoise_method(Content, "get_relative_source_path", key))
