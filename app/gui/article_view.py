"""The article, read-only, with caret browsing, comfortable type and statement highlights.

A ``QTextEdit`` rather than a ``QPlainTextEdit``: only the rich layout honours a 140 % line
height, and it measured fast enough (a 100,000-character article lays out in ~40 ms). The text
is always set with ``setPlainText``: article HTML is never interpreted.

Offsets leave this widget as code points (Contract 1), converted with the document's
:class:`Utf16Map`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QWidget

from app.core.text import Utf16Map

MAX_COLUMNS = 78
SERIFS = ["Charter", "Georgia", "Source Serif 4", "Source Serif Pro", "Noto Serif", "DejaVu Serif", "Liberation Serif", "Times New Roman"]


class ArticleView(QTextEdit):
    span_committed = Signal()  # Enter with a selection: make it a statement
    typed_on_span = Signal(str)  # a key typed with a selection: make a statement, then use the key
    typed = Signal(str)  # a key typed with no selection (category shortcuts)
    entered = Signal()  # Enter with no selection: go and code the selected statement
    clicked_at = Signal(int)  # a plain click, as a code-point offset
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFont(_reading_font())
        self.text = ""
        self.u16 = Utf16Map("")
        self._press_pos: int | None = None

    # -- content --------------------------------------------------------------------------

    def show_text(self, text: str) -> None:
        self.setExtraSelections([])
        self.setPlainText(text)
        self.text = text
        self.u16 = Utf16Map(text)
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        fmt = QTextBlockFormat()
        fmt.setLineHeight(140, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setBottomMargin(self.fontMetrics().height() * 0.6)
        cursor.mergeBlockFormat(fmt)
        _collapse_blank_lines(self.document())
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._fit_column()

    def set_point_size(self, points: int) -> None:
        font = self.font()
        font.setPointSize(points)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._fit_column()

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, or None when nothing (or only space) is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or not cursor.selectedText().strip():
            return None
        return self.u16.from_utf16(cursor.selectionStart()), self.u16.from_utf16(cursor.selectionEnd(), round_up=True)

    def select_span(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.u16.to_utf16(start))
        cursor.setPosition(self.u16.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def reveal(self, start: int) -> None:
        """Scroll so that offset ``start`` is visible, without touching the selection."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.u16.to_utf16(start))
        self.centre_on(cursor, only_if_hidden=True)

    def centre_on(self, cursor: QTextCursor, *, only_if_hidden: bool = False) -> None:
        """Scroll ``cursor``'s line to the middle of the view, so it is read with its context
        (a match at the window's very edge shows neither the lines before nor after it)."""
        rect = self.cursorRect(cursor)
        height = self.viewport().height()
        if only_if_hidden and rect.top() >= 0 and rect.bottom() <= height:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - height // 2)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # -- keys and clicks ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        has_span = self.selection_span() is not None
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == Qt.KeyboardModifier.NoModifier:
            (self.span_committed if has_span else self.entered).emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        text = event.text()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if plain and len(text) == 1 and text.isprintable() and not text.isspace():
            if mods == Qt.KeyboardModifier.ShiftModifier and text.islower():
                text = text.upper()  # synthetic key events (xdotool, QTest) may drop Shift's case
            (self.typed_on_span if has_span else self.typed).emit(text)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = self.cursorForPosition(event.position().toPoint()).position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            pos = self.cursorForPosition(event.position().toPoint()).position()
            if pos == self._press_pos:
                self.clicked_at.emit(self.u16.from_utf16(min(pos, self.u16.length_utf16)))

    # -- layout ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def _fit_column(self) -> None:
        """Keep lines near ``MAX_COLUMNS`` characters by widening the side margins."""
        column = self.fontMetrics().averageCharWidth() * MAX_COLUMNS
        side = max(24, (self.viewport().width() - column) // 2)
        fmt = self.document().rootFrame().frameFormat()
        if abs(fmt.leftMargin() - side) > 4:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(20)
            fmt.setBottomMargin(40)
            self.document().rootFrame().setFrameFormat(fmt)


def _collapse_blank_lines(doc: QTextDocument) -> None:
    """Show a line of only spaces (often non-breaking ones, from web pages) as a thin gap, not a
    full empty paragraph. Display only: the text, and so every offset, stays as it is."""
    thin = QTextBlockFormat()
    thin.setLineHeight(4, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    thin.setTopMargin(0)
    thin.setBottomMargin(0)
    block = doc.begin()
    while block.isValid():
        if not block.text().strip():  # str.strip drops U+00A0 and the other Unicode spaces
            cursor = QTextCursor(block)
            cursor.mergeBlockFormat(thin)
            cursor.mergeCharFormat(_tiny_char())
        block = block.next()


def _tiny_char() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontPointSize(2)
    return fmt


def _reading_font() -> QFont:
    families = set(QFontDatabase.families())
    family = next((f for f in SERIFS if f in families), None)
    font = QFont(family) if family else QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if not family:
        font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSize(13)
    return font
