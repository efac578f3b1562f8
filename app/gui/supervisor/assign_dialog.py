"""Tools → Assign work…: the form of ``claimcoder assign`` (coders, sample, seed, strata, folder),
run on a worker; what each package holds is shown afterwards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.core.errors import ClaimcoderError
from app.core.study import parse_sample
from app.gui import tasks
from app.gui.dialogs import common
from app.services.project import Project
from app.services.study.assign import AssignResult, assign, parse_coders
from app.services.study.common import study_store


class AssignDialog(QDialog):
    def __init__(self, parent: QWidget | None, project: Project) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign work")
        self.resize(640, 0)
        self.project = project
        names = {c.id: c.name for c in project.coders()}
        handed = sorted({names[c] for _, c, _, _ in study_store(project).handed() if c in names}, key=str.casefold)
        self.coders = QLineEdit(", ".join(handed))  # the study's coders so far, if any
        self.coders.setPlaceholderText("ana, ben, cem")
        self.sample = QLineEdit("0.2")
        self.seed = QSpinBox()
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText("the study's (or a new one)")
        self.seed.setValue(-1)
        self.stratify = QComboBox()
        self.stratify.setEditable(True)
        self.stratify.addItems(["", "source", "month"])
        start = project.path.parent / "packages" if project.path else Path.home()
        self.folder = QLineEdit(str(start))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Coders", self.coders)
        form.addRow("Reliability sample (share or count)", self.sample)
        form.addRow("Seed", self.seed)
        form.addRow("Stratify by (source, month, a metadata field)", self.stratify)
        form.addRow("Folder for the packages", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose(self) -> None:
        chosen = common.open_folder(self, "Folder for the work packages", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def run(self) -> AssignResult | None:
        """Assign with what the form says; None when refused (the reason has been shown)."""
        try:
            coders = parse_coders(self.coders.text())
            spec = parse_sample(self.sample.text())
        except ClaimcoderError as exc:
            common.inform(self, "Cannot assign", exc.message)
            return None
        folder = Path(self.folder.text()).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        seed = None if self.seed.value() < 0 else self.seed.value()
        stratify = self.stratify.currentText().strip() or None

        def work(ctx: tasks.TaskContext) -> AssignResult:
            return assign(self.project, coders, spec, folder, seed=seed, stratify=stratify,
                          progress=lambda k, n, what: ctx.report(k, n, what))

        result = tasks.run_with_progress(self, work, title="Assign work", label="Writing the packages…",
                                         cancellable=False).value
        if result is not None:
            lines = [f"{p.coder}: {p.documents:,} documents ({p.in_sample} in the sample) → {p.path}"
                     for p in result.packages]
            head = (f"Round {result.round_no}, seed {result.seed}: a reliability sample of {result.sample_size} documents."
                    if result.round_no else "Nothing new to hand out; the packages are up to date.")
            common.inform(self, "Work assigned", "\n".join([head, *lines]))
        return result


def run_assign_dialog(parent: QWidget, project: Project) -> AssignResult | None:
    dialog = AssignDialog(parent, project)
    if common.exec_modal(dialog) != QDialog.DialogCode.Accepted.value:
        return None
    return dialog.run()
