"""Follow the system's light or dark colour scheme.

Qt's native styles on Windows 11 and macOS switch palettes themselves; elsewhere (most Linux
desktops without a platform theme, the Fusion style) the scheme changes but the palette stays
light. :func:`follow_system_scheme` reads ``QStyleHints.colorScheme`` at start and on every
change and, where the style did not follow, sets a dark (or back the standard) palette. Every
widget then gets a ``PaletteChange`` and repaints (the article re-tints its highlights).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.gui.colours import is_dark

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
_light: QPalette | None = None  # the palette before we made it dark, to go back to


def dark_palette() -> QPalette:
    """A calm dark palette: near-black paper, off-white text, a blue that reads on both."""
    p = QPalette()
    colours = {
        Role.Window: "#24262b", Role.WindowText: "#e6e6e6", Role.Base: "#1b1c20", Role.AlternateBase: "#26282d",
        Role.Text: "#e6e6e6", Role.Button: "#2d3036", Role.ButtonText: "#e6e6e6", Role.BrightText: "#ffffff",
        Role.Highlight: "#3d6fb4", Role.HighlightedText: "#ffffff", Role.ToolTipBase: "#2d3036",
        Role.ToolTipText: "#e6e6e6", Role.PlaceholderText: "#8c8f96", Role.Link: "#7aa7e6", Role.Mid: "#3a3d44",
        Role.Dark: "#141518", Role.Light: "#3a3d44", Role.Shadow: "#000000",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        p.setColor(Group.Disabled, role, QColor("#7a7d84"))
    return p


def apply_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Make the palette match ``scheme`` unless the style already did."""
    global _light
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        _light = QPalette(app.palette())
        app.setPalette(dark_palette())
        _restyle(app)
    elif scheme == Qt.ColorScheme.Light and _light is not None:
        app.setPalette(_light)
        _light = None
        _restyle(app)


def _restyle(app: QApplication) -> None:
    """A widget with a style sheet keeps the palette it was polished with; setting the sheet
    again polishes it with the new one (the category buttons would stay light otherwise)."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


def follow_system_scheme(app: QApplication) -> None:
    hints = QGuiApplication.styleHints()
    apply_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))
