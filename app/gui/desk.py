"""The supervisor's desk in the coding window: Tools → Actors…, Tools → Codebook…,
Document → Properties… and Document → Delete document…. The menu entries call these
functions (``app.gui.actions``), so the main window itself needs no new code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from app.core.errors import ClaimcoderError

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def forget_stale_undo(win: MainWindow, rewritten: int) -> None:
    """After a supervisor's change rewrote statement values (merge, rename, recode), the coding
    undo history holds the statements as they were: undoing an old edit would write a merged-away
    name or a removed category back. So that history goes, and the status bar says why."""
    if rewritten:
        win.session.undo_stack.clear()
        win.statusBar().showMessage(f"{rewritten} statement(s) were rewritten; the coding undo history "
                                    "was cleared (the Actors and Codebook windows keep theirs).", 8000)


def refresh_after_actors(win: MainWindow, rewritten: int = 0) -> None:
    """Names, highlights and the open document's statements after a rename or merge."""
    win.entities.reload()
    forget_stale_undo(win, rewritten)
    s = win.session
    if s.document is not None:
        s.after_change(s.document.id, s.current.id if s.current else None)


def open_actors(win: MainWindow, find: str = "") -> None:
    """Show the Actors window (one per coding window); for an unknown name ``find``, with the
    closest actor selected (a filter on a name nobody has would show an empty table)."""
    from app.gui.actors_window import ActorsWindow

    window = getattr(win, "actors_window", None)
    if window is None:
        window = win.actors_window = ActorsWindow(win.session.project, win)  # type: ignore[attr-defined]
        window.actors_changed.connect(lambda n: refresh_after_actors(win, n))
    window.model.refresh()
    window.filter.clear()
    close = win.entities.match(find).suggestions if find else ()
    if close:
        window.select(close[0].entity.id)
    window.show()
    window.raise_()
    window.activateWindow()


def open_codebook(win: MainWindow) -> None:
    from app.gui.codebook_window import CodebookWindow

    window = getattr(win, "codebook_window", None)
    if window is None:
        window = win.codebook_window = CodebookWindow(win.session.project, win)  # type: ignore[attr-defined]
        window.codebook_changed.connect(lambda n: codebook_saved(win, n))
    window.refresh()
    window.show()
    window.raise_()


def codebook_saved(win: MainWindow, recoded: int) -> None:
    from app.gui.codebook_follow import follow_codebook

    forget_stale_undo(win, recoded)
    follow_codebook(win)
    if not recoded:
        win.statusBar().showMessage("Codebook saved; the coding form shows it now.", 6000)


def _reload_documents(win: MainWindow, document_id: str | None) -> None:
    s = win.session
    s.reload_summaries()
    win.doc_model.set_summaries(s.summaries)
    if document_id is not None and s.row_of(document_id) is not None:
        s.document = None  # reread the details (title, date) of the document shown
        s.open_document(document_id)
    elif s.document is not None and s.row_of(s.document.id) is None:
        s.document = None
        s.open_initial()
        if s.document is None:
            win.article.show_document(None)


def document_properties(win: MainWindow) -> None:
    from app.gui.document_properties import EditDetails, edit_properties

    s = win.session
    if s.document is None:
        return
    editor = s.project.documents
    edit = edit_properties(win, editor, s.document)
    if edit is not None:
        s.undo_stack.push(EditDetails(editor, edit, lambda doc_id: _reload_documents(win, doc_id)))
        _reload_documents(win, edit.after.id)


def delete_document(win: MainWindow) -> None:
    from app.gui.document_properties import DeleteDocument, confirm_delete

    s = win.session
    if s.document is None:
        return
    doc = s.document
    everyone = s.project.statements(doc.id)
    if not confirm_delete(win, doc, len(everyone), len({st.coder_id for st in everyone})):
        return
    editor = s.project.documents
    try:
        gone = editor.delete(doc.id)
    except ClaimcoderError as exc:
        QMessageBox.warning(win, "Not deleted", str(exc))
        return
    s.undo_stack.push(DeleteDocument(editor, gone, lambda doc_id: _reload_documents(win, doc_id)))
    _reload_documents(win, None)
    win.statusBar().showMessage("Document deleted — Undo brings it back.", 5000)
