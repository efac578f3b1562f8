"""Candidate statements in the window: off by default and in the reliability sample; F7, Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import make_project
from tests.gui.test_coding import press, stored

TEXT = ("Putin said that the mission was still needed. The weather was fine. "
        "\"We will not leave the region alone,\" Pashinyan told reporters.")


def window_on(qtbot, tmp_path: Path, *, candidates: bool, sample: bool = False):  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project = make_project(tmp_path / "cand.ccdb", [("Candidates", TEXT)])
    if candidates:
        project.set_setting("candidates", True)
    if sample:
        project.set_setting("reliability_sample", [project.document_summaries()[0].id])
    win = MainWindow(project, project.ensure_coder("alice"))
    qtbot.addWidget(win)
    win.resize(1300, 820)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.article.view.setFocus()
    return win


def test_candidates_are_off_unless_the_project_turns_them_on(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=False)
    assert win.candidates.candidates == []
    press(win, qtbot, Qt.Key.Key_F7)
    assert "switched off" in win.statusBar().currentMessage()


def test_no_candidates_in_the_reliability_sample(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True, sample=True)
    assert win.candidates.candidates == []
    press(win, qtbot, Qt.Key.Key_F7)
    assert "reliability sample" in win.statusBar().currentMessage()


def test_f7_enter_codes_a_candidate_with_the_suggested_speaker_in_four_keys(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True)
    keys = [Qt.Key.Key_F7, Qt.Key.Key_Return, "3", "e"]
    for key in keys:
        press(win, qtbot, key)
    (st,) = stored(win)
    text = win.session.document.text
    assert text[st.start : st.end] == "the mission was still needed"
    assert st.values == {"speaker": "Vladimir Putin", "stance": "support", "claim_type": "evaluation"}
    assert st.origin == "candidate"  # the suggestion is not confirmed yet
    assert "Speaker suggested" in win.panel.missing.text()
    assert win.panel.entity_editor("speaker").edit.font().italic()
    win.panel.focus_first("speaker")
    press(win, qtbot, Qt.Key.Key_Return)  # confirm it unchanged
    assert stored(win)[0].origin == "candidate-accepted"
    assert "suggested" not in win.panel.missing.text()
    assert not win.panel.entity_editor("speaker").edit.font().italic()


def test_the_next_candidate_is_the_quotation_and_a_replaced_speaker_is_recorded(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True)
    press(win, qtbot, Qt.Key.Key_F7)
    press(win, qtbot, Qt.Key.Key_Return)
    win.article.view.setFocus()
    press(win, qtbot, Qt.Key.Key_F7)  # the first one is coded: the next open candidate
    start, end = win.span_keys._current()
    assert win.article.view.text[start:end] == "\"We will not leave the region alone,\""
    press(win, qtbot, Qt.Key.Key_Return)
    assert win.session.current.values["speaker"] == "Nikol Pashinyan"
    win.panel.focus_first("speaker")
    editor = win.panel.entity_editor("speaker")
    editor.edit.selectAll()
    press(win, qtbot, "EU")
    press(win, qtbot, Qt.Key.Key_Return)
    second = max(stored(win), key=lambda s: s.start)
    assert (second.values["speaker"], second.origin) == ("European Union", "candidate-changed")
    press(win, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert max(stored(win), key=lambda s: s.start).origin == "candidate"  # undo restores the origin too
