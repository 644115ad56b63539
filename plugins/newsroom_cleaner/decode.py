"""Bytes to text: BOM, then the page's declared charset, then UTF-8, then detection.

Scrapes often lack a charset (a saved page loses its HTTP header), so detection must
tell windows-1254 from windows-1250 and Shift_JIS from mojibake; charset-normalizer
does the detection and a letter-frequency check breaks its near-ties.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

import charset_normalizer
from charset_normalizer.constant import FREQUENCIES

from .errors import CleanerError
from .settings import MAX_INPUT_BYTES

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset=x>, <meta http-equiv=... content="text/html; charset=x">, <?xml encoding="x"?>
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Signatures of common binary formats a scraper may save by mistake.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")
# WHATWG: pages declaring Latin-1/ASCII are really windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "iso8859-1": "cp1252"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
# Characters no text or XML tree may hold (C0 controls but tab/newline, surrogates, non-characters).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MAX_CONTROL_RATIO = 0.01  # more control characters than this means binary, not text
_TIE_CHAOS = 0.1  # detection results this close in "chaos" count as a tie (short texts score noisily)


def decode(raw: bytes | str, source_name: str) -> str:
    """Return the text of ``raw``; raise CleanerError for empty, oversized or binary input."""
    if isinstance(raw, str):
        text = raw.lstrip("\ufeff")
    else:
        if len(raw) > MAX_INPUT_BYTES:
            raise CleanerError(f"{source_name}: file is {len(raw) // 2**20} MB, over the "
                               f"{MAX_INPUT_BYTES // 2**20} MB limit for a scraped page")
        text = _decode_bytes(raw, source_name)
    if not text.strip():
        raise CleanerError(f"{source_name}: empty file")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise CleanerError(f"{source_name}: binary file (not HTML or text)")
    return _NOT_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _decode_bytes(raw: bytes, source_name: str) -> str:
    bom_encoding = _bom_encoding(raw)
    if bom_encoding:
        return raw.decode(bom_encoding, errors="replace")
    if _looks_binary(raw):
        raise CleanerError(f"{source_name}: binary file (not HTML or text)")
    for encoding in (_declared_encoding(raw), "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                pass
    return _detect(raw)


def why_not_utf8(raw: bytes, position: int) -> str:
    """Why ``raw``, which failed to decode as UTF-8 at ``position``, is not UTF-8, in words for
    the editor who saved it: another Unicode encoding (by its BOM), a binary file, or an 8-bit
    encoding such as Latin-1 or windows-1252."""
    encoding = _bom_encoding(raw)
    if encoding and encoding != "utf-8-sig":
        return f"{encoding.upper()} text, not UTF-8; save it as UTF-8"
    if _looks_binary(raw):
        return "binary file, not text"
    return f"not UTF-8 (byte 0x{raw[position]:02x} at offset {position}); save it as UTF-8"


def _bom_encoding(raw: bytes) -> str | None:
    """The Unicode encoding ``raw``'s byte order mark names, if it starts with one."""
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


def _looks_binary(raw: bytes) -> bool:
    """A binary format's signature, or a NUL byte early on (text without a BOM has none)."""
    return raw.startswith(_BINARY_MAGIC) or b"\x00" in raw[:4096]


def _declared_encoding(raw: bytes) -> str | None:
    """The charset the page declares in its first 4 KB, if Python knows it."""
    match = _DECLARED.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def _detect(raw: bytes) -> str:
    results = list(charset_normalizer.from_bytes(raw))
    if not results:
        return raw.decode("cp1252", errors="replace")
    least_chaos = min(r.chaos for r in results)
    ties = [r for r in results if r.chaos <= least_chaos + _TIE_CHAOS]
    # Letter fit decides among near ties, each result's own chaos still counting against it.
    best = max(ties, key=lambda r: (_letter_fit(str(r)) - r.chaos, -results.index(r)))
    return str(best)


def _letter_fit(text: str) -> float:
    """Largest share of the text's non-ASCII letters that one language commonly uses.

    Single-byte code pages decode the same bytes to different accented letters; only the
    right one yields letters a real language uses together (ş, ı, ğ for Turkish, not ž, ē, ż).
    """
    letters = Counter(c for c in text.lower() if c.isalpha() and not c.isascii())
    total = sum(letters.values())
    if not total:
        return 0.0
    return max(sum(n for c, n in letters.items() if c in alphabet) for alphabet in _ALPHABETS) / total


_ALPHABETS = [frozenset(letters) for letters in FREQUENCIES.values()]
