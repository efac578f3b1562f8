"""Every command of the window as a ``QAction`` with its keys, in its menu. The keymap in
Help → Keyboard shortcuts is read back from these, so it cannot drift from what the keys do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from app.gui import desk

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

Key = QKeySequence.StandardKey | str
SK = QKeySequence.StandardKey


def _keys(*keys: Key) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in keys:
        seqs = QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]
        out += [s for s in seqs if not s.isEmpty() and s not in out]
    return out


def build_menus(win: MainWindow) -> dict[str, QAction]:
    acts: dict[str, QAction] = {}
    bar = win.menuBar()

    def add(menu: QMenu, name: str, text: str, slot: Callable[[], object], *keys: Key, tip: str = "") -> QAction:
        action = QAction(text, win)
        action.setShortcuts(_keys(*keys))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        win.addAction(action)  # shortcuts work while a dock has focus, and when the menu bar is hidden
        acts[name] = action
        return action

    m = bar.addMenu("&File")
    add(m, "open", "&Open project…", win.choose_project, SK.Open)
    add(m, "open_team", "Open &team project…", win.choose_team_project, tip="A project on a PostgreSQL server")
    win.recent_menu = m.addMenu("Open &recent")
    m.addSeparator()
    add(m, "import", "&Import articles…", win.import_articles, "Ctrl+I")
    add(m, "export_json", "&Export for the supervisor (JSON)…", lambda: win.export("json"), "Ctrl+E")
    add(m, "export_csv", "Export for &analysis (CSV)…", lambda: win.export("csv"), "Ctrl+Shift+E")
    add(m, "export_qdpx", "Export for &QDA software (REFI-QDA)…", lambda: win.export("qdpx"))
    add(m, "merge", "&Merge coders' work…", win.merge_work, tip="Bring coders' packages or exports into this project")
    m.addSeparator()
    add(m, "quit", "&Quit", win.close, SK.Quit, "Ctrl+Q")

    m = bar.addMenu("&Edit")
    undo = win.session.undo_stack.createUndoAction(win, "&Undo")
    undo.setShortcuts(_keys(SK.Undo))
    redo = win.session.undo_stack.createRedoAction(win, "&Redo")
    redo.setShortcuts(_keys(SK.Redo, "Ctrl+Shift+Z"))
    for name, action in (("undo", undo), ("redo", redo)):
        m.addAction(action)
        win.addAction(action)
        acts[name] = action
    m.addSeparator()
    add(m, "create", "&Make statement from selection", win.create_from_selection, "Ctrl+Enter", "Ctrl+Return")
    add(m, "respan", "Re-span selected statement to the selection", win.respan_current, "Ctrl+R")
    delete = add(m, "delete", "&Delete statement", win.delete_current, "Delete")
    delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    m.addSeparator()
    add(m, "next_statement", "Next statement", lambda: win.step_statement(1), "Alt+Down")
    add(m, "prev_statement", "Previous statement", lambda: win.step_statement(-1), "Alt+Up")
    add(m, "find", "&Find in article…", win.article.find_bar.open_bar, SK.Find)

    m = bar.addMenu("Se&lect")  # Alt+S selects a sentence
    keys = win.span_keys
    add(m, "select_quotation", "Select the &quotation around the caret", keys.select_quotation, "Alt+Q")
    add(m, "select_sentence", "Select the &sentence", lambda: keys.select_unit("sentence"), "Alt+S")
    add(m, "select_clause", "Select the &clause", lambda: keys.select_unit("clause"), "Alt+C")
    add(m, "select_paragraph", "Select the &paragraph", lambda: keys.select_unit("paragraph"), "Alt+P")
    m.addSeparator()
    add(m, "grow_clause", "Grow the selection by a clause", lambda: keys.grow("clause"), "Alt+Shift+Right")
    add(m, "shrink_clause", "Shrink the selection by a clause", lambda: keys.shrink("clause"), "Alt+Shift+Left")
    add(m, "grow_sentence", "Grow the selection by a sentence", lambda: keys.grow("sentence"), "Alt+Shift+Down")
    add(m, "shrink_sentence", "Shrink the selection by a sentence", lambda: keys.shrink("sentence"), "Alt+Shift+Up")
    m.addSeparator()
    add(m, "next_quotation", "&Next quotation", lambda: keys.step_quotation(1), "Alt+PgDown")
    add(m, "prev_quotation", "P&revious quotation", lambda: keys.step_quotation(-1), "Alt+PgUp")
    m.addSeparator()
    add(m, "next_candidate", "Next candidate statement", lambda: win.step_candidate(1), "F7")
    add(m, "prev_candidate", "Previous candidate statement", lambda: win.step_candidate(-1), "Shift+F7")

    m = bar.addMenu("&Document")
    add(m, "next_doc", "&Next article", lambda: win.step_document(1), "Ctrl+PgDown", SK.Forward)
    add(m, "prev_doc", "&Previous article", lambda: win.step_document(-1), "Ctrl+PgUp", SK.Back)
    add(m, "next_unfinished", "Next &unfinished article", win.next_unfinished, "F8", "Ctrl+Shift+N")
    m.addSeparator()
    add(m, "done", "Mark &done", lambda: win.mark("done"), "Ctrl+D")
    add(m, "skipped", "Mark &skipped", lambda: win.mark("skipped"), "Ctrl+Shift+D")
    add(m, "reopen", "Mark in &progress", lambda: win.mark("in_progress"))
    m.addSeparator()
    add(m, "properties", "P&roperties…", lambda: desk.document_properties(win), "Alt+Return")
    add(m, "delete_document", "Delete document…", lambda: desk.delete_document(win))

    m = bar.addMenu("&View")
    add(m, "zoom_in", "&Larger text", lambda: win.zoom(1), SK.ZoomIn, "Ctrl+=")
    add(m, "zoom_out", "&Smaller text", lambda: win.zoom(-1), SK.ZoomOut)
    add(m, "zoom_reset", "&Normal size", lambda: win.zoom(0), "Ctrl+0")
    win.colour_menu = m.addMenu("&Colour statements by")
    fill_colour_menu(win)
    m.addSeparator()
    for dock in win.docks:
        m.addAction(dock.toggleViewAction())

    m = bar.addMenu("&Tools")
    add(m, "actors", "Ac&tors…", lambda: desk.open_actors(win), "Ctrl+Shift+A")
    add(m, "codebook", "&Codebook…", lambda: desk.open_codebook(win))
    m.addSeparator()
    add(m, "assign", "Assign &work…", win.assign_work, tip="Work packages for the coders, with a reliability sample")
    add(m, "study", "&Study…", win.show_study, tip="Who has done what, and the reliability sample's progress")
    add(m, "agreement", "&Agreement…", win.show_agreement)
    add(m, "adjudicate", "A&djudicate…", win.show_adjudication, tip="Decide the reliability sample's units: the gold standard")
    add(m, "networks", "&Networks…", win.show_networks)
    m.addSeparator()
    suggest = add(m, "candidates", "Suggest candidate stat&ements (project setting)",
                  lambda: win.toggle_candidates(suggest.isChecked()))
    suggest.setCheckable(True)
    suggest.setChecked(win.session.project.setting("candidates", False) is True)

    m = bar.addMenu("&Help")
    add(m, "shortcuts", "&Keyboard shortcuts", win.show_shortcuts, SK.HelpContents, "Ctrl+/")
    add(m, "about", "&About claimcoder", win.show_about)
    return acts


def fill_colour_menu(win: MainWindow) -> None:
    """*View → Colour statements by*: one checkable entry per category variable of the codebook
    as it is now (built again when the codebook changes), the one in use checked."""
    menu = win.colour_menu
    for action in menu.actions():
        action.deleteLater()
    menu.clear()
    group = QActionGroup(menu)
    for var in win.session.project.codebook.variables:
        if var.kind == "category":
            action = menu.addAction(var.display)
            action.setCheckable(True)
            action.setChecked(var.key == win.article.colour_key)
            action.triggered.connect(lambda _c=False, key=var.key: win.colour_by(key))
            group.addAction(action)
    menu.setEnabled(bool(group.actions()))
