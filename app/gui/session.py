"""The coder's working state: which document is open, its statements, the selected one.

Widgets read from here and ask it to change things; it calls the :class:`Project` service (which
commits at once), records undo, and tells everyone what changed through signals. It never holds
Qt widgets, so the tests and the benchmark can drive it without a window.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.core.domain import Coder, Document, DocumentStatus, DocumentSummary, Statement
from app.core.errors import ClaimcoderError
from app.gui import commands
from app.services.project import Project


class _Statuses(dict):  # type: ignore[type-arg]
    """document id → the coder's status; a status set by hand (not a page of the list arriving,
    which uses ``update``) forgets the done count taken from the project."""

    def __init__(self, forget: Any) -> None:
        super().__init__()
        self._forget = forget

    def __setitem__(self, key: str, value: DocumentStatus) -> None:
        super().__setitem__(key, value)
        self._forget()


class CodingSession(QObject):
    document_opened = Signal(object)  # Document
    statements_changed = Signal()
    current_changed = Signal(object)  # Statement | None
    summary_changed = Signal(int)  # row in ``summaries``
    saved = Signal(object)  # datetime of the last commit
    summaries_added = Signal(int, object)  # first row, list[DocumentSummary]: the next page arrived
    summaries_complete = Signal()  # every document's list entry is in ``summaries``
    progress_changed = Signal()  # a change to a document whose list row is not fetched yet
    failed = Signal(str)  # a message for the coder
    focus_requested = Signal(str)  # after undo/redo: a variable key, "note", or "" for the article

    def __init__(self, project: Project, coder: Coder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.coder = coder
        self.undo_stack = QUndoStack(self)
        self.summaries: list[DocumentSummary] = []
        self._rows: dict[str, int] = {}
        self._done_in_project: int | None = None
        self.statuses: dict[str, DocumentStatus] = _Statuses(self._forget_done)
        self.document: Document | None = None
        self.statements: list[Statement] = []
        self.current: Statement | None = None
        # The document list comes a page at a time: the first page now (the window paints with
        # it), the rest from a zero-interval timer while the coder reads (each page a few ms of
        # index lookups), or at once when something needs the whole list (a filter, "next
        # unfinished"). ``complete`` says when every entry is in.
        self.complete = False
        self.document_total = 0
        self._next_position: int | None = None
        self._pager = QTimer(self, singleShot=True, interval=0)
        self._pager.timeout.connect(self._load_next_page)
        self._start_paging()

    # -- reading --------------------------------------------------------------------------

    FIRST_PAGE = 200
    PAGE = 500

    def _start_paging(self) -> None:
        first = self.project.document_summaries(self.coder, limit=self.FIRST_PAGE)
        self.summaries, self._rows = [], {}
        self.statuses = _Statuses(self._forget_done)
        self._done_in_project = None
        self._take(first)
        self.complete = len(first) < self.FIRST_PAGE
        self._next_position = None if self.complete else first[-1].position
        self.document_total = len(first) if self.complete else self.project.document_count()
        if not self.complete:
            self._pager.start()

    def _take(self, page: list[DocumentSummary]) -> list[DocumentSummary]:
        fresh = [s for s in page if s.id not in self._rows]  # a page starts at the last position seen
        for s in fresh:
            self._rows[s.id] = len(self.summaries)
            self.summaries.append(s)
        self.statuses.update((s.id, s.status) for s in fresh)
        return fresh

    def _forget_done(self) -> None:
        self._done_in_project = None

    def _load_next_page(self) -> bool:
        """Fetch one more page of the document list; False once the list is complete."""
        if self.complete:
            return False
        first_row = len(self.summaries)
        try:  # from the last position seen, inclusive (positions are not declared unique): one row again
            page = self.project.document_summaries(self.coder, start=self._next_position, limit=self.PAGE + 1)
        except ClaimcoderError:  # the server went away (team mode; the window says so): try again later
            self._pager.start(1000)
            return False
        self._pager.setInterval(0)
        fresh = self._take(page)
        if len(page) <= self.PAGE or not fresh:
            self.complete, self._next_position = True, None
        else:
            self._next_position = page[-1].position
        if fresh:
            self.summaries_added.emit(first_row, fresh)
        if self.complete:
            self.document_total = len(self.summaries)
            self.summaries_complete.emit()
        else:
            self._pager.start()
        return not self.complete

    def load_all(self) -> None:
        """Fetch the rest of the document list now (before filtering it or searching it)."""
        self._pager.stop()
        while self._load_next_page():
            pass

    def reload_summaries(self) -> None:
        """Read the whole document list again (after an import, a merge, a delete)."""
        self._pager.stop()
        self.summaries = self.project.document_summaries(self.coder)
        self._rows = {s.id: i for i, s in enumerate(self.summaries)}
        self.statuses = _Statuses(self._forget_done)
        self.statuses.update((s.id, s.status) for s in self.summaries)
        self.complete, self._next_position, self.document_total = True, None, len(self.summaries)

    def row_of(self, document_id: str) -> int | None:
        return self._rows.get(document_id)

    def done_count(self) -> int:
        if not self.complete:  # the statuses of the pages not fetched yet are in the project only
            if self._done_in_project is None:  # asked again only after a status was set
                try:
                    self._done_in_project = self.project.status_count(self.coder, "done")
                except ClaimcoderError:  # the server went away: what the fetched rows say
                    return sum(1 for s in self.statuses.values() if s == "done")
            return self._done_in_project
        return sum(1 for s in self.statuses.values() if s == "done")

    def open_document(self, document_id: str) -> None:
        if self.document is not None and self.document.id == document_id:
            return
        try:
            self.document = self.project.document(document_id)
        except ClaimcoderError as exc:
            self.failed.emit(str(exc))
            return
        self.statements = self.project.statements(document_id, self.coder)
        self.current = None
        self.project.remember_position(self.coder, document_id)
        self.document_opened.emit(self.document)
        self.statements_changed.emit()
        self.current_changed.emit(None)

    def open_initial(self) -> None:
        """The document the coder was last on, else the first one."""
        last = self.project.last_document_id(self.coder)
        if last is not None and (last in self._rows or (not self.complete and self.project.has_document(last))):
            self.open_document(last)
        elif self.summaries:
            self.open_document(self.summaries[0].id)

    def neighbour(self, step: int) -> str | None:
        if self.document is None:
            return self.summaries[0].id if self.summaries else None
        while not self.complete and (self.document.id not in self._rows
                                     or self._rows[self.document.id] + step >= len(self.summaries)):
            if not self._load_next_page() and not self.complete:
                break  # the list cannot be fetched now
        if self.document.id not in self._rows:
            return None
        row = self._rows[self.document.id] + step
        return self.summaries[row].id if 0 <= row < len(self.summaries) else None

    def next_unfinished(self) -> str | None:
        self.load_all()
        n = len(self.summaries)
        start = self._rows[self.document.id] if self.document else -1
        for k in range(1, n + 1):
            summary = self.summaries[(start + k) % n]
            if self.statuses.get(summary.id) in ("not_started", "in_progress"):
                return summary.id
        return None

    def select(self, statement_id: str | None) -> None:
        found = next((s for s in self.statements if s.id == statement_id), None)
        if found != self.current:
            self.current = found
            self.current_changed.emit(found)

    def statement_near(self, step: int) -> Statement | None:
        """The statement after (step 1) or before (step -1) the selected one, in text order."""
        if not self.statements:
            return None
        if self.current is None:
            return self.statements[0 if step > 0 else -1]
        i = next((k for k, s in enumerate(self.statements) if s.id == self.current.id), 0)
        return self.statements[(i + step) % len(self.statements)]

    # -- changing -------------------------------------------------------------------------

    def create_statement(self, start: int, end: int, values: dict[str, Any] | None = None, *,
                         origin: str = "") -> Statement | None:
        if self.document is None:
            return None
        try:
            st = self.project.create_statement(self.document.id, self.coder, start, end, values=values, origin=origin)
        except ClaimcoderError as exc:
            self.failed.emit(str(exc))
            return None
        if self.statuses.get(st.document_id) == "not_started":
            self.statuses[st.document_id] = "in_progress"
        self.undo_stack.push(commands.CreateStatement(self, st))
        self.after_change(st.document_id, st.id, changed=st)
        return st

    def set_value(self, statement_id: str, key: str, value: Any, *, origin: str | None = None) -> None:
        """Set one value; ``origin`` also records what the coder did with a suggestion (a
        confirmed suggestion changes no value, only the origin)."""
        old = self.project.statement(statement_id)
        if old is None:
            return
        same = old.values.get(key) == value or (value in (None, "") and key not in old.values)
        if same and (origin is None or origin == old.origin):
            return
        label = self.project.codebook.variable(key)
        change: dict[str, Any] = {"values": _with(old.values, key, value)}
        if origin is not None:
            change["origin"] = origin
        self._edit(old, f"Set {label.display if label else key}", key, **change)

    def set_note(self, statement_id: str, note: str) -> None:
        old = self.project.statement(statement_id)
        if old is not None and old.note != note:
            self._edit(old, "Edit note", "note", note=note)

    def respan(self, statement_id: str, start: int, end: int) -> None:
        old = self.project.statement(statement_id)
        if old is not None and (old.start, old.end) != (start, end):
            self._edit(old, "Re-span statement", "", start=start, end=end)

    def _edit(self, old: Statement, text: str, focus_key: str, **change: Any) -> None:
        try:
            new = self.project.update_statement(old.id, **change)
        except ClaimcoderError as exc:
            self.failed.emit(str(exc))
            return
        self.undo_stack.push(commands.EditStatement(self, old, new, text, focus_key))
        self.after_change(old.document_id, old.id, changed=new)

    def delete(self, statement_id: str) -> None:
        try:
            old = self.project.delete_statement(statement_id)
        except ClaimcoderError as exc:
            self.failed.emit(str(exc))
            return
        self.undo_stack.push(commands.DeleteStatement(self, old))
        self.after_change(old.document_id, None, removed=old.id)

    def set_status(self, status: DocumentStatus) -> None:
        if self.document is None:
            return
        doc_id = self.document.id
        try:
            old = self.project.set_status(doc_id, self.coder, status)
        except ClaimcoderError as exc:
            self.failed.emit(str(exc))
            return
        self.statuses[doc_id] = status
        self.undo_stack.push(commands.SetStatus(self, doc_id, old, status))
        self.after_change(doc_id, self.current.id if self.current else None)

    def after_change(self, document_id: str, focus_id: str | None, *, changed: Statement | None = None,
                     removed: str | None = None) -> None:
        """Bring every view up to date after a committed change (or its undo/redo).

        A change made here patches the list in memory (``changed``/``removed``); undo and redo
        reread the document's statements from the project.
        """
        if self.document is None or self.document.id != document_id:
            self.open_document(document_id)
        else:
            if changed is not None or removed is not None:
                gone = removed or (changed.id if changed else None)
                kept = [s for s in self.statements if s.id != gone] + ([changed] if changed else [])
                self.statements = sorted(kept, key=lambda s: (s.start, s.end, s.created_at))
            else:
                self.statements = self.project.statements(document_id, self.coder)
            self.statements_changed.emit()
        self.current = next((s for s in self.statements if s.id == focus_id), None)
        self.current_changed.emit(self.current)
        row = self._rows.get(document_id)
        if row is not None:
            self.summaries[row] = dataclasses.replace(
                self.summaries[row], status=self.statuses.get(document_id, "not_started"),
                n_statements=len(self.statements),
            )
            self.summary_changed.emit(row)
        else:
            self.progress_changed.emit()
        self.saved.emit(datetime.now())

    def missing_in_document(self) -> int:
        """How many statements of the open document lack a required value."""
        return sum(1 for s in self.statements if self.project.missing_required(s))


def _with(values: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    out = dict(values)
    if value is None or value == "":
        out.pop(key, None)
    else:
        out[key] = value
    return out
