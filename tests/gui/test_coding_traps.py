"""Issue 14's silent traps: each test replays what a coder did and checks the stored result."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextCursor

from app.gui.help_dialogs import shortcut_rows
from tests.gui.test_coding import QUOTE, press, select_text, stored

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_category_key_on_a_fresh_selection_codes_a_new_statement_not_the_old_one(window, qtbot) -> None:
    select_text(window, QUOTE)
    for key in [Qt.Key.Key_Return, "p", Qt.Key.Key_Return, "3"]:
        press(window, qtbot, key)
    press(window, qtbot, Qt.Key.Key_Escape)
    (first,) = stored(window)
    select_text(window, "Pashinyan rejected the plan")  # a fresh selection, the old statement still current
    press(window, qtbot, "1")
    old, new = sorted(stored(window), key=lambda s: s.start)
    assert old.id == first.id and old.values["stance"] == "support"  # untouched
    assert window.session.document.text[new.start : new.end] == "Pashinyan rejected the plan"
    assert new.values == {"stance": "oppose"}


def test_after_undo_focus_goes_to_what_was_undone_and_the_next_key_counts(window, qtbot) -> None:
    select_text(window, QUOTE)
    for key in [Qt.Key.Key_Return, "p", Qt.Key.Key_Return, "1"]:
        press(window, qtbot, key)
    press(window, qtbot, Qt.Key.Key_Z, CTRL)
    assert stored(window)[0].values == {"speaker": "Vladimir Putin"}
    assert window.panel.editors["stance"].focus_target().hasFocus()
    press(window, qtbot, "2")
    press(window, qtbot, "e")
    assert stored(window)[0].values == {"speaker": "Vladimir Putin", "stance": "neutral", "claim_type": "evaluation"}


def test_a_key_a_row_does_not_know_is_not_dropped_silently(window, qtbot) -> None:
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    window.panel.focus_first("claim_type")
    press(window, qtbot, "2")  # a stance key typed on the claim type row
    assert stored(window)[0].values == {"stance": "neutral"}
    press(window, qtbot, "z")  # no row has it: the status bar says so
    assert "z" in window.statusBar().currentMessage()


def test_a_capital_letter_typed_on_the_selection_starts_a_capitalised_new_actor(window, qtbot, monkeypatch) -> None:
    import app.gui.main_window as mw

    monkeypatch.setattr(mw, "confirm_new_entity", lambda parent, name: "person")
    select_text(window, QUOTE)
    qtbot.keyClick(window.article.view, Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier, )
    press(window, qtbot, "aluzin")
    press(window, qtbot, Qt.Key.Key_Return)
    assert stored(window)[0].values["speaker"] == "Galuzin"


def test_the_panel_does_not_jump_when_a_statement_gains_its_missing_values(window, qtbot) -> None:
    panel = window.panel
    editor_y = lambda: panel.editors["stance"].mapTo(panel, panel.editors["stance"].rect().topLeft()).y()  # noqa: E731
    empty_y = editor_y()
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    qtbot.wait(10)
    missing_y = editor_y()
    for key in ["p", Qt.Key.Key_Return, "1", "e"]:
        press(window, qtbot, key)
    qtbot.wait(10)
    assert empty_y == missing_y == editor_y()


def test_the_completion_list_never_covers_the_field(window, qtbot) -> None:
    window.move(0, 0)
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, "e")
    editor = window.panel.entity_editor("speaker")
    popup = editor.completer.popup()
    assert popup.isVisible()
    field = QRect(editor.edit.mapToGlobal(editor.edit.rect().topLeft()), editor.edit.size())
    assert not popup.geometry().intersects(field)


def test_the_delete_message_goes_away_after_undo(window, qtbot) -> None:
    select_text(window, QUOTE)
    press(window, qtbot, Qt.Key.Key_Return)
    window.article.view.setFocus()
    press(window, qtbot, Qt.Key.Key_Delete)
    assert "Undo" in window.statusBar().currentMessage()
    press(window, qtbot, Qt.Key.Key_Z, CTRL)
    assert len(stored(window)) == 1
    assert "deleted" not in window.statusBar().currentMessage()


def test_find_centres_the_match(qtbot, tmp_path) -> None:
    from app.gui.main_window import MainWindow
    from tests.gui.conftest import make_project

    filler = "\n".join(f"Paragraph {i} says nothing in particular about anything at all." for i in range(120))
    project = make_project(tmp_path / "long.ccdb", [("Long", filler + "\nThe needle is here.\n" + filler)])
    win = MainWindow(project, project.ensure_coder("alice"))
    qtbot.addWidget(win)
    win.resize(1300, 820)
    win.show()
    qtbot.waitExposed(win)
    win.actions_by_name["find"].trigger()
    qtbot.keyClicks(win.article.find_bar.edit, "needle")
    assert win.article.view.textCursor().selectedText() == "needle"
    view = win.article.view
    rect, height = view.cursorRect(), view.viewport().height()
    assert abs(rect.center().y() - height // 2) < height // 6
    project.close()


def test_the_shortcut_list_shows_readable_primary_keys(window) -> None:
    rows = dict((what, keys) for keys, what in shortcut_rows(window.actions_by_name.values()))
    assert rows["Undo"] == "Ctrl+Z"
    assert rows["Quit"] == "Ctrl+Q"
    for keys in rows.values():
        assert not any(name in keys for name in ("F14", "Undo", "Exit", "Back", "Forward", "Help")), keys


def test_every_key_in_the_shortcut_list_is_in_the_readme_table(window) -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Keyboard", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    keys_column = [line.split("|")[1] for line in table.splitlines() if line.startswith("|")]
    tokens = {t for cell in keys_column for t in re.split(r"[ ,/;()]+", cell)}
    for keys, what in shortcut_rows(window.actions_by_name.values()):
        assert keys in tokens, (keys, what)
