"""File → Import… and File → Export…, driven through their dialogs with the file pickers stubbed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.gui import tasks
from app.gui.dialogs import common
from app.gui.dialogs.export_dialog import default_export_path, run_export_dialog
from app.gui.dialogs.import_dialog import ImportDialog, file_dialog_filter, run_import_dialog
from app.gui.dialogs.import_summary import ImportSummaryDialog
from app.services.project import Project
from tests.conftest import ARTICLE, add_texts

pytestmark = pytest.mark.gui


class Modals:
    """Stands in for every modal ``exec()``: records the dialog, and lets a test act on it."""

    def __init__(self) -> None:
        self.shown: list[QDialog | QMessageBox] = []
        self.on_show = None

    def __call__(self, dialog: QDialog | QMessageBox) -> int:
        self.shown.append(dialog)
        if self.on_show is not None:
            return self.on_show(dialog)
        return QDialog.DialogCode.Accepted.value


@pytest.fixture
def modals(monkeypatch: pytest.MonkeyPatch) -> Modals:
    recorder = Modals()
    monkeypatch.setattr(common, "exec_modal", recorder)
    return recorder


@pytest.fixture
def parent(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "one.txt").write_text("First article\n\nThe minister said the plan works.\n", encoding="utf-8")
    (folder / "two.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"caf\xe9 au lait \xff\xfe\x00 broken")
    return folder


def test_filter_lists_the_supported_types() -> None:
    assert "*.txt" in file_dialog_filter()
    assert "All files (*)" in file_dialog_filter()


def test_import_a_folder_shows_counts_and_reasons(parent: QWidget, project: Project, tmp_path: Path,
                                                   modals: Modals) -> None:
    add_texts(project, ARTICLE)  # two.txt is then a duplicate
    imported = run_import_dialog(parent, project, paths=[_articles(tmp_path / "in")])
    assert imported is True
    assert project.document_count() == 2
    summary_dialog = modals.shown[-1]
    assert isinstance(summary_dialog, ImportSummaryDialog)
    assert "Imported 1 article" in summary_dialog.headline.text()
    assert "skipped 1 duplicate" in summary_dialog.headline.text()
    assert "2 files failed" in summary_dialog.headline.text()
    model = summary_dialog.model
    rows = {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())}
    assert rows[str(tmp_path / "in" / "empty.txt")][0] == "failed"
    assert "empty" in rows[str(tmp_path / "in" / "empty.txt")][1]
    assert rows[str(tmp_path / "in" / "bad.txt")][0] == "failed"
    assert "already in the project" in rows[str(tmp_path / "in" / "two.txt")][1]


def test_nothing_new_returns_false(parent: QWidget, project: Project, tmp_path: Path, modals: Modals) -> None:
    path = tmp_path / "only.txt"
    path.write_bytes(b"")
    assert run_import_dialog(parent, project, paths=[path]) is False
    assert project.document_count() == 0


def test_chooser_collects_files_folders_and_column_map(parent: QWidget, project: Project, tmp_path: Path,
                                                       modals: Modals, monkeypatch: pytest.MonkeyPatch,
                                                       qtbot) -> None:  # type: ignore[no-untyped-def]
    folder = _articles(tmp_path / "in")
    monkeypatch.setattr(common, "open_files", lambda *a: [str(folder / "one.txt")])
    monkeypatch.setattr(common, "open_folder", lambda *a: str(folder))

    def fill_and_accept(dialog: QDialog | QMessageBox) -> int:
        if not isinstance(dialog, ImportDialog):
            return QDialog.DialogCode.Accepted.value
        assert not dialog.import_button.isEnabled()
        dialog.add_files_button.click()
        dialog.add_folder_button.click()
        dialog.add_files_button.click()  # the same file twice is listed once
        assert dialog.paths() == [str(folder / "one.txt"), str(folder)]
        dialog.columns_box.setChecked(True)
        qtbot.keyClicks(dialog.column_edits["text"], "body")
        assert dialog.options().column_map == {"text": "body"}
        dialog.path_list.setCurrentRow(1)
        dialog.remove_button.click()
        assert dialog.paths() == [str(folder / "one.txt")]
        assert dialog.import_button.isEnabled()
        return QDialog.DialogCode.Accepted.value

    modals.on_show = fill_and_accept
    assert run_import_dialog(parent, project) is True
    assert [s.title for s in project.document_summaries()] == ["First article"]


def test_cancelled_chooser_imports_nothing(parent: QWidget, project: Project, modals: Modals) -> None:
    modals.on_show = lambda dialog: QDialog.DialogCode.Rejected.value
    assert run_import_dialog(parent, project) is False
    assert len(modals.shown) == 1


def test_cancel_keeps_the_files_already_read(parent: QWidget, project: Project, tmp_path: Path,
                                            modals: Modals, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.txt").write_text(f"Article {i}\n\nText number {i}.\n", encoding="utf-8")
    real = tasks.TaskContext.report

    def cancel_after_five(self: tasks.TaskContext, done: int, total: int = 0, label: str = "") -> None:
        if done >= 5:
            self.cancel()
        real(self, done, total, label)

    monkeypatch.setattr(tasks.TaskContext, "report", cancel_after_five)
    run_import_dialog(parent, project, paths=[folder])
    assert 5 <= project.document_count() < 30
    summary_dialog = modals.shown[-1]
    assert isinstance(summary_dialog, ImportSummaryDialog)
    assert "cancelled" in summary_dialog.headline.text()


def test_export_writes_json_next_to_the_project_and_confirms(parent: QWidget, project: Project,
                                                             modals: Modals, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_id = add_texts(project, ARTICLE)[0]
    alice = project.ensure_coder("alice")
    project.create_statement(doc_id, alice, 0, 10, values={"stance": "support"})
    suggested: list[Path] = []

    def save_file(parent: QWidget, caption: str, start: Path, file_filter: str) -> str:
        suggested.append(Path(start))
        return str(start)

    monkeypatch.setattr(common, "save_file", save_file)
    run_export_dialog(parent, project, alice, "json")
    assert suggested == [project.path.with_name("study-alice.json")]  # type: ignore[union-attr]
    data = json.loads(suggested[0].read_text(encoding="utf-8"))
    assert data["coder"]["name"] == "alice" and len(data["statements"]) == 1
    box = modals.shown[-1]
    assert isinstance(box, QMessageBox)
    assert "1 statement by alice" in box.text() and "study-alice.json" in box.text()


def test_export_csv_to_a_given_path_adds_the_suffix(parent: QWidget, project: Project, tmp_path: Path,
                                                    modals: Modals) -> None:
    add_texts(project, ARTICLE)
    bob = project.ensure_coder("bob / 2")
    assert default_export_path(project, bob, "csv").name == "study-bob___2.csv"
    run_export_dialog(parent, project, bob, "csv", path=tmp_path / "out")
    assert (tmp_path / "out.csv").is_file()


def test_export_error_is_shown_as_its_message(parent: QWidget, project: Project, tmp_path: Path,
                                             modals: Modals) -> None:
    coder = project.ensure_coder("alice")
    run_export_dialog(parent, project, coder, "json", path=tmp_path / "missing" / "x.json")
    box = modals.shown[-1]
    assert isinstance(box, QMessageBox)
    assert box.icon() == QMessageBox.Icon.Warning
    assert "does not exist" in box.text()
