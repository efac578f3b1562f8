"""The coding window paints its first article before it looks for the actors in it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _expected(text: str) -> list[tuple[int, int]]:
    # tests/gui/conftest.py's first article names "Putin" and "Pashinyan" (aliases of two actors)
    # once each, and no other name or alias of the three actors.
    putin, pashinyan = text.index("Putin"), text.index("Pashinyan")
    return [(putin, putin + len("Putin")), (pashinyan, pashinyan + len("Pashinyan"))]


def test_the_actors_are_marked_right_after_the_first_paint(qtbot, coding_project) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = coding_project
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    doc = win.session.document
    assert doc is not None
    assert win.article._last[2] == []  # built and about to paint: no pattern compiled yet
    assert not win.entities.marks_ready(doc.id)
    win.show()
    qtbot.waitUntil(lambda: win.article._last[2] != [], timeout=5000)
    assert win.article._last[2] == _expected(doc.text)
    assert win.entities.marks_ready(doc.id)


def test_a_repaint_before_the_first_paint_marks_them_at_once(qtbot, coding_project) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = coding_project
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    doc = win.session.document
    assert doc is not None
    win._repaint()  # e.g. a statement selected before the window was shown
    assert win.article._last[2] == _expected(doc.text)
