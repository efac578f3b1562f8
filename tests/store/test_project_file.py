"""The project file: pragmas, migrations, refusal of foreign and newer files, and a second writer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.errors import ProjectError
from app.services.project import Project
from app.store import db
from tests.conftest import ARTICLE, add_texts


@pytest.mark.sqlite_only
def test_every_connection_has_wal_and_foreign_keys(project: Project) -> None:
    engine = project._repo.engine
    for _ in range(2):
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.sqlite_only
def test_every_foreign_key_has_an_index(project: Project) -> None:
    con = sqlite3.connect(project.path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        fks = {r[3] for r in con.execute(f"PRAGMA foreign_key_list('{table}')")}
        indexed = set()
        for idx in con.execute(f"PRAGMA index_list('{table}')"):
            first = con.execute(f"PRAGMA index_info('{idx[1]}')").fetchone()
            indexed.add(first[2])
        assert fks <= indexed, f"{table}: foreign keys without an index: {fks - indexed}"
    con.close()


def test_create_then_reopen_keeps_everything(backend: str | Path) -> None:
    path = backend
    with Project.create(path, name="Peace") as proj:
        (doc,) = add_texts(proj, ARTICLE)
        alice = proj.ensure_coder("alice")
        st = proj.create_statement(doc, alice, 5, 20, values={"stance": "support"})
    with Project.open(path) as proj:
        assert proj.name == "Peace"
        assert proj.statements(doc)[0] == st
        assert proj.document_summaries(proj.coder("alice"))[0].status == "in_progress"


def _make_0001_project(path: Path) -> None:
    engine = db.make_engine(path)
    db.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO codebook (id, name, version, content, created_at) VALUES "
                          "(1, 'Claims', '1', :c, '2026-01-01 00:00:00')"),
                     {"c": '{"name": "Claims", "variables": [{"key": "stance", "kind": "category", '
                           '"categories": [{"value": "oppose"}, {"value": "support"}]}]}'})
        conn.execute(text("INSERT INTO project VALUES ('p-1', 'Old study', '2026-01-01 00:00:00', 1)"))
        conn.execute(text("INSERT INTO coder VALUES ('c-1', 'alice', '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO document VALUES ('d-1', :sha, 1, 'T', '', NULL, NULL, 'Hello world', 11, "
                          "'{}', '', '2026-01-01 00:00:00')"), {"sha": "0" * 64})
        conn.execute(text("INSERT INTO statement VALUES ('s-1', 'd-1', 'c-1', 0, 5, '{\"stance\": \"support\"}', '', "
                          "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    engine.dispose()


def test_older_schema_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.ccdb"
    _make_0001_project(path)
    with Project.open(path) as proj:
        assert proj.info.schema_revision == db.head_revision()
        assert proj.backup_path is not None and proj.backup_path.exists()
        alice = proj.coder("alice")
        assert alice is not None
        assert [s.values for s in proj.statements("d-1", alice)] == [{"stance": "support"}]
        proj.remember_position(alice, "d-1")
        assert proj.last_document_id(alice) == "d-1"
    backup = sqlite3.connect(proj.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert backup.execute("SELECT count(*) FROM statement").fetchone()[0] == 1
    backup.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.ccdb"
    Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="newer version of claimcoder"):
        Project.open(path)


@pytest.mark.parametrize(
    "content, message",
    [(b"hello, not a database at all", "not an SQLite database"), (b"", "empty database")],
)
def test_foreign_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.ccdb"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)


def test_other_sqlite_databases_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="not a claimcoder project"):
        Project.open(path)


WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE project SET name = 'renamed by the other process'")
    print("locked", flush=True)
    time.sleep(1.0)
    con.execute("COMMIT")
    """
)


def test_a_file_another_process_is_writing(tmp_path: Path) -> None:
    """A write waits for the other process's transaction instead of failing or corrupting."""
    path = tmp_path / "shared.ccdb"
    with Project.create(path) as proj:
        (doc,) = add_texts(proj, ARTICLE)
        alice = proj.ensure_coder("alice")
        other = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        assert proj.document(doc).text  # readers are not blocked in WAL mode
        started = time.monotonic()
        st = proj.create_statement(doc, alice, 0, 10)
        assert time.monotonic() - started > 0.3  # it waited for the other writer
        assert other.wait(timeout=10) == 0
        assert proj.statement(st.id) == st
        assert proj.integrity_ok()
    with Project.open(path) as proj:
        assert proj._repo.project_info().name == "renamed by the other process"


def test_settings_and_actor_attributes_persist(backend: str | Path) -> None:
    from app.services.project import Project

    path = backend
    with Project.create(path) as proj:
        assert proj.setting("closed_actor_list", False) is False
        proj.set_setting("closed_actor_list", True)
        proj.set_setting("cues", {"en": ["said"]})
        proj.add_entity("Vladimir Putin", "person", ["Putin"])
    with Project.open(path) as proj:
        assert proj.setting("closed_actor_list") is True
        assert proj.setting("cues") == {"en": ["said"]}
        (entity,) = proj.entities()
        assert entity.attributes == {}
