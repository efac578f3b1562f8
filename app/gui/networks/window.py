"""The Networks window: options on the left, the drawing in the middle, the numbers on the right,
a slider through the time windows below, and export of the files and of the picture."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ClaimcoderError
from app.core.networks.build import NetworkSet, build_networks
from app.core.networks.descriptives import describe
from app.core.networks.drawing import Drawing, draw, layout
from app.gui import tasks
from app.gui.dialogs import common
from app.gui.networks.options_form import OptionsForm
from app.gui.networks.scene import paint
from app.io import network_files as nf
from app.io.network_output import write_networks
from app.io.network_svg import write_svg
from app.services import networks as svc
from app.services.project import Project

DATASET = "the dataset (gold, or the one coder)"
FILE_FILTERS = {
    "graphml": "GraphML: Gephi, Cytoscape, visone, networkx (*.graphml)",
    "gexf": "GEXF: Gephi, dynamic with time windows (*.gexf)",
    "csv": "CSV matrix (*.csv)", "edgelist": "Edge list + node table CSV: R igraph / tidygraph (*.csv)",
    "dl": "UCINET DL (*.dl)", "json": "JSON with descriptives (*.json)",
}


@dataclass(slots=True)
class Computed:
    loaded: svc.Loaded
    result: NetworkSet
    positions: dict[str, tuple[float, float]]


class FittedView(QGraphicsView):
    """Keeps the whole drawing in view as the window is resized."""

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        rect = self.scene().sceneRect() if self.scene() else QRectF()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)


class NetworkWindow(QDialog):
    def __init__(self, parent: QWidget | None, project: Project) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Networks — {project.name}")
        self.resize(1480, 860)
        self.project = project
        self._loaded: dict[str, svc.Loaded] = {}
        self.computed: Computed | None = None
        self.drawing: Drawing | None = None
        coders = [c.name for c in project.coders() if project.statement_count(c)]
        attrs = sorted({k for e in project.entities() for k in e.attributes})
        colour_keys = (["kind"] if any(e.kind for e in project.entities()) else []) + attrs
        self.form = OptionsForm(project.codebook, [*coders, DATASET], colour_keys)
        self.form.changed.connect(self.recompute)
        self.form.colour.currentTextChanged.connect(self.show_window)

        self.scene = QGraphicsScene(self)
        self.view = FittedView(self.scene)
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self.show_window)
        self.window_label = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Node", "Statements", "Degree", "Strength"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        left = QScrollArea()
        left.setWidget(self.form)
        left.setWidgetResizable(True)
        left.setMinimumWidth(self.form.sizeHint().width() + 24)
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Window"))
        row.addWidget(self.slider, 1)
        row.addWidget(self.window_label)
        mv.addLayout(row)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.summary)
        rv.addWidget(self.table, 1)
        split = QSplitter()
        for w in (left, middle, right):
            split.addWidget(w)
        split.setSizes([380, 760, 340])

        self.export_button = QPushButton("Export network…")
        self.export_button.clicked.connect(self.export_network)
        self.picture_button = QPushButton("Save picture…")
        self.picture_button.clicked.connect(self.save_picture_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.export_button, self.picture_button, close):
            buttons.addWidget(b)
        layout_ = QVBoxLayout(self)
        layout_.addWidget(split, 1)
        layout_.addLayout(buttons)
        self.recompute()

    # -- computing --------------------------------------------------------------------------

    def _source(self) -> tuple[str | None, bool]:
        text = self.form.source.currentText()
        return (None, True) if text == DATASET else (text, False)

    @Slot()
    def recompute(self) -> None:
        try:
            options = self.form.options()
        except ClaimcoderError as exc:
            self._problem(exc.message)
            return
        coder, dataset = self._source()
        key = "\x00dataset" if dataset else coder or ""
        cached = self._loaded.get(key)

        def work(ctx: tasks.TaskContext) -> Computed:
            loaded = cached or svc.from_project(self.project, coder=coder, dataset=dataset)
            result = build_networks(loaded.data, options)
            return Computed(loaded, result, layout(result.networks))

        outcome = tasks.run_with_progress(self, work, title="Networks", label="Building the network…",
                                          report_errors=False)
        if outcome.error is not None:
            self._problem(str(getattr(outcome.error, "message", outcome.error)) if isinstance(outcome.error, ClaimcoderError)
                          else f"could not build the network ({outcome.error.__class__.__name__})")
            return
        if outcome.value is None:
            return
        self.computed = outcome.value
        self._loaded[key] = outcome.value.loaded
        nets = outcome.value.result.networks
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(nets) - 1))
        self.slider.setValue(0)
        self.slider.setEnabled(len(nets) > 1)
        self.slider.blockSignals(False)
        self.show_window()

    def _problem(self, message: str) -> None:
        self.computed = None
        self.scene.clear()
        self.table.setRowCount(0)
        self.summary.setText(f"<b>Cannot build this network:</b> {message}")
        self.export_button.setEnabled(False)
        self.picture_button.setEnabled(False)

    # -- showing ----------------------------------------------------------------------------

    @Slot()
    def show_window(self) -> None:
        if self.computed is None:
            return
        nets = self.computed.result.networks
        self.export_button.setEnabled(True)
        if not nets:
            self.scene.clear()
            self.summary.setText("No statements enter this network.")
            self.picture_button.setEnabled(False)
            return
        self.picture_button.setEnabled(True)
        net = nets[min(self.slider.value(), len(nets) - 1)]
        o = self.computed.result.options
        when = " – ".join(nf.window_dates(net))
        self.window_label.setText(f"{when}  ({self.slider.value() + 1}/{len(nets)})" if when else "whole period")
        title = f"{o.rows.display} linked by {o.cols.display}: {o.aggregation}" + (f", {when}" if when else "")
        self.drawing = draw(net, self.computed.positions, self.computed.loaded.node_info, self.form.colour_key(), title=title)
        paint(self.scene, self.drawing)
        self.view.fit()
        self._describe(net)

    def _describe(self, net: Any) -> None:
        d = describe(net)
        pol = d["polarisation"]
        lines = [f"<b>{d['nodes']}</b> nodes, <b>{d['edges']}</b> ties, density "
                 f"<b>{d['density']:.3f}</b>" if d["density"] is not None else f"<b>{d['nodes']}</b> nodes",
                 f"{d['statements']} statements, {d['isolates']} isolates"]
        if pol.get("conflict_share") is not None:
            lines.append(f"conflict share <b>{pol['conflict_share']:.2f}</b> (chance {pol['conflict_share_expected']:.2f}): "
                         "of all pairs of statements by two actors on the same thing, the weight that is disagreement")
        if "negative_weight_share" in pol:
            lines.append(f"negative ties: {pol['negative_weight_share']:.0%} of the tie weight")
        self.summary.setText("<br>".join(lines))
        rows = sorted(d["per_node"], key=lambda r: (-r["strength"], -r["statements"], r["label"]))
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            for c, value in enumerate((r["label"], r["statements"], r["degree"], round(r["strength"], 3))):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                self.table.setItem(n, c, item)

    # -- exporting --------------------------------------------------------------------------

    @Slot()
    def export_network(self) -> None:
        if self.computed is None:
            return
        start = Path(self.project.path or Path.home()).with_suffix(".graphml")
        path, chosen = _save_with_filter(self, "Export network", str(start), list(FILE_FILTERS.values()))
        if not path:
            return
        fmt = next(k for k, v in FILE_FILTERS.items() if v == chosen)
        self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> list[Path]:
        assert self.computed is not None
        if not path.suffix:
            path = path.with_suffix(nf.SUFFIX[fmt])
        try:
            written = write_networks(self.computed.result, self.computed.loaded.node_info, fmt, path,
                                     source=self.computed.loaded.data.source)
        except ClaimcoderError as exc:
            tasks.show_error(self, exc, title="Export network")
            return []
        return written

    @Slot()
    def save_picture_dialog(self) -> None:
        start = Path(self.project.path or Path.home()).with_suffix(".png")
        path = common.save_file(self, "Save picture", str(start), "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self.save_picture(Path(path))

    def save_picture(self, path: Path) -> None:
        """PNG at twice the screen size (sharp on a slide), or SVG written from the same marks."""
        if self.drawing is None:
            return
        try:
            if path.suffix.lower() == ".svg":
                write_svg(path, self.drawing)
                return
            if path.suffix.lower() != ".png":
                path = path.with_suffix(".png")
            image = QImage(int(self.drawing.width * 2), int(self.drawing.height * 2), QImage.Format.Format_ARGB32)
            image.fill(QColor("#ffffff"))
            painter = QPainter(image)
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            self.scene.render(painter, QRectF(0, 0, image.width(), image.height()),
                              QRectF(0, 0, self.drawing.width, self.drawing.height))
            painter.end()
            if not image.save(str(path), "PNG"):
                raise ClaimcoderError(f"{path}: cannot write the picture")
        except (ClaimcoderError, OSError) as exc:
            tasks.show_error(self, exc if isinstance(exc, ClaimcoderError) else ClaimcoderError(f"{path}: {exc}"),
                             title="Save picture")


def _save_with_filter(parent: QWidget, caption: str, start: str, filters: list[str]) -> tuple[str, str]:
    from PySide6.QtWidgets import QFileDialog

    path, chosen = QFileDialog.getSaveFileName(parent, caption, start, ";;".join(filters))
    return path, chosen


def show_networks(parent: QWidget | None, project: Project | None) -> None:
    if project is None:
        common.inform(parent, "Networks", "Open a project first.")
        return
    NetworkWindow(parent, project).exec()
