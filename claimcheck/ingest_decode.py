"""Bytes to text for ingest: refuse binary files, detect encodings, normalise whitespace, and
sniff the format of text that comes without a file suffix."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata

from claimcheck.errors import BadInput

# (offset, magic bytes, what it is) for the binary files people most often leave in a folder.
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (8, b"WEBP", "WebP image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive or Office document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (0, b"\x1f\x8b", "gzip archive"),
    (0, b"BZh", "bzip2 archive"),
    (0, b"\xfd7zXZ\x00", "xz archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\x7fELF", "executable"),
    (0, b"MZ", "Windows executable"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (4, b"ftyp", "MP4 video"),
    (0, b"ID3", "MP3 audio"),
    (0, b"OggS", "Ogg audio"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"\x93NUMPY", "NumPy array"),
)

# Byte-order marks, longest first so UTF-32 LE is not read as UTF-16 LE.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# charset-normalizer's names for code pages of Latin-script languages; when it picks one of
# these, its language statistics beat the cp1252 plausibility check.
# fmt: off
WESTERN_CODECS = frozenset({
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "iso8859_9", "cp1257",
    "iso8859_13", "iso8859_4", "iso8859_3", "iso8859_10", "iso8859_14", "iso8859_16", "cp850",
    "cp437", "mac_roman", "mac_latin2", "mac_iceland", "cp1258",
})
# fmt: on

# Control characters other than tab and line breaks; text has next to none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
# Lone surrogates (from JSON escapes like "\ud800") cannot be encoded, so cannot be stored.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag near its top, if any."""
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii") if match else None


def binary_kind(raw: bytes) -> str | None:
    """What a binary file looks like by its magic bytes ("PNG image"), or None."""
    for offset, magic, kind in SIGNATURES:
        if raw[offset : offset + len(magic)] == magic:
            # "MZ" and "ID3" also begin ordinary words; only trust them with a NUL nearby.
            if magic in (b"MZ", b"ID3") and b"\x00" not in raw[:512]:
                continue
            return kind
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """The codec of BOM-less UTF-16 Latin text (a NUL in every other byte), if it is that."""
    sample = raw[:2048]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(raw: bytes, html: bool = False) -> str:
    """Decode a file's bytes into text.

    Order: a byte-order mark; BOM-less UTF-16 (NUL bytes); strict UTF-8; for HTML, the charset
    its <meta> tag declares; then charset-normalizer's best guess, except that Windows-1252 wins
    over a non-Latin guess when it reads like Latin-script text (short texts fool the detector).

    Args:
        raw: The file's bytes (not empty).
        html: Whether to honour a <meta charset> declaration.

    Returns:
        The text, with `\\n` line ends.

    Raises:
        BadInput: A binary file, or text in no encoding that can be detected.
    """
    kind = binary_kind(raw)
    if kind is not None:
        raise BadInput(f"binary file (looks like {kind})")
    text = _decode(raw, html)
    sample = text[:10_000]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise BadInput("binary file (not text)")
    return normalise_newlines(text)


def _decode(raw: bytes, html: bool) -> str:
    """The decoding step of `decode_bytes`, before the sanity check on control characters."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    if b"\x00" in raw[:8192]:
        # NUL is valid UTF-8, so this comes first: BOM-less UTF-16, or else not text at all.
        utf16 = _utf16_without_bom(raw)
        if utf16 is None:
            raise BadInput("binary file (not text)")
        return raw.decode(utf16, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw) if html else None
    if declared:
        try:
            return raw.decode(declared, errors="replace")
        except LookupError:
            pass  # An unknown charset name: detect it like any other file.
    from charset_normalizer import from_bytes  # Only files that are not UTF-8 need it.

    best = from_bytes(raw).best()
    western = _plausible_cp1252(raw)
    # A Mac code page is a rare guess on a short file: Windows-1252 curly quotes and the euro
    # sign (0x80-0x9F) read as Mac letters ("the mayorís ìgreenî plan ... Ä12 million").
    if western is not None and (best is None or best.encoding not in WESTERN_CODECS
                                or best.encoding.startswith("mac_")):
        return western
    if best is None:
        raise BadInput("not UTF-8 and no encoding could be detected")
    return str(best)


def _plausible_cp1252(raw: bytes) -> str | None:
    """The bytes as Windows-1252 when that reads like Latin-script text, else None.

    charset-normalizer needs a few hundred bytes to judge; on a short Western text ("Café crème")
    it can pick an exotic code page. In real Latin-script text an accented letter sits inside a
    word of ASCII letters; in Cyrillic or Greek read as cp1252 whole words are accented letters.
    """
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    accented = [w for w in text.split() if any(ord(c) > 127 and c.isalpha() for c in w)]
    mixed = sum(any(c.isascii() and c.isalpha() for c in w) for w in accented)
    return text if mixed >= 0.6 * len(accented) else None


def normalise_newlines(text: str) -> str:
    """`\\r\\n`, `\\r` and Unicode line separators become `\\n`; a stray BOM is dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\ufeff", "")


def normalise_text(text: str) -> str:
    """Text as stored and hashed: NFC, `\\n` line ends, no control characters, no trailing
    spaces, at most one blank line between paragraphs, no surrounding whitespace."""
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", normalise_newlines(text)))
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # Composing last: removing a control character can bring a letter and an accent together.
    return unicodedata.normalize("NFC", text)


def sniff_format(text: str) -> str:
    """Guess the format of stdin or of a file without a known suffix from its first characters."""
    head = text.lstrip()[:2048]
    lowered = head.lower()
    if head.startswith("{") or (head.startswith("[") and _is_json(text)):
        # read_json falls back to JSON Lines for one object per line, and reports bad JSON.
        return "json"
    if head.startswith("<") and any(
        tag in lowered for tag in ("<html", "<body", "<p", "<div", "<article")
    ):
        return "html"
    if head.startswith(("#", "---\n")):
        return "markdown"
    return "text"


def _is_json(text: str) -> bool:
    """Whether text is JSON or JSON Lines (so "[Reuters] The ..." on stdin stays text)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg == "Extra data"
    except RecursionError:
        return True
    return True
