"""Bytes to text: BOM, then UTF-16/32 by its NUL bytes, then the page's declared charset, then
UTF-8, then mostly-UTF-8 (damaged bytes replaced, with a warning), then detection.

Scrapes often lack a charset (a saved page loses its HTTP header), so detection must
tell windows-1254 from windows-1250 and Shift_JIS from mojibake; charset-normalizer
does the detection and a letter-frequency check breaks its near-ties. A UTF-8 file with a
few damaged bytes is not a legacy code page (detection would turn every é into щ): it is
decoded as UTF-8 with U+FFFD for the damaged bytes, and the report says so.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

import charset_normalizer
from charset_normalizer.constant import FREQUENCIES

from .errors import CleanerError
from .report import CleaningReport
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
# Bytes no text in an 8-bit or UTF-8 encoding holds (C0 controls but tab, newline, form feed,
# carriage return and escape; DEL): more than this share of the first bytes means binary (random
# bytes have 11%, a text file with a stray NUL far under 1%).
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_BINARY_RATIO = 0.05
_SNIFF = 4096  # bytes looked at for binary signs
_WIDE_SNIFF = 1024  # bytes looked at for UTF-16/32 without a BOM
_WIDE_ZEROS = 0.7  # share of the zero byte positions that must be zero (ASCII-heavy wide text)
# UTF-32 before UTF-16: its zero positions include UTF-16's. (encoding, width, positions of zero bytes)
_WIDE = (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)), ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,)))
_TIE_CHAOS = 0.1  # detection results this close in "chaos" count as a tie (short texts score noisily)


def decode(raw: bytes | str, source_name: str, report: CleaningReport | None = None) -> str:
    """Return the text of ``raw``; raise CleanerError for empty, oversized or binary input.
    ``report`` gets a warning when damaged UTF-8 bytes were replaced."""
    if isinstance(raw, str):
        text = raw.lstrip("\ufeff")
    else:
        if len(raw) > MAX_INPUT_BYTES:
            raise CleanerError(f"{source_name}: file is {len(raw) // 2**20} MB, over the "
                               f"{MAX_INPUT_BYTES // 2**20} MB limit for a scraped page")
        text = _decode_bytes(raw, source_name, report or CleaningReport(source=source_name))
    if not text.strip():
        raise CleanerError(f"{source_name}: empty file")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise CleanerError(f"{source_name}: binary file (not HTML or text)")
    return _NOT_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _decode_bytes(raw: bytes, source_name: str, report: CleaningReport) -> str:
    bom_encoding = _bom_encoding(raw)
    if bom_encoding:
        return raw.decode(bom_encoding, errors="replace")
    wide = _wide_encoding(raw)
    if wide:
        try:
            return raw.decode(wide)
        except UnicodeDecodeError:
            pass  # not that encoding after all: binary, most likely
    if _looks_binary(raw):
        raise CleanerError(f"{source_name}: binary file (not HTML or text)")
    for encoding in (_declared_encoding(raw), "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                pass
    text = _mostly_utf8(raw)
    if text is not None:
        damaged = text.count("\ufffd") - raw.count("\ufffd".encode())
        report.warn(f"invalid UTF-8: {damaged} damaged byte sequence{'s' * (damaged != 1)} replaced")
        return text
    return _detect(raw)


def _mostly_utf8(raw: bytes) -> str | None:
    """``raw`` decoded as UTF-8 with replacement characters, if it holds at least as many valid
    multi-byte UTF-8 characters as damaged sequences (text in a legacy code page has almost no
    valid multi-byte sequence), else None."""
    text = raw.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    damaged = replaced - raw.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - replaced
    return text if 0 < damaged <= valid else None


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told by where its zero bytes are: in mostly ASCII text,
    every character's high bytes (the same positions in each 2 or 4 bytes) are zero."""
    head = raw[:_WIDE_SNIFF]
    if b"\x00" not in head:  # the common case, answered without counting
        return None
    for encoding, width, zeros in _WIDE:
        units = len(head) // width
        if units < 4:
            continue
        body = head[:units * width]
        zero = sum(body[i::width].count(0) for i in zeros)
        nonzero = sum(units - body[i::width].count(0) for i in range(width) if i not in zeros)
        if zero >= _WIDE_ZEROS * units * len(zeros) and nonzero >= _WIDE_ZEROS * units * (width - len(zeros)):
            return encoding
    return None


def why_not_utf8(raw: bytes, position: int) -> str:
    """Why ``raw``, which failed to decode as UTF-8 at ``position``, is not UTF-8, in words for
    the editor who saved it: another Unicode encoding (by its BOM), a binary file, or an 8-bit
    encoding such as Latin-1 or windows-1252."""
    encoding = _bom_encoding(raw) or _wide_encoding(raw)
    if encoding and encoding != "utf-8-sig":
        return f"{encoding[:6].upper()} text, not UTF-8; save it as UTF-8"
    if _looks_binary(raw):
        return "binary file, not text"
    return f"not UTF-8 (byte 0x{raw[position]:02x} at offset {position}); save it as UTF-8"


def _bom_encoding(raw: bytes) -> str | None:
    """The Unicode encoding ``raw``'s byte order mark names, if it starts with one."""
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


def _looks_binary(raw: bytes) -> bool:
    """A binary format's signature, or many control bytes early on (counted, not "any NUL": a
    text file with a stray NUL byte is still text)."""
    head = raw[:_SNIFF]
    return raw.startswith(_BINARY_MAGIC) or len(_BINARY_BYTES.findall(head)) > _MAX_BINARY_RATIO * len(head)


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
