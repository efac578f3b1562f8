"""Spans in one or two keys, driven through the window's shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import make_project
from tests.gui.test_coding import press, stored

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = ("😀 Mr. Varga said on Friday: “Without the blue helmets, the guns would speak again.” "
        "He left early. The deputy said the mission, which costs 4,200 dollars, was needed.\n"
        "𝄞 Second paragraph „mit Zitat“ here.")


def window_on(qtbot, tmp_path: Path, text: str = TEXT):  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project = make_project(tmp_path / "keys.ccdb", [("Keys", text)])
    win = MainWindow(project, project.ensure_coder("alice"))
    qtbot.addWidget(win)
    win.resize(1300, 820)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # window shortcuts need an active window
    win.article.view.setFocus()
    return win


def caret_at(win, needle: str) -> None:  # type: ignore[no-untyped-def]
    view = win.article.view
    cursor = view.textCursor()
    cursor.setPosition(view.u16.to_utf16(view.text.index(needle)))
    view.setTextCursor(cursor)


def selected(win) -> str:  # type: ignore[no-untyped-def]
    start, end = win.span_keys._current()
    return win.article.view.text[start:end]


def test_quotation_sentence_clause_and_paragraph_at_the_caret(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path)
    caret_at(win, "blue helmets")
    win.actions_by_name["select_quotation"].trigger()
    assert selected(win) == "“Without the blue helmets, the guns would speak again.”"
    caret_at(win, "Varga said")
    win.actions_by_name["select_sentence"].trigger()
    assert selected(win).startswith("😀 Mr. Varga said on Friday:")  # "Mr." does not end it
    assert selected(win).endswith("speak again.”")
    caret_at(win, "which costs")
    win.actions_by_name["select_clause"].trigger()
    assert selected(win) == "which costs 4,200 dollars"  # the number's comma is no clause mark
    caret_at(win, "the mission,")
    win.actions_by_name["select_clause"].trigger()
    assert selected(win) == "The deputy said the mission"
    caret_at(win, "Second")
    win.actions_by_name["select_paragraph"].trigger()
    assert selected(win) == "𝄞 Second paragraph „mit Zitat“ here."
    caret_at(win, "He left")
    win.actions_by_name["select_sentence"].trigger()
    assert selected(win) == "He left early."
    win.actions_by_name["select_sentence"].trigger()  # again: the next sentence
    assert selected(win).startswith("The deputy said")


def test_keys_grow_and_shrink_by_clause_and_sentence(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path)
    caret_at(win, "The deputy")
    press(win, qtbot, Qt.Key.Key_S, ALT)
    assert selected(win) == "The deputy said the mission, which costs 4,200 dollars, was needed."
    press(win, qtbot, Qt.Key.Key_Left, ALT | SHIFT)  # shrink by a clause
    assert selected(win) == "The deputy said the mission, which costs 4,200 dollars"
    press(win, qtbot, Qt.Key.Key_Left, ALT | SHIFT)
    assert selected(win) == "The deputy said the mission"
    press(win, qtbot, Qt.Key.Key_Right, ALT | SHIFT)
    assert selected(win) == "The deputy said the mission, which costs 4,200 dollars"
    caret_at(win, "He left")
    press(win, qtbot, Qt.Key.Key_Down, ALT | SHIFT)  # a caret: its sentence
    assert selected(win) == "He left early."
    press(win, qtbot, Qt.Key.Key_Down, ALT | SHIFT)
    assert selected(win).startswith("He left early. The deputy") and selected(win).endswith("was needed.")
    press(win, qtbot, Qt.Key.Key_Up, ALT | SHIFT)
    assert selected(win) == "He left early."


def test_next_quotation_then_enter_makes_the_statement_with_astral_offsets(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path)
    press(win, qtbot, Qt.Key.Key_PageDown, ALT)
    press(win, qtbot, Qt.Key.Key_Return)
    (st,) = stored(win)
    text = win.session.document.text
    assert text[st.start : st.end] == "“Without the blue helmets, the guns would speak again.”"
    assert st.start == text.index("“Without")  # code points: the emoji before it counts once
    win.article.view.setFocus()
    press(win, qtbot, Qt.Key.Key_PageDown, ALT)
    assert selected(win) == "„mit Zitat“"
    press(win, qtbot, Qt.Key.Key_PageUp, ALT)
    assert selected(win).startswith("“Without")


def test_clauses_cut_after_a_complementiser_and_leave_the_comma_out(qapp) -> None:
    from app.gui.segments import clauses

    text = "Maletz said that the mission was needed, as agreed. Merkel sagte, dass sie bleibe."
    assert [text[a:b] for a, b in clauses(text)] == [
        "Maletz said that", "the mission was needed", "as agreed.", "Merkel sagte", "dass", "sie bleibe."]
