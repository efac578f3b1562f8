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


@pytest.mark.parametrize("choice, read_only", [("Open read-only", True), ("Take over", False)])
def test_a_garbage_lock_is_explained_and_can_be_taken_over(tmp_path: Path, qtbot, monkeypatch, choice: str,
                                                           read_only: bool) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch

    path = tmp_path / "shared.ccdb"
    make_project(path).close()
    lock_path(path).write_bytes(b"\xff\xfe\x00\x9c binary \x00" * 10)  # fresh: not known to be stale
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
    assert "lock file cannot be read" in shown[0]
    assert launcher.window.session.project.read_only is read_only
    launcher.window.close()


def test_an_old_garbage_lock_is_taken_over_without_a_traceback(tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    import app.gui.launch as launch

    path = tmp_path / "shared.ccdb"
    make_project(path).close()
    lock_path(path).write_bytes(b"\xff\xfe\x00\x9c binary \x00" * 10)
    old = time.time() - 60  # left by a program killed while writing it
    os.utime(lock_path(path), (old, old))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    launcher = launch.Launcher()
    assert launcher.open_project(path, "alice")
    qtbot.addWidget(launcher.window)
    assert shown == [] and launcher.window.session.project.read_only is False
    launcher.window.close()
