"""Growing a selection by text units (words, clauses, sentences, paragraphs), as pure functions.

The window gets the units from Qt's segmenter (``app/gui/segments.py``) and hands them here as
sorted, non-overlapping code-point spans; what to select next is decided here, so it is tested
without a window.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.spans import trim_span

Span = tuple[int, int]

# Abbreviations after which a segmenter wrongly ends a sentence in news copy ("Mr. Smith said").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt sgt capt gov sen rep rev jr sr no vs etc hr fr frau dr. "
    "herr nr bzw z.b mme mlle m ст г им т.е".split()
)


def paragraphs(text: str) -> list[Span]:
    """The lines of ``text`` that hold words (imported articles keep one paragraph per line)."""
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        span = trim_span(text, start, end)
        if span[0] < span[1]:
            out.append(span)
        start = end + 1
    return out


def clean_units(text: str, bounds: Sequence[int]) -> list[Span]:
    """Spans between consecutive ``bounds``, trimmed, empty ones dropped."""
    out = []
    for a, b in zip(bounds, bounds[1:]):
        span = trim_span(text, a, b)
        if span[0] < span[1]:
            out.append(span)
    return out


def join_abbreviations(text: str, sentences: list[Span]) -> list[Span]:
    """Join a "sentence" that ends in a title or an initial ("Mr.", "J.") to the next one."""
    out: list[Span] = []
    for span in sentences:
        if out and _ends_in_abbreviation(text[out[-1][0] : out[-1][1]]) and text[out[-1][1] : span[0]].strip() == "":
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def _ends_in_abbreviation(sentence: str) -> bool:
    if not sentence.endswith("."):
        return False
    last = sentence[:-1].split()[-1] if sentence[:-1].split() else ""
    return (len(last) == 1 and last.isupper()) or last.casefold() in ABBREVIATIONS


def unit_at(units: Sequence[Span], offset: int) -> Span | None:
    """The unit holding ``offset``; in a gap between units, the one after it (else the last)."""
    for span in units:
        if offset < span[1]:
            return span
    return units[-1] if units else None


def cover(units: Sequence[Span], start: int, end: int) -> Span | None:
    """The smallest run of whole units that covers ``start..end`` (a caret: its unit)."""
    first = unit_at(units, start)
    if first is None:
        return None
    last = unit_at(units, max(start, end - 1)) or first
    return first[0], max(first[1], last[1])


def grow(units: Sequence[Span], start: int, end: int) -> Span | None:
    """Extend the end to the end of the next unit (a caret: select its unit)."""
    if start == end:
        return cover(units, start, end)
    nxt = next((u for u in units if u[1] > end), None)
    return (start, nxt[1]) if nxt else None


def shrink(units: Sequence[Span], start: int, end: int) -> Span | None:
    """Pull the end back to the end of the previous unit, keeping at least one unit."""
    earlier = [u for u in units if start < u[1] < end]
    return (start, earlier[-1][1]) if earlier else None
