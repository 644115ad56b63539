"""The old numbered list pages as they were when numbering stopped, kept in a file beside the
content (commit it with the content).

What page 3 of a list held depends on every story then: a story added later with an earlier
date (an imported archive) would move every later page's stories, and with them the targets
of their redirects, if they were worked out again at each build. So they are worked out once,
by the first build after numbering stopped, and read back from then on; a clean build reads
the same file, so it writes the same site as an incremental one.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from newsroom_cleaner.write import write_atomic

log = logging.getLogger(__name__)

FILE_NAME = "numbered-pages.json"  # in the content folder (PATH)


class OldPage(NamedTuple):
    save_as: str  # where the old page was
    list_url: str | None  # the list's first page (None: the site's front page)
    list_name: str | None
    newest: datetime  # the date of the newest story it held


def recorded(path: str, until: Any, per_page: int, compute: Callable[[], list[OldPage]]) -> list[OldPage]:
    """The old pages kept in ``path`` for this stop date and page size; else ``compute()``d now
    and kept there (a file for another date or size, or unreadable, is replaced with a notice)."""
    key = {"until": str(until), "per_page": per_page}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if {k: data.get(k) for k in key} == key:
            return [OldPage(save_as, url, name, datetime.fromisoformat(newest))
                    for save_as, url, name, newest in data["pages"]]
        log.info("%s: kept for other settings (%s); the old numbered pages are worked out again", path,
                 {k: data.get(k) for k in key})
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s: unreadable (%s); the old numbered pages are worked out again from the stories "
                    "dated until %s", path, error, until)
    pages = compute()
    rows = [json.dumps([p.save_as, p.list_url, p.list_name, p.newest.isoformat()], ensure_ascii=False)
            for p in pages]
    text = json.dumps(key)[:-1] + ', "pages": [\n' + ",\n".join(rows) + "\n]}\n"  # a page a line
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        log.warning("%s: not written (%s); the old numbered pages will be worked out again next build", path, error)
    return pages
