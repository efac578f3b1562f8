"""The speaker field: type a few letters of a name or alias, Enter takes the top match and stores
the canonical name ("Putin → Vladimir Putin"); an unknown name offers to add the actor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from app.core.codebook import Variable
from app.gui.editors import VariableEditor
from app.gui.entities import Choice, EntityDirectory


class EntityEditor(VariableEditor):
    new_name_entered = Signal(str)  # a name no entity has: the panel asks whether to add it

    def __init__(self, variable: Variable, directory: EntityDirectory, parent: QWidget | None = None) -> None:
        super().__init__(variable, parent)
        self.directory = directory
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("type a name or alias…")
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._choices: list[Choice] = []
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        # We rank matches ourselves (prefix, word start, anywhere), so the popup shows them as given.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.edit)
        self.completer.setMaxVisibleItems(6)  # short enough to fit below (or above) the field
        self.completer.activated[str].connect(self._activated)
        self.edit.textEdited.connect(self._update_matches)
        self.edit.returnPressed.connect(self._accept)
        self.edit.editingFinished.connect(self._left)
        self._shown = ""
        self._just_accepted = False

    def set_value(self, value: Any) -> None:
        self._shown = value if isinstance(value, str) else ""
        self.edit.setText(self._shown)
        self.completer.popup().hide()

    def focus_target(self) -> QWidget:
        return self.edit

    def show_suggested(self, suggested: bool) -> None:
        """A value the program suggested (a candidate's nearest actor) reads in italics until the
        coder confirms it with Enter or types another."""
        font = self.edit.font()
        if font.italic() != suggested:
            font.setItalic(suggested)
            self.edit.setFont(font)
            self.edit.setToolTip("Suggested: the actor named nearest the candidate. Enter confirms it, typing replaces it."
                                 if suggested else "")

    def start_typing(self, text: str) -> None:
        """Begin the field with ``text`` (the letter that created the statement)."""
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit.setText(text)
        self._update_matches(text)

    @Slot(str)
    def _update_matches(self, text: str) -> None:
        self._choices = self.directory.matches(text)
        self._model.setStringList([c.display for c in self._choices])
        if self._choices:
            self.completer.complete(self.edit.rect())  # placed against the field, never over it
            self.completer.popup().setCurrentIndex(self._model.index(0, 0))
        else:
            self.completer.popup().hide()

    def _top_choice(self) -> str | None:
        popup = self.completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid() and popup.currentIndex().row() < len(self._choices):
            return self._choices[popup.currentIndex().row()].name
        typed = self.edit.text()
        exact = self.directory.resolve(typed)
        if exact or not typed.strip():
            return exact
        matches = self.directory.matches(typed)
        return matches[0].name if matches and typed.strip() else None

    @Slot()
    def _accept(self) -> None:
        """Enter: the highlighted (or top) match; an empty field clears; else a new actor."""
        typed = " ".join(self.edit.text().split())
        name = self._top_choice()
        self.completer.popup().hide()
        self._just_accepted = True
        QTimer.singleShot(0, self._end_accept)
        if name is None and typed:
            self.new_name_entered.emit(typed)
            return
        self.store(name or "", advance=True)

    @Slot()
    def _end_accept(self) -> None:
        self._just_accepted = False

    @Slot(str)
    def _activated(self, display: str) -> None:
        if self._just_accepted:  # Enter already handled by _accept; undo the completer's text
            self.edit.setText(self._shown)
            return
        choice = next((c for c in self._choices if c.display == display), None)
        if choice is not None:
            self.store(choice.name, advance=True)

    @Slot()
    def _left(self) -> None:
        # Leaving the field with an exact name or alias stores it; anything else reverts.
        if self.completer.popup().isVisible() or self._just_accepted:
            return
        exact = self.directory.resolve(self.edit.text()) if self.edit.text().strip() else ""
        if exact is None:
            self.edit.setText(self._shown)
        elif exact != self._shown:
            self.store(exact, advance=False)

    def store(self, name: str, *, advance: bool) -> None:
        self._shown = name
        self.edit.setText(name)
        (self.value_committed if advance else self.value_stored).emit(name or None)
