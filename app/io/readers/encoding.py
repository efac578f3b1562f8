"""Bytes of a text file to ``str``: BOMs first, then strict UTF-8, then detection.

Most articles are UTF-8, and charset-normalizer costs milliseconds per file, so detection runs
only when strict UTF-8 fails: 10,000 UTF-8 files decode in a fraction of a second.
"""

from __future__ import annotations

import codecs
import functools
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
_CONTROL = tuple(chr(c) for c in (*range(0x09), *range(0x0E, 0x20), 0x7F))
_HIGH = re.compile(rb"[\x80-\xff]")
_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")
_SAMPLE = 64 * 1024
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Legacy single-byte code pages. The same byte is "è" in Western, "č" in Central European and
# "и" in Cyrillic text, and statistical detectors guess wrong on short articles (charset-normalizer
# reads Turkish and Icelandic as Central European). So a candidate code page is accepted only
# when every non-ASCII character it yields belongs to one language written in it: the letters
# below, in either case, and the punctuation of news text.
_PUNCTUATION = frozenset("«»„“”‘’‚‹›–—…•·€£©®™°§×\xa0")
_LANGUAGES = {
    "de": "äöüß", "fr": "àâæçéèêëîïôœùûüÿ", "es": "áéíñóúü¡¿ªº", "it": "àèéìíîòóùúªº",
    "pt": "áâãàçéêíóôõúüªº", "ca": "àçèéíïòóúü·", "nl": "áéèëïóöüê", "da": "æøåéèóô", "sv": "åäöé",
    "fi": "äöåšž", "is": "áðéíóúýþæö", "et": "äöõüšž", "sq": "çë", "tr": "çğıiöşüâîû",
    "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "hu": "áéíóöőúüű",
    "hr": "čćđšž", "sl": "čšž", "ro": "ăâîșşțţ", "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž",
}
_WEST = ("de", "fr", "es", "it", "pt", "ca", "nl", "da", "sv", "fi", "et", "sq", "is")
_CENTRAL = ("pl", "cs", "sk", "hu", "hr", "sl", "ro", "sq")
_BALTIC = ("lt", "lv", "et")
# In order of preference: each code page with the languages written in it, and the letters an
# article in it may hold (its languages, and for Turkish the Western names it quotes). Turkish
# comes before Icelandic: "şarttır" read as Windows-1252 is "þarttýr", all Icelandic letters.
_LATIN_PAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("cp1252", _WEST[:-1], _WEST), ("cp1254", ("tr",), ("tr", *_WEST)), ("cp1252", ("is",), _WEST),
    ("cp1250", _CENTRAL, _CENTRAL), ("iso8859_2", _CENTRAL, _CENTRAL), ("cp1257", _BALTIC, _BALTIC),
    ("iso8859_15", _WEST, _WEST),
)
_PAGE_NAMES = tuple(dict.fromkeys(page for page, _, _ in _LATIN_PAGES))


@functools.cache
def _letters(names: tuple[str, ...]) -> frozenset[str]:
    chars = "".join(_LANGUAGES[n] for n in names)
    return frozenset(chars + chars.upper() + ("İ" if "ı" in chars else "")) | _PUNCTUATION


_CYRILLIC = frozenset(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ№"
) | _PUNCTUATION
_GREEK = frozenset(
    "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫ"
) | _PUNCTUATION
_HEBREW = frozenset("אבגדהוזחטיךכלםמןנסעףפץצקרשת׳״") | _PUNCTUATION
_VOWELS = frozenset("аеёиоуыэюяіїєαεηιουωάέήίόύώϊϋΐΰ")


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
        try:  # UTF-8 with a stray NUL (Contract 1 removes it); UTF-16 read so is mostly NULs
            return checked_text(data.decode("utf-8"))
        except (UnicodeDecodeError, ImportFailed):
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
    # In Latin script, a word with a non-ASCII letter is mostly ASCII letters around an accent or
    # two ("missão", "Dışişleri"); in Cyrillic, Greek or Hebrew it is non-ASCII throughout. Only
    # words are counted, so a table of English headers and URLs with a Russian column is still
    # Cyrillic. Only code pages of the right script are tried.
    words = [w for w in _WORD.findall(data[: 4 * _SAMPLE]) if _HIGH.search(w)]
    latin = sum(len(_HIGH.findall(w)) for w in words) <= 0.6 * sum(len(w) for w in words)
    text = _latin_page(data) if latin else (_other_script_page(data) or _punctuation_only(data))
    if text is not None:
        return text
    from charset_normalizer import from_bytes  # imported here: only needed when the above fail

    isolation = list(_PAGE_NAMES) if latin else None
    best = from_bytes(data, cp_isolation=isolation).best()
    if best is None:
        raise ImportFailed("not UTF-8, and its text encoding cannot be recognised (save it as UTF-8)")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ImportFailed(f"not valid text in the detected encoding {best.encoding}") from None


