"""The start screen: new project (default or file codebook), open, demo, recent projects."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.core.codebook import default_codebook
from app.gui.dialogs import common
from app.gui.dialogs.new_project import NewProjectDialog
from app.gui.start_screen import StartScreen
from app.services.project import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def screen(qtbot) -> StartScreen:  # type: ignore[no-untyped-def]
    widget = StartScreen()
    qtbot.addWidget(widget)
    return widget


def _accept_new_project(fill):  # type: ignore[no-untyped-def]
    def exec_modal(dialog: QDialog | QMessageBox) -> int:
        assert isinstance(dialog, NewProjectDialog)
        fill(dialog)
        dialog.create_button.click()
        return dialog.result()
    return exec_modal


def test_new_project_with_the_default_codebook(screen: StartScreen, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "my-study.ccdb"
    monkeypatch.setattr(common, "save_file", lambda *a: str(target))

    def fill(dialog: NewProjectDialog) -> None:
        qtbot.mouseClick([b for b in dialog.findChildren(type(dialog.create_button))
                          if b.text() == "&Browse…"][0], Qt.MouseButton.LeftButton)
        assert dialog.name_edit.text() == "my study"

    monkeypatch.setattr(common, "exec_modal", _accept_new_project(fill))
    with qtbot.waitSignal(screen.project_chosen) as blocker:
        screen.new_button.click()
    assert blocker.args == [str(target)]
    with Project.open(target) as project:
        assert project.name == "my study"
        assert project.codebook == default_codebook()


def test_new_project_with_a_codebook_file_and_a_typed_name(screen: StartScreen, tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    codebook = tmp_path / "tiny.yaml"
    codebook.write_text(yaml.safe_dump({"name": "Tiny", "variables": [
        {"key": "speaker", "kind": "entity"}, {"key": "tone", "kind": "category", "categories": [{"value": "x"}]}]}),
        encoding="utf-8")
    monkeypatch.setattr(common, "open_file", lambda *a: str(codebook))

    def fill(dialog: NewProjectDialog) -> None:
        qtbot.keyClicks(dialog.file_edit, str(tmp_path / "typed"))  # the suffix is added
        dialog.name_edit.clear()
        qtbot.keyClicks(dialog.name_edit, "Strike coverage")
        [b for b in dialog.findChildren(type(dialog.create_button)) if b.text() == "Br&owse…"][0].click()
        assert dialog.file_radio.isChecked()

    monkeypatch.setattr(common, "exec_modal", _accept_new_project(fill))
    with qtbot.waitSignal(screen.project_chosen) as blocker:
        screen.new_button.click()
    assert blocker.args == [str(tmp_path / "typed.ccdb")]
    with Project.open(tmp_path / "typed.ccdb") as project:
        assert project.name == "Strike coverage"
        assert project.codebook.keys == ["speaker", "tone"]


def test_new_project_problems_stay_in_the_dialog(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = NewProjectDialog(None, start_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.create_button.click()
    assert dialog.error_label.isVisibleTo(dialog) and "Choose where" in dialog.error_label.text()
    dialog.file_edit.setText(str(tmp_path / "a.ccdb"))
    dialog.file_radio.setChecked(True)
    dialog.codebook_edit.setText(str(tmp_path / "missing.yaml"))
    dialog.create_button.click()
    assert "no such file" in dialog.error_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and not (tmp_path / "a.ccdb").exists()
    Project.create(tmp_path / "b.ccdb").close()
    dialog.file_edit.setText(str(tmp_path / "b.ccdb"))
    dialog.default_radio.setChecked(True)
    dialog.create_button.click()
    assert "already exists" in dialog.error_label.text()


def test_open_project_and_demo(screen: StartScreen, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(common, "open_file", lambda *a: "/data/study.ccdb")
    with qtbot.waitSignal(screen.project_chosen) as blocker:
        qtbot.mouseClick(screen.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["/data/study.ccdb"]
    monkeypatch.setattr(common, "open_file", lambda *a: None)
    with qtbot.assertNotEmitted(screen.project_chosen):
        screen.open_button.click()
    with qtbot.waitSignal(screen.demo_requested):
        qtbot.mouseClick(screen.demo_button, Qt.MouseButton.LeftButton)


def test_recent_projects_open_on_enter_and_missing_ones_do_not(screen: StartScreen, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                qtbot) -> None:
    assert not screen.recent_list.isVisibleTo(screen) and screen.empty_label.isVisibleTo(screen)
    real = tmp_path / "real.ccdb"
    Project.create(real).close()
    QSettings().setValue("recent_projects", [str(real), str(tmp_path / "gone.ccdb")])
    screen.refresh_recent()
    assert screen.recent_list.count() == 2 and screen.recent_list.isVisibleTo(screen)
    assert "not found" in screen.recent_list.item(1).text()
    assert not screen.recent_list.item(1).flags() & Qt.ItemFlag.ItemIsEnabled
    screen.show()
    screen.recent_list.setFocus()
    with qtbot.waitSignal(screen.project_chosen) as blocker:
        qtbot.keyClick(screen.recent_list, Qt.Key.Key_Return)
    assert blocker.args == [str(real)]
    with qtbot.assertNotEmitted(screen.project_chosen):
        screen.recent_list.itemActivated.emit(screen.recent_list.item(1))
