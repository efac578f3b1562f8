"""Paint a :class:`~app.core.networks.drawing.Drawing` on a QGraphicsScene.

Labels have a white halo (a stroked copy behind the text) so they stay readable over ties.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsScene

from app.core.networks.drawing import LEGEND, NEGATIVE, POSITIVE, Drawing


def paint(scene: QGraphicsScene, d: Drawing) -> None:
    scene.clear()
    scene.setSceneRect(QRectF(0, 0, d.width, d.height))
    scene.setBackgroundBrush(QBrush(QColor("#ffffff")))
    font = QFont()
    font.setPointSizeF(9.5)
    if d.title:
        title_font = QFont(font)
        title_font.setPointSizeF(14)
        title_font.setBold(True)
        scene.addSimpleText(d.title, title_font).setPos(14, 8)
    if d.note:
        scene.addSimpleText(d.note, font).setPos(16, 34)
    for t in d.ties:
        colour = QColor(t.colour)
        colour.setAlphaF(0.6)
        pen = QPen(colour, t.width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        scene.addLine(t.x1, t.y1, t.x2, t.y2, pen)
    white = QPen(QColor("#ffffff"), 1.5)
    for n in d.nodes:
        item = scene.addEllipse(n.x - n.radius, n.y - n.radius, 2 * n.radius, 2 * n.radius, white, QBrush(QColor(n.colour)))
        item.setToolTip(f"{n.label}\n{n.statements} statements" + (f"\n{n.group}" if n.group else ""))
    for n in d.nodes:
        if n.show_label:
            _label(scene, n.label, QPointF(n.x + n.radius + 3, n.y + 4), font)
    x, y = d.width - LEGEND + 24, 84.0
    for group, colour in d.legend:
        scene.addEllipse(x - 6, y - 6, 12, 12, QPen(Qt.PenStyle.NoPen), QBrush(QColor(colour)))
        _label(scene, group, QPointF(x + 12, y + 4), font)
        y += 22
    if d.ties:
        for colour, what in ((POSITIVE, "agreement / positive tie"), (NEGATIVE, "conflict / negative tie"))[: 2 if d.signed else 1]:
            scene.addLine(x - 6, y, x + 6, y, QPen(QColor(colour), 3))
            _label(scene, what, QPointF(x + 12, y + 4), font)
            y += 22


def _label(scene: QGraphicsScene, text: str, at: QPointF, font: QFont) -> None:
    path = QPainterPath()
    path.addText(at, font, text)
    halo = QPen(QColor("#ffffff"), 3.0)
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    scene.addPath(path, halo, QBrush(QColor("#ffffff")))
    scene.addPath(path, QPen(Qt.PenStyle.NoPen), QBrush(QColor("#111111")))
