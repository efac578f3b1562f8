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
    assert got[1] == ("reported", "санкции не работают", "Сергей Лавров")  # "Лаврова": the name declined
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


# -- repeated quotations, naming verbs, whole sentences, matching a selection -------------------

from app.core.candidates import Candidate, matching  # noqa: E402


def test_a_headline_repeating_the_bodys_quotation_is_no_candidate_of_its_own() -> None:
    text = ('Peacekeepers remain "guarantor of the ceasefire", Varga says\n\n'
            'Anton Varga said the contingent was "the only guarantor of the ceasefire" in the valley.')
    got = found(text, ACTORS)
    # neither the headline's quotation nor its "Varga says" sentence: the body says it in full
    assert [g[1] for g in got] == ['"the only guarantor of the ceasefire"']


def test_a_quotation_only_as_long_as_another_stays() -> None:
    text = '"We will not leave the valley," Varga said. Later he repeated: "We will not leave the valley."'
    assert [g[1] for g in found(text, ACTORS)] == ['"We will not leave the valley,"', '"We will not leave the valley."']


@pytest.mark.parametrize(("text", "span"), [
    ('On Friday Anton Varga called the contingent in the valley "the only guarantor of the ceasefire" and left.',
     'called the contingent in the valley "the only guarantor of the ceasefire"'),
    ("Angela Merkel nannte den Einsatz „eine Frage der Glaubwürdigkeit Europas“.",
     "nannte den Einsatz „eine Frage der Glaubwürdigkeit Europas“"),
    ("Macron a qualifié la réforme de « nécessaire et juste pour tous ».",
     "a qualifié la réforme de « nécessaire et juste pour tous »"),
    ("Лавров назвал санкции «экономической войной против нашей страны».",
     "назвал санкции «экономической войной против нашей страны»"),
    ("Sánchez calificó la propuesta de «un paso atrás para todos».",
     "calificó la propuesta de «un paso atrás para todos»"),
])
def test_a_quotation_a_naming_verb_introduces_starts_at_the_verb(text: str, span: str) -> None:
    (got,) = found(text, ACTORS)
    assert got[:2] == ("quotation", span)


def test_a_naming_verb_behind_a_comma_or_so_called_does_not_extend_the_quotation() -> None:
    text = ('Varga called the plan, after a long pause, "the only way to keep the peace". '
            'The so-called "peace plan of the government" was published.')
    assert [g[1] for g in found(text, ACTORS)] == ['"the only way to keep the peace"', '"peace plan of the government"']


@pytest.mark.parametrize(("text", "speaker"), [
    ("Helena Brandt rejected the charge. She called on China and the Gulf states to contribute.", "Helena Brandt"),
    ("The opposition Civic Alliance accused the government of hiding behind foreign soldiers.", "Civic Alliance"),
    ("Angela Merkel forderte die Staaten der Region zu mehr Zusammenarbeit auf.", "Angela Merkel"),
    ("Macron a exhorté les partenaires européens à investir davantage.", "Emmanuel Macron"),
    ("Лавров призвал западные страны к переговорам.", "Сергей Лавров"),
    ("Sánchez pidió a la oposición un acuerdo sobre el presupuesto.", "Pedro Sánchez"),
])
def test_a_directive_or_accusation_verb_makes_the_whole_sentence_a_candidate(text: str, speaker: str) -> None:
    labels = [*ACTORS, ("Helena Brandt", "Helena Brandt"), ("Civic Alliance", "Civic Alliance"), ("China", "China")]
    got = found(text, labels)
    last = text.split(". ")[-1] if text.count(". ") else text
    assert got == [("sentence", last, speaker)]


def test_no_whole_sentence_candidate_without_a_subject_or_when_content_can_be_cut_out() -> None:
    # a participle opening the sentence is no claim; "demanded that …" has its content after "that"
    assert found("Asked about the budget at the airport.") == []
    assert found("The minister was accused of hiding the figures. When asked about it, he declined.") == []
    assert found("Der Minister wurde beschuldigt, die Zahlen zu verbergen.") == []
    text = "Reiner demanded that the government present a timetable."
    assert found(text, [("Reiner", "Tomas Reiner")]) == [
        ("reported", "the government present a timetable", "Tomas Reiner")]


def test_a_selection_matches_the_candidate_it_stands_for() -> None:
    text = 'He demanded that the government present a timetable. Then "we shall see what comes," he said.'
    first = text.index(".") + 1
    sents = [(0, first), (first + 1, len(text))]

    def at(chunk: str) -> tuple[int, int]:
        return text.index(chunk), text.index(chunk) + len(chunk)

    reported = Candidate(*at("the government present a timetable"), "reported", "demanded", "Tomas Reiner")
    quote = Candidate(*at('"we shall see what comes,"'), "quotation", '""', "Anton Varga")
    cands = [reported, quote]
    assert matching(cands, sents, *at("the government present a timetable")) is reported  # exactly it
    assert matching(cands, sents, 0, first) is reported  # grown to its sentence (Alt+S)
    assert matching(cands, sents, *at("present a timetable")) is reported  # inside it
    assert matching(cands, sents, *at("we shall see")) is quote  # a part of the quotation
    assert matching(cands, sents, *at('"we shall see what comes," he said')) is quote  # grown by two words
    # into the next sentence: holds the first candidate but leaves its sentence, sharing its 34
    # characters of the 72 selected (under half), and 14 of the quotation's 84-character union
    assert matching(cands, sents, 0, text.index("what")) is None
    assert matching(cands, sents, 0, text.index("Then") + 4) is reported  # one word more: 34 of 57
    assert matching(cands, sents, *at("He demanded that the")) is None  # 3 of 51 characters
    assert matching(cands, sents, 30, 30) is None


def test_overlapping_half_their_union_matches_and_less_does_not() -> None:
    sents = [(0, 100)]
    c = Candidate(10, 50, "reported", "said", "X")
    assert matching([c], sents, 5, 40) is c  # 30 shared of a union of 45: 0.67
    assert matching([c], sents, 35, 80) is None  # 15 shared of a union of 70: 0.21
