"""Every statement of the coder in the project, fetched a page at a time (projects hold a million
statements; the view asks for more as it scrolls).

Pages come in document order straight from the indexes (``Project.statement_scan``), so the
first page of a million statements, or of a search, reads a few hundred rows instead of sorting
them all. The total is counted by a background thread, in stretches of documents it can stop
between: a new search text or a refresh cancels it, and ``total`` is None until it is known (the
view shows "200+" meanwhile)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal

from app.core.domain import Coder, Statement
from app.core.errors import ClaimcoderError
from app.gui.statement_table import RowTableModel, value_text
from app.services.project import Project

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200
#: documents one page looks at, at most, before it returns what it found (a rare search word)
SCAN_DOCUMENTS = 512
#: documents per counting step of the background thread (each step a single query)
COUNT_DOCUMENTS = 2000


class _Counter(QObject):
    """Counts the matches in a thread; ``counted`` (generation, total) arrives in the GUI thread."""

    counted = Signal(int, int)

    def start(self, project: Project, coder: Coder, contains: str, generation: int) -> threading.Event:
        stop = threading.Event()
        threading.Thread(target=self._run, args=(project, coder, contains, generation, stop),
                         name="claimcoder-count", daemon=True).start()
        return stop

    def _run(self, project: Project, coder: Coder, contains: str, generation: int, stop: threading.Event) -> None:
        try:
            if not contains:
                total = project.statement_match_count(coder)
            else:
                total, start = 0, 0
                while start is not None and not stop.is_set():
                    n, start = project.statement_match_count_in(coder, start, COUNT_DOCUMENTS, contains)
                    total += n
            if not stop.is_set():
                self.counted.emit(generation, total)
        except Exception:  # noqa: BLE001 — the project closed under the count: it just stays unknown
            return


class ProjectStatementsModel(RowTableModel):
    total_changed = Signal()

    def __init__(self, project: Project, coder: Coder, parent: Any = None) -> None:
        super().__init__(parent)
        self.project, self.coder = project, coder
        self.keys = project.codebook.keys
        self._headers = ["Document", "Statement", *(v.display for v in project.codebook.variables)]
        self.rows: list[tuple[Statement, str, str]] = []
        self._cursor: tuple[int, int] | None = (0, 0)
        self._failed = False
        self._total: int | None = None
        self._generation = 0
        self._stop: threading.Event | None = None
        self._counter = _Counter(self)
        self._counter.counted.connect(self._counted)
        self._more = QTimer(self, singleShot=True, interval=0)  # a search's next stretch of documents
        self._more.timeout.connect(self.fetchMore)
        self.contains = ""
        self.refresh()

    def refresh(self) -> None:
        """Start again from the first page (after statements or the codebook changed)."""
        self.beginResetModel()
        self.keys = self.project.codebook.keys
        self._headers = ["Document", "Statement", *(v.display for v in self.project.codebook.variables)]
        self.rows = []
        self._cursor, self._failed = (0, 0), False
        self._more.stop()
        if self._stop is not None:
            self._stop.set()
        self._generation += 1
        self._total, self._stop = None, None
        self.endResetModel()
        self.total_changed.emit()

    def _count(self) -> None:
        """Start counting in the background (at the first page a view asks for, not before)."""
        self._stop = self._counter.start(self.project, self.coder, self.contains, self._generation)

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._total, self._stop = total, None
            self.total_changed.emit()

    def cancel(self) -> None:
        """Stop the background count (the window closes)."""
        if self._stop is not None:
            self._stop.set()
        self._more.stop()

    def set_filter(self, contains: str) -> None:
        """Show only statements whose text, values or document title contain ``contains`` —
        searched in the database, so rows not loaded yet are found too."""
        if contains != self.contains:
            self.contains = contains
            self.refresh()

    @property
    def total(self) -> int | None:
        """How many statements match: None while the background count runs."""
        return self._total

    def total_text(self) -> str:
        """"1,000,000", or "200+" while counting."""
        if self._total is not None:
            return f"{self._total:,}"
        return f"{len(self.rows):,}+" if self.rows else "…"

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        # Not while the window still paints from a first look at the file: the list asks once the
        # store is attached (MainWindow.store_attached refreshes it), so the window stays live.
        return not parent.isValid() and self._cursor is not None and not self._failed and not self.project.opening

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        if self._cursor == (0, 0) and self._total is None and self._stop is None:
            self._count()
        try:
            page, cursor = self.project.statement_scan(self.coder, self._cursor, PAGE, contains=self.contains,
                                                       max_documents=SCAN_DOCUMENTS)
        except ClaimcoderError:  # the server went away (team mode): the window says so; asked
            self._failed = True  # again at the next refresh, not at every layout of the view
            return
        self._cursor = cursor
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()
            self.total_changed.emit()
        if self._cursor is None:
            if self._total is None:  # everything is loaded: that is the count
                if self._stop is not None:
                    self._stop.set()
                self._generation += 1
                self._total, self._stop = len(self.rows), None
                self.total_changed.emit()
        elif len(page) < PAGE and len(self.rows) < PAGE:
            self._more.start()  # a rare word: look at the next documents once the events are handled

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
