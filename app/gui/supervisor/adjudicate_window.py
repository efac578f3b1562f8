"""Tools → Adjudicate…: the units of the finished sample documents, one at a time, every coder's
version side by side, and the gold version.

Keyboard first: N / P (or Page Down / Up) next / previous open unit, 1–9 take coder N's version,
E edit (the gold version, else the selected row), R reject, A add a statement every coder
missed (select its text in the excerpt first), Ctrl+Z / Ctrl+Shift+Z undo and redo. Every
decision is committed at once through ``app.services.study.adjudicate``; undo takes it back.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ClaimcoderError
from app.core.study import REJECTED
from app.core.text import Utf16Map
from app.gui.supervisor.gold_editor import GoldEditor
from app.services.project import Project
from app.services.study.adjudicate import ReviewUnit, decide, review_units, undo_decision

CONTEXT = 240  # characters of the article shown on either side of the unit
COLOURS = ["#f6c85f", "#6fb1e4", "#9dd866", "#ca7cd8", "#ffa056", "#8dddd0", "#f28b82", "#c0c0c0", "#b5a7f5"]


class _Decision(QUndoCommand):
    """A decision replacing the unit's earlier one (if any). It is made before the command is
    pushed (a refused decision never lands on the stack, as in the coding window); redo makes it
    again after an undo, and undo brings the earlier decision back."""

    def __init__(self, window: AdjudicateWindow, index: int, old: dict[str, Any] | None,
                 new: dict[str, Any], params: dict[str, Any], text: str) -> None:
        super().__init__(text)
        self.window, self.index, self.old, self.new, self.params = window, index, old, new, params
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        if self.old is not None:
            undo_decision(self.window.project, self.old)
        self.new = decide(self.window.project, **self.params)
        self.window.decision_changed(self.index, self.new)

    def undo(self) -> None:
        project = self.window.project
        undo_decision(project, self.new)
        if self.old is not None:
            o = self.old
            self.old = decide(project, document_id=o["document_id"], decision=o["decision"], unit_ids=o["unit"],
                              sources=o["sources"], span=self.window.old_span(o), values=self.window.old_values(o),
                              adjudicator=o["adjudicator"])
        self.window.decision_changed(self.index, self.old)


class AdjudicateWindow(QDialog):
    def __init__(self, parent: QWidget | None, project: Project, *, adjudicator: str = "supervisor") -> None:
        super().__init__(parent)
        self.setWindowTitle("Adjudicate the reliability sample")
        self.resize(1180, 720)
        self.project = project
        self.adjudicator = adjudicator
        self.codebook = project.codebook
        self.names = {c.id: c.name for c in project.coders()}
        self.units: list[ReviewUnit] = review_units(project)
        self._titles = {s.id: s.title for s in project.document_summaries()}
        self.gold_rows: dict[str, dict[str, Any]] = {}  # gold statement id → (span, values), for undo
        self.index = -1
        self.undo_stack = QUndoStack(self)
        self.added: list[dict[str, Any]] = []  # statements added by hand (decision "added")
        self._texts: dict[str, str] = {}

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.only_open = QCheckBox("Only open units")
        self.only_open.setChecked(True)
        self.excerpt = QTextEdit(readOnly=True)
        self.excerpt.setMaximumHeight(190)
        self.table = QTableWidget()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.hint = QLabel("N / P next / previous open unit · 1–9 take coder N's version · E edit · R reject · "
                           "A add (select its text first) · Ctrl+Z undo")
        self.hint.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.only_open)
        buttons = QHBoxLayout()
        for text, slot in (("◀ Previous", lambda: self.step(-1)), ("Next ▶", lambda: self.step(1)),
                           ("Edit…", self.edit), ("Reject", self.reject_unit), ("Add…", self.add),
                           ("Undo", self.undo_stack.undo), ("Close", self.accept)):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.excerpt)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self._shortcuts()
        self.step(1, from_start=True)

    # -- keys -----------------------------------------------------------------------------

    def _shortcuts(self) -> None:
        def key(seq: str | QKeySequence.StandardKey, slot: Any) -> None:
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)

        for seq in ("N", "PgDown"):
            key(seq, lambda: self.step(1))
        for seq in ("P", "PgUp"):
            key(seq, lambda: self.step(-1))
        for n in range(1, 10):
            key(str(n), lambda n=n: self.take(n))
        key("E", self.edit)
        key("R", self.reject_unit)
        key("A", self.add)
        key(QKeySequence.StandardKey.Undo, self.undo_stack.undo)
        key(QKeySequence.StandardKey.Redo, self.undo_stack.redo)
        key("Ctrl+Shift+Z", self.undo_stack.redo)

    # -- moving ---------------------------------------------------------------------------

    def step(self, direction: int, *, from_start: bool = False) -> None:
        if not self.units:
            self._show_empty()
            return
        i = -1 if from_start else self.index
        n = len(self.units)
        for _ in range(n):
            i = (i + direction) % n
            if not self.only_open.isChecked() or self.units[i].decision is None:
                self.show_unit(i)
                return
        self.show_unit(self.index if self.index >= 0 else 0)  # nothing open: stay

    def show_unit(self, index: int) -> None:
        self.index = index
        ru = self.units[index]
        unit = ru.unit
        doc = self._text(unit.document_id)
        open_left = sum(1 for u in self.units if u.decision is None)
        state = "open" if ru.decision is None else html.escape(ru.decision["decision"])
        title = html.escape(self._title(unit.document_id))
        self.heading.setText(f"<b>Unit {index + 1} of {len(self.units)}</b> — {title} — <i>{state}</i>"
                             f" — {open_left} open")
        self._fill_excerpt(doc, ru)
        self._fill_table(doc, ru)

    def _show_empty(self) -> None:
        self.heading.setText("<b>No units to adjudicate</b> — the sample documents are not finished by every "
                             "coder yet, or nobody marked a statement in them.")
        self.excerpt.clear()
        self.table.setRowCount(0)

    # -- showing --------------------------------------------------------------------------

    def _text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.project.document(doc_id).text
        return self._texts[doc_id]

    def _title(self, doc_id: str) -> str:
        return self._titles.get(doc_id, doc_id)

    def _coders(self, ru: ReviewUnit) -> list[str]:
        return ru.unit.coders

    def _fill_excerpt(self, text: str, ru: ReviewUnit) -> None:
        lo, hi = ru.unit.span
        a, b = max(0, lo - CONTEXT), min(len(text), hi + CONTEXT)
        self._excerpt_from = a
        self.excerpt.setPlainText(text[a:b])
        self._u16 = Utf16Map(text[a:b])
        cursor = QTextCursor(self.excerpt.document())
        fmt = cursor.charFormat()
        for k, cid in enumerate(self._coders(ru)):
            m = ru.unit.members.get(cid)
            if m is None:
                continue
            cursor.setPosition(self._u16.to_utf16(m["start"] - a))
            cursor.setPosition(self._u16.to_utf16(m["end"] - a), QTextCursor.MoveMode.KeepAnchor)
            fmt.setBackground(QColor(COLOURS[k % len(COLOURS)]).lighter(125))
            cursor.mergeCharFormat(fmt)

    def _fill_table(self, text: str, ru: ReviewUnit) -> None:
        variables = self.codebook.variables
        coders = self._coders(ru)
        self.table.clear()
        self.table.setColumnCount(3 + len(variables))
        self.table.setHorizontalHeaderLabels(["Key · coder", "Span", "Text"] + [v.display for v in variables])
        self.table.setRowCount(len(coders) + 1)
        for r, cid in enumerate(coders):
            m = ru.unit.members.get(cid)
            self._row(r, f"{r + 1} · {self.names.get(cid, '?')}", m, text, COLOURS[r % len(COLOURS)])
        self._mark_differences(len(coders))
        gold = ru.gold
        label = "Gold" if ru.decision is None else f"Gold ({ru.decision['decision']})"
        self._row(len(coders), label, gold, text, None, rejected=bool(ru.decision and ru.decision["decision"] == REJECTED))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 420))
        self.table.selectRow(len(coders))

    def _mark_differences(self, n_rows: int) -> None:
        """Bold, in dark red, the cells where the coders who marked the unit differ."""
        for c in (1, *range(3, self.table.columnCount())):
            cells = [self.table.item(r, c) for r in range(n_rows)]
            present = [cell for r, cell in enumerate(cells) if cell is not None and self.table.item(r, 1).text()]
            if len({cell.text() for cell in present}) > 1:
                for cell in present:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                    cell.setForeground(QColor("#a00000"))

    def _row(self, r: int, label: str, m: dict[str, Any] | None, text: str, colour: str | None,
             *, rejected: bool = False) -> None:
        head = QTableWidgetItem(label)
        if colour:
            head.setBackground(QColor(colour).lighter(125))
        else:
            font = head.font()
            font.setBold(True)
            head.setFont(font)
        self.table.setItem(r, 0, head)
        if m is None:
            empty = "rejected: not a statement" if rejected else "— no statement —"
            self.table.setItem(r, 1, QTableWidgetItem(""))
            self.table.setItem(r, 2, QTableWidgetItem(empty))
            return
        self.table.setItem(r, 1, QTableWidgetItem(f"{m['start']}–{m['end']}"))
        snippet = text[m["start"]:m["end"]]
        self.table.setItem(r, 2, QTableWidgetItem(snippet if len(snippet) < 160 else snippet[:157] + "…"))
        for c, var in enumerate(self.codebook.variables, start=3):
            value = m["values"].get(var.key)
            shown = "" if value is None else str(value)
            if var.kind == "category" and value is not None:
                cat = var.category(str(value))
                shown = cat.display if cat else shown
            self.table.setItem(r, c, QTableWidgetItem(shown))

    # -- deciding -------------------------------------------------------------------------

    def _current(self) -> ReviewUnit | None:
        return self.units[self.index] if 0 <= self.index < len(self.units) else None

    def _push(self, params: dict[str, Any], text: str) -> None:
        ru = self._current()
        if ru is None:
            return
        old = ru.decision
        if old is not None and old.get("statement_id"):
            self.gold_rows[old["statement_id"]] = ru.gold or {}
        params = {**params, "adjudicator": self.adjudicator}
        try:
            if old is not None:
                undo_decision(self.project, old)
            try:
                new = decide(self.project, **params)
            except ClaimcoderError:
                if old is not None:  # put the earlier decision back as it was
                    decide(self.project, document_id=old["document_id"], decision=old["decision"],
                           unit_ids=old["unit"], sources=old["sources"], span=self.old_span(old),
                           values=self.old_values(old), adjudicator=old["adjudicator"])
                raise
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Cannot record the decision", exc.message)
            return
        self.decision_changed(self.index, new)
        self.undo_stack.push(_Decision(self, self.index, old, new, params, text))

    @Slot()
    def take(self, n: int) -> None:
        ru = self._current()
        if ru is None or n > len(ru.unit.coders):
            return
        m = ru.unit.members.get(ru.unit.coders[n - 1])
        if m is None:  # that coder saw no statement here: taking "nothing" is a rejection
            self.reject_unit()
            return
        self._push({"document_id": ru.unit.document_id, "decision": "picked", "unit_ids": ru.unit.ids,
                    "sources": [m["id"]], "span": (m["start"], m["end"]), "values": dict(m["values"])},
                   f"Take {self.names.get(ru.unit.coders[n - 1], '?')}'s version")
        self._advance()

    @Slot()
    def reject_unit(self) -> None:
        ru = self._current()
        if ru is None:
            return
        self._push({"document_id": ru.unit.document_id, "decision": REJECTED, "unit_ids": ru.unit.ids,
                    "sources": ru.unit.ids}, "Reject")
        self._advance()

    @Slot()
    def edit(self) -> None:
        ru = self._current()
        if ru is None:
            return
        row = self.table.currentRow()
        coders = ru.unit.coders
        model = ru.gold if row >= len(coders) or row < 0 else ru.unit.members.get(coders[row])
        model = model or next(iter(ru.unit.members.values()))
        editor = GoldEditor(self, self.project, self._text(ru.unit.document_id), model["start"], model["end"],
                            model["values"])
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        sources = ([model["id"]] if model is not ru.gold else (ru.decision or {}).get("sources", [])) or ru.unit.ids
        self._push({"document_id": ru.unit.document_id, "decision": "edited", "unit_ids": ru.unit.ids,
                    "sources": [s for s in sources if s in ru.unit.ids], "span": editor.span(),
                    "values": editor.values()}, "Edit gold version")

    @Slot()
    def add(self) -> None:
        ru = self._current()
        if ru is None:
            return
        cursor = self.excerpt.textCursor()
        if cursor.hasSelection():
            start = self._excerpt_from + self._u16.from_utf16(cursor.selectionStart())
            end = self._excerpt_from + self._u16.from_utf16(cursor.selectionEnd(), round_up=True)
        else:
            start, end = ru.unit.span
        editor = GoldEditor(self, self.project, self._text(ru.unit.document_id), start, end, {})
        if editor.exec() != QDialog.DialogCode.Accepted:
            return
        params = {"document_id": ru.unit.document_id, "decision": "added", "unit_ids": [], "sources": [],
                  "span": editor.span(), "values": editor.values(), "adjudicator": self.adjudicator}
        try:
            row = decide(self.project, **params)
        except ClaimcoderError as exc:
            QMessageBox.warning(self, "Cannot add the statement", exc.message)
            return
        self.undo_stack.push(_Added(self, params, row))
        self.added.append(row)

    def _advance(self) -> None:
        if self.only_open.isChecked() and any(u.decision is None for u in self.units):
            self.step(1)
        elif self.index >= 0:
            self.show_unit(self.index)

    # -- called by the undo commands ------------------------------------------------------

    def decision_changed(self, index: int, row: dict[str, Any] | None) -> None:
        ru = self.units[index]
        ru.decision = row
        ru.gold = None
        if row is not None and row.get("statement_id"):
            st = self.project.statement(row["statement_id"])
            if st is not None:
                ru.gold = {"id": st.id, "start": st.start, "end": st.end, "values": dict(st.values)}
                self.gold_rows[st.id] = ru.gold
        if index == self.index:
            self.show_unit(index)

    def old_span(self, row: dict[str, Any]) -> tuple[int, int] | None:
        g = self.gold_rows.get(row.get("statement_id") or "")
        return (g["start"], g["end"]) if g else None

    def old_values(self, row: dict[str, Any]) -> dict[str, Any] | None:
        g = self.gold_rows.get(row.get("statement_id") or "")
        return dict(g["values"]) if g else None


class _Added(QUndoCommand):
    def __init__(self, window: AdjudicateWindow, params: dict[str, Any], row: dict[str, Any]) -> None:
        super().__init__("Add a statement")
        self.window, self.params, self.row = window, params, row
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.row = decide(self.window.project, **self.params)

    def undo(self) -> None:
        if self.row is not None:
            undo_decision(self.window.project, self.row)
            self.row = None
