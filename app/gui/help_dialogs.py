"""Help → Keyboard shortcuts (read from the window's actual actions, so it never drifts) and
Help → About."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.build_info import version_line

ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "claimcoder.png"

# Keys handled inside widgets rather than by actions.
WIDGET_KEYS = [
    ("Enter", "Make the selected text a statement; with no text selected, code the selected statement"),
    ("a letter", "Make the selected text a statement and start typing its speaker"),
    ("a category key (1, 2, 3, a, e…)", "Set that category: on the selected text (a new statement), else the selected statement"),
    ("Shift+arrows, Ctrl+Shift+arrows", "Select text with the keyboard, or grow and shrink it by a word (article)"),
    ("Enter (speaker field)", "Take the top match and move to the next variable"),
    ("Tab / Shift+Tab", "Next / previous variable"),
    ("Backspace (category row)", "Clear the category"),
    ("Esc", "Back to the article (from the coding panel or the find bar); in the article, clear the selection"),
]


# Keys a laptop keyboard has; platform bindings also list F13–F35 and the media keys of old Sun
# and Microsoft keyboards ("Undo", "Exit", "Back"), which only confuse a coder reading the list.
READABLE = set("Esc Tab Backspace Return Enter Ins Del Home End Left Up Right Down PgUp PgDown Space".split())
READABLE |= {f"F{n}" for n in range(1, 13)}


def readable(sequence: QKeySequence) -> bool:
    portable = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    if not portable or "," in portable.rstrip(","):
        return False
    key = portable.split("+")[-1] or "+"
    return len(key) == 1 or key in READABLE


def primary_key(action: QAction) -> str:
    """The one key a coder should learn for ``action``: its first readable binding, as the
    platform writes it (⌘Z on macOS, Ctrl+Z elsewhere)."""
    keys = [k for k in action.shortcuts() if not k.isEmpty() and readable(k)]
    return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        key = primary_key(action)
        if key:
            rows.append((key, action.text().replace("&", "").rstrip(".…")))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + WIDGET_KEYS
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        for r, (keys, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 620)


def app_icon() -> QIcon:
    return QIcon(str(ICON)) if ICON.exists() else QIcon()


def show_about(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About claimcoder")
    if ICON.exists():
        box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setTextFormat(box.textFormat().PlainText)
    box.setText(version_line())  # the version and the commit a bundle was built from
    box.setInformativeText(
        "Code statements in news articles and measure inter-coder agreement.\n\n"
        f"Qt {qVersion()} · PySide6 {pyside_version} · Python {sys.version.split()[0]}"
    )
    box.exec()
