"""File → Import…: choose files or folders, read them on a worker, then say what happened.

Each file lands whole or not at all (the import service guarantees it), so cancelling halfway
leaves the project with the files already done and nothing half-stored; the summary says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.domain import ImportSummary
from app.gui import tasks
from app.gui.dialogs import common
from app.gui.dialogs.import_summary import ImportSummaryDialog
from app.io import readers
from app.io.readers import ReadOptions
from app.services.importing import import_paths
from app.services.project import Project

COLUMN_FIELDS = ("text", "title", "published", "source", "url")
_FIELD_LABELS = {"text": "&Text:", "title": "Tit&le:", "published": "&Published:", "source": "&Source:", "url": "&URL:"}
_LAST_DIR_KEY = "import/last_dir"


def file_dialog_filter() -> str:
    """The readers' own filter when they publish one; otherwise one built from their suffixes."""
    published = getattr(readers, "FILE_DIALOG_FILTER", None)
    if isinstance(published, str) and published:
        return published
    suffixes = sorted(getattr(readers, "SUPPORTED_SUFFIXES", {".txt"}))
    patterns = " ".join(f"*{s}" for s in suffixes)
    return f"Articles ({patterns});;All files (*)"


class ImportDialog(QDialog):
    """Collects what to import: paths, and for tables the columns holding each field."""

    def __init__(self, parent: QWidget | None = None, *, start_dir: str | Path = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Import articles")
        self.setMinimumWidth(560)
        self._start_dir = str(start_dir)
        self.path_list = QListWidget()
        self.path_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.add_files_button = QPushButton("Add &files…")
        self.add_folder_button = QPushButton("Add f&older…")
        self.remove_button = QPushButton("&Remove")
        self.add_files_button.clicked.connect(self._add_files)
        self.add_folder_button.clicked.connect(self._add_folder)
        self.remove_button.clicked.connect(self._remove_selected)

        buttons_row = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons_row.addWidget(button)
        buttons_row.addStretch(1)

        self.columns_box = QGroupBox("CSV, TSV and JSON: take fields from these columns")
        self.columns_box.setCheckable(True)
        self.columns_box.setChecked(False)
        form = QFormLayout(self.columns_box)
        self.column_edits: dict[str, QLineEdit] = {}
        for key in COLUMN_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(f"default: a column named '{key}'")
            edit.setClearButtonEnabled(True)
            self.column_edits[key] = edit
            form.addRow(_FIELD_LABELS[key], edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        hint = QLabel("Files (.txt, .docx, .html, .csv, .jsonl, …), folders (searched with their subfolders) "
                      "or .zip archives. Articles already in the project are skipped.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.path_list, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.columns_box)
        layout.addWidget(self.buttons)
        self._update_buttons()

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        present = set(self.paths())
        for path in paths:
            if str(path) not in present:
                self.path_list.addItem(str(path))
                present.add(str(path))
        self._update_buttons()

    def paths(self) -> list[str]:
        return [self.path_list.item(i).text() for i in range(self.path_list.count())]

    def options(self) -> ReadOptions:
        mapping = {}
        if self.columns_box.isChecked():
            mapping = {key: edit.text().strip() for key, edit in self.column_edits.items() if edit.text().strip()}
        return ReadOptions(column_map=mapping)

    @Slot()
    def _add_files(self) -> None:
        chosen = common.open_files(self, "Add files to import", self._start_dir, file_dialog_filter())
        if chosen:
            self._start_dir = str(Path(chosen[0]).parent)
            self.add_paths(chosen)

    @Slot()
    def _add_folder(self) -> None:
        chosen = common.open_folder(self, "Add a folder to import", self._start_dir)
        if chosen:
            self._start_dir = str(Path(chosen).parent)
            self.add_paths([chosen])

    @Slot()
    def _remove_selected(self) -> None:
        for item in self.path_list.selectedItems():
            self.path_list.takeItem(self.path_list.row(item))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.path_list.count() > 0)
        self.remove_button.setEnabled(self.path_list.count() > 0)

    @property
    def start_dir(self) -> str:
        return self._start_dir


def run_import_dialog(parent: QWidget, project: Project, *, paths: Sequence[str | Path] | None = None,
                      options: ReadOptions | None = None) -> bool:
    """Ask what to import (unless ``paths`` is given), import it, show the summary.

    True when at least one article was imported, so the caller knows to refresh its lists.
    """
    if paths is None:
        settings = QSettings()
        start = settings.value(_LAST_DIR_KEY) or (project.path.parent if project.path else Path.home())
        chooser = ImportDialog(parent, start_dir=str(start))
        if common.exec_modal(chooser) != QDialog.DialogCode.Accepted or not chooser.paths():
            return False
        paths, options = chooser.paths(), chooser.options()
        settings.setValue(_LAST_DIR_KEY, chooser.start_dir)
    chosen = list(paths)
    read_options = options or ReadOptions()

    def work(ctx: tasks.TaskContext) -> ImportSummary:
        return import_paths(project, chosen, options=read_options, cancelled=ctx.cancelled,
                            progress=lambda done, total, origin: ctx.report(done, total, origin))

    outcome = tasks.run_with_progress(parent, work, title="Import articles", label="Importing articles…")
    summary = outcome.value
    if summary is None:
        return False
    common.exec_modal(ImportSummaryDialog(parent, summary, cancelled=outcome.cancelled,
                                          documents_in_project=project.document_count()))
    return summary.imported > 0
