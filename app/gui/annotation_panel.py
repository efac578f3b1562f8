"""The coding form for the selected statement, built from the codebook (new variables need no
code). Setting a value moves focus to the next variable; Esc goes back to the article."""

from __future__ import annotations

import html
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.codebook import Codebook, Variable
from app.core.domain import Statement
from app.core.spans import QUOTE_MARKS
from app.gui.editors import BooleanEditor, CategoryEditor, NumberEditor, TextEditor, VariableEditor
from app.gui.entities import EntityDirectory
from app.gui.entity_editor import EntityEditor


HEADING_LINES = 3  # the excerpt of the statement above the fields
HEADING_CHARS = 150


class _UndoPassThrough(QObject):
    """Let Ctrl+Z reach the window's undo while a field has nothing of its own to undo.

    A QLineEdit claims the Undo/Redo keys even when its own history is empty, so a coder whose
    focus had moved on to the next (empty) field pressed Ctrl+Z and nothing happened.
    """

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(obj, QLineEdit):
            key = cast(QKeyEvent, event)
            if (key.matches(QKeySequence.StandardKey.Undo) and not obj.isUndoAvailable()) or (
                key.matches(QKeySequence.StandardKey.Redo) and not obj.isRedoAvailable()
            ):
                event.ignore()  # not claimed by the field (key events start out accepted)...
                return True  # ...and not shown to it: the window's Undo/Redo shortcut fires
        return False


