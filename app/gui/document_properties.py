"""Document → Properties…: correct a document's title, source, date, URL and metadata; and
Document → Delete document…, confirmed. Both land on the coding window's undo stack.

The text is shown read-only for reference and never changes (Contract 1).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.core.domain import Document
from app.core.errors import ClaimcoderError
from app.services.documents import DetailsEdit, DocumentEditor
from app.store.document_repository import DeletedDocument


class DocumentPropertiesDialog(QDialog):
    """The editable details of one document; :meth:`values` are what the coder typed."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document properties")
        self.doc = doc
        self.title = QLineEdit(doc.title, self)
        self.source = QLineEdit(doc.source, self)
        self.published = QLineEdit(doc.published or "", self)
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.url = QLineEdit(doc.url or "", self)
        self.url.setPlaceholderText("https://…")
        self.metadata = QPlainTextEdit("\n".join(f"{k}: {v}" for k, v in doc.metadata.items()), self)
        self.metadata.setPlaceholderText("one field per line, as  key: value")
        self.metadata.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Source", self.source)
        form.addRow("&Date", self.published)
        form.addRow("&URL", self.url)
        form.addRow("&Metadata", self.metadata)
        info = QLabel(f"{len(doc.text):,} characters · sha256 {doc.sha256[:12]}… · the text itself never changes", self)
        info.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def values(self) -> dict[str, object]:
        meta: dict[str, str] = {}
        for line in self.metadata.toPlainText().splitlines():
            key, sep, value = line.partition(":")
            if key.strip():
                meta[key.strip()] = value.strip() if sep else ""
        # keep non-text metadata (numbers, lists from a JSONL import) that the lines show as text
        for key, old in self.doc.metadata.items():
            if key in meta and meta[key] == str(old):
                meta[key] = old  # type: ignore[assignment]
        return {"title": self.title.text(), "source": self.source.text(), "published": self.published.text(),
                "url": self.url.text(), "metadata": meta}


class EditDetails(QUndoCommand):
    def __init__(self, editor: DocumentEditor, edit: DetailsEdit, refresh: Callable[[str], None]) -> None:
        super().__init__(f"Edit properties of “{edit.before.title[:40]}”")
        self.editor, self.edit, self.refresh, self._first = editor, edit, refresh, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        a = self.edit.after
        self.editor.edit(a.id, title=a.title, source=a.source, published=a.published or "", url=a.url or "",
                         metadata=a.metadata)
        self.refresh(a.id)

    def undo(self) -> None:
        self.editor.restore_details(self.edit)
        self.refresh(self.edit.before.id)


class DeleteDocument(QUndoCommand):
    def __init__(self, editor: DocumentEditor, deleted: DeletedDocument, refresh: Callable[[str | None], None]) -> None:
        super().__init__(f"Delete document “{deleted.title[:40]}”")
        self.editor, self.deleted, self.refresh, self._first = editor, deleted, refresh, True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.editor.delete(self.deleted.document["id"])
        self.refresh(None)

    def undo(self) -> None:
        self.editor.restore(self.deleted)
        self.refresh(self.deleted.document["id"])


def edit_properties(parent: QWidget, editor: DocumentEditor, doc: Document) -> DetailsEdit | None:
    """Show the dialog until the details are valid or the user cancels; the committed edit."""
    dialog = DocumentPropertiesDialog(doc, parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            edit = editor.edit(doc.id, **dialog.values())  # type: ignore[arg-type]
        except ClaimcoderError as exc:
            QMessageBox.warning(parent, "Not saved", str(exc))
            continue
        return edit if edit.changed else None
    return None


def confirm_delete(parent: QWidget, doc: Document, n_statements: int, n_coders: int) -> bool:
    work = (f"\n\nIt holds {n_statements} statement(s) by {n_coders} coder(s); they are deleted with it."
            if n_statements else "")
    answer = QMessageBox.question(
        parent, "Delete document?", f"Delete “{doc.title or 'Untitled'}” from the project?{work}\n\nUndo brings it back.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
