"""The invoke tasks' helpers (plugins/newsroom_tasks) on their own."""

from __future__ import annotations

import http.client
import logging
import threading
from pathlib import Path

from pelican.server import RootedHTTPServer

from newsroom_tasks.build_report import MAX_LISTED, BuildReport, BuildWatch, one_line
from newsroom_tasks.deploy_tools import install_hint, missing_tools
from newsroom_tasks.serving import NotFoundPageHandler
from newsroom_tasks.writing import default_section


def test_summary_counts_and_says_when_nothing_was_read():
    report = BuildReport(ran=True, stories=1, pages=2, held=3, skipped=["a.md", "b.md"], errors=["x"])
    assert report.summary() == "Summary: 1 story and 2 pages built, 3 held for review (drafts), 2 skipped; 1 error, listed above."
    assert "nothing changed" in BuildReport().summary()
    assert BuildReport(errors=["x", "y"]).summary(stopped=True) == "Summary: the build failed; 2 errors, listed above."


def test_a_report_is_clean_without_errors_or_failed_files():
    assert BuildReport(ran=True, skipped=["skipped-on-purpose.md"]).clean
    assert not BuildReport(errors=["bad"]).clean
    assert not BuildReport(failed=["world/silent.md"]).clean


def test_problems_name_silent_failures_once_and_are_capped():
    report = BuildReport(errors=["Could not process world/a.md: bad"], failed=["world/a.md", "world/b.md"])
    assert report.problems() == ["Could not process world/a.md: bad", "world/b.md: not built"]
    many = BuildReport(errors=[f"error {i}" for i in range(MAX_LISTED + 5)])
    assert len(many.problems()) == MAX_LISTED + 1 and many.problems()[-1].startswith("... and 5 more")
    refusal = report.refusal("publish", "not deploying")
    assert refusal.splitlines()[0] == "publish: not deploying: the build dropped a story or logged an error:"
    assert "world/b.md: not built" in refusal and refusal.endswith("run `invoke publish` again.")


def test_one_line_flattens_and_shortens():
    assert one_line("a\n   b\tc") == "a b c"
    assert one_line("x" * 50, limit=10) == "x" * 9 + "…"


def test_the_watch_counts_error_records_only_while_installed():
    watch = BuildWatch()
    log = logging.getLogger("newsroom_tasks_test")
    with watch:
        logging.getLogger().addHandler(watch)  # as Pelican's `initialized` has it do
        log.warning("not counted")
        log.error("Skipping %s: no date", "world/a.md")
        log.critical("stopped")
    log.error("after the build")
    assert watch.report.errors == ["Skipping world/a.md: no date", "stopped"]
    assert watch not in logging.getLogger().handlers


def test_missing_tools_and_what_installs_them():
    found = {"ssh": "/usr/bin/ssh"}
    assert missing_tools(["rsync", "ssh"], which=found.get) == ["rsync"]
    hint = install_hint("publish", ["rsync"], ["rsync", "ssh"])
    assert "rsync not found" in hint and "sudo apt-get install rsync openssh-client" in hint


def test_default_section_is_the_first_menu_section():
    assert default_section({"NEWSROOM_MENU_SECTIONS": ["Sport", "World"], "DEFAULT_CATEGORY": "News"}) == "Sport"
    assert default_section({"NEWSROOM_MENU_SECTIONS": None, "DEFAULT_CATEGORY": "News"}) == "News"


def _get(port: int, method: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    return response.status, response.read()


def test_the_dev_server_answers_404_with_the_site_page_and_without_one(tmp_path: Path):
    (tmp_path / "index.html").write_text("home")
    server = RootedHTTPServer(str(tmp_path), ("127.0.0.1", 0), NotFoundPageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        assert _get(port, "GET", "/") == (200, b"home")
        status, body = _get(port, "GET", "/missing/")
        assert status == 404 and b"404" in body  # no 404 page built yet: the standard error page
        (tmp_path / "404.html").write_text("<p>Page not found</p>")
        assert _get(port, "GET", "/missing/deeper") == (404, b"<p>Page not found</p>")
        assert _get(port, "HEAD", "/missing") == (404, b"")
    finally:
        server.shutdown()
        server.server_close()
