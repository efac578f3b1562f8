"""New project…: where the file goes, its name, and which codebook it starts with.

Problems (a codebook that does not validate, a file that exists) are shown inside the dialog,
next to the field that caused them, so the user can fix them without starting over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.codebook import Codebook, load_codebook
from app.core.errors import ClaimcoderError
from app.gui.dialogs import common
from app.services.project import PROJECT_SUFFIX, Project, default_project_name

PROJECT_FILTER = f"claimcoder projects (*{PROJECT_SUFFIX})"
CODEBOOK_FILTER = "Codebooks (*.yaml *.yml *.json);;All files (*)"


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, start_dir: str | Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.setMinimumWidth(560)
        self.created_path: Path | None = None
        self._start_dir = Path(start_dir) if start_dir else Path.home()
        self._name_edited = False

        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(f"e.g. {self._start_dir / ('study' + PROJECT_SUFFIX)}")
        self.file_edit.textEdited.connect(self._suggest_name)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("shown in the title bar and in exports")
        self.name_edit.textEdited.connect(self._name_typed)

        self.default_radio = QRadioButton("The &default codebook: speaker, stance, claim type, target, quote type")
        self.file_radio = QRadioButton("A codebook &file (YAML or JSON):")
        self.default_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.default_radio)
        group.addButton(self.file_radio)
        self.codebook_edit = QLineEdit()
        self.codebook_edit.textEdited.connect(lambda _: self.file_radio.setChecked(True))
        browse_cb = QPushButton("Br&owse…")
        browse_cb.clicked.connect(self._browse_codebook)
        cb_row = QHBoxLayout()
        cb_row.addWidget(self.codebook_edit, 1)
        cb_row.addWidget(browse_cb)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

        form = QFormLayout()
        file_label = QLabel("Project &file:")
        file_label.setBuddy(self.file_edit)
        form.addRow(file_label, file_row)
        form.addRow("&Name:", self.name_edit)
        codebook_box = QVBoxLayout()
        codebook_box.addWidget(self.default_radio)
        codebook_box.addWidget(self.file_radio)
        codebook_box.addLayout(cb_row)
        form.addRow("Codebook:", codebook_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("&Create", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def project_path(self) -> Path | None:
        text = self.file_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.name or text.endswith(("/", "\\")):
            return None  # a folder, still being typed
        return path if path.suffix.lower() == PROJECT_SUFFIX else path.with_name(path.name + PROJECT_SUFFIX)

    def accept(self) -> None:
        """Create the project; stay open with the reason when that is not possible."""
        path = self.project_path()
        if path is None:
            return self._fail("Choose where to save the project file (a file name, not a folder).")
        try:
            codebook = self._codebook()
            Project.create(path, name=self.name_edit.text().strip() or None, codebook=codebook).close()
        except ClaimcoderError as exc:
            return self._fail(exc.message)
        self.created_path = path
        super().accept()

    def _codebook(self) -> Codebook | None:
        if self.default_radio.isChecked():
            return None
        source = self.codebook_edit.text().strip()
        if not source:
            raise ClaimcoderError("Choose a codebook file, or use the default codebook.")
        return load_codebook(Path(source).expanduser())

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot()
    def _browse_file(self) -> None:
        start = self.project_path() or self._start_dir / ("study" + PROJECT_SUFFIX)
        chosen = common.save_file(self, "New project file", start, PROJECT_FILTER)
        if chosen:
            self.file_edit.setText(chosen)
            self._suggest_name(chosen)

    @Slot()
    def _browse_codebook(self) -> None:
        chosen = common.open_file(self, "Choose a codebook", self._start_dir, CODEBOOK_FILTER)
        if chosen:
            self.codebook_edit.setText(chosen)
            self.file_radio.setChecked(True)

    @Slot(str)
    def _suggest_name(self, _text: str) -> None:
        path = self.project_path()
        if path is not None and not self._name_edited:
            self.name_edit.setText(default_project_name(path))

    @Slot(str)
    def _name_typed(self, text: str) -> None:
        self._name_edited = bool(text)


def run_new_project_dialog(parent: QWidget | None, *, start_dir: str | Path | None = None) -> Path | None:
    """Create a project through the dialog; its path, or None when the user gave up."""
    dialog = NewProjectDialog(parent, start_dir=start_dir)
    if common.exec_modal(dialog) != QDialog.DialogCode.Accepted:
        return None
    return dialog.created_path
