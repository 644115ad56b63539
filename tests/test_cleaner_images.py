"""Scraped images kept in the site (NEWSROOM_FETCH_IMAGES): fetched from a real HTTP server on
127.0.0.1, vetted, stored by content hash, fetched once; bad images keep the placeholder."""

from __future__ import annotations

import hashlib
import io
import shutil
import socket
import ssl
import subprocess
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from PIL import Image

from newsroom_cleaner.imagefetch import ImageRefused, check_address, fetch, resolve, vet_image
from newsroom_cleaner.settings import FetchLimits
from tests.conftest import copy_project, pelican_build, run_invoke

LIMITS = FetchLimits(max_bytes=1_000_000, max_pixels=40_000_000, timeout=0.5, deadline=5.0, max_redirects=3,
                     allow_private=True)


def _image(fmt: str, size=(64, 48), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 200-byte PNG declaring 50000x50000 pixels: 7.5 GB once decoded.
BOMB = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b""))
JPEG, PNG = _image("JPEG"), _image("PNG", color=(20, 90, 200))
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>'
HTML = b"<!DOCTYPE html><html><body><p>Not found</p></body></html>"


class ImageServer:
    """http.server in a thread: path -> (status, headers, body, delay); counts every request."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes, float]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                status, headers, body, delay = server.routes.get(self.path, (404, {}, b"", 0))
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in {"Content-Length": str(len(body)), **headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, path: str, body: bytes, content_type: str = "image/jpeg", status: int = 200,
            headers: dict | None = None, delay: float = 0) -> str:
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, body, delay)
        return self.base + path


@pytest.fixture
def server():
    served = ImageServer()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


# --- the checks, one by one ------------------------------------------------------------------

@pytest.mark.parametrize("address", ["10.0.0.1", "192.168.1.5", "127.0.0.1", "::1", "169.254.169.254",
                                     "fe80::1", "::ffff:127.0.0.1", "224.0.0.1", "0.0.0.0", "100.64.0.1"])
def test_private_and_special_addresses_are_refused(address):
    with pytest.raises(ImageRefused):
        check_address(address, allow_private=False)


def test_public_addresses_pass_and_metadata_is_refused_even_when_private_hosts_are_allowed():
    check_address("93.184.216.34", allow_private=False)
    check_address("2606:4700::1111", allow_private=False)
    check_address("10.0.0.1", allow_private=True)
    for metadata in ("169.254.169.254", "fd00:ec2::254"):
        with pytest.raises(ImageRefused, match="metadata"):
            check_address(metadata, allow_private=True)


def test_a_host_resolving_to_loopback_is_refused_before_any_request(server):
    url = server.add("/a.jpg", JPEG)
    with pytest.raises(ImageRefused, match="not public"):
        resolve("localhost", 80, allow_private=False, timeout=5.0)
    with pytest.raises(ImageRefused, match="not public"):
        fetch(url, FetchLimits(**{**LIMITS.__dict__, "allow_private": False}))
    assert server.requests == []


def test_good_images_are_fetched_and_sniffed_by_their_bytes(server):
    # The URL and the Content-Type lie; the bytes decide.
    assert vet_image(fetch(server.add("/photo.png", JPEG, "text/plain"), LIMITS), LIMITS.max_pixels) == "jpg"
    assert vet_image(fetch(server.add("/photo", PNG, "image/jpeg"), LIMITS), LIMITS.max_pixels) == "png"
    assert vet_image(_image("GIF"), LIMITS.max_pixels) == "gif"
    assert vet_image(_image("WEBP"), LIMITS.max_pixels) == "webp"


@pytest.mark.parametrize("body, reason", [
    (BOMB, "decompression bomb|pixels, over the limit"),
    (HTML, r"not an allowed image type \(HTML\)"),
    (SVG, r"not an allowed image type \(SVG\)"),
    (JPEG[:200], "not a valid JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "not a valid PNG"),
])
def test_bad_bytes_are_refused(body, reason):
    with pytest.raises(ImageRefused, match=reason):
        vet_image(body, LIMITS.max_pixels)


def test_pixel_limit_is_a_setting():
    with pytest.raises(ImageRefused, match="64x48 pixels"):
        vet_image(JPEG, 1000)


def test_redirects_are_rechecked_and_counted(server):
    server.add("/to-metadata", b"", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(ImageRefused, match="metadata"):
        fetch(server.base + "/to-metadata", LIMITS)
    server.add("/loop", b"", status=301, headers={"Location": "/loop"})
    with pytest.raises(ImageRefused, match="more than 3 redirects"):
        fetch(server.base + "/loop", LIMITS)
    assert server.requests.count("/loop") == 4
    server.add("/to-file", b"", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(ImageRefused, match="not an http"):
        fetch(server.base + "/to-file", LIMITS)
    server.add("/moved", b"", status=307, headers={"Location": server.add("/real.jpg", JPEG)})
    assert fetch(server.base + "/moved", LIMITS) == JPEG


def test_size_limit_stops_the_stream(server):
    big = JPEG + b"\0" * 3_000_000
    url = server.add("/big.jpg", big)
    with pytest.raises(ImageRefused, match="larger than"):
        fetch(url, LIMITS)  # declared length
    url = server.add("/big-undeclared.jpg", big, headers={"Content-Length": str(len(JPEG))})
    assert len(fetch(url, LIMITS)) == len(JPEG)  # a lying length is read as declared, no further


def test_timeout_and_deadline(server):
    url = server.add("/slow.jpg", JPEG, delay=2)
    started = time.monotonic()
    with pytest.raises(ImageRefused, match="timed out|TimeoutError"):
        fetch(url, LIMITS)
    assert time.monotonic() - started < 1.5
    with pytest.raises(ImageRefused, match="longer than"):
        fetch(url, FetchLimits(**{**LIMITS.__dict__, "timeout": 5.0, "deadline": 0.0}))


def test_a_resolver_that_never_answers_costs_the_fetch_its_deadline(monkeypatch):
    """getaddrinfo has no timeout of its own: a stuck name server must not stall the build."""
    answered = threading.Event()
    real = socket.getaddrinfo

    def stuck(host, *args, **kwargs):
        if host == "stuck.example":
            answered.wait(10)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    started = time.monotonic()
    try:
        with pytest.raises(ImageRefused, match="cannot resolve stuck.example: no answer within"):
            fetch("http://stuck.example/a.jpg", FetchLimits(**{**LIMITS.__dict__, "deadline": 1.0}))
    finally:
        answered.set()
    assert time.monotonic() - started < 2.5


def test_only_http_and_https():
    for url in ("ftp://127.0.0.1/a.jpg", "file:///etc/passwd", "data:image/png;base64,AAAA", "//127.0.0.1/a.jpg"):
        with pytest.raises(ImageRefused, match="not an http"):
            fetch(url, LIMITS)


# --- a real build of the sample site with scraped stories ------------------------------------

def _page(title: str, lead: str | None, body_images: str, canonical: str | None = None) -> bytes:
    paragraph = ("The council met on Tuesday evening to debate the plan, and members from every party "
                 "spoke for and against it at length before the final vote was taken late at night. ")
    head = f'<meta property="og:image" content="{lead}">' if lead else ""
    head += f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html><head><title>{title}</title>{head}"
            f'<meta property="article:published_time" content="2026-12-01T09:00:00Z">'
            f'<meta property="article:section" content="Politics"></head><body><article><h1>{title}</h1>'
            f"<p>{paragraph * 2}</p>{body_images}<p>{paragraph}</p><p>{paragraph * 3}</p>"
            f"</article></body></html>").encode()


SETTINGS = """
NEWSROOM_FETCH_IMAGES = True
NEWSROOM_FETCH_PRIVATE_HOSTS = True  # the test's server is on 127.0.0.1
NEWSROOM_IMAGE_TIMEOUT = 0.5
NEWSROOM_SEARCH = False
NEWSROOM_SECTION_MAP = {"Politics": "Politics"}
"""


def _build(project: Path, output: Path) -> str:
    done = pelican_build(project, output, env={"COLUMNS": "1000"})  # one log record, one line
    return done.stdout + done.stderr


def _shown(content_file: Path) -> str:
    """Where a page shows a content image: the theme's resized fallback variant of it
    (newsroom_theme.images), by the default image settings."""
    from newsroom_theme.images import Config, probe, variants
    from newsroom_theme.settings import DEFAULTS

    config = Config.from_settings({**DEFAULTS, "CACHE_PATH": "cache"})
    original = probe(str(content_file), config.params())
    return f"{config.folder}/{variants(original, config)[1][0]}"


def _article(output: Path, slug: str) -> str:
    return next(output.glob(f"2026/12/{slug}/index.html")).read_text(encoding="utf-8")


def test_scraped_images_are_kept_locally_once_and_bad_ones_keep_the_placeholder(tmp_path, server):
    project = copy_project(tmp_path / "site")
    (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text() + SETTINGS)
    scraped = project / "content" / "scraped"
    lead = server.add("/lead.jpg", JPEG)
    body = server.add("/body.png", PNG, "application/octet-stream")
    (scraped / "good.html").write_bytes(_page(
        "Council approves the harbour plan", lead,
        f'<figure><img src="{body}" alt="The harbour at dawn"><figcaption>The harbour at dawn, where the '
        f'new quay will be built. <span class="credit">Photo: Jane Doe</span></figcaption></figure>'
        f'<img src="{server.base}/pixel.gif" width="1" height="1" alt="">'
        f'<img src="{server.base}/tracking.png" alt="">'))
    bad = {
        "bomb": server.add("/bomb.png", BOMB, "image/png"),
        "html": server.add("/page.jpg", HTML, "image/jpeg"),
        "svg": server.add("/drawing.svg", SVG, "image/svg+xml"),
        "redirect": server.add("/moved.jpg", b"", status=302,
                               headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        "slow": server.add("/slow.jpg", JPEG, delay=2),
    }
    for name, url in bad.items():
        (scraped / f"{name}.html").write_bytes(_page(f"Story with a {name} image", None,
                                                     f'<p><img src="{url}" alt="A {name} picture"></p>'))
    output = tmp_path / "out"
    log = _build(project, output)

    stored = sorted((project / "content" / "images" / "scraped").rglob("*.*"))
    names = {p.relative_to(project / "content").as_posix() for p in stored}
    lead_file = f"images/scraped/council-approves-the-harbour-plan/{hashlib.sha256(JPEG).hexdigest()[:16]}.jpg"
    body_file = f"images/scraped/council-approves-the-harbour-plan/{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    assert names == {lead_file, body_file}
    assert (project / "content" / lead_file).read_bytes() == JPEG
    page = _article(output, "council-approves-the-harbour-plan")
    lead_shown, body_shown = (_shown(project / "content" / f) for f in (lead_file, body_file))
    assert f'src="../../../{lead_shown}"' in page and f'src="../../../{body_shown}"' in page
    assert (output / body_file).read_bytes() == PNG and (output / lead_file).read_bytes() == JPEG
    assert "127.0.0.1" not in page.split("</head>", 1)[1]  # nothing hot-linked (the source link aside)
    assert "pixel.gif" not in page and "tracking.png" not in page
    # One caption with its credit: the alt text it repeats is not said twice.
    assert page.count("The harbour at dawn") == 1
    assert "The harbour at dawn, where the new quay will be built. — Photo: Jane Doe" in page
    assert "/pixel.gif" not in server.requests and "/tracking.png" not in server.requests
    home = (output / "index.html").read_text(encoding="utf-8")
    assert lead_shown in home  # the front page shows the fetched lead image like a hand-written one's
    section = (output / "section" / "politics" / "index.html").read_text(encoding="utf-8")
    assert lead_shown in section

    for name, url in bad.items():
        warnings = [line for line in log.splitlines() if url in line and "WARNING" in line]
        assert len(warnings) == 1, (name, url, log)
        assert f"scraped/{name}.html" in warnings[0]
        story = _article(output, f"story-with-a-{name}-image")
        assert 'class="offsite-image"' in story and url in story  # today's placeholder
    assert sorted(set(server.requests)) == sorted(
        ["/lead.jpg", "/body.png", "/bomb.png", "/page.jpg", "/drawing.svg", "/moved.jpg", "/slow.jpg"])

    # A rebuild, even with the build caches gone, asks the server nothing: the record answers.
    count = len(server.requests)
    _build(project, tmp_path / "out2")
    shutil.rmtree(project / "cache" / "newsroom_speed")
    log = _build(project, tmp_path / "out3")
    assert len(server.requests) == count
    assert lead_file in _article(tmp_path / "out3", "council-approves-the-harbour-plan")
    assert "WARNING" not in "\n".join(line for line in log.splitlines() if server.base in line)


def test_images_saved_beside_the_scrape_are_used_without_a_fetch(tmp_path, server):
    project = copy_project(tmp_path / "site")
    (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text() + SETTINGS)
    scraped = project / "content" / "scraped"
    (scraped / "Saved page_files").mkdir(parents=True)
    (scraped / "Saved page_files" / "photo.jpg").write_bytes(JPEG)
    (scraped / "Saved page_files" / "evil.jpg").write_bytes(SVG)
    (scraped / "chart.png").write_bytes(PNG)
    other_host = server.add("/cdn/chart.png", _image("JPEG", color=(0, 120, 0)))  # same name, another host
    page_address = server.base.replace("127.0.0.1", "localhost") + "/news/saved-page"
    (scraped / "Saved page.html").write_bytes(_page(
        "A saved page with pictures", None,
        '<p><img src="Saved%20page_files/photo.jpg" alt="The quay"></p><p><img src="chart.png" alt="A chart"></p>'
        f'<p><img src="./Saved%20page_files/evil.jpg" alt="Evil"></p><p><img src="{other_host}" alt="Elsewhere"></p>',
        canonical=page_address))
    output = tmp_path / "out"
    log = _build(project, output)
    assert server.requests == ["/cdn/chart.png"]  # only the image on another host than the page's
    page = _article(output, "a-saved-page-with-pictures")
    folder = project / "content" / "images" / "scraped" / "a-saved-page-with-pictures"
    assert len(list(folder.iterdir())) == 3
    for data, ext in ((JPEG, "jpg"), (PNG, "png")):
        file = f"images/scraped/a-saved-page-with-pictures/{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
        assert (project / "content" / file).read_bytes() == data
        assert f'src="../../../{_shown(project / "content" / file)}"' in page
    warnings = [line for line in log.splitlines() if "evil.jpg" in line and "WARNING" in line]
    assert len(warnings) == 1 and "not an allowed image type (SVG)" in warnings[0]
    assert "Saved%20page_files/evil.jpg" in page  # its placeholder: a link, never the SVG itself


def test_images_stay_remote_when_fetching_is_off(tmp_path, server):
    project = copy_project(tmp_path / "site")
    scraped = project / "content" / "scraped"
    (scraped / "good.html").write_bytes(_page("Council approves the harbour plan", server.add("/lead.jpg", JPEG),
                                              f'<p><img src="{server.add("/b.png", PNG)}" alt="x"></p>'))
    output = tmp_path / "out"
    _build(project, output)
    assert server.requests == []
    assert not (project / "content" / "images" / "scraped").exists()
    assert 'class="offsite-image"' in _article(output, "council-approves-the-harbour-plan")


def test_invoke_import_scraped_keeps_images_like_a_hand_written_post(tmp_path, server):
    project = copy_project(tmp_path / "site")
    (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text() + SETTINGS)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lead = server.add("/lead.jpg", JPEG)
    (inbox / "story.html").write_bytes(_page(
        "Council approves the harbour plan", lead,
        f'<figure><img src="{lead}" alt="A model"><figcaption>A model of the new quay. <span class="credit">'
        f'Photo: City Council</span></figcaption></figure>'
        f'<figure><img src="{server.add("/body_1.png", PNG)}" alt="The quay"><figcaption>The quay at dawn.'
        f'</figcaption></figure><p><img src="{server.add("/gone.jpg", b"", status=404)}" alt="Missing"></p>'))
    result = run_invoke(project, "import-scraped", str(inbox / "story.html"))
    assert result.returncode == 0, result.stdout + result.stderr
    post = (project / "content" / "politics" / "2026-12-01-council-approves-the-harbour-plan.md").read_text()
    folder = "images/scraped/council-approves-the-harbour-plan"
    lead_file = f"{folder}/{hashlib.sha256(JPEG).hexdigest()[:16]}.jpg"
    body_file = f"{folder}/{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    assert f"\nImage: {lead_file}\n" in post  # as hand-written posts name theirs
    # The body's first picture was the lead image: shown once, above the body, with its caption.
    assert "\nImage_caption: A model of the new quay. — Photo: City Council\n" in post
    assert post.count(lead_file) == 1 and "A model" not in post.split("\n\n", 1)[1]
    assert f"![]({{static}}/{body_file})\n\n*The quay at dawn.*" in post
    assert f"![Missing]({server.base}/gone.jpg)" in post  # the failed one stays a link to the source
    warnings = [line for line in result.stderr.splitlines() if "/gone.jpg" in line]
    assert len(warnings) == 1 and "story.html" in warnings[0] and "HTTP 404" in warnings[0]
    assert (project / "content" / lead_file).read_bytes() == JPEG
    assert (inbox / "story.html").exists()  # the input is only read
    output = tmp_path / "out"
    _build(project, output)
    page = _article(output, "council-approves-the-harbour-plan")
    lead_shown, body_shown = (_shown(project / "content" / f) for f in (lead_file, body_file))
    assert f'src="../../../{body_shown}"' in page and page.count(f'src="../../../{lead_shown}"') == 1
    assert page.count("A model of the new quay. — Photo: City Council") == 1
    assert sorted(server.requests) == ["/body_1.png", "/gone.jpg", "/lead.jpg"]  # the build fetched nothing


@given(st.sampled_from([JPEG, PNG, _image("GIF"), _image("WEBP")]), st.data())
def test_damaged_images_are_refused_or_kept_never_an_error(image, data):
    """Any truncation or byte flips of a real image: kept as that type or refused with a reason."""
    damaged = bytearray(image[:data.draw(st.integers(0, len(image)))])
    for _ in range(data.draw(st.integers(0, 8))):
        if damaged:
            at = data.draw(st.integers(0, len(damaged) - 1))
            damaged[at] = data.draw(st.integers(0, 255))
    try:
        assert vet_image(bytes(damaged), LIMITS.max_pixels) in ("jpg", "png", "gif", "webp")
    except ImageRefused as refused:
        assert str(refused)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command for a test certificate")
def test_https_certificates_are_verified(server, tmp_path):
    """An https image from a host whose certificate does not verify is refused, not fetched blindly."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    url = server.add("/a.jpg", JPEG).replace("http://", "https://")
    with pytest.raises(ImageRefused, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(url, LIMITS)
    assert server.requests == []
