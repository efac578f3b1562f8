"""Tools → Networks…: the demo project drawn, described, stepped through windows and exported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsEllipseItem

from app.gui.networks.window import NetworkWindow
from app.services.demo import create_demo_project
from app.services.project import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path: Path) -> NetworkWindow:  # type: ignore[no-untyped-def]
    project = Project.open(create_demo_project(tmp_path / "demo"))
    win = NetworkWindow(None, project)
    qtbot.addWidget(win)
    win.show()
    yield win
    project.close()


def _nodes_drawn(win: NetworkWindow) -> int:
    # one ellipse per node, plus one per legend entry
    return sum(isinstance(i, QGraphicsEllipseItem) for i in win.scene.items()) - len(win.drawing.legend)  # type: ignore[union-attr]


def test_draws_the_demo_network(window: NetworkWindow, tmp_path: Path) -> None:
    # the demo coder's 10 statements: six speakers, four congruence ties through claim types
    assert window.computed is not None
    net = window.computed.result.networks[0]
    assert (net.n_nodes, net.n_edges) == (6, 4)
    assert _nodes_drawn(window) == 6 and len(window.drawing.ties) == 4  # type: ignore[union-attr]
    assert "<b>6</b> nodes, <b>4</b> ties" in window.summary.text()
    assert window.table.rowCount() == 6 and not window.slider.isEnabled()
    window.grab().save(str(tmp_path / "networks-window.png"))


def test_options_recompute_and_bad_input_is_one_line(window: NetworkWindow) -> None:
    window.form.mode.setCurrentText("two-mode")
    assert window.computed is not None and window.computed.result.options.mode == "two-mode"
    assert window.form.aggregation.currentText() == "ignore"
    window.form.window.setText("3q")
    window.form.window.editingFinished.emit()
    assert window.computed is None and "--window takes" not in window.summary.text()
    assert "Time window takes" in window.summary.text() and not window.export_button.isEnabled()


def test_time_windows_keep_node_positions(window: NetworkWindow) -> None:
    window.form.window.setText("2w")  # the demo was coded in articles of 13 October and 7 November 2023
    window.form.window.editingFinished.emit()
    assert window.computed is not None
    nets = window.computed.result.networks
    assert len(nets) >= 3 and window.slider.isEnabled() and window.slider.maximum() == len(nets) - 1
    seen: dict[str, tuple[float, float]] = {}
    for i in range(len(nets)):
        window.slider.setValue(i)
        assert window.window_label.text().endswith(f"({i + 1}/{len(nets)})")
        for n in window.drawing.nodes:  # type: ignore[union-attr]
            assert seen.setdefault(n.label, (n.x, n.y)) == (n.x, n.y)


def test_exports_files_and_pictures(window: NetworkWindow, tmp_path: Path) -> None:
    written = window.export_to(tmp_path / "net.graphml", "graphml")
    g = nx.read_graphml(written[0])
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 4
    png, svg = tmp_path / "net.png", tmp_path / "net.svg"
    window.save_picture(png)
    window.save_picture(svg)
    image = QImage(str(png))
    assert image.width() == 2 * int(window.drawing.width)  # type: ignore[union-attr]
    root = ET.parse(svg).getroot()
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    assert len(circles) == 6 + len(window.drawing.legend)  # type: ignore[union-attr]
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {n.label for n in window.drawing.nodes} <= texts  # type: ignore[union-attr]
