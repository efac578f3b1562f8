"""CSV for spreadsheets: UTF-8 with a BOM (so Excel reads it) and no formula injection."""

from __future__ import annotations

import unicodedata
from itertools import compress, repeat
from typing import Any

# OWASP ("CSV Injection"): cells starting with = + - @, tab or carriage return get a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip blanks, line breaks and invisible characters before deciding that a cell is
# a formula, and read the full-width forms (typed with East Asian input methods) as the ASCII
# ones: so the test is on the first visible character.
_FORMULA_CHARS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")  # ＝ ＋ － ＠
_INVISIBLE = frozenset(("Cc", "Cf"))  # controls, and format characters such as U+200B and the BOM


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (OWASP: prefix a quote)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    for ch in value:  # most cells end this loop at their first character
        if ch in _FORMULA_CHARS:
            return "'" + value
        if not (ch.isspace() or unicodedata.category(ch) in _INVISIBLE):
            return value
    return value


def _decides_safe(ch: str) -> bool:
    """A first character after which :func:`safe_cell` keeps a cell as it is."""
    return not (ch in FORMULA_STARTS or ch in _FORMULA_CHARS or ch.isspace() or unicodedata.category(ch) in _INVISIBLE)


_FIRST = slice(0, 1)


def safe_column(values: list[str]) -> list[str]:
    """:func:`safe_cell` over a column of text, deciding once per distinct first character:
    a million statement texts mostly start with a letter, and only the cells whose first
    character is not plainly visible and harmless go through the full test."""
    firsts = list(map(str.__getitem__, values, repeat(_FIRST)))
    doubtful = {ch for ch in set(firsts) if ch and not _decides_safe(ch)}
    if not doubtful:
        return values
    out = list(values)
    for i in compress(range(len(out)), map(doubtful.__contains__, firsts)):
        out[i] = safe_cell(out[i])
    return out
