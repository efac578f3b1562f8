"""Issue 4's acceptance scenario, as a newcomer lives it: the demo, three statements coded without
the mouse, one undone, quit, reopen — and exactly that is in the project and in the export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.core.export_model import load_export
from app.services.exporting import export_coder
from app.services.project import Project

# Phrases of the first demo article, and the keys a coder types once the phrase is selected:
# Enter (make it a statement), speaker letters + Enter, stance key, claim-type key.
CODING = [
    ("the only guarantor of the ceasefire", ["Varga", "3", "e"], ("Anton Varga", "support", "evaluation")),
    ("the mission was still needed", ["Maletz", "3", "a"], ("Irina Maletz", "support", "assertion")),
    ("He demanded that the government present a timetable", ["Reiner", "1", "d"], ("Tomas Reiner", "oppose", "demand")),
]


def _select_with_keys(win, qtbot, phrase: str) -> None:  # type: ignore[no-untyped-def]
    """Put the caret before ``phrase`` and extend the selection with Shift+Right, as a coder does."""
    view = win.article.view
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(view.toPlainText().index(phrase))
    view.setTextCursor(cursor)
    for _ in phrase:
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == phrase


def _type(win, qtbot, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Return)
    speaker, stance, claim = keys
    qtbot.keyClicks(win.focusWidget(), speaker)
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(win.focusWidget(), stance)
    qtbot.keyClicks(win.focusWidget(), claim)


def test_demo_code_three_undo_one_quit_reopen(tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch

    monkeypatch.setattr(launch, "ask_coder", lambda names, name, parent: "newcomer")
    launcher = launch.Launcher()
    launcher.open_demo(tmp_path / "demo")
    win = launcher.window
    assert win is not None
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    project_path = Path(win.session.project.target)
    first_doc = win.session.document.id

    for phrase, keys, _ in CODING:
        _select_with_keys(win, qtbot, phrase)
        _type(win, qtbot, keys)
    coder = win.session.coder
    assert len(win.session.project.statements(first_doc, coder)) == 3

    undo_keys = 0
    while len(win.session.project.statements(first_doc, coder)) == 3 and undo_keys < 6:
        qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        undo_keys += 1
    assert QKeySequence(QKeySequence.StandardKey.Undo).toString() == "Ctrl+Z"
    assert len(win.session.project.statements(first_doc, coder)) == 2

    win.close()  # quitting closes the project file

    with Project.open(project_path) as project:
        again = project.coder("newcomer")
        assert again is not None
        kept = project.statements(first_doc, again)
        text = project.document(first_doc).text
        assert [(text[s.start : s.end], s.values) for s in kept] == [
            (phrase, dict(zip(("speaker", "stance", "claim_type"), values))) for phrase, _, values in CODING[:2]
        ]
        assert project.last_document_id(again) == first_doc
        out = tmp_path / "newcomer.json"
        export_coder(project, "newcomer", out)
    export = load_export(out)
    texts = {d.id: d.text for d in export.documents}
    assert len(export.statements) == 2
    assert all(texts[s.document_id][s.start : s.end] == s.text for s in export.statements)

    reopened = launch.Launcher()
    assert reopened.open_project(project_path, "newcomer")
    qtbot.addWidget(reopened.window)
    assert reopened.window.session.document.id == first_doc
    reopened.window.close()
