"""Contract 1: a document's text is normalised once, at import, and never changes afterwards.

Offsets count Unicode code points (Python string indices). Qt counts UTF-16 code units, so the
GUI converts at its boundary with :class:`Utf16Map`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right

BOM = "\ufeff"
# C0 controls other than tab and line feed (carriage returns are line endings, handled first).
# Vertical tab and form feed break lines (page breaks in text pulled from PDFs and word
# processors), so they become "\n" and the words on either side stay apart; the rest go. NUL is
# among them: PostgreSQL cannot store it at all, and one backend must never hold a different text
# (and sha256) than the other.
_C0 = re.compile(r"[\x00-\x08\x0b-\x1f]")
_C0_TABLE = {c: None for c in range(0x20) if chr(c) not in "\t\n\r"} | {0x0B: "\n", 0x0C: "\n"}
_C0_CHARS = tuple(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")  # what _C0 matches


def _has_c0(value: str) -> bool:
    """Whether ``value`` holds a C0 control _C0 matches. On an article, one ``in`` test per
    control character (a memchr-like scan each) is about ten times quicker than the pattern's
    search (65 µs on 3 kB of mixed-script text); on a short field the pattern is quicker."""
    if len(value) < 256:
        return _C0.search(value) is not None
    return any(ch in value for ch in _C0_CHARS)


def normalize_text(raw: str) -> str:
    """Return ``raw`` as stored: no BOM, ``\\n`` line endings, no C0 controls but tab and line
    feed, Unicode NFC.

    Line endings are fixed before NFC because NFC never combines across ``\\r``/``\\n``, and NFC
    is idempotent, so ``normalize_text(normalize_text(x)) == normalize_text(x)``.
    """
    text = raw[1:] if raw.startswith(BOM) else raw
    if "\r" in text:  # a quick scan; most texts have none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_controls(text)
    # U+2028/2029 are line breaks to Qt but not to most readers of the export; keep them as text.
    return unicodedata.normalize("NFC", text)


def strip_controls(value: str) -> str:
    """``value`` without C0 controls other than tab, line feed and carriage return (VT and FF
    become line feeds); for fields stored beside a text (titles, metadata, names)."""
    return value.translate(_C0_TABLE) if _has_c0(value) else value


def sha256_text(text: str) -> str:
    """The document identity across coders: hex SHA-256 of the normalised text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_normalized(text: str) -> bool:
    return (
        not text.startswith(BOM)
        and "\r" not in text
        and not _has_c0(text)
        and unicodedata.is_normalized("NFC", text)
    )


class Utf16Map:
    """Convert between code-point offsets and UTF-16 positions for one text.

    Only astral characters (above U+FFFF) take two UTF-16 units, so the map keeps just their
    code-point indices; conversion is a binary search, and texts without astral characters (most
    news) convert for free.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if _has_astral(text) else []
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral_cp)]
        self.length = len(text)
        self.length_utf16 = self.length + len(self._astral_cp)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 position of code-point ``offset`` (0 ≤ offset ≤ len(text))."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside 0..{self.length}")
        return offset + bisect_left(self._astral_cp, offset)

    def from_utf16(self, position: int, *, round_up: bool = False) -> int:
        """Code-point offset of UTF-16 ``position``.

        A position between the two halves of a surrogate pair snaps to the start of that
        character, or to its end with ``round_up`` (useful for the end of a selection).
        """
        if not 0 <= position <= self.length_utf16:
            raise ValueError(f"UTF-16 position {position} outside 0..{self.length_utf16}")
        before = bisect_right(self._astral_u16, position - 1)  # astral chars starting before position
        if before and self._astral_u16[before - 1] == position - 1:
            # position is inside the pair that starts at position - 1
            start = position - 1 - (before - 1)
            return start + 1 if round_up else start
        return position - before


def _has_astral(text: str) -> bool:
    # Encoding to UTF-16 is done in C; much faster than a Python loop for the common case.
    return len(text.encode("utf-16-le")) != 2 * len(text)
