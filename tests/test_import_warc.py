"""WARC archives imported at crawl scale (issue 29): which records become posts, on a real Dask
LocalCluster, through a worker's death, a re-run, a damaged archive, and the invoke task."""

from __future__ import annotations

import io
import os
from functools import partial
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsroom_cleaner.distribute import InProcess, Processes, in_order, processes
from newsroom_cleaner.importer import FAILED, HELD, WRITTEN, import_scraped, summary
from newsroom_cleaner.settings import ImportSettings, ReaderSettings
from newsroom_cleaner.sitetemplate import batch_templates, learn
from tests.conftest import copy_project, run_invoke
from tests.dying_worker import die_once
from tests.site_batch import site_dumps

distributed = pytest.importorskip("distributed")

TOPICS = ["harbour", "orchard", "railway", "library", "glacier", "festival", "observatory", "vineyard",
          "lighthouse", "bakery", "ferry", "quarry", "aqueduct", "meadow"]


def article(n: int, dated: bool = True) -> bytes:
    """A news page with its own title, date and a few paragraphs nobody else wrote."""
    topic = TOPICS[n % len(TOPICS)]
    date = f'<meta property="article:published_time" content="2024-03-{n % 27 + 1:02d}T09:30:00Z">' if dated else ""
    paragraphs = "".join(
        f"<p>The {topic} committee met for the {k + 1}th time on story {n}, and members of the {topic} "
        f"trust said the plans for the {topic} would be put to residents before the summer ends.</p>"
        for k in range(5))
    return (f"<!DOCTYPE html><html><head><title>The {topic} plan, part {n}</title>{date}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>The {topic} plan, part {n}</h1>"
            f"{paragraphs}</article><footer>Copyright The Gazette</footer></body></html>").encode()


def write_warc(path: Path, records: list[tuple[str, bytes, str, str]]) -> list[int]:
    """A .warc or .warc.gz of responses ``(url, body, status line, content type)``, each after its
    request record as crawlers write them; returns each response's offset."""
    offsets = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for url, body, status, kind in records:
            request = io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            writer.write_record(writer.create_warc_record(url, "request", payload=request))
            offsets.append(stream.tell())
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-05-06T07:08:09Z"}))
    return offsets


def mixed_crawl(path: Path) -> Path:
    """Three pages, a copy of the first under another URL, an image and a redirect."""
    html = "text/html; charset=utf-8"
    write_warc(path, [
        ("https://gazette.example/news/one", article(1), "200 OK", html),
        ("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "200 OK", "image/png"),
        ("https://gazette.example/news/two", article(2), "200 OK", html),
        ("https://gazette.example/old", b"", "301 Moved Permanently", html),
        ("https://gazette.example/news/one?ref=rss", article(1), "200 OK", html),
        ("https://gazette.example/news/three", article(3), "200 OK", html),
    ])
    return path


def posts(content: Path) -> list[str]:
    return sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))


