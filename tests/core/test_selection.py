"""Growing and shrinking a selection over text units; units and offsets written out by hand."""

from __future__ import annotations

from app.core.selection import cover, grow, join_abbreviations, paragraphs, shrink, unit_at

UNITS = [(0, 5), (7, 12), (14, 20)]


def test_unit_at_and_cover() -> None:
    assert unit_at(UNITS, 3) == (0, 5)
    assert unit_at(UNITS, 6) == (7, 12)  # in a gap: the unit after it
    assert unit_at(UNITS, 99) == (14, 20)
    assert cover(UNITS, 3, 3) == (0, 5)
    assert cover(UNITS, 3, 9) == (0, 12)  # every unit the selection touches
    assert cover([], 0, 0) is None


def test_grow_and_shrink() -> None:
    assert grow(UNITS, 8, 8) == (7, 12)  # a caret selects its unit
    assert grow(UNITS, 0, 5) == (0, 12)
    assert grow(UNITS, 0, 12) == (0, 20)
    assert grow(UNITS, 0, 20) is None
    assert shrink(UNITS, 0, 20) == (0, 12)
    assert shrink(UNITS, 0, 12) == (0, 5)
    assert shrink(UNITS, 0, 5) is None  # one unit is the least


def test_paragraphs_skip_blank_lines() -> None:
    text = "One line.\n\nTwo  \n \u00a0\nThree"
    assert [text[a:b] for a, b in paragraphs(text)] == ["One line.", "Two", "Three"]


def test_titles_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Smith said so. J. Doe left. Then rain."
    raw = [(0, 3), (4, 18), (19, 21), (22, 31), (32, 42)]
    assert [text[a:b] for a, b in join_abbreviations(text, raw)] == ["Mr. Smith said so.", "J. Doe left.", "Then rain."]
