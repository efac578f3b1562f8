"""Navigation, document status, find, offsets with astral characters, models, launching."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.exporting import build_export
from tests.gui.conftest import make_project
from tests.gui.test_coding import press, select_text

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def titles(window) -> str:  # type: ignore[no-untyped-def]
    return window.session.document.title


def test_next_previous_and_next_unfinished(window, qtbot) -> None:
    assert titles(window) == "Peacekeepers to stay, says president"
    press(window, qtbot, Qt.Key.Key_PageDown, CTRL)
    assert titles(window) == "Ceasefire holds"
    press(window, qtbot, Qt.Key.Key_D, CTRL)  # mark done (no statements: no question)
    assert window.session.project.status_map(window.session.coder)[window.session.document.id] == "done"
    assert window.progress.text() == "1 of 3 done"
    press(window, qtbot, Qt.Key.Key_PageUp, CTRL)
    assert titles(window) == "Peacekeepers to stay, says president"
    press(window, qtbot, Qt.Key.Key_F8)
    assert titles(window) == "Refugees arrive"  # skips the done one
    press(window, qtbot, Qt.Key.Key_F8)
    assert titles(window) == "Peacekeepers to stay, says president"


def test_mark_done_asks_when_a_required_value_is_missing(window, qtbot, monkeypatch) -> None:
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    select_text(window, "Putin said")
    press(window, qtbot, Qt.Key.Key_Return, CTRL)
    window.article.view.setFocus()
    press(window, qtbot, Qt.Key.Key_D, CTRL)
    status = lambda: window.session.project.status_map(window.session.coder)[window.session.document.id]  # noqa: E731
    assert status() == "in_progress"
    press(window, qtbot, Qt.Key.Key_D, CTRL)
    assert status() == "done"
    row = window.session.row_of(window.session.document.id)
    assert window.doc_model.index(row, 3).data() == "●"
    assert window.doc_model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole) == "done"
    press(window, qtbot, Qt.Key.Key_Z, CTRL)  # marking is undoable
    assert status() == "in_progress"


def test_position_is_remembered(tmp_path: Path, qtbot, coding_project) -> None:
    from app.gui.main_window import MainWindow

    project, coder = coding_project
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    win.step_document(1)
    win.step_document(1)
    again = MainWindow(project, coder)
    qtbot.addWidget(again)
    assert again.session.document.title == "Refugees arrive"


def test_document_filter_by_text_and_status(window, qtbot) -> None:
    panel = window.doc_list
    qtbot.keyClicks(panel.filter, "cease")
    assert panel.proxy.rowCount() == 1
    panel.filter.clear()
    panel.status.setCurrentIndex(panel.status.findData("in_progress"))
    assert panel.proxy.rowCount() == 0
    select_text(window, "Putin said")
    press(window, qtbot, Qt.Key.Key_Return, CTRL)
    assert panel.proxy.rowCount() == 1


def test_find_bar(window, qtbot) -> None:
    press(window, qtbot, Qt.Key.Key_F, CTRL)
    bar = window.article.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "mission")
    assert window.article.view.textCursor().selectedText() == "mission"
    first = window.article.view.textCursor().selectionStart()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert window.article.view.textCursor().selectionStart() > first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, SHIFT)
    assert window.article.view.textCursor().selectionStart() == first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_astral_characters_keep_offsets_right(tmp_path: Path, qtbot) -> None:
    from app.gui.main_window import MainWindow

    text = "👩‍👩‍👧 😀 𝄞 The family said 𠀋 is a rare character. 😀 Then 𝄞 music played."
    project = make_project(tmp_path / "astral.ccdb", [("Astral", text)])
    coder = project.ensure_coder("alice")
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    win.show()
    view = win.article.view
    view.setFocus()
    press(win, qtbot, Qt.Key.Key_Home, CTRL)
    selected = []
    for words in (3, 4):  # select word by word from after the emoji run, twice
        for _ in range(words):
            press(win, qtbot, Qt.Key.Key_Right, CTRL)
        for _ in range(words):
            press(win, qtbot, Qt.Key.Key_Right, CTRL | SHIFT)
        selected.append(view.textCursor().selectedText())
        press(win, qtbot, Qt.Key.Key_Return)
        view.setFocus()
    export = build_export(project, "alice")
    got = sorted((s.start, s.text) for s in export.statements)
    assert [t for _, t in got] == [x.strip() for x in selected]  # word-wise selection drags a space; it is trimmed
    for s in export.statements:
        assert text[s.start : s.end] == s.text
    assert any("𠀋" in t or "😀" in t for t in selected)
    project.close()


def test_models_pass_the_model_tester(window, qtmodeltester, qtbot) -> None:
    select_text(window, "Putin said")
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, "p")
    press(window, qtbot, Qt.Key.Key_Return)
    qtmodeltester.check(window.doc_model)
    qtmodeltester.check(window.doc_list.proxy)
    qtmodeltester.check(window.statements.model)
    window.statements.setCurrentIndex(1)
    qtmodeltester.check(window.statements.all_model)
    assert window.statements.all_model.rowCount() == 1
    assert window.statements.all_model.index(0, 1).data() == "Putin said"


def test_project_statements_load_page_by_page(tmp_path: Path, qtbot) -> None:
    from app.gui import project_statements

    project = make_project(tmp_path / "many.ccdb")
    coder = project.ensure_coder("alice")
    doc = project.document_summaries()[0]
    for i in range(project_statements.PAGE + 20):
        project.create_statement(doc.id, coder, i % 50, i % 50 + 5)
    model = project_statements.ProjectStatementsModel(project, coder)
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == project_statements.PAGE
    model.fetchMore()
    assert model.rowCount() == project_statements.PAGE + 20 and not model.canFetchMore()
    project.close()


def test_finding_in_all_statements_searches_rows_not_loaded_yet(tmp_path: Path, qtbot, window) -> None:  # type: ignore[no-untyped-def]
    project, coder = window.session.project, window.session.coder
    doc = project.document_summaries()[0]
    for i in range(600):  # more than a page: the match sits beyond the loaded rows
        project.create_statement(doc.id, coder, i % 50, i % 50 + 5, values={"speaker": "Anna Petrova" if i else "Oona Jørgensen"})
    project.create_statement(doc.id, coder, 200, 230, values={"speaker": "Oona Jørgensen", "stance": "support"})
    dock = window.statements
    dock.setCurrentIndex(1)
    dock.all_model.refresh()
    qtbot.keyClicks(dock.filter, "jørgensen")
    qtbot.waitUntil(lambda: dock.all_model.total == 2, timeout=2000)
    dock.all_model.fetchMore()
    assert dock.all_model.rowCount() == 2
    assert {dock.all_model.index(r, 2).data() for r in range(2)} == {"Oona Jørgensen"}
    qtbot.keyClicks(dock.filter, "_%")  # LIKE wildcards are taken literally
    qtbot.waitUntil(lambda: dock.all_model.total == 0, timeout=2000)


def test_shortcuts_dialog_lists_the_real_actions(window) -> None:
    from app.gui.help_dialogs import ShortcutsDialog

    dialog = ShortcutsDialog(window.actions_by_name.values(), window)
    cells = {dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert cells["Mark done"] == "Ctrl+D"
    assert "F8" in cells["Next unfinished article"]
    assert "Ctrl+Shift+Z" in cells["Redo"] or "Ctrl+Y" in cells["Redo"]


def test_font_size_is_remembered(window, qtbot, coding_project) -> None:
    from app.gui import settings
    size = window.article.view.font().pointSize()
    press(window, qtbot, Qt.Key.Key_Plus, CTRL)
    assert settings.font_size() == size + 1
    press(window, qtbot, Qt.Key.Key_0, CTRL)
    assert settings.font_size() == settings.DEFAULT_FONT_PT


def test_opening_a_broken_project_shows_a_message(tmp_path: Path, qtbot, monkeypatch) -> None:
    from app.gui.launch import Launcher

    bad = tmp_path / "broken.ccdb"
    bad.write_bytes(b"this is not a database" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    launcher = Launcher()
    assert launcher.open_project(bad, coder_name="alice") is False
    assert shown and "broken.ccdb" in shown[0]


def test_opening_a_project_asks_for_the_coder_once(tmp_path: Path, qtbot, monkeypatch) -> None:
    import app.gui.launch as launch
    from app.gui import settings

    path = tmp_path / "p.ccdb"
    make_project(path).close()
    asked = []
    monkeypatch.setattr(launch, "ask_coder", lambda names, name, parent: asked.append(names) or "bob")
    launcher = launch.Launcher()
    assert launcher.open_project(path)
    qtbot.addWidget(launcher.window)
    assert launcher.window.windowTitle() == "Peacekeeping coverage — bob — claimcoder"
    assert settings.recent_projects() == [str(path.resolve())] and settings.last_project() == str(path.resolve())
    launcher.window.close()
    assert launcher.open_project(path)
    qtbot.addWidget(launcher.window)
    assert asked == [[]]  # remembered the second time
    launcher.window.close()
