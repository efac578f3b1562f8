"""Candidate statements per language: hand-written news sentences, the expected spans written out."""

from __future__ import annotations

import re

import pytest

from app.core.candidates import find_candidates, merge_cues
from app.core.mentions import MentionFinder


def sentences(text: str) -> list[tuple[int, int]]:
    """A plain splitter for the tests (the window uses Qt's segmenter)."""
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?…])[»“”\"]?\s+", text):
        out.append((start, m.start() if text[m.start() - 1] not in "»“”\"" else m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def found(text: str, labels: list[tuple[str, str]] = []) -> list[tuple[str, str, str | None]]:  # noqa: B006
    mentions = MentionFinder(labels).find(text)
    return [(c.kind, text[c.start : c.end], c.speaker) for c in find_candidates(text, sentences(text), mentions)]


ACTORS = [("Irina Maletz", "Irina Maletz"), ("Maletz", "Irina Maletz"), ("Anton Varga", "Anton Varga"),
          ("Varga", "Anton Varga"), ("Angela Merkel", "Angela Merkel"), ("Merkel", "Angela Merkel"), ("Macron", "Emmanuel Macron"),
          ("Лавров", "Сергей Лавров"), ("Sánchez", "Pedro Sánchez")]


def test_english_quotation_and_reported_speech() -> None:
    text = ('"Without the blue helmets, the guns would speak again," Varga told reporters. '
            "Deputy Foreign Minister Irina Maletz said that the mission was still needed. "
            "The mandate expires in November. "
            "The talks had failed, according to Maletz.")
    assert found(text, ACTORS) == [
        ("quotation", '"Without the blue helmets, the guns would speak again,"', "Anton Varga"),
        ("reported", "the mission was still needed", "Irina Maletz"),
        ("reported", "The talks had failed", "Irina Maletz"),
    ]


def test_english_stressed_that_and_said_after_the_content() -> None:
    text = "Varga stressed that no troops would leave before spring. The plan will not work, Maletz said."
    assert found(text, ACTORS) == [
        ("reported", "no troops would leave before spring", "Anton Varga"),
        ("reported", "The plan will not work", "Irina Maletz"),
    ]


def test_german() -> None:
    text = ("Angela Merkel sagte, dass die Mission weiter gebraucht werde. "
            "Laut Merkel ist der Plan gescheitert. "
            "„Wir bleiben hier, so lange es nötig ist“, erklärte sie.")
    assert found(text, ACTORS) == [
        ("reported", "die Mission weiter gebraucht werde", "Angela Merkel"),
        ("reported", "ist der Plan gescheitert", "Angela Merkel"),
        ("quotation", "„Wir bleiben hier, so lange es nötig ist“", "Angela Merkel"),
    ]


def test_french() -> None:
    text = ("Macron a déclaré qu'il ne céderait pas sur la réforme. "
            "Selon Macron, la réforme sera votée avant l'été. "
            "« Nous ne reculerons pas devant la rue », a-t-il ajouté.")
    assert found(text, ACTORS) == [
        ("reported", "il ne céderait pas sur la réforme", "Emmanuel Macron"),
        ("reported", "la réforme sera votée avant l'été", "Emmanuel Macron"),
        ("quotation", "« Nous ne reculerons pas devant la rue »", "Emmanuel Macron"),
    ]


def test_russian() -> None:
    text = ("Лавров заявил, что переговоры зашли в тупик. "
            "По словам Лаврова, санкции не работают. "
            "«Мы готовы к диалогу без предварительных условий», — сказал министр.")
    got = found(text, ACTORS)
    assert got[0] == ("reported", "переговоры зашли в тупик", "Сергей Лавров")
    assert got[1][:2] == ("reported", "санкции не работают")  # "Лаврова" is an inflected form: no suggestion
    assert got[2][:2] == ("quotation", "«Мы готовы к диалогу без предварительных условий»")


def test_spanish() -> None:
    text = ("Sánchez afirmó que el Gobierno no subirá los impuestos. "
            "Según Sánchez, la economía crecerá este año. "
            "La reforma llegará en primavera, dijo el ministro.")
    assert found(text, ACTORS) == [
        ("reported", "el Gobierno no subirá los impuestos", "Pedro Sánchez"),
        ("reported", "la economía crecerá este año", "Pedro Sánchez"),
        ("reported", "La reforma llegará en primavera", "Pedro Sánchez"),
    ]


def test_short_scare_quotes_and_plain_sentences_are_no_candidates() -> None:
    assert found('The so-called "peace plan" was published on Monday. Prices rose.') == []


def test_a_supervisor_extends_the_cues() -> None:
    text = "The minister conceded the budget was too small."
    sents = sentences(text)
    assert find_candidates(text, sents) == []
    cues = merge_cues({"en": {"verbs": ["conceded"]}, "pl": {"verbs": ["powiedział", 3]}, "bad": "x"})
    (cand,) = find_candidates(text, sents, cues=cues)
    assert text[cand.start : cand.end] == "the budget was too small"
    assert "powiedział" in cues["pl"].verbs


@pytest.mark.parametrize("text", ["", "No cue here at all."])
def test_nothing_found_in_plain_text(text: str) -> None:
    assert found(text) == []


def test_a_pronoun_speaker_is_the_actor_named_before() -> None:
    text = ("European Union commissioner Helena Brandt rejected the charge. "
            "The EU, she said, had pledged more than any other donor.")
    labels = [("Helena Brandt", "Helena Brandt"), ("European Union", "European Union"), ("EU", "European Union")]
    assert found(text, labels) == [("reported", "had pledged more than any other donor", "Helena Brandt")]
