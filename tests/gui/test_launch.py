"""Starting the window: the demo, and unexpected errors shown rather than swallowed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path



def test_demo_without_window_prints_its_path(tmp_path: Path, capsys) -> None:
    from app.gui.launch import launch

    ns = argparse.Namespace(command="demo", folder=tmp_path / "demo", no_gui=True, smoke_test=False)
    assert launch(ns) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.suffix == ".ccdb" and path.exists()


def test_demo_opens_in_the_window(tmp_path: Path, qtbot, monkeypatch) -> None:
    import app.gui.launch as launch

    monkeypatch.setattr(launch, "ask_coder", lambda names, name, parent: "carol")
    launcher = launch.Launcher()
    launcher.open_demo(tmp_path / "demo")
    assert launcher.window is not None
    qtbot.addWidget(launcher.window)
    assert launcher.window.session.document is not None
    assert launcher.window.session.project.entities()
    launcher.window.close()


def test_unexpected_errors_are_shown_with_details(qtbot, monkeypatch) -> None:
    from app.gui import errors

    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, title, message, details="": shown.append((message, details)))
    errors.install_excepthook()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = sys.__excepthook__
    assert "boom" in shown[0][0] and "Traceback" in shown[0][1]
