"""One disagreement up close: the article once per coder, side by side, each with that coder's span
and values, so an adjudication meeting can see at a glance who marked what.

The report gives a unit's overall span (the union of its statements); each coder's own statement
is found again in that coder's export: the longest of the coder's statements in the document
that lies inside the unit (a unit's members always do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QTextEdit, QVBoxLayout, QWidget

from app.core.agreement.inputs import AnyExport
from app.core.agreement.report import Disagreement
from app.core.export_model import Value
from app.core.text import Utf16Map
from app.io.agreement_report import STATE_TEXT, WHOLE_STATEMENT

_SPAN = QColor("#ffe08a")
_UNIT = QColor("#e4e4e4")


class CodedSpan(NamedTuple):
    """What the side-by-side view shows of one statement."""

    start: int
    end: int
    values: dict[str, Value]


def coder_statement(statements: Sequence[CodedSpan], start: int, end: int) -> CodedSpan | None:
    inside = [s for s in statements if start <= s.start and s.end <= end]
    return max(inside, key=lambda s: (s.end - s.start, -s.start), default=None)


class CoderPane(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.values_label = QLabel()
        self.values_label.setWordWrap(True)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.values_label)
        layout.addWidget(self.text_view, 1)
        self._shown_text = ""
        self._map = Utf16Map("")

    def show_unit(self, text: str, unit: tuple[int, int], span: tuple[int, int] | None, summary: str) -> None:
        if text != self._shown_text:
            self.text_view.setPlainText(text)
            self._shown_text, self._map = text, Utf16Map(text)
        self.values_label.setText(summary)
        selections = [self._selection(*unit, _UNIT)]
        if span is not None:
            selections.append(self._selection(*span, _SPAN))
        self.text_view.setExtraSelections(selections)
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(self._map.to_utf16((span or unit)[0]))
        self.text_view.setTextCursor(cursor)
        self.text_view.centerCursor()

    def _selection(self, start: int, end: int, colour: QColor) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(self._map.to_utf16(min(start, self._map.length)))
        cursor.setPosition(self._map.to_utf16(min(end, self._map.length)), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        sel.cursor, sel.format = cursor, fmt  # type: ignore[misc]
        return sel


class DisagreementDetail(QWidget):
    """Empty until :meth:`show_disagreement`; coders appear in the report's order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Select a disagreement to see each coder's statement.")
        self.heading.setWordWrap(True)
        self.splitter = QSplitter()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.splitter, 1)
        self.panes: dict[str, CoderPane] = {}
        self._texts: dict[str, str] = {}
        self._statements: dict[str, dict[str, list[CodedSpan]]] = {}
        self._labels: dict[str, str] = {}

    def set_exports(self, coders: Sequence[str], exports: Sequence[AnyExport]) -> None:
        for pane in self.panes.values():
            pane.deleteLater()
        self.panes, self._texts, self._statements = {}, {}, {}
        by_name = {e.coder.name: e for e in exports}
        for name in coders:
            pane = CoderPane(name)
            self.splitter.addWidget(pane)
            self.panes[name] = pane
            export = by_name.get(name)
            if export is None:
                continue
            sha_of = {d.id: d.sha256 for d in export.documents}
            for d in export.documents:
                self._texts.setdefault(d.sha256, d.text)
            mine: dict[str, list[CodedSpan]] = {}
            cols = export.statement_columns()  # models (a project's coders) or rows (files) alike
            for doc_id, start, end, values in zip(cols.document_id, cols.start, cols.end, cols.values):
                mine.setdefault(sha_of[doc_id], []).append(CodedSpan(start, end, values))
            self._statements[name] = mine
            self._labels.update({v.key: v.display for v in export.codebook.variables})

    def show_disagreement(self, d: Disagreement) -> None:
        variable = self._labels.get(d.variable, d.variable) if d.variable else WHOLE_STATEMENT
        self.heading.setText(f"<b>{_esc(d.title)}</b> — {_esc(variable)}: {_esc(d.issue)}")
        text = self._texts.get(d.sha256, "")
        for name, pane in self.panes.items():
            value = d.values.get(name)
            statement = coder_statement(self._statements.get(name, {}).get(d.sha256, []), d.start, d.end)
            if statement is None or value is None or value.state in ("no_statement", "document_not_coded"):
                why = STATE_TEXT.get(value.state if value else "document_not_coded", "")
                pane.show_unit(text, (d.start, d.end), None, f"<b>{_esc(name)}</b> <i>{_esc(why)}</i>")
                continue
            parts = []
            for key, val in statement.values.items():
                if val is None or val == "":
                    continue
                shown = f"{_esc(self._labels.get(key, key))}: {_esc(val)}"
                parts.append(f"<b>{shown}</b>" if key == d.variable else shown)
            if d.variable and (d.variable not in statement.values or statement.values.get(d.variable) in (None, "")):
                parts.insert(0, f"<b>{_esc(variable)}: <i>(empty)</i></b>")
            pane.show_unit(text, (d.start, d.end), (statement.start, statement.end),
                           f"<b>{_esc(name)}</b><br>" + " · ".join(parts))


def _esc(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
