"""What an import did: counts at the top, then every file that failed or held duplicates, with why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.core.domain import ImportOutcome, ImportSummary

_Index = QModelIndex | QPersistentModelIndex
_FAILED = QColor("#b3261e")
_DUPLICATE = QColor("#7a5d00")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class OutcomeModel(QAbstractTableModel):
    """Rows for the files worth a look: failed first, then warned about, then with duplicates."""

    HEADERS = ("File", "Result", "Reason")

    def __init__(self, outcomes: list[ImportOutcome], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        failed = [o for o in outcomes if o.error]
        warned = [o for o in outcomes if not o.error and o.warning]
        dups = [o for o in outcomes if not o.error and not o.warning and o.duplicates]
        self._rows = failed + warned + dups

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        o = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (o.origin, self._result(o), self._reason(o))[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return _FAILED if o.error else _DUPLICATE
        return None

    @staticmethod
    def _result(o: ImportOutcome) -> str:
        if o.error:
            return "failed"
        if o.warning:
            return f"{o.imported} imported, with a warning"
        return f"{o.imported} imported, {o.duplicates} duplicate" + ("" if o.duplicates == 1 else "s")

    @staticmethod
    def _reason(o: ImportOutcome) -> str:
        if o.error:
            return o.error
        if o.warning:
            return o.warning
        titles = "; ".join(f"“{t[:60]}”" for t in o.duplicate_titles[:3])
        more = f" and {o.duplicates - 3} more" if o.duplicates > 3 else ""
        return f"already in the project: {titles}{more}"


class ImportSummaryDialog(QDialog):
    def __init__(self, parent: QWidget | None, summary: ImportSummary, *, cancelled: bool = False,
                 documents_in_project: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not cancelled else "Import cancelled")
        self.summary = summary
        failed = len(summary.failed)
        parts = [f"<b>Imported {_plural(summary.imported, 'article')}</b>",
                 f"skipped {_plural(summary.duplicates, 'duplicate')}",
                 f"{_plural(failed, 'file')} failed"]
        text = ", ".join(parts) + "."
        if cancelled:
            text = "You cancelled the import; the files read until then are in the project.<br>" + text
        if documents_in_project is not None:
            text += f"<br>The project now has {_plural(documents_in_project, 'document')}."
        self.headline = QLabel(text)
        self.headline.setWordWrap(True)
        self.model = OutcomeModel(summary.outcomes, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the file name in view
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 230)
        self.table.setVisible(self.model.rowCount() > 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 360 if self.model.rowCount() else 140)
