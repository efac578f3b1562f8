"""Spans in one or two keys: select the quotation, sentence, clause or paragraph at the caret,
grow or shrink the selection by clause or sentence, jump to the next or previous quotation.

What to select is decided by pure functions (``app/core/selection.py``, ``app/core/spans.py``)
over the units Qt's segmenter finds (``app/gui/segments.py``); this module only reads the caret
and sets the selection of the article view, in code points converted at the view's boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt

from app.core import selection, spans
from app.gui import segments
from app.gui.article_view import ArticleView

Units = Callable[[str], Sequence[selection.Span]]


class SpanKeys(QObject):
    def __init__(self, view: ArticleView, say: Callable[[str], None]) -> None:
        super().__init__(view)
        self.view = view
        self.say = say  # a short message for the status bar when a key finds nothing

    # -- reading the view ---------------------------------------------------------------

    def _text(self) -> str:
        return self.view.text

    def _current(self) -> tuple[int, int]:
        """The selection in code points; a caret is an empty selection at the caret."""
        cursor = self.view.textCursor()
        u16 = self.view.u16
        return u16.from_utf16(cursor.selectionStart()), u16.from_utf16(cursor.selectionEnd(), round_up=True)

    def _select(self, span: selection.Span | None, what: str) -> bool:
        if span is None or span[0] >= span[1]:
            self.say(f"No {what} here.")
            return False
        self.view.select_span(*span)
        self.view.centre_on(self.view.textCursor(), only_if_hidden=True)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # -- the keys -------------------------------------------------------------------------

    def select_quotation(self) -> None:
        start, end = self._current()
        self._select(spans.quotation_around(self._text(), start, end), "quotation around the caret")

    def select_unit(self, kind: str) -> None:
        """The unit at the caret (or every unit the selection touches); pressed again on a
        selection that is exactly that, the next unit: Alt+S, Alt+S … walks the sentences."""
        start, end = self._current()
        units = self._units(kind)
        span = selection.cover(units, start, end)
        if span == (start, end):
            span = next((u for u in units if u[0] >= end), None)
        self._select(span, f"further {kind}" if start < end else kind)

    def grow(self, kind: str) -> None:
        start, end = self._current()
        if start == end:
            self.select_unit(kind)
            return
        self._select(selection.grow(self._units(kind), start, end), f"further {kind}")

    def shrink(self, kind: str) -> None:
        start, end = self._current()
        self._select(selection.shrink(self._units(kind), start, end), f"smaller {kind}")

    def step_quotation(self, step: int) -> None:
        start, end = self._current()
        quote = spans.next_quotation(self._text(), end if step > 0 else start, step)
        self._select(quote, "next quotation" if step > 0 else "previous quotation")

    def _units(self, kind: str) -> Sequence[selection.Span]:
        text = self._text()
        if kind == "paragraph":
            return selection.paragraphs(text)
        return {"sentence": segments.sentences, "clause": segments.clauses, "word": segments.words}[kind](text)
