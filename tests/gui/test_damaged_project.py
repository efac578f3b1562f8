"""The window on a damaged project or read-only media: it opens read-only and says why — at once,
or when a large file's background quick check ends."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.store import file_access
from tests.gui.conftest import make_project


def _damage(path: Path) -> None:
    con = sqlite3.connect(path)
    root, = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_coder_last_document_id'").fetchone()
    page_size, = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size + 3:(root - 1) * page_size + 5] = b"\x7f\xff"
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("large", [False, True])
def test_a_damaged_project_opens_read_only_with_a_message(tmp_path: Path, qtbot, monkeypatch,
                                                          large: bool) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch

    path = tmp_path / "study.ccdb"
    make_project(path).close()
    _damage(path)
    if large:
        monkeypatch.setattr(file_access, "SYNC_CHECK_BYTES", 0)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append("critical: " + text))
    launcher = launch.Launcher()
    assert launcher.open_project(path, "alice"), shown
    window = launcher.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "quick check" in shown[0] and "export" in shown[0]
    assert window.session.project.read_only
    assert "(read-only)" in window.windowTitle()
    window.grab().save(str(tmp_path / "shot.png"))
    window.close()


def test_read_only_media_says_so(tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch

    path = tmp_path / "study.ccdb"
    make_project(path).close()
    monkeypatch.setattr(file_access, "writable", lambda path: False)  # as on a CD
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    launcher = launch.Launcher()
    assert launcher.open_project(path, "alice")
    qtbot.addWidget(launcher.window)
    assert shown == ["study.ccdb: its folder is read-only, so it is open read-only"]
    assert "(read-only)" in launcher.window.windowTitle()
    launcher.window.close()
