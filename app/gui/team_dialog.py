"""File → Open team project…: a database URL and a password, kept apart.

The URL (without a password) goes into the recent list like a file path; the password is only
held long enough to connect and is never written anywhere. Left empty, the driver looks in
``PGPASSWORD`` and the ``PGPASSFILE`` (``~/.pgpass``; ``%APPDATA%\\postgresql\\pgpass.conf``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.errors import ProjectError
from app.store import server

if TYPE_CHECKING:
    from app.services.project import Project

PLACEHOLDER = "postgresql://ana@db.example.org:5432/study"


class TeamProjectDialog(QDialog):
    def __init__(self, url: str = "", reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open team project")
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(PLACEHOLDER)
        self.url_edit.setMinimumWidth(420)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("not saved; empty: PGPASSWORD or your .pgpass file")
        self.problem = QLabel(reason, self)
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(reason))
        self.problem.setStyleSheet("color: #a40000;")
        form = QFormLayout()
        form.addRow("Database &URL:", self.url_edit)
        form.addRow("&Password:", self.password_edit)
        note = QLabel("A team project lives on a PostgreSQL server: several coders work in it at once. "
                      "claimcoder remembers the URL, never the password.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.set_url(url)
        (self.password_edit if url else self.url_edit).setFocus()
        self.chosen: str | None = None

    def set_url(self, url: str) -> None:
        """Show a URL; a password typed or pasted into it moves to the password field."""
        if not url.strip():
            return
        try:
            parsed = server.parse(url.strip())
        except ProjectError:
            self.url_edit.setText(url.strip())
            return
        if parsed.password:
            self.password_edit.setText(str(parsed.password))
        self.url_edit.setText(server.without_password(parsed))

    def _accept(self) -> None:
        self.set_url(self.url_edit.text())
        try:
            self.chosen = server.with_password(self.url_edit.text().strip(), self.password_edit.text())
        except ProjectError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return
        self.accept()


def ask_team_project(parent: QWidget | None, url: str = "", reason: str = "") -> str | None:
    """The URL to connect with (password included, for this connection only), or None."""
    dialog = TeamProjectDialog(url, reason, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def _refused_login(exc: ProjectError) -> bool:
    return "refused the connection" in exc.message and "password" in exc.message.lower()


def open_team_project(parent: QWidget | None, url: str) -> Project | None:
    """Open a team project, asking for the password when the server wants one we do not have.

    A URL from the recent list has no password: it is tried as it is first (``PGPASSWORD`` or a
    ``.pgpass`` file may supply one), and the dialog only appears if the server refuses.
    """
    from app.services.project import Project

    target = url
    reason = ""
    for _ in range(5):
        try:
            return Project.open(target)
        except ProjectError as exc:
            if not _refused_login(exc):
                raise
            reason = (str(exc) if server.parse(target).password
                      else "The server asks for a password (none is in PGPASSWORD or a .pgpass file).")
        chosen = ask_team_project(parent, url, reason)
        if chosen is None:
            return None
        target = url = chosen
    return None
