"""The small form for a gold version: its span and one field per codebook variable."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.core.codebook import Variable
from app.services.project import Project


class GoldEditor(QDialog):
    def __init__(self, parent: QWidget | None, project: Project, text: str, start: int, end: int,
                 values: dict[str, Any]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gold version")
        self.text = text
        form = QFormLayout(self)
        self.start, self.end = QSpinBox(), QSpinBox()
        for box, value in ((self.start, start), (self.end, end)):
            box.setRange(0, len(text))
            box.setValue(value)
            box.valueChanged.connect(self._show_span)
        self.preview = QLabel(wordWrap=True)
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Text", self.preview)
        names = [e.name for e in project.entities()]
        self.fields: dict[str, tuple[Variable, QWidget]] = {}
        for var in project.codebook.variables:
            widget = self._field(var, values.get(var.key), names)
            self.fields[var.key] = (var, widget)
            form.addRow(var.display, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._show_span()

    @staticmethod
    def _field(var: Variable, value: Any, names: list[str]) -> QWidget:
        if var.kind in ("category", "boolean"):
            box = QComboBox()
            box.addItem("", None)
            if var.kind == "boolean":
                box.addItem("true", True)
                box.addItem("false", False)
            for c in var.categories:
                box.addItem(c.display, c.value)
            index = box.findData(value)
            box.setCurrentIndex(max(index, 0))
            return box
        line = QLineEdit("" if value is None else str(value))
        if var.kind == "entity":
            line.setCompleter(QCompleter(names, line))
        return line

    def _show_span(self) -> None:
        a, b = self.start.value(), self.end.value()
        snippet = self.text[a:b] if a < b else ""
        self.preview.setText(snippet if len(snippet) < 300 else snippet[:297] + "…")

    def span(self) -> tuple[int, int]:
        return self.start.value(), self.end.value()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (var, widget) in self.fields.items():
            if isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                raw = widget.text().strip()  # type: ignore[attr-defined]
                value = raw or None
                if value is not None and var.kind == "number":
                    try:
                        value = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
                    except ValueError:
                        pass  # the codebook check names the problem
            if value is not None:
                out[key] = value
        return out
