"""The article list: a table model over the session's document summaries, a proxy that filters by
text and status, and the small panel that holds them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.core.domain import STATUS_LABELS, STATUSES, DocumentSummary

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Title", "Source", "Date", "", "#"]  # the status column shows ○ ◐ ● ⊘
STATUS_MARKS = {"not_started": "○", "in_progress": "◐", "done": "●", "skipped": "⊘"}
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentListModel(QAbstractTableModel):
    """Its own copy of the list, so that rows the session fetches later are announced to the
    views (``append``) before they are there."""

    def __init__(self, summaries: list[DocumentSummary], parent: Any = None) -> None:
        super().__init__(parent)
        self.summaries = list(summaries)

    def set_summaries(self, summaries: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self.summaries = list(summaries)
        self.endResetModel()

    def append(self, first_row: int, summaries: list[DocumentSummary]) -> None:
        """The next page of the list (``first_row`` is where the session put it)."""
        if not summaries or first_row != len(self.summaries):
            return
        self.beginInsertRows(QModelIndex(), first_row, first_row + len(summaries) - 1)
        self.summaries.extend(summaries)
        self.endInsertRows()

    def row_changed(self, row: int, summary: DocumentSummary) -> None:
        self.summaries[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.summaries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.summaries):
            return None
        s = self.summaries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return s.title or f"Document {s.position + 1}"
            if col == 1:
                return s.source
            if col == 2:
                return s.published or ""
            if col == 3:  # the mark only: the title gets the width (the label is the tooltip)
                return STATUS_MARKS[s.status]
            return s.n_statements
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return STATUS_LABELS[s.status]
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        if role == STATUS_ROLE:
            return s.status
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DocumentFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        if self.status and self.sourceModel().index(row, 0, parent).data(STATUS_ROLE) != self.status:
            return False
        return super().filterAcceptsRow(row, parent)


class DocumentListPanel(QWidget):
    document_activated = Signal(str)

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None,
                 load_all: Callable[[], None] = lambda: None) -> None:
        super().__init__(parent)
        self.model = model
        self.load_all = load_all  # a filter looks at every article, so the list is completed first
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter articles…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_text)
        self.status = QComboBox(self)
        self.status.addItem("All", None)
        for st in STATUSES:
            self.status.addItem(STATUS_LABELS[st].capitalize(), st)
        self.status.currentIndexChanged.connect(self._filter_status)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Island states … over fund": both ends read
        # Fixed widths: ResizeToContents would measure every row each time one row changes.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        header.resizeSection(3, metrics.horizontalAdvance("◐") + 16)
        header.resizeSection(4, metrics.horizontalAdvance("000") + 12)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.view.hideColumn(1)
        self.view.hideColumn(2)
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)

    @Slot(str)
    def _filter_text(self, text: str) -> None:
        if text:
            self.load_all()
        self.proxy.setFilterFixedString(text)

    @Slot(int)
    def _filter_status(self, _index: int) -> None:
        status = self.status.currentData()
        if status:
            self.load_all()
        self.proxy.set_status(status)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        doc_id = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if doc_id:
            self.document_activated.emit(doc_id)

    def show_current(self, document_id: str, row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.view.selectRow(index.row())
            self.view.scrollTo(index)
        else:
            self.view.clearSelection()
