"""Project files written by every earlier schema open, upgrade after a backup, and keep every row;
files from a newer claimcoder or from elsewhere are refused clearly; models and migrations agree.

The fixtures are tests/fixtures/schema-<rev>.ccdb, made by tests/fixtures/make_fixtures.py.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.core.codebook import default_codebook
from app.core.errors import ProjectError
from app.core.text import sha256_text
from app.services.lock import lock_path
from app.services.project import Project
from app.store import db
from app.store.models import Base

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402

REVISIONS = make_fixtures.revisions()
HEAD = db.head_revision()
OLDER = [r for r in REVISIONS if r != HEAD]


def _copy(rev: str, tmp_path: Path) -> Path:
    src = make_fixtures.fixture_path(rev)
    assert src.exists(), f"no fixture for schema {rev}: run .venv/bin/python tests/fixtures/make_fixtures.py {rev}"
    dest = tmp_path / src.name
    shutil.copy(src, dest)
    return dest


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def test_every_schema_revision_has_a_fixture() -> None:
    missing = [r for r in REVISIONS if not make_fixtures.fixture_path(r).exists()]
    assert not missing, (f"a new migration needs its fixture: run .venv/bin/python tests/fixtures/make_fixtures.py "
                         f"{' '.join(missing)} and commit tests/fixtures/schema-{missing[0]}.ccdb")


@pytest.mark.parametrize("rev", REVISIONS)
def test_fixtures_are_self_contained(rev: str) -> None:
    path = make_fixtures.fixture_path(rev)
    for suffix in ("-wal", "-shm", ".lock"):
        assert not Path(f"{path}{suffix}").exists()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == rev
    con.close()


@pytest.mark.parametrize("rev", OLDER)
def test_an_older_project_is_upgraded_after_a_backup(rev: str, tmp_path: Path) -> None:
    path = _copy(rev, tmp_path)
    before = _dump(path)
    rows = make_fixtures.study_rows()
    with Project.open(path) as proj:
        assert proj.info.schema_revision == HEAD
        assert db.current_revision(proj._repo.engine) == HEAD
        assert proj.integrity_ok()
        _check_study(proj, rows)
        # ... and usable: code a statement, remember a position, set a status
        alice = proj.coder("alice")
        assert alice is not None
        doc = rows["document"][0]
        st = proj.create_statement(doc["id"], alice, 4, 15, values={"stance": "neutral"})
        proj.remember_position(alice, doc["id"])
        proj.set_status(doc["id"], alice, "in_progress")
        backup = proj.backup_path
    with Project.open(path) as proj:  # the second open needs no upgrade and no new backup
        assert proj.backup_path is None
        assert proj.statement(st.id) == st
        assert proj.last_document_id(proj.coder("alice")) == doc["id"]  # type: ignore[arg-type]

    assert backup is not None and backup.parent == path.parent
    assert re.fullmatch(rf"schema-{rev}\.backup-schema{rev}-\d{{8}}-\d{{6}}\.ccdb", backup.name), backup.name
    assert backup.read_bytes()[:16] == b"SQLite format 3\x00"
    con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == rev
    con.close()
    assert _dump(backup) == before  # the backup is the old file, row for row
    assert not lock_path(path).exists()


@pytest.mark.parametrize("rev", REVISIONS)
def test_read_only_open(rev: str, tmp_path: Path) -> None:
    path = _copy(rev, tmp_path)
    if rev == HEAD:
        with Project.open(path, read_only=True) as proj:
            _check_study(proj, make_fixtures.study_rows())
    else:
        with pytest.raises(ProjectError, match="older claimcoder; open it for writing once"):
            Project.open(path, read_only=True)
        assert db.current_revision(db.make_engine(path, read_only=True)) == rev  # untouched


def test_the_head_fixture_opens_without_a_backup(tmp_path: Path) -> None:
    path = _copy(HEAD, tmp_path)
    with Project.open(path) as proj:
        assert proj.backup_path is None
        _check_study(proj, make_fixtures.study_rows())
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def _check_study(proj: Project, rows: dict[str, list[dict[str, Any]]]) -> None:
    assert proj.info.id == "p-fixture" and proj.name == rows["project"][0]["name"]
    assert proj.codebook == default_codebook()
    assert {c.name for c in proj.coders()} == {"alice", "bob"}
    assert {(e.name, e.kind, e.aliases) for e in proj.entities()} == {
        (r["name"], r["kind"], tuple(r["aliases"])) for r in rows["entity"]}
    summaries = proj.document_summaries()
    assert [s.id for s in summaries] == [r["id"] for r in rows["document"]]
    for r in rows["document"]:
        doc = proj.document(r["id"])
        assert doc.text == r["text"] and doc.sha256 == sha256_text(doc.text) == r["sha256"]
        assert (doc.title, doc.source, doc.published, doc.url, doc.metadata) == (
            r["title"], r["source"], r["published"], r["url"], r["metadata"])
    expected = {r["id"]: r for r in rows["statement"]}
    found = {st.id: st for d in summaries for st in proj.statements(d.id)}
    assert set(found) == set(expected)
    for sid, st in found.items():
        r = expected[sid]
        text = proj.document(st.document_id).text
        assert (st.document_id, st.coder_id, st.start, st.end, st.values, st.note) == (
            r["document_id"], r["coder_id"], r["start"], r["end"], r["values"], r["note"])
        assert st.created_at == r["created_at"]
        assert text[st.start:st.end]  # offsets still inside the text
    alice = proj.coder("alice")
    assert alice is not None
    assert proj.status_map(alice) == {r["document_id"]: r["status"] for r in rows["document_status"]
                                      if r["coder_id"] == "c-alice"}


def test_a_newer_project_is_refused(tmp_path: Path) -> None:
    path = _copy(HEAD, tmp_path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = _dump(path)
    for read_only in (False, True):
        with pytest.raises(ProjectError) as info:
            Project.open(path, read_only=read_only)
        msg = str(info.value)
        assert "newer version of claimcoder" in msg and "9999" in msg and "Update claimcoder" in msg
        assert "\n" not in msg
    assert _dump(path) == before
    assert not lock_path(path).exists()
    assert not [p for p in tmp_path.iterdir() if "backup" in p.name]  # no backup of a file we cannot read


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.7 not a database", "not an SQLite database"),
        (b"\x00" * 100, "not an SQLite database"),
        (b"", "empty database"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "cannot be read as a project"),
    ],
    ids=["text", "zeros", "empty", "corrupt-header"],
)
def test_files_that_are_not_projects_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.ccdb"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message) as info:
        Project.open(path)
    assert str(info.value).startswith(str(path))
    assert not lock_path(path).exists()


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zotero.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO items VALUES (1, 'x')")
    con.commit()
    con.close()
    before = _dump(path)
    with pytest.raises(ProjectError, match="not a claimcoder project"):
        Project.open(path)
    assert _dump(path) == before
    with pytest.raises(ProjectError):
        Project.open(tmp_path / "missing.ccdb")
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


def test_a_refused_database_is_not_modified_at_all(tmp_path: Path) -> None:
    path = tmp_path / "zotero.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError):
        Project.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_the_models_match_the_migrated_schema(tmp_path: Path) -> None:
    """A model change without a migration shows up here (alembic autogenerate finds a difference)."""
    engine = db.make_engine(tmp_path / "head.ccdb")
    db.upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], f"models.py and the migrations differ; write a migration: {diff}"


def test_the_fixture_generator_reproduces_the_rows(tmp_path: Path) -> None:
    """The committed fixtures hold what make_fixtures.py writes (regenerating changes no rows)."""
    for rev in REVISIONS:
        fresh = make_fixtures.make(rev, tmp_path / f"fresh-{rev}.ccdb")
        assert _dump(fresh) == _dump(make_fixtures.fixture_path(rev))


@pytest.mark.parametrize("rev", OLDER)
def test_a_failed_upgrade_leaves_nothing_behind(rev: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement of a migration, the CREATE TABLEs of batch mode included, is one transaction:
    an upgrade that fails (or is killed) after its last step leaves the file exactly as it was,
    and the next open upgrades it normally."""
    from alembic import command

    path = _copy(rev, tmp_path)
    before = _dump(path)
    real_upgrade = command.upgrade

    def upgrade_then_fail(*args: Any, **kwargs: Any) -> None:
        real_upgrade(*args, **kwargs)
        raise RuntimeError("killed after the last migration step")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    engine = db.make_engine(path)
    try:
        with pytest.raises(RuntimeError):
            db.upgrade(engine)
    finally:
        engine.dispose()
    assert _dump(path) == before  # no _alembic_tmp_* table, the old revision, every row
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    with Project.open(path) as proj:
        assert proj.info.schema_revision == HEAD and proj.integrity_ok()
