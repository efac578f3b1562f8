"""Tools → Codebook…: every variable and category with the statements that use it; edit labels,
descriptions (the tooltips coders read), shortcuts and scores; add a category or a variable;
reorder categories; remove a used category only by recoding its statements. Undoable.

The checks are the service's (:class:`app.services.codebook_edit.CodebookEditor`), the same
that ``claimcoder codebook --import`` makes; a refused change shows its one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
    QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from app.core.codebook import Category, Variable
from app.core.errors import ClaimcoderError
from app.gui.change_command import CommittedChange
from app.gui.undo_buttons import undo_buttons
from app.services.codebook_edit import CodebookChange, CodebookEditor
from app.services.project import Project

KEY_ROLE = Qt.ItemDataRole.UserRole  # (variable key, category value or None)
CLEAR = "(remove the value from those statements)"


class CodebookWindow(QDialog):
    codebook_changed = Signal(int)  # statements whose values were recoded

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Codebook — {project.name}")
        self.project = project
        self.editor: CodebookEditor = project.codebook_editor
        self.undo_stack = QUndoStack(self)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Variable / category", "Kind", "Key", "Statements"])
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self.version = QLabel(self)
        # the form for the selected variable or category
        self.label = QLineEdit(self)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("one line coders read as a tooltip")
        self.description.setMaximumHeight(80)
        self.description.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.shortcut = QLineEdit(self)
        self.shortcut.setMaxLength(1)
        self.score = QDoubleSpinBox(self)
        self.score.setRange(-1e6, 1e6)
        self.score.setSpecialValueText("—")
        self.score.setMinimum(-1e6)
        self.required = QCheckBox("coders must fill it in", self)
        self.level = QComboBox(self)
        self.level.addItems(["nominal", "ordinal", "interval", "ratio"])
        self.form = QFormLayout()
        self.form.addRow("&Label", self.label)
        self.form.addRow("&Description", self.description)
        self.form.addRow("&Shortcut", self.shortcut)
        self.form.addRow("Sc&ore", self.score)
        self.form.addRow("&Required", self.required)
        self.form.addRow("Le&vel", self.level)
        self.apply_button = QPushButton("&Apply", self)
        self.apply_button.clicked.connect(self.apply_form)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(self.form)
        side_layout.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)
        side_layout.addStretch(1)
        split = QSplitter(self)
        split.addWidget(self.tree)
        split.addWidget(side)
        split.setSizes([560, 380])
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (("add_category", "Add category…", self.add_category),
                                 ("add_variable", "Add variable…", self.add_variable),
                                 ("remove", "Remove…", self.remove_selected),
                                 ("up", "Move up", lambda: self.move_selected(-1)),
                                 ("down", "Move down", lambda: self.move_selected(1))):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setEnabled(not project.read_only)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        for button in undo_buttons(self, self.undo_stack):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        self.resize(980, 620)
        self.refresh()

    # -- showing ------------------------------------------------------------------------------

    def refresh(self, keep: tuple[str, str | None] | None = None) -> None:
        keep = keep or self.selected()
        cb = self.project.codebook
        self.version.setText(f"<b>{cb.name}</b>, version {cb.version} — every change makes a new version, so "
                             "exports from before and after are told apart. The coding form shows changes at once.")
        self.version.setWordWrap(True)
        self.tree.clear()
        current = None
        for var in cb.variables:
            counts = self.editor.counts(var.key)
            item = QTreeWidgetItem([var.display + (" *" if var.required else ""), f"{var.kind}, {var.level}",
                                    var.key, str(sum(counts.values()))])
            item.setData(0, KEY_ROLE, (var.key, None))
            item.setToolTip(0, var.description)
            self.tree.addTopLevelItem(item)
            if keep == (var.key, None):
                current = item
            for cat in var.categories:
                child = QTreeWidgetItem([cat.display + (f"   [{cat.shortcut}]" if cat.shortcut else ""), "category",
                                         cat.value, str(counts.get(cat.value, 0))])
                child.setData(0, KEY_ROLE, (var.key, cat.value))
                child.setToolTip(0, cat.description)
                item.addChild(child)
                if keep == (var.key, cat.value):
                    current = child
        self.tree.expandAll()
        for col in range(4):
            self.tree.resizeColumnToContents(col)
        self.tree.setCurrentItem(current or self.tree.topLevelItem(0))
        self._show_selected()

    def selected(self) -> tuple[str, str | None] | None:
        item = self.tree.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select(self, key: str, value: str | None = None) -> None:
        self.refresh(keep=(key, value))

    def _show_selected(self) -> None:
        sel = self.selected()
        var = self.project.codebook.variable(sel[0]) if sel else None
        cat = var.category(sel[1]) if var is not None and sel and sel[1] is not None else None
        is_cat = cat is not None
        for w in (self.shortcut, self.score):
            w.setEnabled(is_cat)
        if not is_cat:
            self.shortcut.clear()
            self.score.setValue(self.score.minimum())
        for w in (self.required, self.level):
            w.setEnabled(var is not None and not is_cat)
        if cat is not None:
            self.label.setText(cat.label)
            self.description.setPlainText(cat.description)
            self.shortcut.setText(cat.shortcut or "")
            self.score.setValue(self.score.minimum() if cat.score is None else cat.score)
        elif var is not None:
            self.label.setText(var.label)
            self.description.setPlainText(var.description)
            self.required.setChecked(var.required)
            self.level.setCurrentText(var.level)
        self.buttons["up"].setEnabled(is_cat and not self.project.read_only)
        self.buttons["down"].setEnabled(is_cat and not self.project.read_only)

    # -- changing -----------------------------------------------------------------------------

    def run(self, do: Callable[[], CodebookChange], *, record: bool = True) -> CodebookChange | None:
        try:
            change = do()
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Not changed", str(exc))
            return None
        if record and not change.empty:
            self.undo_stack.push(CommittedChange(self.run, self.editor, change))
        self.refresh()
        self.codebook_changed.emit(len(change.values_after))
        return change

    @Slot()
    def apply_form(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        key, value = sel
        text = {"label": self.label.text().strip(), "description": " ".join(self.description.toPlainText().split())}
        if value is None:
            self.run(lambda: self.editor.update_variable(key, required=self.required.isChecked(),
                                                         level=self.level.currentText(), **text))
        else:
            score = None if self.score.value() == self.score.minimum() else self.score.value()
            self.run(lambda: self.editor.update_category(key, value, shortcut=self.shortcut.text().strip() or None,
                                                         score=score, **text))

    @Slot()
    def add_category(self) -> None:
        sel = self.selected()
        var = self.project.codebook.variable(sel[0]) if sel else None
        if var is None or var.kind != "category":
            QMessageBox.information(self, "Add category", "Select a category variable (or one of its categories) first.")
            return
        value, ok = QInputDialog.getText(self, "Add category", f"Stored value of the new category of “{var.display}” "
                                         "(lowercase, it goes into exports):")
        if not ok or not value.strip():
            return
        try:
            category = Category(value=value.strip(), label=value.strip().replace("_", " ").capitalize())
        except ValueError as exc:
            QMessageBox.warning(self, "Not added", str(exc).splitlines()[0])
            return
        if self.run(lambda: self.editor.add_category(var.key, category)) is not None:
            self.select(var.key, category.value)

    @Slot()
    def add_variable(self) -> None:
        dialog = _NewVariableDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            variable = dialog.variable()
        except ValueError as exc:
            QMessageBox.warning(self, "Not added", str(exc).splitlines()[-1].strip())
            return
        if self.run(lambda: self.editor.add_variable(variable)) is not None:
            self.select(variable.key)

    @Slot()
    def remove_selected(self) -> None:
        sel = self.selected()
        if sel is None:
            return
        key, value = sel
        if value is None:
            self.run(lambda: self.editor.remove_variable(key))
            return
        var = self.project.codebook.variable(key)
        n = self.editor.counts(key).get(value, 0)
        if n == 0 or var is None:
            self.run(lambda: self.editor.remove_category(key, value))
            return
        others = [c.value for c in var.categories if c.value != value] + [CLEAR]
        target, ok = QInputDialog.getItem(self, "Recode before removing",
                                          f"{n} statement(s) use “{value}”. Move them to:", others, 0, False)
        if not ok:
            return
        if target == CLEAR:
            self.run(lambda: self.editor.remove_category(key, value, clear=True))
        else:
            self.run(lambda: self.editor.remove_category(key, value, recode_to=target))

    def move_selected(self, step: int) -> None:
        sel = self.selected()
        if sel is not None and sel[1] is not None:
            key, value = sel
            if self.run(lambda: self.editor.move_category(key, value, step)) is not None:
                self.select(key, value)


class _NewVariableDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add variable")
        self.key = QLineEdit(self)
        self.key.setPlaceholderText("issue (lowercase letters, digits, _)")
        self.label = QLineEdit(self)
        self.kind = QComboBox(self)
        self.kind.addItems(["category", "entity", "text", "number", "boolean"])
        self.first = QLineEdit(self)
        self.first.setPlaceholderText("for a category variable: its first category")
        form = QFormLayout(self)
        form.addRow("&Key", self.key)
        form.addRow("&Label", self.label)
        form.addRow("K&ind", self.kind)
        form.addRow("&First category", self.first)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def variable(self) -> Variable:
        kind = self.kind.currentText()
        cats = [Category(value=self.first.text().strip())] if kind == "category" and self.first.text().strip() else []
        return Variable(key=self.key.text().strip(), label=self.label.text().strip(), kind=kind,  # type: ignore[arg-type]
                        categories=cats)
