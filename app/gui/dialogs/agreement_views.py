"""The agreement results as tabs: overview (coders, unitizing), variables, confusion, disagreements."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.agreement.inputs import AnyExport
from app.core.agreement.report import AgreementReport
from app.gui.dialogs.agreement_detail import DisagreementDetail
from app.gui.dialogs.agreement_models import (
    ROW_ROLE,
    DisagreementFilter,
    DisagreementModel,
    HeatMapModel,
    categories_model,
    coders_model,
    pairs_model,
    variables_model,
)
from app.io.agreement_report import fmt_num


def table_view(sortable: bool = False) -> QTableView:
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSortingEnabled(sortable)
    return view


def set_model(view: QTableView, model: QAbstractItemModel) -> None:
    old, old_selection = view.model(), view.selectionModel()
    view.setModel(model)
    for stale in (old, old_selection):
        if stale is not None:
            stale.deleteLater()
    view.resizeColumnsToContents()


def fit_height(view: QTableView, max_rows: int = 12) -> None:
    """Size a short table to its rows, so the overview reads top to bottom without empty boxes."""
    rows = min(view.model().rowCount(), max_rows) if view.model() else 0
    height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(rows)) or view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height + 2)


def _label(text: str = "", *, wrap: bool = True) -> QLabel:
    """Labels whose lines are broken by hand do not wrap: a wrapping label in a tab page gets its
    height from a stale width and cuts its last lines off."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AgreementResults(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: AgreementReport | None = None
        self.addTab(self._overview_tab(), "&Overview")
        self.variables_view = table_view()
        self.variables_note = _label()
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(self.variables_view, 1)
        lay.addWidget(self.variables_note)
        self.addTab(page, "&Variables")
        self.addTab(self._confusion_tab(), "&Confusion matrices")
        self.addTab(self._disagreements_tab(), "&Disagreements")

    # -- building ------------------------------------------------------------------------------

    def _overview_tab(self) -> QWidget:
        self.overview_label = _label(wrap=False)
        self.coders_view = table_view()
        self.unitizing_label = _label(wrap=False)
        self.pairs_view = table_view()
        for view in (self.coders_view, self.pairs_view):
            view.horizontalHeader().setStretchLastSection(False)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(self.overview_label)
        lay.addWidget(self.coders_view)
        lay.addSpacing(12)
        lay.addWidget(self.unitizing_label)
        lay.addWidget(self.pairs_view)
        lay.addStretch(1)
        return page

    def _confusion_tab(self) -> QWidget:
        self.confusion_variable = QComboBox()
        self.confusion_variable.currentIndexChanged.connect(self._show_confusion)
        self.heat_view = table_view()
        self.heat_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.heat_view.setAlternatingRowColors(False)
        self.heat_view.verticalHeader().show()
        self.heat_view.horizontalHeader().setStretchLastSection(False)
        self.heat_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.confusion_note = _label()
        self.categories_view = table_view()
        row = QHBoxLayout()
        row.addWidget(QLabel("Variable:"))
        row.addWidget(self.confusion_variable, 1)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addWidget(self.confusion_note)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.heat_view)
        split.addWidget(self.categories_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        lay.addWidget(split, 1)
        return page

    def _disagreements_tab(self) -> QWidget:
        self.disagreement_variable = QComboBox()
        self.disagreement_variable.currentIndexChanged.connect(self._filter_disagreements)
        self.only_values = QCheckBox("Only where the coders' &values differ")
        self.only_values.setToolTip("Hide statements that some coder did not mark at all")
        self.only_values.toggled.connect(self._filter_disagreements)
        self.disagreement_count = QLabel()
        self.disagreement_filter = DisagreementFilter(self)
        self.disagreements_view = table_view(sortable=True)
        self.disagreements_view.setModel(self.disagreement_filter)
        self.disagreements_view.setWordWrap(False)
        self.disagreements_view.selectionModel().selectionChanged.connect(self._show_detail)
        self.detail = DisagreementDetail()
        row = QHBoxLayout()
        row.addWidget(QLabel("Variable:"))
        row.addWidget(self.disagreement_variable)
        row.addWidget(self.only_values)
        row.addStretch(1)
        row.addWidget(self.disagreement_count)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.disagreements_view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([220, 330])
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addLayout(row)
        lay.addWidget(split, 1)
        return page

    # -- filling ---------------------------------------------------------------------------------

    def set_report(self, report: AgreementReport, exports: Sequence[AnyExport]) -> None:
        self.report = report
        a, u = report.alignment, report.unitizing
        names = ", ".join(c.name for c in report.coders)
        self.overview_label.setText(
            f"<b>{len(report.coders)} coders</b>: {names}.<br><b>{a.n_documents_shared}</b> of {a.n_documents} "
            f"documents were coded by two or more coders ({a.n_documents_all_coders} by all); "
            f"{len(a.documents_single_coder)} coded by one coder only (left out).")
        alpha_u = fmt_num(u.alpha_u) + (f" ({u.alpha_u_undefined_reason})" if u.alpha_u_undefined_reason else "")
        self.unitizing_label.setText(
            f"<b>Did they find the same statements?</b> Spans align at overlap ≥ {a.min_overlap:g}. "
            f"Unitizing α<sub>U</sub> = <b>{alpha_u}</b>.<br>"
            f"{a.n_statements} statements form {a.n_units} units, {a.n_aligned_units} of them with two or more "
            f"coders;<br>{a.n_statements_matched} statements matched, {a.n_statements_unmatched} unmatched, "
            f"{a.n_statements_split} split.")
        self.unitizing_label.setToolTip(a.rule + "\n\n" + u.treatment)
        set_model(self.coders_view, coders_model(report, self))
        set_model(self.pairs_view, pairs_model(report, self))
        fit_height(self.coders_view)
        fit_height(self.pairs_view)
        set_model(self.variables_view, variables_model(report, self))
        self.variables_note.setText(
            "Over aligned units, at each variable's level; missing values allowed. Hover over a “—” for why "
            f"a coefficient is undefined. 95% intervals: {report.settings.bootstrap} bootstrap samples, "
            f"seed {report.settings.seed}.")
        keys = list(report.variables)
        labels = [report.variables[k].label or k for k in keys]
        for combo, extra in ((self.confusion_variable, False), (self.disagreement_variable, True)):
            combo.blockSignals(True)
            combo.clear()
            if extra:
                combo.addItem("Everything", None)
                combo.addItem("Whole statements (missing, spans differ)", "")
            for key, label in zip(keys, labels):
                combo.addItem(label, key)
            combo.blockSignals(False)
        self._show_confusion()
        self.detail.set_exports([c.name for c in report.coders], exports)
        model = DisagreementModel(report, self)
        old = self.disagreement_filter.sourceModel()
        self.disagreement_filter.setSourceModel(model)
        if old is not None:
            old.deleteLater()
        self.disagreements_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._filter_disagreements()
        self.disagreements_view.resizeColumnsToContents()
        header = self.disagreements_view.horizontalHeader()
        header.resizeSection(0, min(header.sectionSize(0), 220))
        header.resizeSection(3, min(header.sectionSize(3), 320))

    @Slot()
    def _show_confusion(self) -> None:
        if self.report is None or self.confusion_variable.currentData() is None:
            return
        key = self.confusion_variable.currentData()
        v = self.report.variables[key]
        set_model(self.heat_view, HeatMapModel(v.confusion, self))
        set_model(self.categories_view, categories_model(self.report, key, self))
        shown = f"the {len(v.confusion.values)} most frequent of {v.confusion.n_categories} categories" \
            if v.confusion.truncated else f"{v.confusion.n_categories} categories"
        self.confusion_note.setText(
            f"Coincidences of pairable values ({shown}): green on the diagonal where coders agreed, "
            f"red off it where they did not; darker means more.")

    @Slot()
    def _filter_disagreements(self) -> None:
        self.disagreement_filter.set_variable(self.disagreement_variable.currentData())
        self.disagreement_filter.set_only_value_differences(self.only_values.isChecked())
        total = self.disagreement_filter.sourceModel().rowCount() if self.disagreement_filter.sourceModel() else 0
        self.disagreement_count.setText(f"{self.disagreement_filter.rowCount():,} of {total:,} shown")

    @Slot(QItemSelection, QItemSelection)
    def _show_detail(self, *_: object) -> None:
        rows = self.disagreements_view.selectionModel().selectedRows()
        if not rows or self.report is None:
            return
        source_row = rows[0].data(ROW_ROLE)
        self.detail.show_disagreement(self.report.disagreements[source_row])