def _decoded(data: bytes, page: str) -> tuple[str, set[str]] | None:
    try:
        text = data.decode(page)
    except UnicodeDecodeError:
        return None
    return text, set(_NON_ASCII.findall(text[: 4 * _SAMPLE]))


def _latin_page(data: bytes) -> str | None:
    """The first code page in which the text reads as one language; failing that, the first in
    which it reads as the languages of that code page together (an article quoting foreign
    names); else None."""
    decoded: dict[str, tuple[str, set[str]] | None] = {}

    def reading(page: str) -> tuple[str, set[str]] | None:  # each page decoded once, when needed
        if page not in decoded:
            decoded[page] = _decoded(data, page)
        return decoded[page]

    for page, names, _ in _LATIN_PAGES:
        got = reading(page)
        if got is not None and any(got[1] <= _letters((name,)) for name in names):
            return got[0]
    for page, _, region in _LATIN_PAGES:
        got = reading(page)
        if got is not None and got[1] <= _letters(region):
            return got[0]
    return None


def _punctuation_only(data: bytes) -> str | None:
    """Windows-1252 text whose only non-ASCII characters are dashes, quotes or signs standing
    apart ("5 — 3", "€ 5"): no word has an accent to judge the script by."""
    got = _decoded(data, "cp1252")
    return got[0] if got is not None and got[1] <= _PUNCTUATION else None


def _other_script_page(data: bytes) -> str | None:
    """Cyrillic (Windows-1251, KOI8-R), Hebrew (Windows-1255) or Greek (Windows-1253,
    ISO 8859-7), recognised without charset-normalizer (which takes ~25 ms a file). Each of these
    turns the others' bytes into letters too, so a cased reading must also look like language:
    about as many vowels as real text has, and mostly lower case (KOI8-R read as 1251 gives
    Cyrillic with the case inverted). Hebrew has no case; Greek read as Hebrew fails on its
    capitals and accented vowels, which are no Hebrew letters."""
    for page, alphabet in (("cp1251", _CYRILLIC), ("koi8_r", _CYRILLIC), ("cp1255", _HEBREW),
                           ("cp1253", _GREEK), ("iso8859_7", _GREEK)):
        got = _decoded(data, page)
        if got is None or not got[1] <= alphabet:
            continue
        letters = [ch for ch in got[0][: 4 * _SAMPLE] if ch.isalpha() and ch > "\x7f"]
        if not letters:
            continue
        if alphabet is _HEBREW:
            return got[0]
        lower = sum(1 for ch in letters if ch.islower())
        vowels = sum(1 for ch in letters if ch.lower() in _VOWELS)
        if lower >= 0.7 * len(letters) and 0.3 <= vowels / len(letters) <= 0.65:
            return got[0]
    return None


def checked_text(text: str) -> str:
    """Refuse what decoded but is not text: nothing but blanks, or full of control characters."""
    if not text or text.isspace():
        raise ImportFailed("the file is empty")
    # An ``in`` test per character (a memchr-like scan) first: most texts have none, and the
    # pattern's findall took about 20 µs on a 3 kB article.
    sample = text[: 4 * _SAMPLE]
    found = [ch for ch in _CONTROL if ch in sample]
    if found and sum(sample.count(ch) for ch in found) * 100 > min(len(text), 4 * _SAMPLE):
        raise ImportFailed("binary data, not text")
    return text
