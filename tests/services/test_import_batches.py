"""A many-file import commits in batches and copies SQLite's write-ahead log into the project
file once, at its end: what it stored is in the file itself, and the connection it used is
left checkpointing as SQLite does by default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.domain import NewDocument
from app.core.text import sha256_text
from app.services.importing import import_paths
from app.services.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:  # a project file: the write-ahead log is SQLite's
    proj = Project.create(tmp_path / "study.ccdb", name="Batches")
    yield proj
    proj.close()


def test_an_import_is_in_the_project_file_itself_when_it_returns(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.txt").write_text(f"Article {i}\n\nMarker-{i:02}-zq says the talks resume.\n",
                                            encoding="utf-8")
    summary = import_paths(project, [folder])
    assert summary.imported == 30
    # 30 small articles are far under SQLite's 1,000 pages of log: without the import's own
    # checkpoint every one of them would still be in the -wal file only.
    stored = (tmp_path / "study.ccdb").read_bytes()
    assert all(f"Marker-{i:02}-zq".encode() in stored for i in range(30))


def test_a_deferred_checkpoint_restores_sqlites_setting(project: Project) -> None:
    text = "One article, stored without a checkpoint."
    assert project.add_documents([(NewDocument(text=text, title="One"), sha256_text(text))], checkpoint=False) == 1
    engine = project._repo.engine
    with engine.connect() as conn:
        # SQLite's documented default: a commit past 1,000 pages of log checkpoints it.
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    assert project.document_count() == 1
