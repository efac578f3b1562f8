"""The demo project: bundled articles, entities with aliases, statements found by their quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import ProjectError
from app.services.demo import DEMO_FILE, create_demo_project, demo_resources
from app.services.exporting import build_export
from app.services.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_demo_project(tmp_path_factory.mktemp("demo") / "nested" / "folder")


def test_creates_the_project_file_in_a_new_folder(demo: Path) -> None:
    assert demo.name == DEMO_FILE and demo.is_file()
    with Project.open(demo) as project:
        assert project.integrity_ok()
        assert project.codebook.keys[:3] == ["speaker", "stance", "claim_type"]
        assert 5 <= project.document_count() <= 6


def test_articles_have_titles_sources_dates_and_reasonable_length(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        for summary in project.document_summaries():
            doc = project.document(summary.id)
            assert doc.title and doc.source and doc.published
            assert doc.text.startswith(doc.title)
            assert 1_400 <= len(doc.text) <= 3_200


def test_unicode_survives_including_astral_characters(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        texts = [project.document(s.id).text for s in project.document_summaries()]
    joined = "".join(texts)
    assert "Реката е живот" in joined
    assert any(ord(ch) > 0xFFFF for ch in joined)  # an emoji: two UTF-16 units, one code point


def test_entities_resolve_by_alias(demo: Path) -> None:
    with Project.open(demo, read_only=True) as project:
        varga = project.resolve_entity("the Norvanian president")
        assert varga is not None and varga.name == "Anton Varga"
        assert project.resolve_entity("борис делчев").name == "Boris Delchev"  # type: ignore[union-attr]


def test_demo_statements_cover_their_quotes_and_export_cleanly(demo: Path) -> None:
    manifest = json.loads((demo_resources() / "articles.json").read_text(encoding="utf-8"))
    with Project.open(demo, read_only=True) as project:
        export = build_export(project, "demo")
        names = {e.name for e in project.entities()}
    quotes = {s["quote"] for s in manifest["statements"]}
    assert {s.text for s in export.statements} == quotes
    for st in export.statements:
        assert st.values["speaker"] in names
    assert not export.consistency_problems()
    coded = {st.document_id for st in export.statements}
    assert len(coded) == 2
    statuses = {d.id: d.status for d in export.documents}
    assert sorted(statuses[d] for d in coded) == ["done", "in_progress"]


def test_refuses_to_overwrite_an_existing_demo(demo: Path) -> None:
    with pytest.raises(ProjectError, match="already exists"):
        create_demo_project(demo.parent)
