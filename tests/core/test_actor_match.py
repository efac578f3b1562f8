"""The Speaker field's question, without Qt: exact by name key, else close matches."""

from __future__ import annotations

import pytest

from app.core.actor_match import ActorIndex, match_actor
from app.core.domain import Entity

ACTORS = [
    Entity("1", "Vladimir Putin", "person", ("Putin", "the Russian president")),
    Entity("2", "Sergey Lavrov", "person", ("Lavrov",)),
    Entity("3", "Nikol Pashinyan", "person", ("Pashinyan",)),
    Entity("4", "European Union", "organisation", ("EU",)),
    Entity("5", "United Nations", "organisation", ("UN",)),
]


@pytest.mark.parametrize(("typed", "name"), [("lavrov", "Sergey Lavrov"), ("Lavróv", "Sergey Lavrov"),
                                             ("  LAVROV ", "Sergey Lavrov"), ("the russian  President", "Vladimir Putin"),
                                             ("eu", "European Union")])
def test_exact_ignores_case_accents_and_spaces(typed: str, name: str) -> None:
    m = match_actor(typed, ACTORS)
    assert m.exact is not None and m.exact.name == name and m.suggestions == ()


@pytest.mark.parametrize(("typed", "name"), [("V. Putin", "Vladimir Putin"), ("Pashinian", "Nikol Pashinyan"),
                                             ("Sergei Lavrov", "Sergey Lavrov"), ("Putn", "Vladimir Putin")])
def test_close_matches_are_offered_before_a_new_actor(typed: str, name: str) -> None:
    m = match_actor(typed, ACTORS)
    assert m.exact is None and m.suggestions[0].entity.name == name


@pytest.mark.parametrize("typed", ["Angela Merkel", "Boris Johnson", "NATO", "Kremlin"])
def test_unrelated_names_get_no_suggestion(typed: str) -> None:
    assert match_actor(typed, ACTORS).suggestions == ()


def test_completions_rank_prefix_then_word_start_then_inside_and_ignore_accents() -> None:
    index = ActorIndex(ACTORS + [Entity("6", "Ursula von der Leyen"), Entity("7", "Unión Europea")])
    # hand-ranked: "un" starts "UN" (2 letters), "Unión Europea" (13) and "United Nations" (14,
    # the same actor as "UN", so left out), and starts a word of "European Union"
    assert [label for label, _ in index.completions("un")] == ["UN", "Unión Europea", "European Union"]
    assert [e.name for _, e in index.completions("union")] == ["Unión Europea", "European Union"]
