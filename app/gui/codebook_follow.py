"""The coding window follows a codebook change made in Tools → Codebook… at once: the coding
form is built again from the new codebook (its rows, category buttons, shortcuts and tooltips),
the statement tables get the new columns, the legend the new categories and *View → Colour
statements by* the new category variables — with the same
document open and the same statement selected. (The undo history is cleared by
:func:`app.gui.desk.forget_stale_undo` only when statement values were recoded.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit

from app.gui.actions import fill_colour_menu
from app.gui.annotation_panel import AnnotationPanel

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def follow_codebook(win: MainWindow) -> None:
    s = win.session
    codebook = s.project.codebook  # re-read: the editor wrote a new version
    had_focus = win.panel.isAncestorOf(win.focusWidget()) if win.focusWidget() else False
    panel = AnnotationPanel(codebook, win.entities, win)
    win.connect_panel(panel)
    old = win.panel_scroll.takeWidget()
    win.panel_scroll.setWidget(panel)  # the scroll area owns the new form
    win.panel = panel
    if old is not None:
        old.deleteLater()
    win.article.set_codebook(codebook)
    fill_colour_menu(win)  # after set_codebook: it may have fallen back to another variable
    win.statements.model.set_codebook(codebook)
    win.statements.all_model.refresh()
    if s.document is not None:  # reread: a recode changed the values shown
        s.statements = s.project.statements(s.document.id, s.coder)
        s.current = next((st for st in s.statements if s.current and st.id == s.current.id), None)
        s.statements_changed.emit()
    doc = s.document
    st = s.current
    panel.set_statement(st, doc.text[st.start : st.end] if st and doc else "")
    win.statements.show_current(st.id if st else None)
    win._repaint()
    if had_focus and not isinstance(win.focusWidget(), QLineEdit):
        win.article.view.setFocus()
