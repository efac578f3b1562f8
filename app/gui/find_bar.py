"""Find in the article: Enter finds the next match, Shift+Enter the previous, Esc closes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, view: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.status = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.edit, 1)
        for text, tip, slot in (("↑", "Previous match (Shift+Enter)", self.find_previous),
                                ("↓", "Next match (Enter)", self.find_next),
                                ("✕", "Close (Esc)", self.close_bar)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.status)
        self.edit.textEdited.connect(self._restart)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        selected = self.view.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 80:
            self.edit.setText(selected)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self.status.clear()
        self.closed.emit()

    @Slot()
    def find_next(self) -> None:
        self._find(QTextDocument.FindFlag(0))

    @Slot()
    def find_previous(self) -> None:
        self._find(QTextDocument.FindFlag.FindBackward)

    @Slot(str)
    def _restart(self, _text: str) -> None:
        cursor = self.view.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self.view.setTextCursor(cursor)
        self.find_next()

    def _find(self, flags: QTextDocument.FindFlag) -> None:
        needle = self.edit.text()
        if not needle:
            self.status.clear()
            return
        doc = self.view.document()
        found = doc.find(needle, self.view.textCursor(), flags)
        if found.isNull():  # wrap around
            start = self.view.textCursor()
            start.movePosition(start.MoveOperation.End if flags & QTextDocument.FindFlag.FindBackward else start.MoveOperation.Start)
            found = doc.find(needle, start, flags)
        if found.isNull():
            self.status.setText("not found")
            return
        self.status.setText("")
        self.view.setTextCursor(found)
        centre = getattr(self.view, "centre_on", None)
        if centre is not None:
            centre(found)
        else:
            self.view.ensureCursorVisible()

    def eventFilter(self, obj: object, event: object) -> bool:
        if obj is self.edit and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.find_previous() if shift else self.find_next()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(obj, event)  # type: ignore[arg-type]
