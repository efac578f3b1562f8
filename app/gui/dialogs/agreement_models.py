"""Read-only Qt models over an :class:`AgreementReport`: thin adapters, the report owns the data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.core.agreement.report import AgreementReport, CoderValue, Coincidences, Disagreement
from app.io.agreement_report import WHOLE_STATEMENT, cell_value, fmt_num

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_UNDEFINED = QColor("#888")  # undefined is often expected (Fleiss κ with two coders)


class Cell:
    """A shown text with an optional tooltip and sort key (numbers sort as numbers)."""

    __slots__ = ("text", "tip", "key", "numeric")

    def __init__(self, text: str, *, tip: str = "", key: Any = None, numeric: bool = False) -> None:
        self.text, self.tip, self.numeric = text, tip, numeric
        self.key = text if key is None else key


def num(x: float | None, *, tip: str = "", digits: int = 3) -> Cell:
    return Cell(fmt_num(x, digits), tip=tip if x is None else "", key=float("-inf") if x is None else x, numeric=True)


def count(n: int | float) -> Cell:
    return Cell(f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}", key=n, numeric=True)


class RowsModel(QAbstractTableModel):
    """A fixed table of :class:`Cell` rows: summary tables are small and never change."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]], parent: QObject | None = None,
                 *, header_tips: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._tips = list(header_tips)
        self._rows = [list(r) for r in rows]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self._tips):
            return self._tips[section] or None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or None
        if role == SORT_ROLE:
            return cell.key
        if role == Qt.ItemDataRole.TextAlignmentRole and cell.numeric:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and cell.tip and cell.text == "—":
            return _UNDEFINED
        return None


def variables_model(report: AgreementReport, parent: QObject | None = None) -> RowsModel:
    rows = []
    for key, v in report.variables.items():
        why = v.undefined_reasons
        ci = "—" if v.alpha_ci95 is None else f"{v.alpha_ci95[0]:.3f} – {v.alpha_ci95[1]:.3f}"
        rows.append([
            Cell(v.label or key, tip=key), Cell(v.level), count(v.n_units), count(v.n_pairable_values),
            num(v.krippendorff_alpha, tip=v.undefined_reason or why.get("krippendorff_alpha", "")),
            Cell(ci, key=v.alpha_ci95[0] if v.alpha_ci95 else float("-inf"), numeric=True),
            Cell("—" if v.percent_agreement is None else f"{100 * v.percent_agreement:.1f}%",
                 key=v.percent_agreement if v.percent_agreement is not None else -1.0, numeric=True),
            num(v.cohen_kappa, tip=why.get("cohen_kappa", "")),
            num(v.fleiss_kappa, tip=why.get("fleiss_kappa", "")),
            num(v.gwet_ac1, tip=why.get("gwet_ac1", "")),
            Cell(v.undefined_reason or "", tip=v.undefined_reason or ""),
        ])
    headers = ["Variable", "Level", "Units", "Values", "α", "α 95% CI", "Agreement", "Cohen κ", "Fleiss κ",
               "Gwet AC1", "Note"]
    tips = ["", "The measurement level α is computed at", "Units with values from two or more coders",
            "Pairable values (those in units with two or more values)", "Krippendorff's alpha",
            f"Seeded bootstrap, {report.settings.bootstrap} samples", "Percent agreement over pairable values",
            "Two coders only", "Three or more coders", "Gwet's first-order agreement coefficient", ""]
    return RowsModel(headers, rows, parent, header_tips=tips)


def coders_model(report: AgreementReport, parent: QObject | None = None) -> RowsModel:
    rows = [[Cell(c.name), Cell(c.source, tip=c.source), count(c.n_documents), count(c.n_statements)]
            for c in report.coders]
    return RowsModel(["Coder", "From", "Documents", "Statements"], rows, parent,
                     header_tips=["", "", "Documents this coder coded", "Statements in documents shared with another coder"])


