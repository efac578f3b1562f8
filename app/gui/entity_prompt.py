"""Adding an actor the coder just typed: one small question, Yes by default, with a kind."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

KINDS = ["person", "organisation", "group", "country", "other"]


def confirm_new_entity(parent: QWidget | None, name: str) -> str | None:
    """The kind of the new actor, or None when the coder declines."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("New actor")
    label = QLabel(f"“{name}” is not in the actor list. Add it?", dialog)
    label.setWordWrap(True)
    kind = QComboBox(dialog)
    kind.addItems(KINDS)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Yes).setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(kind)
    layout.addWidget(buttons)
    buttons.button(QDialogButtonBox.StandardButton.Yes).setFocus()
    return kind.currentText() if dialog.exec() == QDialog.DialogCode.Accepted else None
