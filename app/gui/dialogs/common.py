"""The few places where a dialog blocks on the user, gathered so tests can stand in for them.

Every modal ``exec()`` and every native file dialog goes through here; a test monkeypatches
these functions instead of clicking a window it cannot reach.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


def exec_modal(dialog: QDialog | QMessageBox) -> int:
    """Show ``dialog`` modally and return its result code."""
    return dialog.exec()


def open_files(parent: QWidget | None, caption: str, start: str | Path, file_filter: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, str(start), file_filter)
    return list(paths)


def open_file(parent: QWidget | None, caption: str, start: str | Path, file_filter: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, caption, str(start), file_filter)
    return path or None


def open_folder(parent: QWidget | None, caption: str, start: str | Path) -> str | None:
    return QFileDialog.getExistingDirectory(parent, caption, str(start)) or None


def save_file(parent: QWidget | None, caption: str, start: str | Path, file_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(start), file_filter)
    return path or None


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    exec_modal(box)
