from __future__ import annotations

import pytest

from app.core.names import duplicate_keys, name_key


@pytest.mark.parametrize(("a", "b"), [
    ("Lavrov", "lavrov"),
    ("Lavróv", "Lavrov"),
    ("  Sergey   Lavrov ", "sergey lavrov"),
    ("ANGELA MERKEL", "Angela Merkel"),
    ("Straße", "STRASSE"),
    ("Zoë", "Zoe"),
    ("Émile", "emile"),
])
def test_same_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Putin", "Vladimir Putin"),
    ("Jørgensen", "Jorgensen"),  # ø is a letter of its own, not o with an accent
    ("Łukaszenka", "Lukaszenka"),
])
def test_different_key(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_duplicate_keys_groups_the_clashing_names() -> None:
    assert duplicate_keys(["Putin", "putin ", "Lavrov"]) == {"putin": ["Putin", "putin "]}
