"""Span trimming and quotation finding: hand-made texts, offsets counted in the test."""

from __future__ import annotations

import pytest

from app.core.spans import next_quotation, quotation_around, quotations, trim_span


def span(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return at, at + len(needle)


@pytest.mark.parametrize(("selected", "kept"), [
    ("the member states ", "the member states"),
    ("  said the mission\n", "said the mission"),
    ("needed, ' ", "needed,"),
    ("\u00a0non-breaking\u00a0", "non-breaking"),
    ('"the guarantor of the ceasefire"', '"the guarantor of the ceasefire"'),
    ('the guarantor of the ceasefire" ', "the guarantor of the ceasefire"),
    ("“quoted”", "“quoted”"),
    ("„zitiert“", "„zitiert“"),
    ("«цитата» ", "«цитата»"),
    ("« fin", "fin"),
    ("the member states'", "the member states'"),  # a possessive apostrophe stays
])
def test_trim_span(selected: str, kept: str) -> None:
    text = "x " + selected + " y"
    start, end = trim_span(text, 2, 2 + len(selected))
    assert text[start:end] == kept


def test_trim_span_counts_code_points_past_astral_characters() -> None:
    text = "🇪🇺 said: “we stay” 😀 "
    start, end = trim_span(text, 2, len(text))
    assert text[start:end] == "said: “we stay” 😀"
    assert (start, end) == (3, len(text) - 1)  # the two flags are two code points


def test_trim_span_of_only_space_is_empty() -> None:
    start, end = trim_span("a   b", 1, 4)
    assert start == end


def test_quotations_in_several_conventions() -> None:
    text = 'He said “we stay”. Sie sagte „wir bleiben“. Il a dit « nous restons ». "Plain," he said.'
    found = [text[a:b] for a, b in quotations(text)]
    assert found == ["“we stay”", "„wir bleiben“", "« nous restons »", '"Plain,"']


def test_nested_quotations_and_apostrophes() -> None:
    text = "“They told us ‘wait’, and we don't,” she said."
    assert [text[a:b] for a, b in quotations(text)] == ["“They told us ‘wait’, and we don't,”", "‘wait’"]
    inner = span(text, "wait")
    assert text[slice(*quotation_around(text, *inner))] == "‘wait’"
    outer = quotation_around(text, *span(text, "‘wait’"))
    assert text[slice(*outer)].startswith("“They")


def test_a_quotation_left_open_ends_at_the_line_break() -> None:
    text = "“First paragraph without end\n“Second one” here."
    assert [text[a:b] for a, b in quotations(text)] == ["“Second one”"]


def test_next_and_previous_quotation() -> None:
    text = 'A "one" B "two" C "three"'
    assert text[slice(*next_quotation(text, 0, 1))] == '"one"'
    assert text[slice(*next_quotation(text, text.index('"two"') + 5, 1))] == '"three"'
    assert text[slice(*next_quotation(text, text.index('"three"'), -1))] == '"two"'
    assert next_quotation(text, len(text), 1) is None
