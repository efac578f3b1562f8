"""A project another program is writing: the coder is told who, and can read it or take over."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.lock import LockHolder, lock_path
from tests.gui.conftest import make_project


def _locked_by_another_program(tmp_path: Path) -> Path:
    path = tmp_path / "shared.ccdb"
    project = make_project(path)
    project.close()
    holder = dataclasses.replace(LockHolder.current(), pid=os.getppid(), user="bob")  # alive, not us
    lock_path(path).write_text(json.dumps(dataclasses.asdict(holder)), encoding="utf-8")
    return path


@pytest.mark.parametrize("choice, read_only", [("Open read-only", True), ("Take over", False)])
def test_locked_project_offers_read_only_or_take_over(tmp_path: Path, qtbot, monkeypatch, choice: str,
                                                      read_only: bool) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch

    path = _locked_by_another_program(tmp_path)
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        for button in box.buttons():
            if button.text() == choice:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    launcher = launch.Launcher()
    assert launcher.open_project(path, "alice")
    qtbot.addWidget(launcher.window)
    assert "open in claimcoder by bob" in shown[0]
    assert launcher.window.session.project.read_only is read_only
    assert ("(read-only)" in launcher.window.windowTitle()) is read_only
    launcher.window.close()
