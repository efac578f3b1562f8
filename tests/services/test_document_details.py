"""Document details: corrected titles, strict dates, and deletes that undo exactly."""

from __future__ import annotations

import pytest

from app.core.errors import ProjectError
from app.services.project import Project
from tests.conftest import add_texts


def test_edit_details_and_undo(project: Project) -> None:
    [doc] = add_texts(project, "Add news\n\nThe president spoke.")
    edit = project.documents.edit(doc, title="  Peacekeepers   to stay ", source="Wire", published="13 October 2023",
                                  url="https://news.example/a", metadata={"section": "World"})
    after = project.document(doc)
    assert (after.title, after.source, after.published, after.url, after.metadata) == (
        "Peacekeepers to stay", "Wire", "2023-10-13", "https://news.example/a", {"section": "World"})
    assert edit.changed == ["title", "source", "published", "url", "metadata"]
    project.documents.restore_details(edit)
    assert project.document(doc).title == "Article 1" and project.document(doc).url is None
    assert project.document(doc).text == "Add news\n\nThe president spoke."


@pytest.mark.parametrize(("value", "message"), [("13/10", "is not a date"), ("2023-13", "is not a date"),
                                                ("news.example/a", "is not a web address")])
def test_bad_dates_and_urls_are_refused(project: Project, value: str, message: str) -> None:
    [doc] = add_texts(project, "Text.")
    field = "url" if "example" in value else "published"
    with pytest.raises(ProjectError, match=message):
        project.documents.edit(doc, **{field: value})


def test_partial_dates_are_kept(project: Project) -> None:
    [doc] = add_texts(project, "Text.")
    project.documents.edit(doc, published="2023-10")
    assert project.document(doc).published == "2023-10"


def test_delete_with_every_coders_statements_and_restore(project: Project) -> None:
    first, second = add_texts(project, "One text here.", "Another text here.")
    ana, ben = project.ensure_coder("ana"), project.ensure_coder("ben")
    a = project.create_statement(first, ana, 0, 3, values={"stance": "support"})
    project.create_statement(first, ben, 4, 8)
    project.set_status(first, ana, "done")
    gone = project.documents.delete(first)
    assert project.document_count() == 1 and project.statement_count() == 0
    assert len(gone.statements) == 2
    project.documents.restore(gone)
    assert [s.id for s in project.document_summaries()] == [first, second]
    assert project.statement(a.id) == a
    assert project.status_map(ana) == {first: "done"}
    assert project.documents.find("1").id == first and project.documents.find(first[:8]).id == first
