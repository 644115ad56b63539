"""Screenshots of the front page and an article at phone and desktop widths.

    python -m newsroom_theme.screenshots OUTPUT_DIR SCREENSHOT_DIR

Serves OUTPUT_DIR on 127.0.0.1 and drives Debian's Chromium through Playwright (no
browser download, no network beyond the local server).
"""

import argparse
import functools
import http.server
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WIDTHS = {"mobile": (390, 844), "desktop": (1280, 800)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free 127.0.0.1 port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_article_path(output: Path) -> str:
    """Path of the lead story, the first rel=bookmark link on the front page."""
    html = (output / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<a href="(?:\./)?([^"]+)" rel="bookmark"', html)
    if not match:
        raise SystemExit(f"{output / 'index.html'}: no story link (rel=bookmark) found")
    return match.group(1)


def take_screenshots(output: Path, folder: Path) -> list[Path]:
    """home-{mobile,desktop}.png and article-{mobile,desktop}.png, full pages, in ``folder``."""
    from playwright.sync_api import sync_playwright

    if not (output / "index.html").is_file():
        raise SystemExit(f"{output}: no index.html; build the site first")
    folder.mkdir(parents=True, exist_ok=True)
    pages = {"home": "", "article": first_article_path(output)}
    written = []
    with serve(output) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path, wait_until="load")
                    target = folder / f"{name}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="built site folder, e.g. output/")
    parser.add_argument("folder", type=Path, help="where to write the PNG files")
    args = parser.parse_args(argv)
    for path in take_screenshots(args.output, args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
