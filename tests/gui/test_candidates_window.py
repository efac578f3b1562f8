"""Candidate statements in the window: off by default and in the reliability sample; F7, Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import make_project
from tests.gui.test_coding import press, select_text, stored

TEXT = ("Putin said that the mission was still needed. The weather was fine. "
        "\"We will not leave the region alone,\" Pashinyan told reporters.")


def window_on(qtbot, tmp_path: Path, *, candidates: bool, sample: bool = False,  # type: ignore[no-untyped-def]
              text: str = TEXT):
    from app.gui.main_window import MainWindow

    project = make_project(tmp_path / "cand.ccdb", [("Candidates", text)])
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


# -- the suggestion follows the selection, however it was made ----------------------------------

ALT = Qt.KeyboardModifier.AltModifier
REPORTED = ("Pashinyan demanded that the government present a timetable for the talks. The weather was fine. "
            "\"We will not leave the region alone,\" Putin told reporters.")


def test_f7_then_alt_s_keeps_the_suggested_speaker_for_the_whole_sentence(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True, text=REPORTED)
    press(win, qtbot, Qt.Key.Key_F7)  # the reported speech after "demanded that"
    start, end = win.span_keys._current()
    assert REPORTED[start:end] == "the government present a timetable for the talks"
    for key in (Qt.Key.Key_S, "3", "e"):
        press(win, qtbot, key, ALT if key == Qt.Key.Key_S else Qt.KeyboardModifier.NoModifier)
    (st,) = stored(win)
    assert REPORTED[st.start : st.end] == "Pashinyan demanded that the government present a timetable for the talks."
    assert st.values == {"speaker": "Nikol Pashinyan", "stance": "support", "claim_type": "evaluation"}
    assert st.origin == "candidate"


def test_alt_pgdown_over_a_quotation_gets_the_suggested_speaker(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True, text=REPORTED)
    for key in (Qt.Key.Key_PageDown, "1", "x"):
        press(win, qtbot, key, ALT if key == Qt.Key.Key_PageDown else Qt.KeyboardModifier.NoModifier)
    (st,) = stored(win)
    assert REPORTED[st.start : st.end] == "\"We will not leave the region alone,\""
    assert (st.values["speaker"], st.origin) == ("Vladimir Putin", "candidate")


def test_a_hand_made_selection_inside_a_candidate_gets_its_speaker_and_one_outside_none(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=True, text=REPORTED)
    select_text(win, "leave the region alone")  # part of the quotation, marks left out
    assert win.candidates.preview(*win.article.view.selection_span()) == ("candidate", {"speaker": "Vladimir Putin"})
    assert "suggested speaker Vladimir Putin (from a candidate quotation)" in win.statusBar().currentMessage()
    press(win, qtbot, Qt.Key.Key_Return)
    assert (stored(win)[0].values, stored(win)[0].origin) == ({"speaker": "Vladimir Putin"}, "candidate")
    win.article.view.setFocus()
    select_text(win, "The weather was fine.")
    assert "suggested speaker" not in win.statusBar().currentMessage()  # the hint went with its selection
    press(win, qtbot, Qt.Key.Key_Return)
    plain = next(s for s in stored(win) if REPORTED[s.start : s.end] == "The weather was fine.")
    assert (plain.values, plain.origin) == ({}, "")


def test_without_candidates_no_selection_gets_a_suggestion(qtbot, tmp_path) -> None:
    win = window_on(qtbot, tmp_path, candidates=False, text=REPORTED)
    select_text(win, "leave the region alone")
    assert win.candidates.preview(*win.article.view.selection_span()) == ("", {})


def test_marking_done_warns_while_a_suggested_speaker_is_unconfirmed(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(parent, title, text, *rest):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    win = window_on(qtbot, tmp_path, candidates=True, text=REPORTED)
    for key in (Qt.Key.Key_F7, "3", "e"):  # speaker suggested, stance and claim type given
        press(win, qtbot, key)
    win.article.view.setFocus()
    press(win, qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    status = lambda: win.session.project.status_map(win.session.coder)[win.session.document.id]  # noqa: E731
    assert status() != "done"
    assert len(asked) == 1 and "1 statement(s) still have a suggested speaker" in asked[0]
    assert "required" not in asked[0]  # nothing required is missing
    win.panel.focus_first("speaker")
    press(win, qtbot, Qt.Key.Key_Return)  # confirmed: marking done asks no more
    assert stored(win)[0].origin == "candidate-accepted"
    win.article.view.setFocus()
    press(win, qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert status() == "done" and len(asked) == 1
