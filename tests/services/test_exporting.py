"""Building an export from the store (runs against SQLite, and PostgreSQL when a URL is given)."""

from __future__ import annotations

from app.core.text import sha256_text
from app.services.exporting import build_export
from app.services.importing import import_paths
from app.services.project import Project
from tests.conftest import ARTICLE, add_texts


def test_export_holds_every_document_and_the_coders_statements(project: Project) -> None:
    first, second = add_texts(project, ARTICLE, "Ceasefire holds 😀 𝄞\n\nThe minister said it holds.")
    alice, bob = project.ensure_coder("alice"), project.ensure_coder("bob")
    doc = project.document(second)
    start = doc.text.index("The minister")
    project.create_statement(second, alice, start, len(doc.text), values={"speaker": "The minister", "stance": "support"})
    project.create_statement(first, bob, 0, 10, values={"stance": "oppose"})
    project.add_entity("Anna Petrova", "person", ["Petrova"])
    project.set_status(first, alice, "done")
    export = build_export(project, "alice")
    assert [d.sha256 for d in export.documents] == [sha256_text(project.document(i).text) for i in (first, second)]
    assert [d.status for d in export.documents] == ["done", "in_progress"]
    (st,) = export.statements
    assert st.text == "The minister said it holds." and st.values == {"speaker": "The minister", "stance": "support"}
    assert export.entities[0].aliases == ["Petrova"]
    assert export.codebook == project.codebook


def test_import_then_export_a_new_coder(project: Project, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    summary = import_paths(project, [tmp_path / "a.txt", tmp_path / "copy.txt"])
    assert (summary.imported, summary.duplicates) == (1, 1)
    export = build_export(project, "carol")
    assert export.statements == [] and len(export.documents) == 1
    assert project.coder("carol") is not None
