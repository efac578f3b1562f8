"""Team mode: the server went away. Say so in words, keep what was saved, retry until it is back.

A change is shown as saved only after the server committed it, so when the server stops
answering nothing the coder saw as saved is lost: the change that met the outage is reported as
not saved, everything else stays as it was on screen. The window keeps running; every few seconds
this asks the server whether it is back (the connection pool replaces dead connections itself),
and says so when it is. No restart, no "Something went wrong".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from app.gui import errors
from app.services.project import Project

RETRY_MS = 5000


class ConnectionWatch(QObject):
    def __init__(self, window: QMainWindow, project: Project, label: QLabel) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.label = label
        self.last_saved: datetime | None = None
        self.lost_message: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.retry)
        errors.unreachable_handler = self.lost  # for failures outside the coding session's calls

    @property
    def is_lost(self) -> bool:
        return self.lost_message is not None

    @Slot(object)
    def saved(self, when: datetime) -> None:
        self.last_saved = when

    @Slot(str)
    def failed(self, message: str) -> None:
        """A change was refused: by the server being away, or for a reason to show as it is."""
        if self.project.path is None and not self.project.server_reachable():
            self.lost(message)
        else:
            QMessageBox.warning(self.window, "Not done", message)

    def lost(self, message: str) -> None:
        first = not self.is_lost
        self.lost_message = message
        since = f"{self.last_saved:%H:%M:%S}" if self.last_saved else "from before this session"
        self.label.setText(f"⚠ Server not reachable · last saved change {since} · retrying")
        self.label.setToolTip(message)
        self.timer.start()
        if first:
            box = QMessageBox(QMessageBox.Icon.Warning, "The server is not reachable",
                              f"The server of this team project is not reachable; your last saved change "
                              f"is {since}; retrying.", QMessageBox.StandardButton.Ok, self.window)
            box.setInformativeText("Everything up to that change is safe on the server. The change you just "
                                   "made was not saved: make it again once the server is back. claimcoder "
                                   "keeps trying every few seconds; there is no need to restart.")
            box.setDetailedText(message)
            box.setModal(False)
            box.open()  # not exec(): the window keeps retrying behind it
            self.box = box

    @Slot()
    def retry(self) -> None:
        if not self.project.server_reachable():
            return
        self.timer.stop()
        self.lost_message = None
        since = f"{self.last_saved:%H:%M:%S}" if self.last_saved else "—"
        self.label.setText(f"✓ Connected again · last saved change {since}")
        self.label.setToolTip("The server answers again; changes are saved as usual.")
        box = getattr(self, "box", None)
        if box is not None:
            box.close()
            self.box = None
        self.window.statusBar().showMessage(
            "The server is reachable again. Make the change that was not saved once more.", 15000)

    def detach(self) -> None:
        self.timer.stop()
        if errors.unreachable_handler == self.lost:
            errors.unreachable_handler = None
