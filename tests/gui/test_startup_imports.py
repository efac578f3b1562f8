"""The launcher paints its start screen before it imports anything that reads a project.

SQLAlchemy, alembic, the pydantic models and the main window take most of the start-up (see
``python -X importtime -m app``); the first window must not wait for them. The frozen bundle's
smoke test measures the same thing (``startup: first window painted``, packaging/ci_bundle.sh).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel

from app.gui.smoke import HEAVY_MODULES

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.gui

# A fresh interpreter, as `claimcoder` starts: the entry point, the launcher, the start screen
# shown and painted; then which of the heavy modules are loaded.
_PROBE = """
import json, sys
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
import app.main
from app.gui.launch import Launcher
app_ = QApplication([])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])
launcher = Launcher()
launcher.show_start()
launcher.start.grab()  # paints it
heavy = sys.argv[2].split(",")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def test_the_start_screen_paints_before_the_store_and_models_are_imported(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path / "settings"), ",".join(HEAVY_MODULES)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_start_screen_names_the_filter_the_new_project_dialog_uses() -> None:
    from app.gui import start_screen
    from app.gui.dialogs import new_project

    assert start_screen.PROJECT_FILTER == new_project.PROJECT_FILTER


def test_opening_a_project_says_so_and_holds_the_buttons(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui.start_screen import StartScreen

    screen = StartScreen()
    qtbot.addWidget(screen)
    screen.opening("/data/studies/peace.ccdb")
    assert screen.status_label.text() == "Opening peace.ccdb…"
    assert not screen.status_label.isHidden()
    assert not screen.open_button.isEnabled() and not screen.demo_button.isEnabled()
    screen.opening("postgresql://ana:secret@db.example.org/peace")
    assert "secret" not in screen.status_label.text() and "db.example.org/peace" in screen.status_label.text()
    screen.opened()
    assert screen.status_label.isHidden()
    assert screen.open_button.isEnabled() and screen.new_button.isEnabled() and screen.recent_list.isEnabled()


def test_after_first_paint_runs_once_and_only_after_a_paint(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui.launch import after_first_paint

    label = QLabel("first paint")
    qtbot.addWidget(label)
    paints: list[int] = []

    class Count(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.append(1)
            return False

    counter = Count()
    label.installEventFilter(counter)
    calls: list[int] = []
    after_first_paint(label, lambda: calls.append(len(paints)))
    QApplication.processEvents()
    assert calls == []  # not shown, not painted: not yet
    label.show()
    qtbot.waitUntil(lambda: calls != [], timeout=5000)
    label.repaint()
    QApplication.processEvents()
    assert len(calls) == 1 and calls[0] >= 1


def test_launch_shows_the_start_screen_then_the_project(tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.gui.launch as launch
    from app.gui.main_window import MainWindow
    from app.gui.start_screen import StartScreen
    from tests.gui.conftest import make_project

    make_project(tmp_path / "study.ccdb").close()
    monkeypatch.setattr(launch, "setup_logging", lambda: None)
    monkeypatch.setattr(launch, "install_excepthook", lambda: None)
    monkeypatch.setattr(launch, "ask_coder", lambda names, name, parent: "carol")
    seen: dict[str, object] = {}

    def exec_() -> int:  # the event loop, until the main window is up
        screens = [w for w in QApplication.topLevelWidgets() if isinstance(w, StartScreen) and w.isVisible()]
        seen["screen first"] = len(screens) == 1 and not any(
            isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())
        seen["status"] = screens[0].status_label.text() if screens else ""
        qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()),
                        timeout=15000)
        seen["screen closed"] = not any(isinstance(w, StartScreen) and w.isVisible() for w in QApplication.topLevelWidgets())
        return 0

    app = QApplication.instance()
    monkeypatch.setattr(app, "exec", exec_)
    ns = argparse.Namespace(command="gui", project=str(tmp_path / "study.ccdb"), coder=None, smoke_test=False)
    assert launch.launch(ns) == 0
    assert seen == {"screen first": True, "status": "Opening study.ccdb…", "screen closed": True}
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()


def _launch(args: list[str], settings_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(settings_dir),
           "CLAIMCODER_STARTUP_PROBE": "1", "CLAIMCODER_T0": ""}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_the_startup_probe_times_a_users_launch_on_a_project_to_its_first_article(tmp_path: Path) -> None:
    """What packaging/ci_bundle.sh times: `claimcoder PROJECT.ccdb` on an existing project, the
    start screen first, then the coding window painted with the article the coder was on."""
    import re

    from app.services.demo import create_demo_project
    from app.services.project import Project

    path = create_demo_project(tmp_path / "demo")
    with Project.open(path) as project:
        titles = {s.title for s in project.document_summaries()}
    first = _launch(["gui", "--coder", "demo", str(path)], tmp_path / "settings", tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    again = _launch([str(path)], tmp_path / "settings", tmp_path)  # the coder is remembered now
    assert again.returncode == 0, again.stdout + again.stderr
    line = again.stdout.strip().splitlines()[-1]
    found = re.fullmatch(r"startup: coding window painted ([0-9.]+) s after launch \(CPU ([0-9.]+) s\), "
                         r"with its article '(.*)' \(([0-9,]+) characters\); "
                         r"store attached ([0-9.]+) s after launch \(CPU ([0-9.]+) s\), "
                         r"the window answering within ([0-9]+) ms meanwhile", line)
    assert found, line
    wall, cpu, ready, ready_cpu = float(found[1]), float(found[2]), float(found[5]), float(found[6])
    assert 0 < wall <= ready < 120 and 0 < cpu <= ready_cpu < 120
    assert found[3] in titles
    from app.services.lock import lock_path

    assert not lock_path(path).exists()  # closed as a user closes it: the lock released


@pytest.mark.parametrize("args", [[], ["gui"], ["gui", "study.ccdb"], ["gui", "gui"], ["study.ccdb"]])
def test_a_desktop_launch_is_parsed_as_the_command_line_parses_it(args: list[str]) -> None:
    from app.cli import build_parser
    from app.main import open_file_arguments, plain_gui_launch

    args = open_file_arguments(args)
    plain = plain_gui_launch(args)
    assert plain is not None
    assert vars(plain) == vars(build_parser().parse_args(args))


@pytest.mark.parametrize("args", [["gui", "--coder", "ana", "s.ccdb"], ["gui", "-h"], ["gui", "a", "b"], ["demo"],
                                  ["--smoke-test"], ["info", "s.ccdb"], ["s.ccdb", "t.ccdb"]])
def test_everything_else_goes_through_the_parser(args: list[str]) -> None:
    from app.main import open_file_arguments, plain_gui_launch

    assert plain_gui_launch(open_file_arguments(args)) is None


def test_opening_a_project_file_does_not_import_the_command_line(tmp_path: Path) -> None:
    probe = ("import json, sys, app.main\n"
             "app.main._gui = lambda ns: print(json.dumps(vars(ns))) or 0\n"
             "app.main.main(sys.argv[1:])\n"
             "print(json.dumps(sorted(m for m in sys.modules if m == 'app.cli' or m.startswith('app.cli.'))))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe, "study.ccdb"], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120, check=True).stdout.strip().splitlines()
    assert json.loads(out[0]) == {"smoke_test": False, "command": "gui", "project": "study.ccdb", "coder": None}
    assert json.loads(out[1]) == []


@pytest.mark.parametrize("loaded, failure", [
    # A build that lost app.store.revisions or schema_head would open the project through alembic,
    # only slower.
    ("alembic.command", "alembic was imported to open a project whose schema is current"),
    # The coding window of a current project paints from a first look at the file, before
    # SQLAlchemy is imported (about half a second); a module that imports it on the way to the
    # window would undo that.
    ("sqlalchemy.orm", "the store (SQLAlchemy) was imported before the coding window's first paint"),
])
def test_the_startup_probe_fails_a_launch_that_loaded_what_a_current_project_does_not_need(
        tmp_path: Path, loaded: str, failure: str) -> None:
    """The bundle check's launches fail instead of measuring a slower way to the window."""
    from app.services.demo import create_demo_project
    from app.services.lock import lock_path

    path = create_demo_project(tmp_path / "demo")
    settings_dir = tmp_path / "settings"
    assert _launch(["gui", "--coder", "demo", str(path)], settings_dir, tmp_path).returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(settings_dir),
           "CLAIMCODER_STARTUP_PROBE": "1"}
    code = f"import {loaded}, sys\nfrom app.main import main\nraise SystemExit(main(sys.argv[1:]))\n"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"startup: FAILED: {failure}" in out.stdout
    assert not lock_path(path).exists()
