"""Tell the coder when a project could not be opened for writing: read-only media, or a file that
failed SQLite's quick check (at open, or later, when a large file's background check ends)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox

from app.services.project import Project

POLL_MS = 250


def watch_file(window: QMainWindow, project: Project) -> None:
    """Show the read-only reason now, or once the background check finds damage."""
    if project.read_only_reason:
        _show(window, project, project.read_only_reason)
        return
    if not project.file_check_running:
        return
    timer = QTimer(window)
    timer.setInterval(POLL_MS)

    def poll() -> None:
        if project.file_check_running:
            return
        timer.stop()
        if project.read_only and project.read_only_reason:
            window.setWindowTitle(window.windowTitle().replace(" — claimcoder", " (read-only) — claimcoder", 1))
            _show(window, project, project.read_only_reason)

    timer.timeout.connect(poll)
    timer.start()


def _show(window: QMainWindow, project: Project, reason: str) -> None:
    name = project.path.name if project.path is not None else project.name
    QMessageBox.warning(window, "Opened read-only", f"{name}: {reason}")
