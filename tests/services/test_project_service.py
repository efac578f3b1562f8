"""Statements, entities and statuses through the service the CLI and the GUI share."""

from __future__ import annotations

import pytest

from app.core.errors import ProjectError
from app.services.project import Project
from tests.conftest import ARTICLE, add_texts


def test_statement_life_cycle(project: Project) -> None:
    (doc,) = add_texts(project, ARTICLE)
    alice = project.ensure_coder("alice")
    st = project.create_statement(doc, alice, 10, 30, values={"speaker": "The president", "stance": "support"})
    changed = project.set_value(st.id, "claim_type", "evaluation")
    assert changed.values == {"speaker": "The president", "stance": "support", "claim_type": "evaluation"}
    respanned = project.update_statement(st.id, start=13, end=40)
    assert (respanned.start, respanned.end) == (13, 40)
    gone = project.delete_statement(st.id)
    assert project.statements(doc) == []
    project.restore_statement(gone)
    assert project.statements(doc) == [gone]  # undo of a delete brings back the same id and state
    project.replace_statement(st)
    assert project.statement(st.id).values == st.values  # undo of edits


def test_values_are_checked_against_the_codebook(project: Project) -> None:
    (doc,) = add_texts(project, ARTICLE)
    alice = project.ensure_coder("alice")
    with pytest.raises(ProjectError, match="not a category of 'stance'"):
        project.create_statement(doc, alice, 0, 5, values={"stance": "maybe"})
    with pytest.raises(ProjectError, match="unknown variable 'colour'"):
        project.create_statement(doc, alice, 0, 5, values={"colour": "red"})


@pytest.mark.parametrize("start, end", [(5, 5), (-1, 4), (0, 10_000), (8, 3)])
def test_spans_must_cover_text_inside_the_document(project: Project, start: int, end: int) -> None:
    (doc,) = add_texts(project, ARTICLE)
    with pytest.raises(ProjectError, match="must cover some text"):
        project.create_statement(doc, project.ensure_coder("alice"), start, end)


def test_status_and_progress(project: Project) -> None:
    a, b = add_texts(project, ARTICLE, ARTICLE + " second")
    alice = project.ensure_coder("alice")
    assert project.set_status(a, alice, "done") == "not_started"
    assert project.set_status(a, alice, "skipped") == "done"
    project.create_statement(a, alice, 0, 4)
    statuses = {s.id: s.status for s in project.document_summaries(alice)}
    assert statuses == {a: "skipped", b: "not_started"}  # adding a statement never reopens a document
    project.create_statement(b, alice, 0, 4)
    assert {s.id: s.status for s in project.document_summaries(alice)}[b] == "in_progress"
    assert {s.status for s in project.document_summaries(project.ensure_coder("bob"))} == {"not_started"}


def test_entities_with_aliases(project: Project) -> None:
    putin = project.add_entity("Vladimir Putin", "person", ["Putin", "the Russian president", "putin"])
    assert putin.aliases == ("Putin", "the Russian president")
    assert project.resolve_entity("the russian  president") == putin
    with pytest.raises(ProjectError, match="already used by the entity 'Vladimir Putin'"):
        project.add_entity("Putin")
    renamed = project.update_entity(putin, name="Vladimir V. Putin", aliases=["Putin"])
    assert project.resolve_entity("putin") == renamed


def test_coders_are_named_and_unique(project: Project) -> None:
    a = project.ensure_coder("  alice ")
    assert project.ensure_coder("alice") == a
    with pytest.raises(ProjectError):
        project.ensure_coder("   ")


def test_read_only_refuses_changes(tmp_path) -> None:
    path = tmp_path / "r.ccdb"
    with Project.create(path) as proj:
        (doc,) = add_texts(proj, ARTICLE)
        proj.ensure_coder("alice")
    with Project.open(path, read_only=True) as proj:
        with pytest.raises(ProjectError, match="read-only"):
            proj.create_statement(doc, proj.coder("alice"), 0, 3)


def test_finding_statements_by_text_values_or_title(project: Project) -> None:
    a, b = add_texts(project, ARTICLE, "Ceasefire holds\n\nOona Jørgensen said 100% of the aid arrived.")
    alice = project.ensure_coder("alice")
    project.create_statement(a, alice, 0, 12, values={"speaker": "Anna Petrova"})
    doc = project.document(b)
    start = doc.text.index("Oona")
    project.create_statement(b, alice, start, len(doc.text), values={"speaker": "Oona Jørgensen"})
    assert project.statement_match_count(alice, "JØRGENSEN") == 1
    assert [st.values["speaker"] for st, _, _ in project.statement_page(alice, 0, 10, contains="jørgensen")] == ["Oona Jørgensen"]
    assert project.statement_match_count(alice, "100%") == 1  # wildcards are literal
    assert project.statement_match_count(alice, "%") == 1
    assert project.statement_match_count(alice, "peacekeepers") == 1  # the document title
    assert project.statement_match_count(alice, "") == 2


def test_new_and_respanned_statements_are_trimmed(project: Project) -> None:
    text = "He said: 'the member states ' must pay. Then: “we stay” here."
    (doc,) = add_texts(project, text)
    alice = project.ensure_coder("alice")
    at = text.index("the member")
    st = project.create_statement(doc, alice, at, at + len("the member states ' "))  # a dangling mark, a space
    assert text[st.start : st.end] == "the member states"
    q = text.index("“we")
    moved = project.update_statement(st.id, start=q - 1, end=q + len("“we stay” "))
    assert text[moved.start : moved.end] == "“we stay”"
    with pytest.raises(ProjectError, match="only spaces"):
        project.create_statement(doc, alice, q - 1, q + 1)  # a space and an opening mark


def test_a_statement_keeps_its_origin_and_the_export_shows_it_only_when_set(project: Project) -> None:
    import dataclasses

    from app.services.exporting import build_export

    (doc,) = add_texts(project, ARTICLE)
    alice = project.ensure_coder("alice")
    by_hand = project.create_statement(doc, alice, 0, 12)
    suggested = project.create_statement(doc, alice, 13, 40, origin="candidate")
    assert project.statement(suggested.id).origin == "candidate"
    project.replace_statement(dataclasses.replace(suggested, origin="candidate-accepted"))
    assert project.statement(suggested.id).origin == "candidate-accepted"
    rows = {s.id: s for s in build_export(project, "alice").statements}
    assert rows[by_hand.id].origin == "" and rows[suggested.id].origin == "candidate-accepted"
    dumped = build_export(project, "alice").model_dump_json()
    assert dumped.count('"origin"') == 1  # a hand-made statement's export is as before
    with pytest.raises(ProjectError):
        project.create_statement(doc, alice, 0, 5, origin="guessed")
