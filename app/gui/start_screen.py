"""What the window shows with no project open: make one, open one, try the demo, or reopen one.

The screen only *chooses*; the main window opens what was chosen (``project_chosen``) or builds
the demo (``demo_requested``), so opening a project happens in one place.

It is the first window the launcher paints, so it imports nothing that reads a project: the New
project dialog (which brings the store with it) is imported when the button is pressed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.redact import redact
from app.gui.dialogs import common

_PATH_ROLE = Qt.ItemDataRole.UserRole
#: The same filter as the New project dialog's (``app.gui.dialogs.new_project.PROJECT_FILTER``,
#: a test holds them equal), written out so that the screen paints without importing the store.
PROJECT_FILTER = "claimcoder projects (*.ccdb)"


def recent_projects() -> list[str]:
    """The recent-project list the main window keeps, most recent first."""
    try:
        from app.gui.settings import recent_projects as from_settings
    except ImportError:
        value = QSettings().value("recent_projects", [])
        return [value] if isinstance(value, str) and value else [str(v) for v in value or [] if v]
    return from_settings()


class StartScreen(QWidget):
    project_chosen = Signal(str)  # the path of a project to open (existing or just created)
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("claimcoder")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel("Code statements in news articles — speaker, stance, claim type — "
                          "and measure how well your coders agree.")
        subtitle.setWordWrap(True)

        self.new_button = QPushButton("&New project…")
        self.open_button = QPushButton("&Open project…")
        self.team_button = QPushButton("Open a &team project…")
        self.team_button.setToolTip("A project on a PostgreSQL server, shared by several coders")
        self.team_button.clicked.connect(self._open_team_project)
        self.demo_button = QPushButton("Open the &demo")
        self.demo_button.setToolTip("A small project with six sample articles, an actor list and a few "
                                    "coded statements, created in a fresh folder")
        self.new_button.clicked.connect(self._new_project)
        self.open_button.clicked.connect(self._open_project)
        self.demo_button.clicked.connect(self.demo_requested)
        actions = QVBoxLayout()
        for button in (self.new_button, self.open_button, self.team_button, self.demo_button):
            button.setMinimumHeight(36)
            actions.addWidget(button)
        actions.addStretch(1)
        version = QLabel(f"version {__version__}")
        version.setEnabled(False)
        actions.addWidget(version)

        self.recent_list = QListWidget()
        self.recent_list.setAlternatingRowColors(True)
        self.recent_list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.recent_list.itemActivated.connect(self._open_recent)
        self.status_label = QLabel()  # "Opening study.ccdb…" while the launcher opens a project
        self.status_label.setVisible(False)
        self.recent_label = QLabel("&Recent projects")
        self.recent_label.setBuddy(self.recent_list)
        self.empty_label = QLabel("No recent projects yet. Create one, or start with the demo.")
        self.empty_label.setEnabled(False)
        recent = QVBoxLayout()
        recent.addWidget(self.recent_label)
        recent.addWidget(self.recent_list, 1)
        recent.addWidget(self.empty_label)

        columns = QHBoxLayout()
        columns.addLayout(actions, 1)
        columns.addSpacing(24)
        columns.addLayout(recent, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 36, 48, 36)
        outer.addWidget(title)
        outer.addWidget(subtitle)
        outer.addWidget(self.status_label)
        outer.addSpacing(24)
        outer.addLayout(columns, 1)
        self.refresh_recent()

    def opening(self, project: str | Path) -> None:
        """Say which project is being opened, and let no button start another until :meth:`opened`."""
        text = str(project)
        name = redact(text) if "://" in text else Path(text).name if text.endswith(".ccdb") else text
        self.status_label.setText(f"Opening {name}…")
        self.status_label.setVisible(True)
        for widget in (self.new_button, self.open_button, self.team_button, self.demo_button, self.recent_list):
            widget.setEnabled(False)

    def opened(self) -> None:
        """The project did not open (the launcher said why): choose again."""
        self.status_label.setVisible(False)
        for widget in (self.new_button, self.open_button, self.team_button, self.demo_button, self.recent_list):
            widget.setEnabled(True)

    def refresh_recent(self) -> None:
        """Reload the recent list; files that have gone are shown but cannot be opened."""
        self.recent_list.clear()
        for path_text in recent_projects():
            if "://" in path_text:  # a team project: its database, then the server
                server, _, database = path_text.rpartition("/")
                item = QListWidgetItem(f"{database} (team project)\n{server}")
                item.setData(_PATH_ROLE, path_text)
                item.setToolTip(path_text)
                self.recent_list.addItem(item)
                continue
            path = Path(path_text)
            item = QListWidgetItem(f"{path.stem}\n{path.parent}")
            item.setData(_PATH_ROLE, path_text)
            item.setToolTip(path_text)
            if not path.exists():
                item.setText(f"{path.stem} (not found)\n{path.parent}")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent_list.addItem(item)
        has_any = self.recent_list.count() > 0
        self.recent_list.setVisible(has_any)
        self.empty_label.setVisible(not has_any)
        if has_any:
            self.recent_list.setCurrentRow(0)

    def _start_dir(self) -> Path:
        for path_text in recent_projects():
            if "://" not in path_text and Path(path_text).parent.is_dir():
                return Path(path_text).parent
        return Path.home()

    @Slot()
    def _new_project(self) -> None:
        from app.gui.dialogs.new_project import run_new_project_dialog

        created = run_new_project_dialog(self, start_dir=self._start_dir())
        if created is not None:
            self.project_chosen.emit(str(created))

    @Slot()
    def _open_project(self) -> None:
        chosen = common.open_file(self, "Open project", self._start_dir(), f"{PROJECT_FILTER};;All files (*)")
        if chosen:
            self.project_chosen.emit(chosen)

    @Slot()
    def _open_team_project(self) -> None:
        try:
            from app.gui.team_dialog import ask_team_project
        except ImportError:
            return
        if url := ask_team_project(self):
            self.project_chosen.emit(url)

    @Slot(QListWidgetItem)
    def _open_recent(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.project_chosen.emit(str(item.data(_PATH_ROLE)))
