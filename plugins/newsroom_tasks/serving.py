"""The development servers answer a missing path with the site's 404 page and status 404.

Pelican's server closes the connection without a reply when no file matches, and livereload's
(Tornado) sends its own bare error page; a public host shows the theme's 404.html.
"""

from __future__ import annotations

import os
from http import HTTPStatus

from pelican.server import ComplexHTTPRequestHandler


def not_found_page(root: str, page: str) -> bytes | None:
    """The built 404 page under ``root``, or None when the site has none (not built yet)."""
    try:
        with open(os.path.join(root, page), "rb") as file:
            return file.read()
    except OSError:
        return None


class NotFoundPageHandler(ComplexHTTPRequestHandler):
    """``invoke serve``'s handler; ``base_path`` (the output folder) is set by RootedHTTPServer."""

    page = "404.html"  # the 404 page's path in the output (the tasks set it from the settings)

    def get_path_that_exists(self, original_path: str) -> str:
        # Pelican's returns None for a missing path and do_GET then sends nothing; the path
        # as asked makes the standard handler answer 404 through send_error.
        return super().get_path_that_exists(original_path) or original_path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        body = not_found_page(self.base_path, self.page) if code == HTTPStatus.NOT_FOUND else None
        if body is None:
            super().send_error(code, message, explain)
            return
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def livereload_handler(page: str):
    """livereload's static file handler, answering 404 with the site's ``page``."""
    from livereload.handlers import StaticFileHandler

    class NotFoundPageStaticHandler(StaticFileHandler):
        def write_error(self, status_code: int, **kwargs) -> None:
            body = not_found_page(self.root, page) if status_code == HTTPStatus.NOT_FOUND else None
            if body is None:
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(body)

    return NotFoundPageStaticHandler
