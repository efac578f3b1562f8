"""The background task runner: results, progress on the GUI thread, cancel, and error reports."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from app.core.errors import ProjectError
from app.gui import tasks
from app.gui.dialogs import common

pytestmark = pytest.mark.gui


@pytest.fixture
def modals(monkeypatch: pytest.MonkeyPatch) -> list[QDialog | QMessageBox]:
    shown: list[QDialog | QMessageBox] = []
    monkeypatch.setattr(common, "exec_modal", lambda d: shown.append(d) or 0)
    return shown


def test_runs_off_the_gui_thread_and_reports_on_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    seen: list[tuple[int, bool]] = []

    def work(ctx: tasks.TaskContext) -> int:
        for i in range(3):
            ctx.report(i + 1, 3, f"step {i}")
        return threading.get_ident()

    task = tasks.Task(work)
    task.progressed.connect(lambda done, total, label: seen.append((done, threading.get_ident() == gui)))
    with qtbot.waitSignal(task.finished) as blocker:
        task.start()
    result = blocker.args[0]
    assert result.ok and result.value != gui
    assert seen and seen[-1] == (3, True) and all(on_gui for _, on_gui in seen)
    assert not task.running


def test_cancel_flag_and_cancelled_exception(qtbot) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()

    def work(ctx: tasks.TaskContext) -> None:
        started.set()
        while True:
            ctx.check()

    task = tasks.start_task(work)
    started.wait(5)
    task.cancel()
    result = tasks.wait(task)
    assert result.cancelled and not result.ok and result.error is None


def test_user_errors_show_their_message(modals: list) -> None:
    def work(ctx: tasks.TaskContext) -> None:
        raise ProjectError("study.ccdb: permission denied")

    result = tasks.run_with_progress(None, work, title="Export", label="Writing…")
    assert isinstance(result.error, ProjectError)
    box = modals[-1]
    assert box.icon() == QMessageBox.Icon.Warning and box.text() == "study.ccdb: permission denied"
    assert not box.detailedText()


def test_bugs_are_reported_with_details(modals: list) -> None:
    def work(ctx: tasks.TaskContext) -> None:
        {}["missing"]

    result = tasks.run_with_progress(None, work, title="Import", label="Importing…")
    assert isinstance(result.error, KeyError)
    box = modals[-1]
    assert box.icon() == QMessageBox.Icon.Critical
    assert "KeyError" in box.text() and "Traceback" in box.detailedText()


def test_errors_can_be_left_to_the_caller(modals: list) -> None:
    result = tasks.run_with_progress(None, lambda ctx: 1 / 0, title="x", label="y", report_errors=False)
    assert isinstance(result.error, ZeroDivisionError) and not modals


def test_progress_dialog_follows_the_task(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = tasks.ProgressDialog(None, title="Import", label="Importing articles…")
    qtbot.addWidget(dialog)
    dialog.update_progress(3, 10, "/some/long/path/" + "x" * 100 + "/article.txt")
    assert dialog.maximum() == 10 and dialog.value() == 3
    assert "Importing articles…" in dialog.labelText() and "…" in dialog.labelText().splitlines()[1]
    assert dialog.labelText().endswith("article.txt")
    cancelled: list[bool] = []
    dialog.canceled.connect(lambda: cancelled.append(True))
    dialog.findChild(QPushButton).click()  # the Cancel button
    assert cancelled and dialog.wasCanceled()
    dialog.update_progress(5, 10, "later")  # progress after a cancel is ignored
    assert dialog.value() != 5


def test_a_second_foreground_task_waits_its_turn(modals: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "_foreground", ["Import articles"])
    ran: list[bool] = []
    result = tasks.run_with_progress(None, lambda ctx: ran.append(True), title="Export", label="…")
    assert result.cancelled and not ran
    assert "“Import articles” is still running" in modals[-1].text()


def test_the_foreground_slot_is_freed_even_after_an_error(modals: list) -> None:
    tasks.run_with_progress(None, lambda ctx: 1 / 0, title="x", label="y")
    assert tasks.run_with_progress(None, lambda ctx: 7, title="x", label="y").value == 7
