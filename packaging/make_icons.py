"""Draw claimcoder's application icon and write it in every format the bundles need.

Run once after changing the design, and commit the outputs (the build never runs this):

    .venv/bin/pip install pillow        # only for .ico/.icns; never a runtime dependency
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Each size is painted with QPainter at its own resolution rather than scaled down from 512 px,
so the small Windows sizes stay crisp. The design: a speech bubble (a statement) whose middle
line is highlighted (a coded span), and a check badge (agreement).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent.parent / "app" / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)

NAVY = QColor("#1d3f6e")
BLUE = QColor("#2f6fb3")
PAPER = QColor("#ffffff")
INK = QColor("#9fb3c8")
HIGHLIGHT = QColor("#ffc845")
GREEN = QColor("#2e9d5b")


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100.0, size / 100.0)  # design on a 100 × 100 grid

    # Background: a rounded square, with a little margin as the platform guidelines ask.
    grad = QLinearGradient(QPointF(0, 4), QPointF(0, 96))
    grad.setColorAt(0.0, BLUE)
    grad.setColorAt(1.0, NAVY)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(QRectF(4, 4, 92, 92), 20, 20)

    # The speech bubble, with its tail at the lower left.
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(15, 18, 70, 50), 12, 12)
    tail = QPainterPath()
    tail.moveTo(26, 62)
    tail.lineTo(22, 82)
    tail.lineTo(42, 66)
    tail.closeSubpath()
    p.setBrush(PAPER)
    p.drawPath(bubble.united(tail))

    # Three lines of text; the middle one is the coded statement. Small sizes get fewer lines.
    thick = 8.0 if size < 32 else 7.0
    lines = [(25, 28, 50, INK), (25, 39, 50, HIGHLIGHT), (25, 50, 34, INK)] if size >= 24 else [(25, 37, 50, HIGHLIGHT)]
    for x, y, w, colour in lines:
        p.setBrush(colour)
        if colour == HIGHLIGHT:
            p.drawRoundedRect(QRectF(x - 3, y - 2, w + 6, thick + 4), 3, 3)
        else:
            p.drawRoundedRect(QRectF(x, y, w, thick), thick / 2, thick / 2)

    # The check badge at the lower right.
    p.setBrush(GREEN)
    p.setPen(QPen(PAPER, 4))
    p.drawEllipse(QPointF(72, 72), 17, 17)
    pen = QPen(PAPER, 5.5 if size >= 32 else 7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath()
    check.moveTo(64, 72)
    check.lineTo(70, 78)
    check.lineTo(80, 66)
    p.drawPath(check)
    p.end()
    return img


def to_pil(img: QImage):  # type: ignore[no-untyped-def]
    from PIL import Image

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]  # the stub says bytes; PySide wants str
    return Image.open(io.BytesIO(buf.data().data())).convert("RGBA")


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    images = {s: draw(s) for s in sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))}
    images[256].save(str(OUT / "claimcoder.png"))
    for s in PNG_SIZES:
        images[s].save(str(OUT / f"claimcoder-{s}.png"))
    try:
        from PIL import Image  # noqa: F401
    except ImportError:
        print("Pillow is not installed: wrote the PNGs only (pip install pillow for .ico/.icns)")
        return 1
    ico = [to_pil(images[s]) for s in ICO_SIZES]
    ico[-1].save(OUT / "claimcoder.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=ico[:-1])
    icns = [to_pil(images[s]) for s in ICNS_SIZES]
    icns[-1].save(OUT / "claimcoder.icns", format="ICNS", append_images=icns[:-1])
    print(f"wrote icons to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
