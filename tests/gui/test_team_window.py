"""The window on a team project: File → Open team project…, no password in the settings, and a
server that goes away and comes back while a coder works (needs the test server; see
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.gui import settings
from app.gui.team_dialog import TeamProjectDialog
from app.services.project import Project
from app.store.server import without_password
from tests.conftest import fresh_database
from tests.gui.conftest import make_project
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def team_url() -> Iterator[str]:
    with fresh_database() as url:
        make_project(url).close()
        yield url


def _bare(url: str) -> str:
    return without_password(url)


def _settings_bytes(tmp_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (tmp_path / "settings").rglob("*") if p.is_file())


def test_the_dialog_keeps_the_password_out_of_the_url(qtbot, team_url: str) -> None:  # type: ignore[no-untyped-def]
    dialog = TeamProjectDialog()
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(team_url)  # pasted whole, password included
    dialog._accept()
    assert dialog.url_edit.text() == _bare(team_url)
    assert dialog.password_edit.text() == make_url(team_url).password
    assert dialog.chosen == team_url
    dialog.url_edit.setText("not a url at all")
    dialog.chosen = None
    dialog._accept()
    assert dialog.chosen is None and "not a database URL" in dialog.problem.text()


def test_a_team_project_opens_and_no_password_is_saved(qtbot, team_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.team_dialog as team_dialog
    from app.gui.launch import Launcher

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    launcher = Launcher()
    assert launcher.open_project(team_url, coder_name="alice")
    win = launcher.window
    assert win is not None and win.session.project.name == "Peacekeeping coverage"
    qtbot.addWidget(win)
    assert settings.recent_projects() == [_bare(team_url)]
    assert [a.text() for a in win.recent_menu.actions()] == [_bare(team_url)]
    assert win.actions_by_name["open_team"].text() == "Open &team project…"
    win.close()
    secret = make_url(team_url).password
    assert secret and secret.encode() not in _settings_bytes(tmp_path)
    # Reopened from the recent list: the server wants the password, so the dialog asks for it.
    asked: list[tuple[str, str]] = []

    def ask(parent: object, url: str = "", reason: str = "") -> str:
        asked.append((url, reason))
        return team_url

    monkeypatch.setattr(team_dialog, "ask_team_project", ask)
    assert launcher.open_project(settings.last_project() or "", coder_name="alice")
    assert asked and asked[0][0] == _bare(team_url) and "password" in asked[0][1]
    qtbot.addWidget(launcher.window)
    launcher.window.close()
    assert secret.encode() not in _settings_bytes(tmp_path)


def test_old_mangled_urls_are_dropped_from_the_recent_list(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    QSettings().setValue(settings.RECENT_KEY, ["/home/ana/postgresql+psycopg:/ana:pw@db/study", "/home/ana/s.ccdb"])
    assert settings.recent_projects() == ["/home/ana/s.ccdb"]
    assert b"pw@db" not in str(QSettings().value(settings.RECENT_KEY)).encode()


def test_a_lost_server_is_said_in_words_and_the_window_recovers(qtbot, team_url: str) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    proxy = TcpProxy(team_url).start()
    project = Project.open(proxy.url)
    coder = project.ensure_coder("alice")
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    win.resize(1300, 820)
    win.show()
    qtbot.waitExposed(win)
    win.connection.timer.setInterval(100)
    try:
        assert win.session.create_statement(0, 12) is not None
        assert "Saved" in win.saved_label.text()
        proxy.stop()
        assert win.session.create_statement(20, 30) is None  # not saved, and not shown as saved
        label = win.saved_label.text()
        assert "not reachable" in label and "last saved change" in label and "retrying" in label
        assert len(win.session.statements) == 1
        box = win.connection.box
        assert box is not None and "is not reachable; your last saved change is" in box.text()
        assert "was not saved" in box.informativeText() and "is not reachable" in box.detailedText()
        assert make_url(team_url).password not in box.text() + box.detailedText()
        qtbot.wait(50)
        win.grab().save("/tmp/trust-team-lost.png")
        box.grab().save("/tmp/trust-team-lost-box.png")
        proxy.start()
        qtbot.waitUntil(lambda: "Connected again" in win.saved_label.text(), timeout=10_000)
        assert win.session.create_statement(20, 30) is not None
        assert len(win.session.statements) == 2
    finally:
        win.close()
        proxy.stop()
