"""A window to spend hours in: widths, rows, blank lines, dark palette, right-to-left text."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.gui import theme
from tests.gui.conftest import make_project
from tests.gui.test_coding import press, select_text, stored

SHOTS = os.environ.get("CLAIMCODER_SHOTS")  # a folder for screenshots to look at, when set


def shot(win, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        win.grab().save(str(Path(SHOTS) / name))


def open_window(qtbot, project):  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    win = MainWindow(project, project.ensure_coder("alice"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_default_layout_gives_the_article_most_of_the_width_and_the_table_eight_rows(qtbot, coding_project) -> None:
    project, _ = coding_project
    win = open_window(qtbot, project)  # no saved geometry: the default layout at 1400 px
    qtbot.wait(50)
    assert win.width() == 1400
    assert win.article.width() / win.width() >= 0.55
    table = win.statements.table
    rows_visible = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert rows_visible >= 8


def test_long_titles_are_elided_in_the_middle_with_the_full_title_as_tooltip(qtbot, tmp_path) -> None:
    title = "Island states walk out of climate talks over the loss-and-damage fund, citing years of delay"
    project = make_project(tmp_path / "t.ccdb", [(title, "Some text.")])
    win = open_window(qtbot, project)
    view = win.doc_list.view
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert view.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == title
    project.close()


def test_blank_lines_of_non_breaking_spaces_collapse_but_offsets_stay(qtbot, tmp_path) -> None:
    text = "First paragraph.\n\u00a0\u00a0\n\u00a0\nSecond paragraph said so."
    project = make_project(tmp_path / "nbsp.ccdb", [("Blank", text)])
    win = open_window(qtbot, project)
    doc = win.article.view.document()
    layout = doc.documentLayout()
    tops = [layout.blockBoundingRect(doc.findBlockByNumber(n)).top() for n in range(4)]
    text_line, blank_1, blank_2 = tops[1] - tops[0], tops[2] - tops[1], tops[3] - tops[2]
    assert blank_1 < text_line / 4 and blank_2 < text_line / 4
    blocks = [doc.findBlockByNumber(n).text() for n in range(doc.blockCount())]
    assert "\n".join(blocks) == text  # non-breaking spaces kept: only the display changed
    select_text(win, "Second paragraph")
    press(win, qtbot, Qt.Key.Key_Return)
    (st,) = stored(win)
    assert (st.start, text[st.start : st.end]) == (text.index("Second"), "Second paragraph")
    project.close()


def test_the_window_follows_a_dark_colour_scheme(qtbot, coding_project) -> None:
    project, _ = coding_project
    app = QApplication.instance()
    before = app.palette()
    win = open_window(qtbot, project)
    try:
        theme.apply_scheme(app, Qt.ColorScheme.Dark)
        qtbot.wait(20)
        base = win.article.view.palette().color(QPalette.ColorRole.Base)
        assert base.lightness() < 80
        button = next(iter(win.panel.editors["stance"].buttons.values()))
        assert button.palette().color(QPalette.ColorRole.Button).lightness() < 80  # styled rows too
        select_text(win, "Putin said")
        press(win, qtbot, Qt.Key.Key_Return)
        win.article.view.setFocus()
        press(win, qtbot, "3")
        qtbot.wait(100)
        shot(win, "dark.png")
        theme.apply_scheme(app, Qt.ColorScheme.Light)
        qtbot.wait(20)
        assert win.article.view.palette().color(QPalette.ColorRole.Base).lightness() > 200
    finally:
        theme.apply_scheme(app, Qt.ColorScheme.Light)
        app.setPalette(before)


def test_a_right_to_left_article_selects_in_logical_order(qtbot, tmp_path) -> None:
    text = "قال الرئيس إن المهمة لا تزال ضرورية. وأضاف أن القوات ستبقى 😀 حتى الربيع.\nאמר השר כי המשימה עדיין נחוצה."
    project = make_project(tmp_path / "rtl.ccdb", [("الرئيس: المهمة ضرورية", text)])
    win = open_window(qtbot, project)
    assert win.article.title.layoutDirection() == Qt.LayoutDirection.RightToLeft
    view = win.article.view
    at = text.index("أن القوات")
    view.select_span(at, at + len("أن القوات ستبقى 😀 حتى الربيع"))  # code points, past an emoji
    press(win, qtbot, Qt.Key.Key_Return)
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(view.u16.to_utf16(text.index("המשימה")))
    view.setTextCursor(cursor)
    for _ in range(3):  # in a right-to-left line the next word is to the left
        press(win, qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    press(win, qtbot, Qt.Key.Key_Return)
    got = sorted((s.start, text[s.start : s.end]) for s in stored(win))
    assert got == [(text.index("أن القوات"), "أن القوات ستبقى 😀 حتى الربيع"), (text.index("המשימה"), "המשימה עדיין נחוצה")]
    block = win.article.view.document().firstBlock()
    assert block.layout().lineAt(0).naturalTextRect().right() > win.article.view.viewport().width() * 0.6  # set from the right
    qtbot.wait(100)  # let the coding panel's scroll area settle before the picture
    shot(win, "rtl.png")
    project.close()
