"""Tools → Agreement…: from the project's coders or from export files, through to the report."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.gui import tasks
from app.gui.dialogs import common
from app.gui.dialogs.agreement_dialog import AgreementDialog
from app.gui.dialogs.agreement_models import DisagreementModel, HeatMapModel
from app.services.demo import create_demo_project
from app.services.exporting import export_coder
from app.services.project import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def two_coders(tmp_path: Path) -> Project:
    """The demo project plus 'bob', who differs from 'demo' in a few known ways."""
    project = Project.open(create_demo_project(tmp_path / "demo"))
    demo, bob = project.coder("demo"), project.ensure_coder("bob")
    assert demo is not None
    for k, st in enumerate(project.iter_statements(demo)):
        values = dict(st.values)
        if k == 1:
            values["claim_type"] = "evaluation"  # a value that differs
        if k == 4:
            continue  # a statement bob did not find
        project.create_statement(st.document_id, bob, st.start + (3 if k == 2 else 0), st.end, values=values)
    for doc_id, status in project.status_map(demo).items():
        project.set_status(doc_id, bob, status)
    yield project
    project.close()


@pytest.fixture
def modals(monkeypatch: pytest.MonkeyPatch) -> list[QDialog | QMessageBox]:
    shown: list[QDialog | QMessageBox] = []

    def record(dialog: QDialog | QMessageBox) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(common, "exec_modal", record)
    return shown


@pytest.fixture
def dialog(qtbot, two_coders: Project) -> AgreementDialog:  # type: ignore[no-untyped-def]
    widget = AgreementDialog(None, two_coders)
    qtbot.addWidget(widget)
    widget.bootstrap.setValue(50)  # keep the test quick
    return widget


def test_computes_from_the_projects_coders(dialog: AgreementDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert dialog.project_radio.isChecked() and dialog.selected_coders() == ["bob", "demo"]
    assert not dialog.results.isEnabled() and not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    report = dialog.report
    assert report is not None and [c.name for c in report.coders] == ["bob", "demo"]
    assert dialog.results.isEnabled() and dialog.export_button.isEnabled()
    variables = dialog.results.variables_view.model()
    assert variables.rowCount() == 5
    assert variables.index(0, 0).data() == "Speaker"
    assert report.alignment.n_statements_unmatched == 1
    assert f"{len(report.disagreements)} disagreement" in dialog.status.text()


def test_heat_map_colours_agreement_and_disagreement(dialog: AgreementDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog.compute()
    results = dialog.results
    results.confusion_variable.setCurrentIndex(results.confusion_variable.findData("claim_type"))
    heat = results.heat_view.model()
    assert isinstance(heat, HeatMapModel)
    labels = [heat.headerData(i, Qt.Orientation.Horizontal) for i in range(heat.columnCount())]
    pred, evalu = labels.index("Prediction"), labels.index("Evaluation")
    off = heat.index(pred, evalu).data(Qt.ItemDataRole.BackgroundRole)
    diag = heat.index(evalu, evalu).data(Qt.ItemDataRole.BackgroundRole)
    assert heat.index(pred, evalu).data() == "1"
    assert off.hue() < 20 and 100 < diag.hue() < 160  # red off the diagonal, green on it


def test_disagreements_filter_and_show_each_coders_span(dialog: AgreementDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog.compute()
    results = dialog.results
    view, proxy = results.disagreements_view, results.disagreement_filter
    total = proxy.rowCount()
    results.only_values.setChecked(True)
    assert 0 < proxy.rowCount() < total
    assert {proxy.index(r, 2).data() for r in range(proxy.rowCount())} == {"values differ"}
    results.only_values.setChecked(False)
    results.disagreement_variable.setCurrentIndex(results.disagreement_variable.findData("claim_type"))
    assert {proxy.index(r, 1).data() for r in range(proxy.rowCount())} == {"Claim type"}
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 2).data() == "values differ")
    view.selectRow(row)
    detail = results.detail
    assert "Claim type" in detail.heading.text()
    bob, demo = detail.panes["bob"], detail.panes["demo"]
    assert "<b>Claim type: evaluation</b>" in bob.values_label.text()
    assert "<b>Claim type: prediction</b>" in demo.values_label.text()
    for pane in (bob, demo):
        spans = pane.text_view.extraSelections()
        assert len(spans) == 2  # the unit, and this coder's statement inside it
        assert spans[1].cursor.selectedText().startswith('"Without the blue helmets')
    results.disagreement_variable.setCurrentIndex(0)  # all rows: a missing statement is a row of its own
    missing = next(r for r in range(proxy.rowCount()) if proxy.index(r, 2).data() == "statement not found by every coder")
    view.selectRow(missing)
    assert "no statement" in detail.panes["bob"].values_label.text()
    assert len(detail.panes["bob"].text_view.extraSelections()) == 1


def test_from_export_files_gives_the_same_report(dialog: AgreementDialog, two_coders: Project,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    dialog.compute()
    from_project = dialog.report
    paths = [str(tmp_path / f"{name}.json") for name in ("demo", "bob")]
    for name, path in zip(("demo", "bob"), paths):
        export_coder(two_coders, name, path)
    monkeypatch.setattr(common, "open_files", lambda *a: paths)
    dialog.add_files_button.click()
    assert dialog.files_radio.isChecked() and dialog.export_files() == paths
    assert dialog.compute()
    assert dialog.report is not None and from_project is not None
    assert dialog.report.variables == from_project.variables
    assert [c.source for c in dialog.report.coders] == ["bob.json", "demo.json"]
    # files are read as plain rows; the side-by-side view shows them as it shows the project's
    results = dialog.results
    proxy = results.disagreement_filter
    results.disagreement_variable.setCurrentIndex(results.disagreement_variable.findData("claim_type"))
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 2).data() == "values differ")
    results.disagreements_view.selectRow(row)
    assert "<b>Claim type: evaluation</b>" in results.detail.panes["bob"].values_label.text()
    assert len(results.detail.panes["demo"].text_view.extraSelections()) == 2


def test_without_a_project_only_files_can_be_compared(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = AgreementDialog(None, None)
    qtbot.addWidget(widget)
    assert widget.files_radio.isChecked() and not widget.project_radio.isEnabled()
    assert widget.compute() is False and "export files" in widget.status.text()


def test_recomputing_replaces_the_results(dialog: AgreementDialog) -> None:
    dialog.compute()
    first = dialog.report
    dialog.min_overlap.setValue(1.0)  # bob's shifted span no longer aligns
    dialog.compute()
    assert dialog.report is not first and dialog.report is not None
    assert dialog.report.settings.min_overlap == 1.0
    assert dialog.report.alignment.n_statements_unmatched > first.alignment.n_statements_unmatched  # type: ignore[union-attr]
    assert list(dialog.results.detail.panes) == ["bob", "demo"]


def test_needs_two_coders(dialog: AgreementDialog) -> None:
    dialog.coders_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.compute() is False
    assert "at least two coders" in dialog.status.text()
    dialog.files_radio.setChecked(True)
    assert dialog.compute() is False and "export files" in dialog.status.text()


def test_exports_that_cannot_be_compared_are_refused_with_a_message(dialog: AgreementDialog, two_coders: Project,
                                                                   tmp_path: Path, modals: list) -> None:
    export_coder(two_coders, "demo", tmp_path / "a.json")
    export_coder(two_coders, "demo", tmp_path / "b.json")
    dialog.add_export_files([str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert dialog.compute() is False
    box = modals[-1]
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    assert "both by coder 'demo'" in box.text()
    assert "both by coder" in dialog.status.text() and dialog.report is None


def test_cancel(dialog: AgreementDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks.TaskContext, "cancelled", lambda self: True)
    monkeypatch.setattr(tasks.TaskContext, "check", lambda self: (_ for _ in ()).throw(tasks.Cancelled()))
    assert dialog.compute() is False
    assert dialog.status.text() == "Cancelled."


@pytest.mark.parametrize(("name", "check"), [
    ("report.html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
    ("report.json", lambda text: json.loads(text)["format"] == "claimcoder-agreement"),
    ("report.csv", lambda text: "variable" in text.splitlines()[0]),
    ("report.txt", lambda text: "Krippendorff" in text or "alpha" in text),
])
def test_export_report_in_each_format(dialog: AgreementDialog, tmp_path: Path, name: str, check) -> None:  # type: ignore[no-untyped-def]
    dialog.compute()
    written = dialog.export_report(tmp_path / name)
    assert written == tmp_path / name
    assert check(written.read_text(encoding="utf-8-sig"))


def test_export_report_button_suggests_a_name_and_adds_html(dialog: AgreementDialog, two_coders: Project,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog.compute()
    suggested: list[Path] = []

    def save_file(parent, caption, start, file_filter):  # type: ignore[no-untyped-def]
        suggested.append(Path(start))
        return str(tmp_path / "meeting")

    monkeypatch.setattr(common, "save_file", save_file)
    dialog.export_button.click()
    assert suggested == [two_coders.path.with_name("demo-agreement.html")]  # type: ignore[union-attr]
    assert (tmp_path / "meeting.html").is_file()
    assert "meeting.html" in dialog.status.text()


def test_models_pass_the_model_tester(dialog: AgreementDialog, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    dialog.compute()
    results = dialog.results
    for view in (results.variables_view, results.coders_view, results.pairs_view, results.heat_view,
                 results.categories_view):
        qtmodeltester.check(view.model())
    assert dialog.report is not None
    qtmodeltester.check(DisagreementModel(dialog.report))


def test_export_files_read_again_come_from_the_cache(dialog: AgreementDialog, two_coders: Project,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Computing again on the same export files reads none of them afresh, with the same report."""
    from app.core import export_cache, export_parallel

    monkeypatch.setenv(export_cache.FOLDER_VARIABLE, str(tmp_path / "cache"))
    paths = [str(tmp_path / f"{name}.json") for name in ("demo", "bob")]
    for name, path in zip(("demo", "bob"), paths):
        export_coder(two_coders, name, path)
    monkeypatch.setattr(common, "open_files", lambda *a: paths)
    dialog.add_files_button.click()
    parses: list[str] = []
    for name in ("_parse", "parse_chunked"):  # read whole, or in pieces (as the exporter lays them out)
        real = getattr(export_parallel, name)
        monkeypatch.setattr(export_parallel, name, lambda *a, real=real, name=name, **k: parses.append(name) or real(*a, **k))
    assert dialog.compute()
    first = dialog.report
    assert parses == ["parse_chunked", "parse_chunked"]
    assert len(list((tmp_path / "cache" / "exports").glob("*.entry"))) == 2
    assert dialog.compute()
    assert len(parses) == 2  # both from the cache
    assert dialog.report is not None and first is not None
    assert dialog.report.variables == first.variables and dialog.report.disagreements == first.disagreements
