"""Untrusted images made harmless: fetched under limits, then vetted by their bytes.

An image a scraped page names is fetched over http(s) only, from public addresses only: every
address the host resolves to is checked and the connection goes to the checked one, so a second
DNS answer cannot swap in an internal host. Redirects are followed by hand, each hop checked
again, at most ``max_redirects`` of them; every socket operation has a timeout and the whole
fetch a deadline; the body is streamed and abandoned past ``max_bytes``. The bytes must then be
one of rules.IMAGE_SIGNATURES (sniffed, never the URL or Content-Type; SVG is not one), read and
verified by Pillow as that format, within ``max_pixels`` (a small file can declare a canvas of
billions of pixels: a decompression bomb). Anything else raises ImageRefused with the reason.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urljoin, urlsplit

from PIL import Image, features

from . import rules
from .settings import FetchLimits

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9"
_USER_AGENT = "Newsroom image fetcher (static site build)"
_METADATA = frozenset(ipaddress.ip_address(a) for a in rules.IMAGE_METADATA_ADDRESSES)
# getaddrinfo takes no timeout: lookups run here so a resolver that never answers costs the
# fetch its deadline, not the build; a stuck lookup keeps only its own thread.
_RESOLVER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsroom-dns")


class ImageRefused(Exception):
    """The image was not fetched or is not a safe image; the message says why."""


def check_address(address: str, allow_private: bool) -> None:
    """ImageRefused unless ``address`` may be fetched from. Cloud metadata services are refused
    even when private hosts are allowed: they hand out credentials."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is no part of it
    if ip.version == 6 and ip.ipv4_mapped is not None:  # "::ffff:127.0.0.1" is 127.0.0.1
        ip = ip.ipv4_mapped
    if ip in _METADATA:
        raise ImageRefused(f"address {ip} is a cloud metadata service")
    if not allow_private and (not ip.is_global or ip.is_multicast or ip.is_reserved):
        raise ImageRefused(f"address {ip} is not public (loopback, private, link-local, multicast or reserved)")


def resolve(host: str, port: int, allow_private: bool, timeout: float) -> str:
    """One address of ``host`` to connect to, after checking every address it resolves to."""
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        found = lookup.result(timeout)
    except FutureTimeout:
        raise ImageRefused(f"cannot resolve {host}: no answer within {timeout:g} s") from None
    except (OSError, UnicodeError) as error:
        raise ImageRefused(f"cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise ImageRefused(f"cannot resolve {host}")
    for address in addresses:
        check_address(address, allow_private)
    return addresses[0]


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to ``host`` that connects to an address checked beforehand."""

    def __init__(self, host: str, port: int, address: str, timeout: float, tls: ssl.SSLContext | None):
        super().__init__(host, port, timeout=timeout)
        self.address, self.tls = address, tls
        self.default_port = 443 if tls else 80  # the Host header names no default port

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        if self.tls is not None:
            self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def fetch(url: str, limits: FetchLimits) -> bytes:
    """The body of ``url`` (http/https) within ``limits``; ImageRefused on any failure."""
    start = time.monotonic()
    for _ in range(limits.max_redirects + 1):
        try:
            status, location, body = _get(url, limits, start)
        except (OSError, http.client.HTTPException, ValueError) as error:  # timeouts are OSErrors
            raise ImageRefused(f"fetch failed: {type(error).__name__}: {error}".rstrip(": ")) from None
        if status not in _REDIRECTS:
            return body
        if not location:
            raise ImageRefused(f"HTTP {status} redirect without a Location")
        url = urljoin(url, location)
    raise ImageRefused(f"more than {limits.max_redirects} redirects")


def _get(url: str, limits: FetchLimits, start: float) -> tuple[int, str | None, bytes]:
    """One request: (status, Location header, body); the body only for a 200."""
    parts = urlsplit(url)
    if parts.scheme not in rules.IMAGE_SCHEMES or not parts.hostname:
        raise ImageRefused(f"not an http(s) URL: {url[:200]}")
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    address = resolve(parts.hostname, port, limits.allow_private, _remaining(limits, start))
    tls = ssl.create_default_context() if parts.scheme == "https" else None
    connection = _PinnedConnection(parts.hostname, port, address, _remaining(limits, start), tls)
    try:
        connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                           headers={"User-Agent": _USER_AGENT, "Accept": _ACCEPT})
        sock = connection.sock  # the response keeps reading from it after the connection lets go
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            return response.status, response.getheader("Location"), b""
        if response.status != 200:
            raise ImageRefused(f"HTTP {response.status}")
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise ImageRefused(f"larger than {limits.max_bytes} bytes ({declared} declared)")
        body = bytearray()
        while chunk := response.read1(_CHUNK):  # read1: one socket read, so the deadline is checked between
            body += chunk
            if len(body) > limits.max_bytes:
                raise ImageRefused(f"larger than {limits.max_bytes} bytes")
            sock.settimeout(_remaining(limits, start))
        return 200, None, bytes(body)
    finally:
        connection.close()


def _remaining(limits: FetchLimits, start: float) -> float:
    """Seconds the next socket operation may take: the per-operation timeout, cut to what is
    left of the deadline; ImageRefused once it has passed."""
    left = limits.deadline - (time.monotonic() - start)
    if left <= 0:
        raise ImageRefused(f"took longer than {limits.deadline:g} s")
    return min(limits.timeout, left)


def vet_image(data: bytes, max_pixels: int) -> str:
    """The file extension for ``data`` if it is an allowed image Pillow reads and verifies
    within ``max_pixels``; ImageRefused otherwise."""
    kind = next(((fmt, ext) for offset, magic, fmt, ext in rules.IMAGE_SIGNATURES
                 if data[offset:offset + len(magic)] == magic), None)
    if kind is None:
        start = data[:64].lstrip().lower()
        what = "SVG" if b"<svg" in data[:2048].lower() else "HTML" if start.startswith((b"<!doctype", b"<html")) else None
        raise ImageRefused(f"not an allowed image type{f' ({what})' if what else ''}")
    fmt, ext = kind
    if fmt == "AVIF" and not features.check("avif"):
        raise ImageRefused("AVIF, which this Pillow cannot read")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageRefused(f"{width}x{height} pixels, over the limit of {max_pixels}")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(f"decompression bomb ({str(error).rstrip('.')})") from None
    except ImageRefused:
        raise
    except Exception as error:  # Pillow's parsers meet hostile bytes here: any of their errors means "not valid"
        raise ImageRefused(f"not a valid {fmt} image: {type(error).__name__}: {error}") from None
    return ext
