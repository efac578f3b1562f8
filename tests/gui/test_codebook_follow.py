"""The coding window follows a codebook change at once (Tools → Codebook…), keeping the open
document, the selected statement and, unless statements were recoded, the undo history."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from app.gui import desk
from app.services.exporting import build_export


def legend_texts(win) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    layout = win.article.legend._layout
    return [w.text() for i in range(layout.count()) if isinstance(w := layout.itemAt(i).widget(), QLabel)]


def test_a_new_category_and_shortcut_reach_the_coding_form_at_once(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = window.session
    st = s.create_statement(0, 13, {"stance": "support"})
    s.set_value(st.id, "claim_type", "demand")
    doc_id, undo_count = s.document.id, s.undo_stack.count()
    assert undo_count == 2
    desk.open_codebook(window)
    book = window.codebook_window
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("warning", True))
    book.select("claim_type")
    book.buttons["add_category"].click()
    editor = window.panel.editors["claim_type"]
    assert "warning" in editor.buttons  # no reopening needed
    # same document, same statement, the same undo history (nothing was recoded)
    assert (s.document.id, s.current.id, s.undo_stack.count()) == (doc_id, st.id, undo_count)
    assert window.panel.statement is not None and window.panel.statement.id == st.id
    assert editor.buttons["demand"].isChecked()
    # a shortcut and a tooltip given in the codebook window work in the coding form
    book.select("claim_type", "warning")
    book.label.setText("Warning")
    book.description.setPlainText("Says something bad will happen unless.")
    book.shortcut.setText("w")
    book.apply_button.click()
    button = window.panel.editors["claim_type"].buttons["warning"]
    assert button.text() == "Warning  w" and button.toolTip() == "Says something bad will happen unless."
    assert window.panel.knows_shortcut("w")
    window.article.view.setFocus()
    qtbot.keyClick(window.article.view, "w")
    assert s.project.statement(st.id).values["claim_type"] == "warning"  # the rebuilt panel is wired to the session
    # the colour legend follows the variable the highlights use (stance, the first category variable)
    book.select("stance", "neutral")
    book.label.setText("Balanced")
    book.apply_button.click()
    assert "Balanced" in legend_texts(window)
    # a new variable becomes a row of the form and a column of the statement table
    from app.gui import codebook_window

    monkeypatch.setattr(codebook_window._NewVariableDialog, "exec", lambda self: (
        self.key.setText("issue"), self.label.setText("Issue"), self.kind.setCurrentText("text"), 1)[-1])
    book.buttons["add_variable"].click()
    assert "issue" in window.panel.editors
    model = window.statements.model
    headers = [model.headerData(c, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-1] == "Issue"
    window.panel.editors["issue"].value_committed.emit("Security")
    assert s.project.statement(st.id).values["issue"] == "Security"
    qtbot.wait(50)  # let the replaced legend chips go (deleteLater)
    window.grab().save("/tmp/desk2-coding-after-category.png")
    # the agreement of the project's coders reads the codebook as it is now
    assert build_export(s.project, s.coder.name).codebook == s.project.codebook
    assert s.project.codebook.variable("issue") is not None


def test_a_recode_keeps_the_statement_but_clears_the_stale_undo(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = window.session
    st = s.create_statement(0, 13, {"claim_type": "prediction"})
    desk.open_codebook(window)
    book = window.codebook_window
    book.select("claim_type", "prediction")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("assertion", True))
    book.buttons["remove"].click()
    editor = window.panel.editors["claim_type"]
    assert "prediction" not in editor.buttons and editor.buttons["assertion"].isChecked()
    assert s.current is not None and s.current.id == st.id
    assert s.undo_stack.count() == 0  # undoing the old edit would write the removed category back
    book.undo_stack.undo()  # the codebook window's own undo brings the category back to the form
    assert "prediction" in window.panel.editors["claim_type"].buttons
    assert window.panel.editors["claim_type"].buttons["prediction"].isChecked()


def test_the_colour_menu_follows_the_codebook(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """*View → Colour statements by* lists the category variables of the codebook as it is now:
    a relabelled variable under its new label, a new category variable as a new entry that
    colours the highlights when chosen."""
    from app.gui import codebook_window

    def entries() -> list[tuple[str, bool]]:
        return [(a.text(), a.isChecked()) for a in window.colour_menu.actions()]

    # the default codebook's category variables; stance, the first, colours the highlights
    assert entries() == [("Stance", True), ("Claim type", False), ("Quote type", False)]
    desk.open_codebook(window)
    book = window.codebook_window
    book.select("claim_type")
    book.label.setText("Kind of claim")
    book.apply_button.click()
    assert entries() == [("Stance", True), ("Kind of claim", False), ("Quote type", False)]
    monkeypatch.setattr(codebook_window._NewVariableDialog, "exec", lambda self: (
        self.key.setText("tone"), self.label.setText("Tone"), self.kind.setCurrentText("category"),
        self.first.setText("calm"), 1)[-1])
    book.buttons["add_variable"].click()
    assert [t for t, _ in entries()] == ["Stance", "Kind of claim", "Quote type", "Tone"]
    window.colour_menu.actions()[-1].trigger()
    assert window.article.colour_key == "tone"
    assert entries()[-1] == ("Tone", True) and not entries()[0][1]
