"""Who is coding: pick an existing coder of the project or type a new name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget


class CoderDialog(QDialog):
    def __init__(self, names: list[str], project_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        intro = QLabel(f"Choose your coder name for “{project_name}”, or type a new one.\n"
                       "Your statements are kept apart from other coders’ under this name.", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.addItems(names)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("your name")
        self.list.currentTextChanged.connect(self.name.setText)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if names:
            layout.addWidget(self.list)
        layout.addWidget(self.name)
        layout.addWidget(buttons)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen(self) -> str:
        return " ".join(self.name.text().split())


def ask_coder(names: list[str], project_name: str, parent: QWidget | None = None) -> str | None:
    dialog = CoderDialog(names, project_name, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
        return dialog.chosen()
    return None
