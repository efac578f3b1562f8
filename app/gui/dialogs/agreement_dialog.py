"""Tools → Agreement…: compare coders, from export files or from the open project.

Exports of the open project's coders are built in memory (``build_export``), so a supervisor
with everyone's work in one project needs no files at all. Loading and computing run on a
worker behind a cancellable progress dialog; the report and the exports it came from stay in
the dialog so a disagreement can be shown in its article.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.agreement import AgreementReport, compute_agreement
from app.core.agreement.inputs import AnyExport
from app.core.errors import ClaimcoderError
from app.core.export_cache import ExportCache
from app.core.export_parallel import start_reading
from app.gui import tasks
from app.gui.dialogs import common
from app.gui.dialogs.agreement_views import AgreementResults
from app.io.agreement_report import ReportFormat, write_report
from app.services.exporting import build_export
from app.services.project import Project

REPORT_FILTERS: dict[ReportFormat, str] = {
    "html": "HTML report (*.html)", "json": "JSON report (*.json)",
    "csv": "CSV: the disagreement list (*.csv)", "text": "Plain text (*.txt)",
}
_SUFFIX_FORMAT: dict[str, ReportFormat] = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv",
                                           ".txt": "text"}
_PATH_ROLE = Qt.ItemDataRole.UserRole


class AgreementDialog(QDialog):
    def __init__(self, parent: QWidget | None, project: Project | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inter-coder agreement")
        self.resize(1120, 820)
        self.project = project
        self.report: AgreementReport | None = None
        self.exports: list[AnyExport] = []
        self.results = AgreementResults()
        self.results.setEnabled(False)
        self.status = QLabel("Choose two or more coders, then Compute.")
        self.export_button = QPushButton("&Export report…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_report)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self._inputs_box())
        layout.addWidget(self.results, 1)
        layout.addLayout(bottom)

    def _inputs_box(self) -> QGroupBox:
        box = QGroupBox("Compare")
        self.files_radio = QRadioButton("E&xport files:")
        self.files_list = QListWidget()
        self.add_files_button = QPushButton("&Add files…")
        self.remove_file_button = QPushButton("&Remove")
        self.add_files_button.clicked.connect(self._choose_files)
        self.remove_file_button.clicked.connect(self._remove_files)
        self.project_radio = QRadioButton("Coders in this &project:")
        self.coders_list = QListWidget()
        if self.project is not None:
            for coder in self.project.coders():
                n = self.project.statement_count(coder)
                item = QListWidgetItem(f"{coder.name}  ({n} statement{'' if n == 1 else 's'})")
                item.setData(_PATH_ROLE, coder.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if n else Qt.CheckState.Unchecked)
                self.coders_list.addItem(item)
        has_coders = self.coders_list.count() >= 2
        self.project_radio.setEnabled(has_coders)
        self.coders_list.setEnabled(has_coders)
        (self.project_radio if has_coders else self.files_radio).setChecked(True)
        self.files_list.itemChanged.connect(lambda *_: self.files_radio.setChecked(True))
        self.coders_list.itemChanged.connect(lambda *_: self.project_radio.setChecked(True))

        self.min_overlap = QDoubleSpinBox()
        self.min_overlap.setRange(0.05, 1.0)
        self.min_overlap.setSingleStep(0.05)
        self.min_overlap.setValue(0.5)
        self.min_overlap.setToolTip("Two coders' statements are the same statement when their spans overlap by "
                                    "at least this much: |A∩B| / |A∪B| (1.0 = identical spans)")
        self.bootstrap = QSpinBox()
        self.bootstrap.setRange(0, 20_000)
        self.bootstrap.setSingleStep(500)
        self.bootstrap.setValue(1000)
        self.bootstrap.setToolTip("Bootstrap samples for the 95% interval of α (0 = none); seeded, reproducible")
        self.compute_button = QPushButton("&Compute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)

        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.add_files_button)
        file_buttons.addWidget(self.remove_file_button)
        file_buttons.addStretch(1)
        grid = QGridLayout(box)
        grid.addWidget(self.files_radio, 0, 0)
        grid.addWidget(self.project_radio, 0, 2)
        grid.addWidget(self.files_list, 1, 0)
        grid.addLayout(file_buttons, 1, 1)
        grid.addWidget(self.coders_list, 1, 2)
        settings = QHBoxLayout()
        for text, widget in (("Minimum &overlap:", self.min_overlap), ("&Bootstrap samples:", self.bootstrap)):
            label = QLabel(text)
            label.setBuddy(widget)
            settings.addWidget(label)
            settings.addWidget(widget)
            settings.addSpacing(12)
        settings.addStretch(1)
        settings.addWidget(self.compute_button)
        grid.addLayout(settings, 2, 0, 1, 3)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        for view in (self.files_list, self.coders_list):
            view.setMaximumHeight(76)
        return box

    # -- inputs -------------------------------------------------------------------------------------

    def add_export_files(self, paths: list[str]) -> None:
        present = {self.files_list.item(i).data(_PATH_ROLE) for i in range(self.files_list.count())}
        for path in paths:
            if path not in present:
                item = QListWidgetItem(Path(path).name)
                item.setData(_PATH_ROLE, path)
                item.setToolTip(path)
                self.files_list.addItem(item)
        self.files_radio.setChecked(True)

    def export_files(self) -> list[str]:
        return [self.files_list.item(i).data(_PATH_ROLE) for i in range(self.files_list.count())]

    def selected_coders(self) -> list[str]:
        return [self.coders_list.item(i).data(_PATH_ROLE) for i in range(self.coders_list.count())
                if self.coders_list.item(i).checkState() == Qt.CheckState.Checked]

    def _start_dir(self) -> Path:
        files = self.export_files()
        if files:
            return Path(files[-1]).parent
        return self.project.path.parent if self.project is not None and self.project.path else Path.home()

    @Slot()
    def _choose_files(self) -> None:
        self.add_export_files(common.open_files(self, "Choose the coders' export files", self._start_dir(),
                                                "claimcoder exports (*.json);;All files (*)"))

    @Slot()
    def _remove_files(self) -> None:
        for item in self.files_list.selectedItems():
            self.files_list.takeItem(self.files_list.row(item))

    # -- computing ----------------------------------------------------------------------------------

    @Slot()
    def compute(self) -> bool:
        """Load or build the exports and compute the report; False when nothing was computed."""
        from_project = self.project_radio.isChecked()
        chosen = self.selected_coders() if from_project else self.export_files()
        if len(chosen) < 2:
            self.status.setText("<span style='color:#b3261e'>Choose at least two "
                                f"{'coders' if from_project else 'export files'}.</span>")
            return False
        project, min_overlap, bootstrap = self.project, self.min_overlap.value(), self.bootstrap.value()

        def work(ctx: tasks.TaskContext) -> tuple[AgreementReport, list[AnyExport]]:
            exports: list[AnyExport] = []
            texts: dict[str, str] = {}  # the coders share documents: each text is checked once
            # export files already read and checked are kept for the next run, as `agree` does
            cache = None if from_project else ExportCache.default()
            try:
                for n, item in enumerate(chosen):
                    ctx.check()
                    ctx.report(n, len(chosen), f"reading {'the work of ' if from_project else ''}{Path(item).name}")
                    if from_project and project:
                        exports.append(build_export(project, item))
                    else:
                        exports.append(start_reading([item], workers=0, cache=cache).result(texts)[0])
            finally:
                if cache is not None:
                    cache.finish()
            sources = [f"{project.name if project else 'project'}: {c}" for c in chosen] if from_project \
                else [Path(p).name for p in chosen]

            def progress(step: int, total: int, what: str) -> None:
                ctx.check()
                ctx.report(step, total, what)

            report = compute_agreement(exports, sources=sources, min_overlap=min_overlap, bootstrap=bootstrap,
                                       app_version=__version__, progress=progress)
            return report, exports

        outcome = tasks.run_with_progress(self, work, title="Agreement", label="Computing agreement…")
        if outcome.value is None or outcome.cancelled:
            if outcome.cancelled:
                self.status.setText("Cancelled.")
            elif outcome.error is not None:
                self.status.setText("<span style='color:#b3261e'>" + _one_line(outcome.error) + "</span>")
            return False
        self.report, self.exports = outcome.value
        self.results.set_report(self.report, self.exports)
        self.results.setEnabled(True)
        self.export_button.setEnabled(True)
        n = len(self.report.disagreements)
        self.status.setText(f"{len(self.report.coders)} coders, {self.report.alignment.n_units} units, "
                            f"{n:,} disagreement{'' if n == 1 else 's'}.")
        return True

    # -- report ------------------------------------------------------------------------------------

    def default_report_path(self) -> Path:
        if self.project is not None and self.project.path is not None:
            return self.project.path.with_name(f"{self.project.path.stem}-agreement.html")
        return self._start_dir() / "agreement.html"

    @Slot()
    def export_report(self, path: str | Path | None = None) -> Path | None:
        """Write the report; the format follows the file's suffix (HTML when it has none)."""
        if self.report is None:
            return None
        if path is None or isinstance(path, bool):  # clicked() passes a bool
            chosen = common.save_file(self, "Export agreement report", self.default_report_path(),
                                      ";;".join(REPORT_FILTERS.values()))
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        fmt = _SUFFIX_FORMAT.get(target.suffix.lower())
        if fmt is None:
            fmt, target = "html", target.with_name(target.name + ".html")
        report, report_format = self.report, fmt

        def work(ctx: tasks.TaskContext) -> None:
            try:
                write_report(report, report_format, target)
            except OSError as exc:
                raise ClaimcoderError(f"{target}: cannot write the report ({exc.strerror or exc})") from None

        outcome = tasks.run_with_progress(self, work, title="Export report", label=f"Writing {target.name}…",
                                          cancellable=False)
        if outcome.error is not None:
            return None
        self.status.setText(f"Wrote {target}")
        return target


def _one_line(error: BaseException) -> str:
    text = error.message if isinstance(error, ClaimcoderError) else f"{error.__class__.__name__}: {error}"
    return (text.splitlines() or [""])[0].replace("<", "&lt;")