class AnnotationPanel(QWidget):
    value_edited = Signal(str, object)  # variable key, value (None clears)
    note_edited = Signal(str)
    new_entity_requested = Signal(str, str)  # variable key, the typed name
    finished = Signal()  # Esc, or past the last field: back to the article
    message = Signal(str)  # why a key did nothing, for the status bar

    def __init__(self, codebook: Codebook, directory: EntityDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.heading = QLabel("No statement selected", self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.missing = QLabel(self)
        self.missing.setTextFormat(Qt.TextFormat.RichText)
        # Fixed heights: the fields must not jump as excerpts and the "Missing:" line change.
        line = self.heading.fontMetrics().lineSpacing()
        self.heading.setFixedHeight(line * HEADING_LINES + 4)
        self.missing.setWordWrap(True)
        self.missing.setFixedHeight(line * 2 + 2)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, VariableEditor] = {}
        self.labels: dict[str, QLabel] = {}
        for var in codebook.variables:
            editor = _make_editor(var, directory, self)
            editor.value_committed.connect(lambda v, key=var.key: self._committed(key, v, advance=True))
            editor.value_stored.connect(lambda v, key=var.key: self._committed(key, v, advance=False))
            if isinstance(editor, CategoryEditor):
                editor.foreign_key.connect(self._foreign_key)
            if isinstance(editor, EntityEditor):
                editor.new_name_entered.connect(lambda name, key=var.key: self.new_entity_requested.emit(key, name))
            label = QLabel(var.display, self)
            label.setToolTip(var.description)
            label.setBuddy(editor.focus_target())
            self.editors[var.key], self.labels[var.key] = editor, label
            form.addRow(label, editor)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("a note for the supervisor")
        self.note.editingFinished.connect(self._note_done)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.missing)
        layout.addLayout(form)
        layout.addStretch(1)
        self.statement: Statement | None = None
        self._undo_pass = _UndoPassThrough(self)
        for line in self.findChildren(QLineEdit):
            line.installEventFilter(self._undo_pass)
        self.set_statement(None)

    def set_statement(self, st: Statement | None, excerpt: str = "") -> None:
        self.statement = st
        for key, editor in self.editors.items():
            editor.set_value(st.values.get(key) if st else None)
            editor.setEnabled(st is not None)
        self.note.setText(st.note if st else "")
        self.note.setEnabled(st is not None)
        missing = set(self.codebook.missing_required(st.values)) if st else set()
        suggested = self._suggested_key(st)
        for key, editor in self.editors.items():
            if isinstance(editor, EntityEditor):
                editor.show_suggested(key == suggested)
        for var in self.codebook.variables:
            flag = " ●" if var.key in missing else (" *" if var.required else "")
            label, style = self.labels[var.key], "color: #d43b3b;" if var.key in missing else ""
            if label.text() != var.display + flag:
                label.setText(var.display + flag)
            if label.styleSheet() != style:  # restyling is slow; only when it changes
                label.setStyleSheet(style)
        if st is None:
            self.heading.setText("No statement selected.\nSelect text in the article and press Enter.")
            self.missing.setText("")
        else:
            short = " ".join(excerpt.split())
            short = short if len(short) <= HEADING_CHARS else short[: HEADING_CHARS - 1] + "…"
            quoted = short[:1] in QUOTE_MARKS and short[-1:] in QUOTE_MARKS  # a quotation shows its own marks
            self.heading.setText(short if quoted else f"“{short}”")
            names = [v.display for v in self.codebook.variables if v.key in missing]
            parts = [f'<span style="color:#d43b3b">Missing: {html.escape(", ".join(names))}</span>'] if names else []
            if suggested:  # said here, not in the field's label: the form must not change width
                label = self.codebook.variable(suggested).display  # type: ignore[union-attr]
                parts.append(f"<i>{html.escape(label)} suggested (Enter there confirms)</i>")
            self.missing.setText(" · ".join(parts))

    def _suggested_key(self, st: Statement | None) -> str | None:
        """The speaker a candidate pre-filled, until the coder confirms or replaces it."""
        if st is None or st.origin != "candidate":
            return None
        key = next((v.key for v in self.codebook.variables if v.kind == "entity"), None)
        return key if key and st.values.get(key) else None

    def focus_first(self, key: str | None = None) -> None:
        var = self.codebook.variables[0] if key is None else self.codebook.variable(key)
        if var is not None:
            self.editors[var.key].focus_target().setFocus(Qt.FocusReason.TabFocusReason)

    def focus_first_empty(self) -> None:
        """Focus the first variable the selected statement has no value for (else the first)."""
        values = self.statement.values if self.statement else {}
        key = next((v.key for v in self.codebook.variables if values.get(v.key) in (None, "")), None)
        self.focus_first(key)

    def start_entity(self, text: str) -> bool:
        """Put ``text`` into the first entity field (the speaker) and focus it."""
        editor = next((e for e in self.editors.values() if isinstance(e, EntityEditor)), None)
        if editor is None:
            return False
        editor.start_typing(text)
        return True

    def apply_shortcut(self, key: str) -> bool:
        """A category shortcut typed in the article: the first empty variable that has it wins,
        else the first that has it."""
        if self.statement is None:
            return False
        hits = [(k, e.shortcut_value(key)) for k, e in self.editors.items() if isinstance(e, CategoryEditor)]
        hits = [(k, v) for k, v in hits if v is not None]
        if not hits:
            return False
        empty = [(k, v) for k, v in hits if self.statement.values.get(k) in (None, "")]
        k, v = (empty or hits)[0]
        self.value_edited.emit(k, v)
        return True

    def knows_shortcut(self, key: str) -> bool:
        return any(isinstance(e, CategoryEditor) and e.shortcut_value(key) is not None for e in self.editors.values())

    @Slot(str)
    def _foreign_key(self, key: str) -> None:
        """A key typed on a category row that has no such category: another row's key counts
        there (and focus moves on from that row); any other key says why it did nothing."""
        row = self.sender()
        hits = [(k, e.shortcut_value(key)) for k, e in self.editors.items()
                if isinstance(e, CategoryEditor) and e is not row and e.shortcut_value(key) is not None]
        if not hits or self.statement is None:
            label = row.variable.display if isinstance(row, VariableEditor) else "this row"
            self.message.emit(f"“{key}” is not a key of {label} (its keys are on the buttons).")
            return
        k, value = hits[0]
        self._committed(k, value, advance=True)

    def entity_editor(self, key: str) -> EntityEditor | None:
        editor = self.editors.get(key)
        return editor if isinstance(editor, EntityEditor) else None

    def _committed(self, key: str, value: Any, *, advance: bool) -> None:
        if self.statement is None:
            return
        self.value_edited.emit(key, value)
        if advance:
            self.advance_from(key)

    def advance_from(self, key: str) -> None:
        keys = list(self.editors)
        i = keys.index(key) + 1
        if i < len(keys):
            self.editors[keys[i]].focus_target().setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.note.setFocus(Qt.FocusReason.TabFocusReason)

    @Slot()
    def _note_done(self) -> None:
        if self.statement is not None and self.note.text() != self.statement.note:
            self.note_edited.emit(self.note.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.finished.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.note.hasFocus():
            self.finished.emit()
        else:
            super().keyPressEvent(event)


def _make_editor(var: Variable, directory: EntityDirectory, parent: QWidget) -> VariableEditor:
    if var.kind == "entity":
        return EntityEditor(var, directory, parent)
    if var.kind == "category":
        return CategoryEditor(var, parent)
    if var.kind == "number":
        return NumberEditor(var, parent)
    if var.kind == "boolean":
        return BooleanEditor(var, parent)
    return TextEditor(var, parent)
