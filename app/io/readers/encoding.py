"""Bytes of a text file to ``str``: BOMs first, then strict UTF-8, then detection.

Most articles are UTF-8, and charset-normalizer costs milliseconds per file, so detection runs
only when strict UTF-8 fails: 10,000 UTF-8 files decode in a fraction of a second.
"""

from __future__ import annotations

import codecs
import re

from app.core.errors import ImportFailed

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return: real text
# has almost none, binary data decoded as a single-byte code page has many.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")
_HIGH = re.compile(rb"[\x80-\xff]")
# Western and Central European code pages: where the non-ASCII bytes stand alone among ASCII
# letters (accents in Latin script), detection is restricted to these, because on a short text
# charset-normalizer may otherwise pick a CJK multi-byte encoding.
_LATIN_CODE_PAGES = ["cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1254", "cp1257", "mac_roman"]
_SAMPLE = 64 * 1024
_CYRILLIC = frozenset(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґўІЇЄҐЎ"
    "«»„“”‘’–—…№\xa0"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿŒœŸ"  # letters of de/fr/es/it/pt/nl/nordic
    "€£¥¢©®™°±·§¶«»„“”‘’‚‹›–—…•¡¿ªº×\xa0"  # punctuation and signs of Western news text
)


def decode_text(data: bytes) -> str:
    """Decode a text file's bytes; the result still needs ``normalize_text``.

    Raises ImportFailed for empty files, binary data and bytes no encoding explains.
    """
    if not data or data.isspace():  # not data.strip(): that copies a 200 MB table
        raise ImportFailed("the file is empty")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return checked_text(_strict(data[len(bom):], codec, label))
    if b"\x00" in data:
        return checked_text(_utf16_without_bom(data))
    try:
        return checked_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return checked_text(_detected(data))


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"not valid {label} (byte {exc.start})") from None


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 without a BOM: of the two byte orders, the right one has ASCII (spaces, newlines,
    digits) where the wrong one has characters like U+2000; binary data fails to decode or is
    full of controls and unprintable characters."""
    best: tuple[int, str] | None = None
    if len(data) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            ascii_chars = sum(1 for ch in text[:_SAMPLE] if ch < "\x80")
            if best is None or ascii_chars > best[0]:
                best = (ascii_chars, text)
    if best is None or not _printable(best[1]):
        raise ImportFailed("binary data, not text")
    return best[1]


def _printable(text: str) -> bool:
    sample = text[:_SAMPLE]
    return sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t") >= 0.95 * len(sample)


def _detected(data: bytes) -> str:
    sample = data[: 4 * _SAMPLE]
    highs = len(_HIGH.findall(sample))
    latin = len(_HIGH_PAIR.findall(sample)) * 10 <= highs  # accents standing alone
    if latin:
        # Windows-1252 (a superset of Latin-1) is by far the most common legacy encoding of
        # Western European news. charset-normalizer cannot tell it from Baltic or Central European
        # code pages on a short text and may turn "è" into "č"; so take it whenever every
        # non-ASCII character it yields is one that Western European text uses.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if set(_NON_ASCII.findall(text[: 4 * _SAMPLE])) <= _WESTERN:
                return text
    elif (cyrillic := _cp1251(data)) is not None:
        return cyrillic
    from charset_normalizer import from_bytes  # imported here: only needed for legacy encodings

    best = from_bytes(data, cp_isolation=_LATIN_CODE_PAGES if latin else None).best()
    if best is None:
        raise ImportFailed("not UTF-8, and its text encoding cannot be recognised (save it as UTF-8)")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ImportFailed(f"not valid text in the detected encoding {best.encoding}") from None


def _cp1251(data: bytes) -> str | None:
    """Russian, Ukrainian or Bulgarian text in Windows-1251, recognised without charset-normalizer
    (which takes ~25 ms a file): every non-ASCII character a Cyrillic letter or common
    punctuation, and mostly lower case. KOI8-R read as 1251 also gives Cyrillic letters, but with
    the case inverted, so the case test tells the two apart."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    letters = _NON_ASCII.findall(text[: 4 * _SAMPLE])
    if not set(letters) <= _CYRILLIC:
        return None
    lower = sum(1 for ch in letters if ch.islower())
    return text if lower >= 0.7 * sum(1 for ch in letters if ch.isalpha()) else None


def checked_text(text: str) -> str:
    """Refuse what decoded but is not text: nothing but blanks, or full of control characters."""
    if not text or text.isspace():
        raise ImportFailed("the file is empty")
    if len(_CONTROL.findall(text[: 4 * _SAMPLE])) * 100 > min(len(text), 4 * _SAMPLE):
        raise ImportFailed("binary data, not text")
    return text
