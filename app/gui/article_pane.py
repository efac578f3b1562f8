"""The centre of the window: the article's heading, the colour legend, the text and the find bar.
It paints highlights for whatever statements it is given; it changes nothing."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.codebook import Codebook
from app.core.domain import Document, Statement
from app.gui import colours, highlights
from app.gui.article_view import ArticleView
from app.gui.find_bar import FindBar
from app.gui.legend import Legend


def _right_to_left(text: str) -> bool:
    """Whether the first strongly directional letter of ``text`` is Arabic or Hebrew (as Unicode's
    bidirectional algorithm decides a paragraph's direction)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


class ArticlePane(QWidget):
    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = QLabel(self)
        self.meta.setEnabled(False)
        self.legend = Legend(self)
        self.view = ArticleView(self)
        self.find_bar = FindBar(self.view, self)
        self.find_bar.closed.connect(self.view.setFocus)
        head = QVBoxLayout()
        head.setContentsMargins(16, 10, 16, 6)
        head.setSpacing(2)
        for w in (self.title, self.meta, self.legend):
            head.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        self.colour_key: str | None = next((v.key for v in codebook.variables if v.kind == "category"), None)
        self._colours = colours.category_colours(codebook.variable(self.colour_key) if self.colour_key else None)
        self._last: tuple[Sequence[Statement], str | None, list[tuple[int, int]], Sequence[tuple[int, int]]] = ([], None, [], [])
        self._update_legend()

    def show_document(self, doc: Document | None) -> None:
        if doc is None:
            self.title.setText("No articles yet")
            self.meta.setText("Use File → Import… to add articles.")
            self.view.show_text("")
            return
        self.title.setText(doc.title or f"Document {doc.position + 1}")
        rtl = _right_to_left(doc.title or doc.text[:200])
        for label in (self.title, self.meta):  # an Arabic or Hebrew heading reads from the right
            label.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        self.meta.setText(" · ".join(x for x in (doc.source, doc.published or "", f"{len(doc.text):,} characters") if x))
        self.view.show_text(doc.text)

    def set_codebook(self, codebook: Codebook) -> None:
        """After a codebook change: the same colour variable if it is still a category one (its
        new categories and labels in the legend), else the first category variable."""
        self.codebook = codebook
        var = codebook.variable(self.colour_key) if self.colour_key else None
        if var is None or var.kind != "category":
            self.colour_key = next((v.key for v in codebook.variables if v.kind == "category"), None)
        self._colours = colours.category_colours(codebook.variable(self.colour_key) if self.colour_key else None)
        self._update_legend()
        self.paint(*self._last)

    def set_colour_key(self, key: str) -> None:
        self.colour_key = key
        self._colours = colours.category_colours(self.codebook.variable(key))
        self._update_legend()
        self.paint(*self._last)

    def paint(self, statements: Sequence[Statement], current_id: str | None, entity_spans: list[tuple[int, int]],
              candidate_spans: Sequence[tuple[int, int]] = ()) -> None:
        self._last = (statements, current_id, entity_spans, candidate_spans)
        dark = colours.is_dark(self.view.palette())
        doc, u16 = self.view.document(), self.view.u16
        text_colour = self.view.palette().color(QPalette.ColorRole.Text)
        sels = highlights.candidate_selections(doc, u16, candidate_spans, text_colour=text_colour, dark=dark)
        mark = QColor(text_colour)
        mark.setAlpha(150)
        sels += highlights.entity_selections(doc, u16, entity_spans, mark)
        sels += highlights.statement_selections(
            doc, u16, statements, colour_key=self.colour_key, palette_colours=self._colours,
            current_id=current_id, dark=dark,
        )
        self.view.setExtraSelections(sels)

    def _update_legend(self) -> None:
        var = self.codebook.variable(self.colour_key) if self.colour_key else None
        self.legend.show_variable(var, self._colours, dark=colours.is_dark(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_legend()
            self.paint(*self._last)