@pytest.fixture(scope="module")
def cluster():
    """A real two-process LocalCluster, shared by this module's tests and closed after them."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local, distributed.Client(local) as client:
        yield local, client


def test_a_crawl_on_a_cluster_gives_its_pages_once_and_counts_the_rest(tmp_path, cluster):
    local, _ = cluster
    warc = mixed_crawl(tmp_path / "crawl.warc.gz")
    content = tmp_path / "content"
    said = []
    outcomes = import_scraped([warc], content, scheduler=local.scheduler_address,
                              spread=ImportSettings(shard_pages=1), notify=said.append)
    assert summary(outcomes, outcomes.passed_over) == (
        "3 written, 0 held for review, 0 skipped, 0 failed; "
        "archive records passed over: 1 duplicate, 1 not HTML, 1 not status 200")
    assert posts(content) == ["news/2024-03-02-the-orchard-plan-part-1.md",
                              "news/2024-03-03-the-railway-plan-part-2.md",
                              "news/2024-03-04-the-library-plan-part-3.md"]
    assert "https://gazette.example/news/one\n" in (content / posts(content)[0]).read_text(encoding="utf-8")
    assert [o.source.split("#")[0] for o in outcomes] == [str(warc)] * 3
    assert said and said[0].startswith("Dask dashboard: ")
    ledger = (content / ".newsroom-imported.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1] for line in ledger] == [WRITTEN] * 3

    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    again = import_scraped([warc], content, scheduler=local.scheduler_address)
    assert list(again) == []
    assert summary(again, again.passed_over) == (
        "0 written, 0 held for review, 0 skipped, 0 failed; "
        "archive records passed over: 3 already imported, 1 duplicate, 1 not HTML, 1 not status 200")
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


class KillOnce(distributed.WorkerPlugin):
    """Kills the worker's process as it starts its third cleaning task, once in the whole cluster."""

    def __init__(self, folder: str):
        self.folder = folder

    def transition(self, key, start, finish, **kwargs):
        if finish != "executing" or "clean_shard" not in str(key):
            return
        started = Path(self.folder, "started")
        with started.open("a") as log:
            log.write(f"{key}\n")
        if len(started.read_text().splitlines()) >= 3:
            try:
                os.close(os.open(Path(self.folder, "killed"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
            os._exit(1)


def test_a_worker_killed_mid_import_loses_no_page_and_writes_none_twice(tmp_path, cluster):
    local, client = cluster
    pages = 12
    html = "text/html"
    warc = tmp_path / "crawl.warc"
    write_warc(warc, [(f"https://gazette.example/news/{n}", article(n), "200 OK", html) for n in range(pages)])
    client.register_plugin(KillOnce(str(tmp_path)), name="kill-once")
    try:
        outcomes = import_scraped([warc], tmp_path / "content", scheduler=local.scheduler_address,
                                  spread=ImportSettings(shard_pages=1))
    finally:
        client.unregister_worker_plugin("kill-once")
    assert (tmp_path / "killed").exists()  # a worker did die with a shard in its hands
    assert [o.status for o in outcomes] == [WRITTEN] * pages
    assert len(posts(tmp_path / "content")) == pages == len({o.post for o in outcomes})
    ledger = (tmp_path / "content" / ".newsroom-imported.tsv").read_text(encoding="utf-8").splitlines()
    assert len(ledger) == len(set(ledger)) == pages
    client.wait_for_workers(2)


def test_an_undated_archived_page_is_held_or_dated_by_its_capture_as_undated_says(tmp_path):
    warc = tmp_path / "undated.warc"
    write_warc(warc, [("https://gazette.example/news/undated", article(5, dated=False), "200 OK", "text/html")])
    [held] = import_scraped([warc], tmp_path / "a")
    assert held.status == HELD
    [dated] = import_scraped([warc], tmp_path / "b", options=ReaderSettings(undated="file-time"))
    assert dated.status == WRITTEN and dated.post.name == "2024-05-06-the-festival-plan-part-5.md"
    assert "Date: 2024-05-06 07:08:09" in dated.post.read_text(encoding="utf-8")


def test_a_damaged_archive_names_itself_and_the_record_and_the_rest_is_imported(tmp_path):
    warc = tmp_path / "cut.warc.gz"
    offsets = write_warc(warc, [(f"https://gazette.example/news/{n}", article(n), "200 OK", "text/html")
                                for n in range(3)])
    data = warc.read_bytes()
    good = tmp_path / "good.warc"
    write_warc(good, [("https://gazette.example/news/9", article(9), "200 OK", "text/html")])
    for share in (0.1, 0.2, 0.5, 0.8):  # the third response cut in its headers, its HTTP part, its page
        warc.write_bytes(data[:offsets[2] + int((len(data) - offsets[2]) * share)])
        outcomes = import_scraped([warc, good], tmp_path / f"content-{share}")
        assert [o.status for o in outcomes] == [WRITTEN, WRITTEN, FAILED, WRITTEN], [o.line() for o in outcomes]
        line = outcomes[2].line()
        assert line.startswith(f"{warc}: failed: damaged at record offset {offsets[2]} (") and "\n" not in line


def test_invoke_import_scraped_takes_a_warc_on_local_workers(tmp_path):
    project = copy_project(tmp_path / "site")
    warc = mixed_crawl(tmp_path / "crawl.warc")
    result = run_invoke(project, "import-scraped", str(warc), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "import-scraped: 3 written, 0 held for review, 0 skipped, 0 failed; "
        "archive records passed over: 1 duplicate, 1 not HTML, 1 not status 200")
    again = run_invoke(project, "import-scraped", str(warc), "--workers", "2")
    assert again.stdout.splitlines()[-1].startswith(
        "import-scraped: 0 written, 0 held for review, 0 skipped, 0 failed; "
        "archive records passed over: 3 already imported")


def test_site_templates_by_map_reduce_are_learns_whatever_the_shards_and_follow_the_settings(tmp_path):
    dumps = [d.text for d in site_dumps(8)]
    dumps.insert(3, dumps[2])  # a copy of a story counts once, even in another shard
    files = []
    for i, text in enumerate(dumps):
        files.append(tmp_path / "site" / f"page-{i:02}.txt")
        files[-1].parent.mkdir(exist_ok=True)
        files[-1].write_text(text, encoding="utf-8")
    expected = learn(dumps)
    assert len(expected) > 5
    runner = Processes(2)
    try:
        for run, shard_pages in [(partial(in_order, InProcess()), 3), (partial(in_order, runner), 1)]:
            assert batch_templates(files, run, shard_pages) == {str(tmp_path / "site"): expected}
    finally:
        runner.close()
    # nine files, eight stories: under NEWSROOM_SITE_TEMPLATE_MIN_PAGES = 9 they teach nothing
    assert batch_templates(files, partial(in_order, InProcess()), 3, min_pages=9) == {str(tmp_path / "site"): learn([])}
    off = import_scraped([tmp_path / "site"], tmp_path / "off", options=ReaderSettings(template_min_pages=0))
    on = import_scraped([tmp_path / "site"], tmp_path / "on")
    assert "text.site-template=" in on[0].post.read_text(encoding="utf-8")
    assert "text.site-template=" not in off[0].post.read_text(encoding="utf-8")


def test_local_processes_send_again_the_shards_of_a_worker_that_died(tmp_path):
    with processes(2) as runner:
        results = list(in_order(runner, die_once, ((n, (str(tmp_path / "died"), n)) for n in range(6))))
    assert (tmp_path / "died").exists()
    assert results == [(n, n * 2) for n in range(6)]
