"""Highlight colours, taken from a variable's category order and readable on light and dark
backgrounds: translucent fills over the view's own base colour, so text keeps the palette's
text colour and overlapping statements blend instead of hiding each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette

if TYPE_CHECKING:  # the theme imports this module before the first paint; the codebook is pydantic
    from app.core.codebook import Variable

# A qualitative palette (Tableau 10 hues) for nominal variables.
_QUALITATIVE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac"]
# Ordinal variables run from red through yellow to green, in category order.
_ORDINAL = [(0.0, QColor("#d7301f")), (0.5, QColor("#e6b400")), (1.0, QColor("#1a9850"))]
NO_VALUE = QColor("#8a8a8a")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def category_colours(variable: Variable | None) -> dict[str, QColor]:
    if variable is None or variable.kind != "category":
        return {}
    values = [c.value for c in variable.categories]
    if variable.level == "ordinal" and len(values) > 1:
        return {v: _ramp(i / (len(values) - 1)) for i, v in enumerate(values)}
    return {v: QColor(_QUALITATIVE[i % len(_QUALITATIVE)]) for i, v in enumerate(values)}


def _ramp(t: float) -> QColor:
    for (t0, c0), (t1, c1) in zip(_ORDINAL, _ORDINAL[1:]):
        if t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            return QColor.fromRgbF(
                c0.redF() + f * (c1.redF() - c0.redF()),
                c0.greenF() + f * (c1.greenF() - c0.greenF()),
                c0.blueF() + f * (c1.blueF() - c0.blueF()),
            )
    return QColor(_ORDINAL[-1][1])


def fill(colour: QColor, *, dark: bool, strong: bool = False) -> QColor:
    """The translucent background for a statement of ``colour``."""
    c = QColor(colour.lighter(135) if dark else colour)
    c.setAlpha((150 if dark else 130) if strong else (80 if dark else 60))
    return c


def edge(colour: QColor, *, dark: bool) -> QColor:
    """A solid line colour (underlines of nested or selected statements)."""
    return QColor(colour.lighter(150) if dark else colour.darker(130))
