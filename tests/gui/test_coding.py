"""Coding statements the way a coder does: keys into the focused widget, then check the store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from app.services.exporting import build_export


def press(win: QWidget, qtbot, key: Qt.Key | str, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """One keystroke into whatever has focus, as a coder types it."""
    target = win.focusWidget() or win
    if isinstance(key, str):
        qtbot.keyClicks(target, key, mods)
    else:
        qtbot.keyClick(target, key, mods)


def select_text(win, needle: str) -> None:  # type: ignore[no-untyped-def]
    """The coder's selection (mouse or Shift+arrows) of ``needle`` in the article."""
    view = win.article.view
    at = view.toPlainText().index(needle)
    cursor = view.textCursor()
    cursor.setPosition(at)
    cursor.setPosition(at + len(needle), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.setFocus()


def stored(win):  # type: ignore[no-untyped-def]
    s = win.session
    return s.project.statements(s.document.id, s.coder)


QUOTE = "Putin said the mission was still needed."


def test_a_statement_is_fully_coded_in_five_keystrokes(window, qtbot) -> None:
    select_text(window, QUOTE)
    keys = [Qt.Key.Key_Return, "p", Qt.Key.Key_Return, "3", "e"]
    for key in keys:
        press(window, qtbot, key)
    assert len(keys) == 5
    (st,) = stored(window)
    assert st.values == {"speaker": "Vladimir Putin", "stance": "support", "claim_type": "evaluation"}
    assert window.session.document.text[st.start : st.end] == QUOTE
    assert window.panel.editors["target"].focus_target().hasFocus()  # moved on to the next variable


def test_typing_a_letter_on_a_selection_starts_the_speaker_four_keystrokes(window, qtbot) -> None:
    select_text(window, "Pashinyan rejected the plan")
    for key in ["p", "a", Qt.Key.Key_Return, "1", "d"]:
        press(window, qtbot, key)
    (st,) = stored(window)
    assert st.values == {"speaker": "Nikol Pashinyan", "stance": "oppose", "claim_type": "demand"}


def test_alias_typed_in_the_middle_resolves_to_the_canonical_name(window, qtbot) -> None:
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, "russian")
    editor = window.panel.entity_editor("speaker")
    assert editor.completer.completionModel().index(0, 0).data() == "the Russian president → Vladimir Putin"
    press(window, qtbot, Qt.Key.Key_Return)
    assert stored(window)[0].values["speaker"] == "Vladimir Putin"


def test_an_unknown_speaker_is_added_after_a_confirm(window, qtbot, monkeypatch) -> None:
    import app.gui.main_window as mw

    asked = []
    monkeypatch.setattr(mw, "confirm_new_entity", lambda parent, name: asked.append(name) or "person")
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, "Anna Petrova")
    press(window, qtbot, Qt.Key.Key_Return)
    assert asked == ["Anna Petrova"]
    assert stored(window)[0].values["speaker"] == "Anna Petrova"
    assert window.session.project.resolve_entity("anna petrova").kind == "person"


def test_keys_in_the_article_code_the_selected_statement(window, qtbot) -> None:
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, Qt.Key.Key_Escape)  # back to the article
    assert window.article.view.hasFocus()
    press(window, qtbot, "2")
    press(window, qtbot, "x")
    assert stored(window)[0].values == {"stance": "neutral", "claim_type": "accusation"}
    assert window.statements.model.index(0, 0).data() == "●"  # speaker (required) still missing


def test_respan_delete_undo_redo(window, qtbot) -> None:
    select_text(window, "Putin said")
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, "Putin")
    press(window, qtbot, Qt.Key.Key_Return)
    (first,) = stored(window)
    # re-span: select the whole sentence, Ctrl+R
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    (st,) = stored(window)
    assert (st.id, window.session.document.text[st.start : st.end]) == (first.id, QUOTE)
    # delete with the Delete key while the article has focus
    window.article.view.setFocus()
    press(window, qtbot, Qt.Key.Key_Delete)
    assert stored(window) == []
    window.article.view.setFocus()
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo delete: same id back
    assert [s.id for s in stored(window)] == [first.id]
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo re-span
    assert window.session.document.text[stored(window)[0].start : stored(window)[0].end] == "Putin said"
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo speaker
    assert stored(window)[0].values == {}
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo create
    assert stored(window) == []
    for _ in range(4):
        press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored(window) == []  # redo all: created, coded, re-spanned, deleted
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (back,) = stored(window)
    assert (back.id, back.values) == (first.id, {"speaker": "Vladimir Putin"})


def test_click_selects_and_alt_arrows_step_through_statements(window, qtbot) -> None:
    s = window.session
    doc = s.document
    for needle in ("The president called", "Putin said", "Pashinyan rejected"):
        at = doc.text.index(needle)
        s.create_statement(at, at + len(needle))
    window.article.view.setFocus()
    press(window, qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert s.current.start == 0
    press(window, qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert doc.text[s.current.start : s.current.end] == "Putin said"
    press(window, qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert s.current.start == 0
    view = window.article.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(doc.text.index("Pashinyan rejected") + 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    assert doc.text[s.current.start : s.current.end] == "Pashinyan rejected"
    assert window.statements.table.selectionModel().currentIndex().row() == 2


def test_mouse_drag_selects_a_span_and_enter_makes_it_a_statement(window, qtbot) -> None:
    view = window.article.view
    text = window.session.document.text
    a, b = QTextCursor(view.document()), QTextCursor(view.document())
    a.setPosition(text.index("Putin said"))
    b.setPosition(text.index("Putin said") + len("Putin said"))
    start, end = view.cursorRect(a).center(), view.cursorRect(b).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert view.textCursor().selectedText() == "Putin said"
    press(window, qtbot, Qt.Key.Key_Return)
    (st,) = stored(window)
    assert text[st.start : st.end] == "Putin said"


def test_shift_arrows_select_in_the_read_only_view(window, qtbot) -> None:
    view = window.article.view
    view.setFocus()
    for _ in range(3):
        press(window, qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert view.textCursor().selectedText().startswith("The president called")
    press(window, qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(window)) == 1


def test_export_has_what_was_coded(window, qtbot) -> None:
    select_text(window, QUOTE)
    for key in [Qt.Key.Key_Return, "p", Qt.Key.Key_Return, "3", "e"]:
        press(window, qtbot, key)
    export = build_export(window.session.project, "alice")
    (st,) = export.statements
    assert (st.text, st.values["speaker"]) == (QUOTE, "Vladimir Putin")
