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


@pytest.fixture
def project(tmp_path: Path) -> Project:
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