def pairs_model(report: AgreementReport, parent: QObject | None = None) -> RowsModel:
    rows = [[Cell(p.coder_a), Cell(p.coder_b), count(p.n_documents), count(p.n_a), count(p.n_b), count(p.n_matched),
             num(p.precision), num(p.recall), num(p.f1)] for p in report.unitizing.pairs]
    return RowsModel(["Coder a", "Coder b", "Documents", "Statements a", "Statements b", "Matched", "Precision",
                      "Recall", "F1"], rows, parent,
                     header_tips=["Taken as the reference", "", "Documents both coded", "", "",
                                  "Units holding a statement of both", "Share of b's statements that a also has",
                                  "Share of a's statements that b also found", ""])


def categories_model(report: AgreementReport, key: str, parent: QObject | None = None) -> RowsModel:
    v = report.variables[key]
    rows = [[Cell(c.value), Cell(c.label), count(c.n_values), num(c.agreement)] for c in v.per_category]
    return RowsModel(["Value", "Label", "Values", "Agreement"], rows, parent,
                     header_tips=["", "", "Pairable values equal to this category",
                                  "How often a value of this category was matched by the same category"])


class HeatMapModel(QAbstractTableModel):
    """A coincidence matrix; cells are shaded by count, green on the diagonal, red off it."""

    def __init__(self, matrix: Coincidences, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._m = matrix
        self._max = max((x for row in matrix.matrix for x in row), default=0.0) or 1.0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._m.values)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._m.values)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._m.labels[section] or self._m.values[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._m.values[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        x = self._m.matrix[r][c]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if x == 0 else (f"{x:g}" if x < 1e6 else f"{x:.3g}")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            return heat_colour(x / self._max, diagonal=r == c)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._m.labels[r]} × {self._m.labels[c]}: {x:g} pairable value pairs"
        return None


def heat_colour(share: float, *, diagonal: bool) -> QColor:
    """White for nothing, up to a saturated green (agreement) or red (disagreement)."""
    share = max(0.0, min(1.0, share))
    hue = 130 if diagonal else 4
    return QColor.fromHsv(hue, int(20 + 150 * share) if share > 0 else 0, 255 - int(40 * share))


class DisagreementModel(QAbstractTableModel):
    """One row per unit and variable where the coders differ; one column per coder's value."""

    FIXED = ("Document", "Variable", "Issue", "Text")

    def __init__(self, report: AgreementReport, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Disagreement] = report.disagreements
        self.coders = [c.name for c in report.coders]
        self._labels = {k: v.label or k for k, v in report.variables.items()}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self.coders)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.FIXED[section] if section < len(self.FIXED) else self.coders[section - len(self.FIXED)]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self.rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return index.row()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == 0:
                return d.title
            if col == 1:
                return self._labels.get(d.variable, d.variable) if d.variable else WHOLE_STATEMENT
            if col == 2:
                return d.issue
            if col == 3:
                return " ".join(d.text.split())
            return cell_value(self._value(d, col))
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return d.text
        if role == Qt.ItemDataRole.ForegroundRole and col >= len(self.FIXED):
            return QColor("#888") if self._value(d, col).state != "coded" else None
        return None

    def _value(self, d: Disagreement, col: int) -> CoderValue:
        name = self.coders[col - len(self.FIXED)]
        return d.values.get(name) or CoderValue(value=None, state="document_not_coded")


class DisagreementFilter(QSortFilterProxyModel):
    """Show one variable's disagreements (or all), optionally only those where values differ."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._variable: str | None = None
        self._only_values = False
        self.setSortRole(SORT_ROLE)

    def set_variable(self, key: str | None) -> None:
        self._refilter(lambda: setattr(self, "_variable", key))

    def set_only_value_differences(self, only: bool) -> None:
        self._refilter(lambda: setattr(self, "_only_values", only))

    def _refilter(self, change: Callable[[], None]) -> None:
        """Qt 6.9+ wants begin/endFilterChange around a change; older Qt only knows invalidate."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt < 6.9
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DisagreementModel)
        d = model.rows[source_row]
        if self._variable is not None and d.variable != self._variable:
            return False
        return not (self._only_values and d.issue != "values differ")
