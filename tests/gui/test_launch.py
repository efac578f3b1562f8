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


def test_the_window_paints_from_a_first_look_and_the_store_attaches_after(tmp_path: Path, qtbot, monkeypatch) -> None:
    """The coding window comes up before the store: the article and its statements from a first
    look at the file, the list of all the coder's statements empty and not asked for; once the
    store is attached (after the first paint) that list fills, and the window codes as ever."""
    import app.gui.launch as launch
    from app.services.demo import create_demo_project

    path = create_demo_project(tmp_path / "demo")
    monkeypatch.setattr(launch, "ask_coder", lambda names, name, parent: "demo")
    launcher = launch.Launcher()
    assert launcher.open_project(path)
    window = launcher.window
    assert window is not None
    qtbot.addWidget(window)
    project, model = window.session.project, window.statements.all_model
    assert project.opening  # painted from the first look
    assert window.session.document is not None and window.article.view.toPlainText()
    assert window.session.statements  # the demo coder's statements in this article
    assert not model.canFetchMore() and model.rowCount() == 0
    qtbot.waitUntil(lambda: not project.opening, timeout=15000)
    assert model.canFetchMore()
    window.statements.setCurrentIndex(1)  # the coder looks at "All my statements"
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=15000)
    assert model.rowCount() == project.statement_count(window.session.coder)  # the demo's few, all loaded
    doc = window.session.document
    made = project.create_statement(doc.id, window.session.coder, 0, 10)
    assert project.statement(made.id) == made
    window.close()
    from app.services.lock import lock_path

    assert not lock_path(path).exists()
