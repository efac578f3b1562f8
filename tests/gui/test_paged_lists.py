"""The document list and "all my statements" at project scale come a page at a time: the window
paints with the first page, the rest follows; filters, counts and navigation still see every
article. Small pages here (a few rows) stand in for the 200 and 500 of a 100,000-article project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.gui.session import CodingSession
from tests.gui.conftest import make_project

# 11 articles: titles "Article 0" … "Article 10"; every third one mentions a ceasefire.
MANY = [(f"Article {i}", f"Report number {i}. " + ("The ceasefire held." if i % 3 == 0 else "Talks went on."))
        for i in range(11)]


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CodingSession, "FIRST_PAGE", 3)
    monkeypatch.setattr(CodingSession, "PAGE", 4)


@pytest.fixture
def many(tmp_path: Path):  # type: ignore[no-untyped-def]
    project = make_project(tmp_path / "many.ccdb", MANY)
    coder = project.ensure_coder("alice")
    docs = project.document_summaries()
    for i in (1, 5, 9):  # done: one on the first page, two beyond it
        project.set_status(docs[i].id, coder, "done")
    project.set_status(docs[7].id, coder, "skipped")
    yield project, coder
    project.close()


def test_the_session_starts_with_the_first_page_and_fetches_the_rest(small_pages, many, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, coder = many
    session = CodingSession(project, coder)
    assert [s.title for s in session.summaries] == ["Article 0", "Article 1", "Article 2"]
    assert not session.complete and session.document_total == 11
    assert session.done_count() == 3  # counted in the project while the list is incomplete
    added: list[tuple[int, int]] = []
    session.summaries_added.connect(lambda first, rows: added.append((first, len(rows))))
    qtbot.waitUntil(lambda: session.complete, timeout=3000)
    assert added == [(3, 4), (7, 4)]  # 3 + 4 + 4 = 11 rows, none twice
    assert session.summaries == project.document_summaries(coder)
    assert session.done_count() == 3
    assert session.statuses[session.summaries[7].id] == "skipped"


def test_navigation_fetches_what_it_needs(small_pages, many) -> None:  # type: ignore[no-untyped-def]
    project, coder = many
    docs = project.document_summaries()
    project.remember_position(coder, docs[2].id)  # the last row of the first page
    session = CodingSession(project, coder)  # no event loop runs here: the timer never fires
    session.open_initial()
    assert session.document.id == docs[2].id
    assert session.neighbour(1) == docs[3].id  # beyond the first page: fetched on demand
    session.open_document(docs[9].id)  # not in the list yet either
    assert session.neighbour(1) == docs[10].id
    assert session.next_unfinished() == docs[10].id  # 9 is done; the list is complete now
    assert session.complete and len(session.summaries) == 11


def test_the_last_article_is_reopened_though_its_row_is_not_fetched_yet(small_pages, many, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = many
    docs = project.document_summaries()
    project.remember_position(coder, docs[8].id)
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    assert win.session.document.id == docs[8].id
    assert win.session.row_of(docs[8].id) is None  # painted before its list row is there
    win.show()
    qtbot.waitUntil(lambda: win.session.complete, timeout=3000)
    assert win.doc_model.rowCount() == 11
    selected = win.doc_list.view.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["Article 8"]  # selected once its row arrived


def test_filters_and_progress_see_every_article_while_the_list_is_paged(small_pages, many, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = many
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    assert win.doc_model.rowCount() == 3 and not win.session.complete
    assert win.progress.text() == "3 of 11 done"  # articles 1, 5, 9
    panel = win.doc_list
    panel.filter.setText("Article 1")  # matches "Article 1" and "Article 10", the last one
    assert win.session.complete  # a filter needs every row: fetched at once
    shown = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert shown == ["Article 1", "Article 10"]
    panel.filter.clear()
    panel.status.setCurrentIndex(panel.status.findData("done"))
    shown = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert shown == ["Article 1", "Article 5", "Article 9"]
    win.session.open_document(project.document_summaries()[10].id)
    win.mark("done")
    assert win.progress.text() == "4 of 11 done"
    assert panel.proxy.rowCount() == 4


def test_progress_while_paged_counts_a_status_set_before_the_row_arrived(small_pages, many, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui.main_window import MainWindow

    project, coder = many
    win = MainWindow(project, coder)
    qtbot.addWidget(win)
    win.session.open_document(project.document_summaries()[6].id)  # beyond the first page
    win.mark("done")
    assert win.progress.text() == "4 of 11 done"
    qtbot.waitUntil(lambda: win.session.complete, timeout=3000)
    assert win.progress.text() == "4 of 11 done"
    row = win.session.row_of(project.document_summaries()[6].id)
    assert win.doc_model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole) == "done"


def test_all_my_statements_counts_in_the_background_and_finds_a_rare_word(many, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.gui import project_statements

    project, coder = many
    monkeypatch.setattr(project_statements, "SCAN_DOCUMENTS", 2)  # a page looks at 2 articles at most
    monkeypatch.setattr(project_statements, "COUNT_DOCUMENTS", 3)  # the count: 3 articles a step
    docs = project.document_summaries()
    for doc in docs:
        text = project.document(doc.id).text
        project.create_statement(doc.id, coder, 0, len(text))  # 11 statements, one per article
    model = project_statements.ProjectStatementsModel(project, coder)
    assert model.total is None and model.total_text() == "…"
    model.fetchMore()
    assert model.rowCount() == 2  # two articles looked at; short of a page, the timer goes on
    qtbot.waitUntil(lambda: model.rowCount() == 11 and not model.canFetchMore(), timeout=3000)
    qtbot.waitUntil(lambda: model.total == 11, timeout=3000)
    model.set_filter("ceasefire")  # in articles 0, 3, 6, 9
    assert model.total is None and model.rowCount() == 0
    model.fetchMore()
    assert model.rowCount() == 1  # articles 0 and 1 looked at; the timer looks further
    assert model.total_text() in ("1+", "4")
    qtbot.waitUntil(lambda: model.rowCount() == 4 and not model.canFetchMore(), timeout=3000)
    qtbot.waitUntil(lambda: model.total == 4, timeout=3000)
    assert [model.index(r, 0).data() for r in range(4)] == ["Article 0", "Article 3", "Article 6", "Article 9"]
    model.set_filter("article 10")  # the title of the last one only
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.total == 1, timeout=3000)
    assert model.index(0, 0).data() == "Article 10"
    model.cancel()


def test_the_done_count_is_asked_again_only_after_a_status_changed(small_pages, many, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, coder = many
    session = CodingSession(project, coder)
    asked: list[int] = []
    real = project.status_count
    project.status_count = lambda c, st: asked.append(1) or real(c, st)  # type: ignore[method-assign]
    session.open_document(project.document_summaries()[8].id)  # beyond the first page
    assert session.done_count() == 3 and len(asked) == 1
    text = session.document.text
    session.create_statement(0, len(text))  # committing statements leaves the count alone
    session.create_statement(0, 6)
    assert session.done_count() == 3 and len(asked) == 1
    session.set_status("done")
    assert session.done_count() == 4 and len(asked) == 2
    session.undo_stack.undo()
    assert session.done_count() == 3 and len(asked) == 3


def test_a_new_search_text_stops_the_count_of_the_old_one(many, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from app.gui import project_statements

    project, coder = many
    monkeypatch.setattr(project_statements, "COUNT_DOCUMENTS", 1)  # one article a step: 11 steps
    for doc in project.document_summaries():
        project.create_statement(doc.id, coder, 0, len(project.document(doc.id).text))
    gate, steps = threading.Event(), {"ceasefire": 0, "article 10": 0}
    real = project.statement_match_count_in

    def step(c, start, documents, contains):  # type: ignore[no-untyped-def]
        steps[contains] += 1
        if contains == "ceasefire":
            assert gate.wait(5)
        return real(c, start, documents, contains)

    monkeypatch.setattr(project, "statement_match_count_in", step)
    model = project_statements.ProjectStatementsModel(project, coder)
    model.set_filter("ceasefire")
    model.fetchMore()  # starts the count, which waits at its first step
    qtbot.waitUntil(lambda: steps["ceasefire"] == 1, timeout=3000)
    model.set_filter("article 10")
    model.fetchMore()
    qtbot.waitUntil(lambda: model.total == 1, timeout=3000)  # the new search's total: 1 match
    gate.set()  # the old count finishes its step, sees it was stopped, and reports nothing
    qtbot.wait(200)
    assert steps["ceasefire"] == 1 and model.total == 1  # not 11 steps: stopped after the first
    model.cancel()


def test_a_page_that_cannot_be_fetched_is_tried_again(small_pages, many, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.core.errors import ServerUnreachable

    project, coder = many
    session = CodingSession(project, coder)
    real = project.document_summaries
    down = {"on": True, "tries": 0}

    def summaries(*args, **kwargs):  # type: ignore[no-untyped-def]
        if down["on"]:
            down["tries"] += 1
            raise ServerUnreachable("the server at db:5432 is not reachable")
        return real(*args, **kwargs)

    monkeypatch.setattr(project, "document_summaries", summaries)
    session.open_document(real()[2].id)
    assert session.neighbour(1) is None  # cannot be fetched now: no next article, no exception
    qtbot.waitUntil(lambda: down["tries"] >= 2, timeout=5000)  # the timer tries again, a second apart
    assert not session.complete and len(session.summaries) == 3
    down["on"] = False
    qtbot.waitUntil(lambda: session.complete, timeout=5000)
    assert [s.id for s in session.summaries] == [s.id for s in real()]
    assert session.neighbour(1) == real()[3].id
