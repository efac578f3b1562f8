"""The statement tables: this article's statements (selecting one selects it in the text and the
coding panel), and all of the coder's statements in the project, filterable and loaded lazily."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from app.gui.project_statements import ProjectStatementsModel
from app.gui.session import CodingSession
from app.gui.statement_table import StatementTableModel


def _table(parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # compact rows
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class StatementDock(QTabWidget):
    statement_chosen = Signal(str, str)  # document id, statement id (from the project table)

    def __init__(self, session: CodingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = StatementTableModel(session.project.codebook, self)
        self.table = _table(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().resizeSection(0, 24)
        self.table.horizontalHeader().resizeSection(1, 420)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.addTab(self.table, "This article")

        self.all_model = ProjectStatementsModel(session.project, session.coder, self)
        self.all_table = _table(self)
        self.all_table.setModel(self.all_model)
        self.all_table.horizontalHeader().resizeSection(0, 220)
        self.all_table.horizontalHeader().resizeSection(1, 360)
        self.all_table.activated.connect(self._project_row_activated)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Find in all my statements: text, values or article title…")
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=250)  # query once typing pauses
        self._filter_timer.timeout.connect(lambda: self.all_model.set_filter(self.filter.text().strip()))
        self.filter.textChanged.connect(self._filter_timer.start)
        self.found = QLabel(self)  # "155,000 found", "200+ found" while the count runs
        self.all_model.total_changed.connect(self._show_total)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.found)
        layout.addLayout(top)
        layout.addWidget(self.all_table)
        self.addTab(page, "All my statements")
        self._stale = False
        self.currentChanged.connect(lambda _i: self._refresh_all_if_shown())

    def _show_total(self) -> None:
        model = self.all_model
        self.found.setText(f"{model.total_text()} {'found' if model.contains else 'statements'}")

    def height_for_rows(self, rows: int) -> int:
        """The dock height that shows ``rows`` rows of this article's table, header and tabs included."""
        table = self.table
        return (table.verticalHeader().defaultSectionSize() * (rows + 1) + table.horizontalHeader().sizeHint().height()
                + self.tabBar().sizeHint().height() + 2 * table.frameWidth() + 12)

    def refresh(self) -> None:
        doc = self.session.document
        self.model.set_statements(self.session.statements, doc.text if doc else "")
        self._stale = True
        self._refresh_all_if_shown()

    def _refresh_all_if_shown(self) -> None:
        if self._stale and self.currentIndex() == 1:
            self._stale = False
            self.all_model.refresh()

    def show_current(self, statement_id: str | None) -> None:
        row = self.model.row_of(statement_id) if statement_id else None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            selection.clear()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        selection.blockSignals(False)
        self.table.viewport().update()

    @Slot(QModelIndex, QModelIndex)
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.session.select(self.model.index(current.row(), 0).data(Qt.ItemDataRole.UserRole))

    @Slot(QModelIndex)
    def _project_row_activated(self, index: QModelIndex) -> None:
        ids = self.all_model.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if ids:
            self.statement_chosen.emit(*ids)
