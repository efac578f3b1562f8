"""Pages of "all my statements" walked from the indexes (``statement_scan``) and the count in
steps (``statement_match_count_in``): the same rows, in the same order, as the one big sorted
query (``statement_page``) and the one big count, however the pages and stretches fall."""

from __future__ import annotations

from app.services.project import Project
from tests.conftest import add_texts

TEXTS = [f"Report {i}. The minister spoke about the ceasefire and aid. Others talked of trade {i}." for i in range(9)]


def _fill(project: Project):  # type: ignore[no-untyped-def]
    docs = add_texts(project, *TEXTS)
    alice, bob = project.ensure_coder("alice"), project.ensure_coder("bob")
    made = 0
    for k, doc in enumerate(docs):
        if k in (2, 3, 6):  # documents without any of alice's statements
            continue
        text = project.document(doc).text
        for j in range(k % 4 + 1):  # 1 to 4 statements each, out of text order
            start = text.index("ceasefire") if j == 1 else text.index("trade") if j == 2 else 7 + 3 * (3 - j)
            end = start + (9 if j == 1 else 5)
            project.create_statement(doc, alice, start, end, values={"speaker": f"Speaker {made}"})
            made += 1
        project.create_statement(doc, bob, 0, 6)  # another coder's: never listed
    return alice


def _all(project: Project, coder, limit: int, documents: int, contains: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    ids: list[str] = []
    cursor: tuple[int, int] | None = (0, 0)
    calls = 0
    while cursor is not None:
        rows, cursor = project.statement_scan(coder, cursor, limit, contains=contains, max_documents=documents)
        assert len(rows) <= limit
        ids.extend(st.id for st, _, _ in rows)
        calls += 1
        assert calls < 100
    return ids


def test_pages_in_any_size_give_the_sorted_list(project: Project) -> None:
    alice = _fill(project)
    expected = [st.id for st, _, _ in project.statement_page(alice, 0, 1000)]
    assert len(expected) == 1 + 2 + 1 + 2 + 4 + 1  # documents 0, 1, 4, 5, 7, 8 (2, 3 and 6 have none)
    for limit in (1, 2, 3, 5, 200):
        for documents in (1, 2, 3, 1000):
            assert _all(project, alice, limit, documents) == expected, (limit, documents)


def test_a_page_carries_title_and_excerpt(project: Project) -> None:
    alice = _fill(project)
    rows, cursor = project.statement_scan(alice, (0, 0), 2)
    assert [(t, e) for _, t, e in rows] == [(t, e) for _, t, e in project.statement_page(alice, 0, 2)]
    assert rows[0][1] == "Article 1"
    assert cursor is not None


def test_a_search_is_paged_and_counted_in_steps(project: Project) -> None:
    alice = _fill(project)
    for needle in ("CEASEFIRE", "speaker 1", "article 8", "%", "nowhere"):
        expected = [st.id for st, _, _ in project.statement_page(alice, 0, 1000, contains=needle)]
        assert _all(project, alice, 2, 2, contains=needle) == expected
        for step in (1, 4, 100):
            total, start = 0, 0
            while start is not None:
                n, start = project.statement_match_count_in(alice, start, step, needle)
                total += n
            assert total == project.statement_match_count(alice, needle) == len(expected)
    # by hand: "ceasefire" is the second statement of documents 1, 5 and 7 (j == 1)
    assert project.statement_match_count(alice, "CEASEFIRE") == 3


def test_a_stretch_without_matches_returns_empty_with_a_cursor(project: Project) -> None:
    alice = _fill(project)
    rows, cursor = project.statement_scan(alice, (0, 0), 10, contains="report 8", max_documents=3)
    assert rows == [] and cursor is not None  # three documents looked at, none matched
    rows, cursor = project.statement_scan(alice, cursor, 10, contains="report 8", max_documents=100)
    assert cursor is None and rows == []  # "Report 8" is in the text, but outside every span
    rows, cursor = project.statement_scan(alice, (0, 0), 10, contains="article 9", max_documents=100)
    assert len(rows) == 1 and cursor is None  # the title of the last document
