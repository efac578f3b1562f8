"""Fixtures shared by every test tier. GUI tests set up Qt in tests/gui/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from app.core.domain import NewDocument
from app.core.text import normalize_text, sha256_text
from app.services.project import Project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("full", max_examples=1000, deadline=None)
settings.load_profile("full" if os.environ.get("CLAIMCODER_FUZZ") == "full" else "ci")

ARTICLE = (
    "Peacekeepers to stay, says president\n"
    "\n"
    "The president called the peacekeeping contingent \"the guarantor of the ceasefire\" on Friday. "
    "Deputy foreign minister Anna Petrova said the mission was still needed. "
    "More than 100,000 people have fled the region since September, according to UN figures.\n"
)


#: Run the service tests against a server too: CLAIMCODER_TEST_DATABASE_URL=postgresql+psycopg://…
#: (an empty, disposable database: every table in it is dropped before each test).
DATABASE_URL = os.environ.get("CLAIMCODER_TEST_DATABASE_URL")


def _empty_database(url: str) -> None:
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    engine.dispose()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    if DATABASE_URL:
        _empty_database(DATABASE_URL)
        proj = Project.create(DATABASE_URL, name="Peacekeeping coverage")
    else:
        proj = Project.create(tmp_path / "study.ccdb", name="Peacekeeping coverage")
    yield proj
    proj.close()


def add_texts(project: Project, *texts: str) -> list[str]:
    """Store articles and return their document ids, in order."""
    docs = []
    for i, raw in enumerate(texts):
        text = normalize_text(raw)
        docs.append((NewDocument(text=text, title=f"Article {i + 1}"), sha256_text(text)))
    project.add_documents(docs)
    return [s.id for s in project.document_summaries()][-len(texts):]
