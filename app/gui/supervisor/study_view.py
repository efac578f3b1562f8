"""Tools → Study…: the coder × state table, the reliability sample's progress, the agreement on
the finished sample documents and the adjudication's progress (what ``claimcoder status`` says)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.services.project import Project
from app.services.study.status import study_status

COLUMNS = [("assigned", "Assigned"), ("not_started", "Not started"), ("in_progress", "In progress"),
           ("done", "Done"), ("skipped", "Skipped"), ("statements", "Statements")]


class StudyView(QDialog):
    def __init__(self, parent: QWidget | None, project: Project) -> None:
        super().__init__(parent)
        self.setWindowTitle("Study")
        self.resize(820, 460)
        self.data = study_status(project)
        self.table = QTableWidget(len(self.data["coders"]), len(COLUMNS) + 2)
        self.table.setHorizontalHeaderLabels(["Coder"] + [t for _, t in COLUMNS] + ["Sample done"])
        self.table.verticalHeader().setVisible(False)
        for r, c in enumerate(self.data["coders"]):
            cells = [c["name"]] + [f"{c[k]:,}" for k, _ in COLUMNS] + [f"{c['sample']['done']}/{c['sample']['assigned']}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:  # numbers line up on the right
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self.summary = QLabel(self._summary(self.data))
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    @staticmethod
    def _summary(data: dict[str, Any]) -> str:
        s = data["sample"]
        lines = [f"Reliability sample: {s['documents']} documents, {s['finished_by_every_coder']} finished by every coder."]
        ag = data["agreement"]
        if "variables" in ag:
            alphas = ", ".join(f"{k} {'—' if v['krippendorff_alpha'] is None else format(v['krippendorff_alpha'], '.3f')}"
                               for k, v in ag["variables"].items())
            lines.append(f"Krippendorff's α on them: {alphas}.")
        else:
            lines.append(f"Agreement: not yet ({ag.get('undefined_reason', '')}).")
        adj = data["adjudication"]
        if adj["units"]:
            lines.append(f"Adjudication: {adj['decided']} of {adj['units']} units decided, {adj['open']} open.")
        return "\n".join(lines)
