"""The Speaker field against the actor list (issue 13): no duplicate that differs only in case,
accents or a listed alias; "did you mean …?" before a new actor; a closed list adds nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from tests.gui.test_coding import QUOTE, press, select_text, stored


def answer_dialog(qtbot, object_name: str | None, shots: list | None = None,  # type: ignore[no-untyped-def]
                  screenshot: str = "") -> None:
    """Click a button of the next modal dialog (None: Cancel), once it is up."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        if shots is not None:
            shots.append({b.objectName(): b.text() for b in dialog.findChildren(QPushButton)})
            if screenshot:
                dialog.grab().save(screenshot)
        if object_name is None:
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
        else:
            dialog.findChild(QPushButton, object_name).click()
    QTimer.singleShot(0, act)


def type_text(window, text: str) -> None:  # type: ignore[no-untyped-def]
    """Key events carrying each character (QTest's keyClicks knows only ASCII keys)."""
    target = window.focusWidget()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def speak(window, qtbot, typed: str) -> None:  # type: ignore[no-untyped-def]
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    type_text(window, typed)
    press(window, qtbot, Qt.Key.Key_Return)


def test_case_accents_and_aliases_find_the_listed_actor(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.main_window as mw

    monkeypatch.setattr(mw, "confirm_new_entity", lambda *a: (_ for _ in ()).throw(AssertionError("asked to add")))
    project = window.session.project
    project.actors.add("Sergey Lavrov", "person", ["Lavrov"])
    window.entities.reload()
    for typed, name in (("lavróv", "Sergey Lavrov"), ("PASHINYAN", "Nikol Pashinyan"), ("the russian president", "Vladimir Putin")):
        speak(window, qtbot, typed)
        assert stored(window)[-1].values["speaker"] == name
        window.session.delete(stored(window)[-1].id)
    assert len(project.entities()) == 4


def test_a_close_match_is_offered_before_a_new_actor(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    shots: list = []
    answer_dialog(qtbot, "suggestion_0", shots, "/tmp/desk-did-you-mean.png")
    speak(window, qtbot, "V. Putin")
    assert stored(window)[0].values["speaker"] == "Vladimir Putin"
    assert shots[0]["suggestion_0"] == "Vladimir Putin" and shots[0]["add_new"] == "Add “V. Putin” as a new actor"
    assert len(window.session.project.entities()) == 3


def test_a_new_actor_keeps_the_capitalisation_typed(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.main_window as mw

    monkeypatch.setattr(mw, "confirm_new_entity", lambda parent, name: "person")
    speak(window, qtbot, "Anna von PETROVA")
    assert stored(window)[0].values["speaker"] == "Anna von PETROVA"
    assert window.session.project.actors.get("anna von petrova").name == "Anna von PETROVA"


def test_a_closed_list_adds_no_actor(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.main_window as mw

    monkeypatch.setattr(mw, "confirm_new_entity", lambda *a: (_ for _ in ()).throw(AssertionError("asked to add")))
    window.session.project.actors.set_closed(True)
    shots: list = []
    answer_dialog(qtbot, None, shots, "/tmp/desk-closed-list.png")
    speak(window, qtbot, "Anna Petrova")
    assert "add_new" not in shots[0] and not any("new actor" in text for text in shots[0].values())
    assert "speaker" not in stored(window)[0].values
    assert len(window.session.project.entities()) == 3
    answer_dialog(qtbot, "suggestion_0")  # a close match can still be picked
    press(window, qtbot, "Pashinian")
    press(window, qtbot, Qt.Key.Key_Return)
    assert stored(window)[0].values["speaker"] == "Nikol Pashinyan"


def test_an_unknown_name_opens_the_actor_list_on_it(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.session.project.actors.set_closed(True)
    shots: list = []
    answer_dialog(qtbot, "open_list", shots)
    speak(window, qtbot, "Pashinian")
    actors = window.actors_window
    assert actors.isVisible() and actors.filter.text() == ""
    assert actors.selected_id() == window.session.project.actors.get("Nikol Pashinyan").id
    assert "speaker" not in stored(window)[0].values
