"""The statements of the open document, one row each: a thin adapter over the session's list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.codebook import Codebook
from app.core.domain import Statement

_Index = QModelIndex | QPersistentModelIndex
MISSING = QColor("#d43b3b")


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class RowTableModel(QAbstractTableModel):
    """A flat table over a Python list: subclasses set ``_headers`` and ``rows`` and say ``data``."""

    _headers: list[str]
    rows: list[Any]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def row(self, index: _Index) -> Any | None:
        """The list item behind ``index``, or None for an index outside the table."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]


class StatementTableModel(RowTableModel):
    def __init__(self, codebook: Codebook, parent: Any = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.statements: list[Statement] = []
        self.text = ""
        self._headers = ["", "Statement", *(v.display for v in codebook.variables)]

    def set_codebook(self, codebook: Codebook) -> None:
        """New columns after a codebook change (Tools → Codebook…); the rows stay."""
        self.beginResetModel()
        self.codebook = codebook
        self._headers = ["", "Statement", *(v.display for v in codebook.variables)]
        self.endResetModel()

    def set_statements(self, statements: list[Statement], text: str) -> None:
        self.beginResetModel()
        self.statements, self.text = list(statements), text
        self.endResetModel()

    def row_of(self, statement_id: str) -> int | None:
        return next((i for i, s in enumerate(self.statements) if s.id == statement_id), None)

    @property
    def rows(self) -> list[Statement]:  # type: ignore[override]
        return self.statements

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        st = self.row(index)
        if st is None:
            return None
        col = index.column()
        missing = self.codebook.missing_required(st.values)
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return "●" if missing else ""
            if role == Qt.ItemDataRole.ForegroundRole and missing:
                return QBrush(MISSING)
            if role == Qt.ItemDataRole.ToolTipRole and missing:
                return "Missing: " + ", ".join(missing)
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 1:
                text = " ".join(self.text[st.start : st.end].split())
                return text if role == Qt.ItemDataRole.ToolTipRole or len(text) < 120 else text[:117] + "…"
            return value_text(st.values.get(self.codebook.variables[col - 2].key))
        if role == Qt.ItemDataRole.UserRole:
            return st.id
        return None
