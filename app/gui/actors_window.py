"""Tools → Actors…: the supervisor's actor list — sort, filter, edit in place, add, merge,
delete, import and export, every change undoable with the window's own Undo.

Each change goes through :class:`app.services.actors.ActorList` (committed at once) and lands
on the undo stack as an :class:`~app.gui.change_command.CommittedChange` holding the :class:`ActorChange`; undo applies its
inverse, which also puts back every coder's statement values a rename or merge rewrote.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
    QLineEdit, QMessageBox, QPushButton, QStyledItemDelegate, QStyleOptionViewItem, QTableView,
    QVBoxLayout, QWidget,
)

from app.core.domain import Entity
from app.core.errors import ClaimcoderError
from app.gui.change_command import CommittedChange
from app.gui.actor_model import ActorTableModel
from app.gui.undo_buttons import undo_buttons
from app.services.actors import ActorChange, ActorList
from app.services.project import Project

FILE_FILTER = "Actor lists (*.csv *.tsv *.yaml *.yml *.json);;All files (*)"


class ChoiceDelegate(QStyledItemDelegate):
    """Kind and attribute cells edit in a combo box of the values the column already has
    (any new value may still be typed)."""

    def __init__(self, model: ActorTableModel, proxy: QSortFilterProxyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.proxy = model, proxy

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # type: ignore[override]
        column = self.proxy.mapToSource(index).column()
        choices = self.model.choices(column)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(not self.model.columns[column].values)  # a category column: its values only
        combo.addItems(["", *choices])
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # type: ignore[override]
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:  # type: ignore[override]
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ActorsWindow(QDialog):
    actors_changed = Signal(int)  # statements whose values were rewritten; the coding window re-reads

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Actors — {project.name}")
        self.setModal(False)
        self.project = project
        self.actors: ActorList = project.actors
        self.undo_stack = QUndoStack(self)
        self.model = ActorTableModel(self.actors, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # every column: name, aliases, attributes
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setItemDelegate(ChoiceDelegate(self.model, self.proxy, self.table))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("filter: any part of a name, alias or attribute…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.closed_box = QCheckBox("Closed list (coders pick; only here can actors be added)", self)
        self.closed_box.setChecked(self.actors.closed)
        self.closed_box.toggled.connect(self._set_closed)
        self.count = QLabel(self)
        self.buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.closed_box)
        row = QHBoxLayout()
        for name, text, slot in (("add", "Add…", self.add_actor), ("merge", "Merge into…", self.merge_selected),
                                 ("delete", "Delete", self.delete_selected), ("column", "Add column…", self.add_column),
                                 ("remove_column", "Remove column…", self.remove_column),
                                 ("import", "Import…", self.import_file), ("export", "Export…", self.export_file)):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        for button in undo_buttons(self, self.undo_stack):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.count)
        # queued: the change resets the model, which must not happen inside the view's setData
        self.model.edit_requested.connect(self._edit, Qt.ConnectionType.QueuedConnection)
        self.model.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.filter.textChanged.connect(self._update_count)
        for b in ("add", "merge", "delete", "column", "remove_column", "import"):
            self.buttons[b].setEnabled(not project.read_only)
        self._update_count()
        self.resize(1000, 600)
        self.table.resizeColumnsToContents()

    # -- running changes ----------------------------------------------------------------------

    def run(self, do: Callable[[], ActorChange | None], *, record: bool = True) -> ActorChange | None:
        """Make a change through the service; refused changes show their one-line reason."""
        try:
            change = do()
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Not changed", str(exc))
            return None
        if record and change is not None and not change.empty:
            self.undo_stack.push(CommittedChange(self.run, self.actors, change))
        self.model.refresh()
        self.actors_changed.emit(change.statements if change is not None else 0)
        return change

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            current = self.table.currentIndex()
            if not current.isValid():
                return None
            rows = [current]
        return self.proxy.data(rows[0].siblingAtColumn(0), Qt.ItemDataRole.UserRole)

    def select(self, entity_id: str) -> None:
        row = self.model.row_of(entity_id)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _entity(self, entity_id: str | None) -> Entity | None:
        return next((r.entity for r in self.model.rows if r.entity.id == entity_id), None)

    @Slot(str, str, str, object)
    def _edit(self, entity_id: str, field: str, key: str, value: object) -> None:
        entity = self._entity(entity_id)
        if entity is None:
            return
        text = str(value)
        if field == "name":
            self.run(lambda: self.actors.rename(entity, text))
        elif field == "kind":
            self.run(lambda: self.actors.update(entity, kind=text))
        elif field == "aliases":
            self.run(lambda: self.actors.set_aliases(entity, text.split("|")))
        elif field == "attribute":
            self.run(lambda: self.actors.set_attribute(entity, key, text))
        self.select(entity_id)

    # -- buttons ------------------------------------------------------------------------------

    @Slot()
    def add_actor(self) -> None:
        name, ok = QInputDialog.getText(self, "Add actor", "Name (as it should be stored):")
        if ok and name.strip():
            change = self.run(lambda: self.actors.add(name))
            if change is not None and change.after:
                self.select(change.after[0].id)

    @Slot()
    def merge_selected(self) -> None:
        source = self._entity(self.selected_id())
        if source is None:
            QMessageBox.information(self, "Merge", "Select the actor to merge into another one first.")
            return
        others = sorted((r.entity.name for r in self.model.rows if r.entity.id != source.id), key=str.casefold)
        if not others:
            return
        target, ok = QInputDialog.getItem(self, "Merge actor",
                                          f"Merge “{source.name}” into (its statements follow; "
                                          f"“{source.name}” becomes an alias):", others, 0, True)
        if ok and target:
            change = self.run(lambda: self.actors.merge(source, target))
            if change is not None and change.after:
                self.select(change.after[0].id)

    @Slot()
    def delete_selected(self) -> None:
        entity = self._entity(self.selected_id())
        if entity is None:
            return
        uses = next((r.uses for r in self.model.rows if r.entity.id == entity.id), {})
        if sum(uses.values()):
            per = ", ".join(f"{coder} {n}" for coder, n in uses.items())
            answer = QMessageBox.question(
                self, "Actor in use", f"“{entity.name}” is used by {sum(uses.values())} statement value(s) ({per}), "
                "so it cannot simply be deleted. Merge it into another actor instead?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                self.merge_selected()
            return
        self.run(lambda: self.actors.delete(entity))

    @Slot()
    def add_column(self) -> None:
        from app.gui.actor_columns import add_column

        add_column(self)

    @Slot()
    def remove_column(self) -> None:
        from app.gui.actor_columns import remove_column

        remove_column(self)

    @Slot()
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import actors", "", FILE_FILTER)
        if path:
            self.import_path(path)

    def import_path(self, path: str) -> None:
        from app.services.actor_import import import_actor_file

        try:
            report = import_actor_file(self.project, path)
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Not imported", str(exc))
            return
        if report.change is not None and not report.change.empty:
            self.undo_stack.push(CommittedChange(self.run, self.actors, report.change))
        self.model.refresh()
        self.actors_changed.emit(report.change.statements if report.change is not None else 0)
        details = "\n".join(report.conflicts[:10])
        QMessageBox.information(self, "Actors imported", report.summary() + (f"\n\n{details}" if details else ""))

    @Slot()
    def export_file(self) -> None:
        from app.services.actor_import import export_actor_file

        path, _ = QFileDialog.getSaveFileName(self, "Export actors", f"{self.project.name} actors.csv", FILE_FILTER)
        if not path:
            return
        try:
            n = export_actor_file(self.project, path)
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Not exported", str(exc))
            return
        self.count.setText(f"Wrote {path}: {n} actors.")

    @Slot(bool)
    def _set_closed(self, closed: bool) -> None:
        try:
            self.actors.set_closed(closed)
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Not changed", str(exc))
        self.actors_changed.emit(0)

    @Slot()
    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} actors" if shown == total else f"{shown} of {total} actors shown")

