"""The Actors window's attribute columns: add one typed text or category (with its values),
remove an unused one — both undoable with the window's Undo (the change is only the project
setting ``actor_attributes``, so undo writes the previous declaration back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QInputDialog, QLineEdit, QMessageBox, QWidget,
)

from app.core.errors import ClaimcoderError
from app.services.actor_attributes import AttributeColumn

if TYPE_CHECKING:
    from app.gui.actors_window import ActorsWindow


class ColumnCommand(QUndoCommand):
    """A change of the declared columns, already made; undo/redo write one declaration or the other."""

    def __init__(self, window: ActorsWindow, text: str, before: list[AttributeColumn],
                 after: list[AttributeColumn]) -> None:
        super().__init__(text)
        self.window, self.before, self.after, self._first = window, before, after, True

    def _write(self, columns: list[AttributeColumn]) -> None:
        try:
            self.window.actors.set_attribute_columns(columns)
        except ClaimcoderError as exc:
            QMessageBox.warning(self.window, "Not changed", str(exc))
        self.window.model.refresh()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)


class NewColumnDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add attribute column")
        self.key = QLineEdit(self)
        self.key.setPlaceholderText("e.g. country, party, actor type")
        self.type = QComboBox(self)
        self.type.addItems(["text", "category"])
        self.values = QLineEdit(self)
        self.values.setPlaceholderText("a category's values, separated by |  (e.g. RU | UA)")
        self.type.currentTextChanged.connect(lambda t: self.values.setEnabled(t == "category"))
        self.values.setEnabled(False)
        form = QFormLayout(self)
        form.addRow("&Name", self.key)
        form.addRow("&Type", self.type)
        form.addRow("&Values", self.values)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, str, list[str]]:
        values = self.values.text().split("|") if self.type.currentText() == "category" else []
        return self.key.text().strip(), self.type.currentText(), values


def add_column(window: ActorsWindow) -> None:
    dialog = NewColumnDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    key, kind, values = dialog.chosen()
    if not key:
        return
    actors = window.actors
    before = actors.declared_columns()
    try:
        col = actors.add_attribute_column(key, kind, values)
    except ClaimcoderError as exc:
        QMessageBox.warning(window, "Not added", str(exc))
        return
    window.undo_stack.push(ColumnCommand(window, f"Add the {col.type} column '{col.key}'", before,
                                         actors.declared_columns()))
    window.model.refresh()


def remove_column(window: ActorsWindow) -> None:
    actors = window.actors
    keys = [c.key for c in actors.attribute_columns()]
    if not keys:
        QMessageBox.information(window, "Remove column", "There are no attribute columns.")
        return
    key, ok = QInputDialog.getItem(window, "Remove column", "Attribute column to remove (it must be empty):",
                                   keys, 0, False)
    if not ok or not key:
        return
    before = actors.declared_columns()
    try:
        actors.remove_attribute_column(key)
    except ClaimcoderError as exc:
        QMessageBox.warning(window, "Not removed", str(exc))
        return
    window.undo_stack.push(ColumnCommand(window, f"Remove the column '{key}'", before, actors.declared_columns()))
    window.model.refresh()
