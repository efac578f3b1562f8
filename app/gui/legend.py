"""The colour key above the article: one chip per category of the variable highlights follow."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.core.codebook import Variable
from app.gui import colours


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)

    def show_variable(self, variable: Variable | None, palette_colours: dict[str, QColor], *, dark: bool) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if variable is None:
            return
        title = QLabel(f"{variable.display}:", self)
        title.setEnabled(False)
        self._layout.addWidget(title)
        entries = [(c.display, palette_colours[c.value]) for c in variable.categories]
        entries.append(("not coded", colours.NO_VALUE))
        for label, colour in entries:
            chip = QLabel(label, self)
            bg = colours.fill(colour, dark=dark, strong=True)
            chip.setStyleSheet(
                f"QLabel {{ background: rgba({bg.red()},{bg.green()},{bg.blue()},{bg.alpha()});"
                f" border-radius: 3px; padding: 1px 6px; }}"
            )
            self._layout.addWidget(chip)
        self._layout.addStretch(1)
