"""Actor mentions found with the name key's folding; offsets counted by hand."""

from __future__ import annotations

from app.core.mentions import MentionFinder, fold

LABELS = [("Sergey Lavrov", "Sergey Lavrov"), ("Lavrov", "Sergey Lavrov"), ("UN", "United Nations"),
          ("the UN mission", "United Nations"), ("Jonas Åberg", "Jonas Åberg"), ("Straße", "Straße")]


def test_fold_maps_back_to_the_original_characters() -> None:
    folded, origin = fold("Åb ß")
    assert folded == "ab ss"
    assert origin == [0, 1, 2, 3, 3]


def test_mentions_ignore_case_and_accents_and_need_whole_words() -> None:
    text = "LAVRÓV met 😀 Jonas Aberg; the UN mission said UNESCO and the UN agree. Strasse."
    found = [(text[m.start : m.end], m.name) for m in MentionFinder(LABELS).find(text)]
    assert found == [("LAVRÓV", "Sergey Lavrov"), ("Jonas Aberg", "Jonas Åberg"),
                     ("the UN mission", "United Nations"), ("UN", "United Nations"), ("Strasse", "Straße")]


def test_no_labels_no_mentions() -> None:
    assert MentionFinder([]).find("anything") == []


def test_declined_russian_names_are_mentions_of_the_actor() -> None:
    labels = [("Владимир Путин", "Владимир Путин"), ("Путин", "Владимир Путин"), ("Ли", "Ли Цян")]
    text = "Встреча Путина с Лавровым; Путину, Путиным и Владимира Путина. Путинский режим. Лиса."
    found = [(text[m.start : m.end], m.name) for m in MentionFinder(labels).find(text)]
    # endings of up to three letters are taken in; "Путинский" (four more) and "Лиса" (a
    # two-letter label) are other words
    assert found == [("Путина", "Владимир Путин"), ("Путину", "Владимир Путин"), ("Путиным", "Владимир Путин"),
                     ("Путина", "Владимир Путин")]


def test_latin_names_take_no_endings() -> None:
    assert MentionFinder([("Putin", "Vladimir Putin")]).find("Putina and Putins") == []
