"""Turn statements and entity mentions into ``ExtraSelection``s for the article view.

Layering: every statement gets a translucent fill in its category colour (overlaps blend); a
statement nested inside another is also underlined so the second layer stays visible; the
selected statement gets a stronger fill and a thick underline; entity names get a dotted
underline in the text colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from app.core.domain import Statement
from app.core.text import Utf16Map
from app.gui import colours


def statement_selections(
    doc: QTextDocument, u16: Utf16Map, statements: Sequence[Statement], *, colour_key: str | None,
    palette_colours: dict[str, QColor], current_id: str | None, dark: bool,
) -> list[QTextEdit.ExtraSelection]:
    out: list[QTextEdit.ExtraSelection] = []
    current: QTextEdit.ExtraSelection | None = None
    covered_until = -1
    for st in statements:  # sorted by start
        value = st.values.get(colour_key) if colour_key else None
        base = palette_colours.get(value, colours.NO_VALUE) if isinstance(value, str) else colours.NO_VALUE
        fmt = QTextCharFormat()
        selected = st.id == current_id
        fmt.setBackground(colours.fill(base, dark=dark, strong=selected))
        nested = st.start < covered_until
        if selected or nested:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(colours.edge(base, dark=dark))
        covered_until = max(covered_until, st.end)
        sel = _selection(doc, u16.to_utf16(st.start), u16.to_utf16(st.end), fmt)
        if selected:
            current = sel
        else:
            out.append(sel)
    if current is not None:
        out.append(current)  # drawn last: on top
    return out


def entity_selections(doc: QTextDocument, u16: Utf16Map, spans: Iterable[tuple[int, int]], colour: QColor) -> list[QTextEdit.ExtraSelection]:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(colour)
    return [_selection(doc, u16.to_utf16(a), u16.to_utf16(b), fmt) for a, b in spans]


def candidate_selections(doc: QTextDocument, u16: Utf16Map, spans: Iterable[tuple[int, int]], *, text_colour: QColor,
                         dark: bool) -> list[QTextEdit.ExtraSelection]:
    """Candidates are only outlined, faintly: a wash of the text colour and a dashed underline,
    quieter than any coded statement, so a coder never takes one for work already done."""
    wash = QColor(text_colour)
    wash.setAlpha(22 if dark else 14)
    line = QColor(text_colour)
    line.setAlpha(90)
    fmt = QTextCharFormat()
    fmt.setBackground(wash)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(line)
    return [_selection(doc, u16.to_utf16(a), u16.to_utf16(b), fmt) for a, b in spans]


def _selection(doc: QTextDocument, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    sel = QTextEdit.ExtraSelection()
    sel.cursor = cursor
    sel.format = fmt
    return sel
