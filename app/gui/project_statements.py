"""Every statement of the coder in the project, fetched a page at a time (projects hold 100,000
statements; the view asks for more as it scrolls)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.core.domain import Coder, Statement
from app.gui.statement_table import RowTableModel, value_text
from app.services.project import Project

_Index = QModelIndex | QPersistentModelIndex
PAGE = 500


class ProjectStatementsModel(RowTableModel):
    def __init__(self, project: Project, coder: Coder, parent: Any = None) -> None:
        super().__init__(parent)
        self.project, self.coder = project, coder
        self.keys = project.codebook.keys
        self._headers = ["Document", "Statement", *(v.display for v in project.codebook.variables)]
        self.rows: list[tuple[Statement, str, str]] = []
        self._total = 0
        self.contains = ""
        self.refresh()

    def refresh(self) -> None:
        """Start again from the first page (after statements or the codebook changed)."""
        self.beginResetModel()
        self.keys = self.project.codebook.keys
        self._headers = ["Document", "Statement", *(v.display for v in self.project.codebook.variables)]
        self.rows = []
        self._total = self.project.statement_match_count(self.coder, self.contains)
        self.endResetModel()

    def set_filter(self, contains: str) -> None:
        """Show only statements whose text, values or document title contain ``contains`` —
        searched in the database, so rows not loaded yet are found too."""
        if contains != self.contains:
            self.contains = contains
            self.refresh()

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self.rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self.project.statement_page(self.coder, len(self.rows), PAGE, contains=self.contains)
        page = page[: max(0, self._total - len(self.rows))]
        if not page:
            self._total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row(index)
        if item is None:
            return None
        st, title, excerpt = item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            col = index.column()
            if col == 0:
                return title
            if col == 1:
                return " ".join(excerpt.split())
            return value_text(st.values.get(self.keys[col - 2]))
        if role == Qt.ItemDataRole.UserRole:
            return (st.document_id, st.id)
        return None
