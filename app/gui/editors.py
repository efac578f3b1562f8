"""One editor per codebook variable kind. Each shows a value, and emits ``value_committed`` when
the coder settles on one (the panel then stores it and moves focus on)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QWidget

from app.core.codebook import Variable


class VariableEditor(QWidget):
    value_committed = Signal(object)  # store it, and move on to the next variable
    value_stored = Signal(object)  # store it, focus stays (leaving a field, ticking a box)

    def __init__(self, variable: Variable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.variable = variable
        self.setToolTip(variable.description)

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self


CHECKED_STYLE = ("QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
                 " border: 1px solid palette(highlight); border-radius: 3px; padding: 2px; }")


class CategoryEditor(VariableEditor):
    """A row of toggle buttons; the category's shortcut key picks it, Backspace clears."""

    foreign_key = Signal(str)  # a printable key this row has no category for: the panel decides

    def __init__(self, variable: Variable, parent: QWidget | None = None) -> None:
        super().__init__(variable, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # Two per row unless three short ones fit: the coding panel must stay narrow enough
        # to leave the article most of the window.
        short = sum(len(c.display) for c in variable.categories) <= 24
        per_row = len(variable.categories) if len(variable.categories) <= 3 and short else 2
        # A chosen category must be obvious in light and dark themes alike.
        self.setStyleSheet(CHECKED_STYLE)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[str, QToolButton] = {}
        for cat in variable.categories:
            button = QToolButton(self)
            button.setText(f"{cat.display}  {cat.shortcut}" if cat.shortcut else cat.display)
            button.setToolTip(cat.description)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, v=cat.value: self._pick(v))
            self.group.addButton(button)
            n = len(self.buttons)
            self.buttons[cat.value] = button
            layout.addWidget(button, n // per_row, n % per_row)
        self._value: str | None = None

    def shortcut_value(self, key: str) -> str | None:
        key = key.casefold()
        return next((c.value for c in self.variable.categories if c.shortcut and c.shortcut.casefold() == key), None)

    def set_value(self, value: Any) -> None:
        self._value = value if isinstance(value, str) else None
        for v, button in self.buttons.items():
            button.setChecked(v == self._value)

    def _pick(self, value: str | None) -> None:
        # Clicking the chosen category again clears it.
        value = None if value == self._value else value
        self.set_value(value)
        self.value_committed.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        value = self.shortcut_value(event.text()) if event.text() else None
        if value is not None:
            self.set_value(None)  # picking is never a toggle-off from the keyboard
            self._pick(value)
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.set_value(None)
            self.value_committed.emit(None)
        elif len(event.text()) == 1 and event.text().isprintable() and not event.text().isspace():
            self.foreign_key.emit(event.text())
        else:
            super().keyPressEvent(event)


class TextEditor(VariableEditor):
    def __init__(self, variable: Variable, parent: QWidget | None = None) -> None:
        super().__init__(variable, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.returnPressed.connect(self._commit)
        self.edit.editingFinished.connect(self._commit_quietly)
        self._shown = ""

    def set_value(self, value: Any) -> None:
        self._shown = "" if value is None else str(value)
        self.edit.setText(self._shown)

    @Slot()
    def _commit(self) -> None:
        self._shown = self.edit.text().strip()
        self.value_committed.emit(self._shown or None)

    @Slot()
    def _commit_quietly(self) -> None:
        # Leaving the field stores what was typed, without the focus hop that Enter makes.
        if self.edit.text().strip() != self._shown:
            self._shown = self.edit.text().strip()
            self.value_stored.emit(self._shown or None)

    def focus_target(self) -> QWidget:
        return self.edit


class NumberEditor(VariableEditor):
    def __init__(self, variable: Variable, parent: QWidget | None = None) -> None:
        super().__init__(variable, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spin = QDoubleSpinBox(self)
        self.spin.setRange(-1e9, 1e9)
        self.spin.setDecimals(3)
        self.spin.setSpecialValueText("—")  # the minimum stands for "no value"
        self.spin.setMinimum(-1e9)
        layout.addWidget(self.spin)
        layout.addStretch(1)
        self.setFocusProxy(self.spin)
        self.spin.editingFinished.connect(self._commit)
        self._shown: float | None = None

    def set_value(self, value: Any) -> None:
        self._shown = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        self.spin.setValue(self.spin.minimum() if self._shown is None else self._shown)

    @Slot()
    def _commit(self) -> None:
        raw = self.spin.value()
        value: float | int | None = None if raw == self.spin.minimum() else raw
        if value is not None and float(value).is_integer():
            value = int(value)
        if value != self._shown:
            self._shown = value
            self.value_stored.emit(value)

    def focus_target(self) -> QWidget:
        return self.spin


class BooleanEditor(VariableEditor):
    def __init__(self, variable: Variable, parent: QWidget | None = None) -> None:
        super().__init__(variable, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(self)
        layout.addWidget(self.box)
        self.setFocusProxy(self.box)
        self.box.clicked.connect(lambda checked: self.value_stored.emit(bool(checked)))

    def set_value(self, value: Any) -> None:
        self.box.setChecked(value is True)

    def focus_target(self) -> QWidget:
        return self.box
