"""Words, clauses and sentences of an article, from Qt's segmenter (``QTextBoundaryFinder``,
Unicode UAX #29), converted to code-point spans (Contract 1).

Qt counts UTF-16 units, so every boundary goes through the text's :class:`Utf16Map`. A clause
is the part of a sentence between clause punctuation (, ; : – — and brackets) that stands as a
word-boundary token of its own, so "4,200" is not split. Results are cached per text.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QTextBoundaryFinder

from app.core.candidates import CUES
from app.core.selection import Span, clean_units, join_abbreviations
from app.core.spans import trim_span
from app.core.text import Utf16Map

CLAUSE_MARKS = frozenset(",;:–—()[]")
COMPLEMENTISERS = frozenset(x.casefold() for c in CUES.values() for x in c.complementisers if x[-1].isalnum())


def _bounds(kind: QTextBoundaryFinder.BoundaryType, text: str, u16: Utf16Map) -> list[int]:
    finder = QTextBoundaryFinder(kind, text)
    out = [0]
    while (pos := finder.toNextBoundary()) >= 0:
        out.append(u16.from_utf16(pos))
    return out


@lru_cache(maxsize=4)
def sentences(text: str) -> tuple[Span, ...]:
    u16 = Utf16Map(text)
    units = clean_units(text, _bounds(QTextBoundaryFinder.BoundaryType.Sentence, text, u16))
    return tuple(join_abbreviations(text, units))


@lru_cache(maxsize=4)
def words(text: str) -> tuple[Span, ...]:
    u16 = Utf16Map(text)
    bounds = _bounds(QTextBoundaryFinder.BoundaryType.Word, text, u16)
    return tuple(s for s in clean_units(text, bounds) if any(ch.isalnum() for ch in text[s[0] : s[1]]))


@lru_cache(maxsize=4)
def clauses(text: str) -> tuple[Span, ...]:
    """Clauses: sentences cut at clause punctuation and after a complementiser ("said that |
    the mission …", "sagte, dass | …"), each without the comma or semicolon that ends it (like
    the space a word-wise selection drags along, it is not part of what was said)."""
    u16 = Utf16Map(text)
    cuts = {0, len(text)} | {b for s in sentences(text) for b in s}
    bounds = _bounds(QTextBoundaryFinder.BoundaryType.Word, text, u16)
    for a, b in zip(bounds, bounds[1:]):
        token = text[a:b]
        if token and all(ch in CLAUSE_MARKS for ch in token):
            cuts.add(a if token in "([" else b)  # a closing mark stays with the clause it ends
        elif token.casefold() in COMPLEMENTISERS:
            cuts.add(b)
    out = []
    for a, b in clean_units(text, sorted(cuts)):
        while b > a and text[b - 1] in ",;:":
            b -= 1
        a, b = trim_span(text, a, b)
        if a < b:
            out.append((a, b))
    return tuple(out)
