"""What counts as the same value: the encoding every coefficient sees."""

from __future__ import annotations

from app.core.agreement.values import encode
from app.core.codebook import Variable


def test_entities_compare_trimmed_and_empty_is_no_value() -> None:
    var = Variable(key="speaker", kind="entity")
    codes, domain = encode(var, [" Merkel", "Merkel ", "", "   ", None, "Scholz", 3, True, "Merkel"])
    assert domain.values == ["Merkel", "Scholz"]
    assert codes.tolist() == [0, 0, -1, -1, -1, 1, -1, -1, 0]


def test_categories_keep_codebook_order_and_append_unknown_values() -> None:
    var = Variable(key="stance", kind="category", level="ordinal",
                   categories=[{"value": "against"}, {"value": "neutral"}, {"value": "for"}])
    codes, domain = encode(var, ["for", "against", None, "zzz", "", "aaa", "neutral"])
    assert domain.values == ["against", "neutral", "for", "aaa", "zzz"]
    assert domain.n_categories == 3
    assert codes.tolist() == [2, 0, -1, 4, -1, 3, 1]


def test_numbers_by_value_and_booleans_are_no_numbers() -> None:
    var = Variable(key="n", kind="number", level="interval")
    codes, domain = encode(var, [1, 1.0, 2.5, True, None, 0])
    assert domain.values == [0, 1, 2.5]
    assert codes.tolist() == [1, 1, 2, -1, -1, 0]
    assert domain.scores is not None and domain.scores.tolist() == [0.0, 1.0, 2.5]
