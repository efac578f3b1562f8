"""A project file that carries code is refused, naming what is foreign, before any of it can run;
the file is left byte for byte as it was. Each planted object is first shown to do its harm when
the check is bypassed (so the test would catch a check that let it through)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.errors import ProjectError
from app.main import main
from app.services.project import Project
from app.store import schema_check
from tests.conftest import ARTICLE, add_texts

REWRITE_STANCE = """CREATE TRIGGER keep_it_positive AFTER INSERT ON statement BEGIN
  UPDATE statement SET "values" = '{"stance": "support"}' WHERE id = NEW.id; END"""
PURGE_ON_STATUS = """CREATE TRIGGER purge_others AFTER UPDATE OF status ON document_status BEGIN
  DELETE FROM statement WHERE coder_id <> NEW.coder_id; END"""
SPIN_VIEW = "CREATE VIEW spin AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r"
SPIN_TRIGGER = "CREATE TRIGGER spin_on_insert AFTER INSERT ON statement BEGIN SELECT count(*) FROM spin; END"


def _study(path: Path) -> Path:
    with Project.create(path, name="Shared") as proj:
        (doc,) = add_texts(proj, ARTICLE)
        for name in ("alice", "bob"):
            proj.create_statement(doc, proj.ensure_coder(name), 0, 12, values={"stance": "oppose"})
    return path


def _plant(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()


def _fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's bytes and which files sit beside it."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


def _unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_check, "check_schema", lambda *a, **k: None)
    monkeypatch.setattr(schema_check, "check_file", lambda *a, **k: None)


def _refused(path: Path, *names: str) -> str:
    before = _fingerprint(path)
    started = time.perf_counter()
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert time.perf_counter() - started < 5
    message = caught.value.message
    for name in names:
        assert name in message
    assert "\n" not in message and "was not changed" in message
    assert _fingerprint(path) == before  # not a byte written, no -wal or -shm left behind
    return message


def test_a_trigger_that_rewrites_every_new_stance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, REWRITE_STANCE)
    control = shutil.copy(path, tmp_path / "control.ccdb")
    with monkeypatch.context() as m:  # the harm it does when nothing checks the file
        _unchecked(m)
        with Project.open(control) as proj:
            doc = proj.document_summaries()[0].id
            st = proj.create_statement(doc, proj.ensure_coder("cem"), 20, 40, values={"stance": "oppose"})
            assert proj.statement(st.id).values == {"stance": "support"}  # type: ignore[union-attr]
    message = _refused(path, "trigger 'keep_it_positive' on statement")
    assert "did not create" in message
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # the trigger never ran
    stances = [r[0] for r in con.execute('SELECT "values" FROM statement')]
    con.close()
    assert stances == ['{"stance": "oppose"}'] * 2


def test_a_trigger_that_deletes_other_coders_statements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, PURGE_ON_STATUS)
    control = shutil.copy(path, tmp_path / "control.ccdb")
    with monkeypatch.context() as m:
        _unchecked(m)
        with Project.open(control) as proj:
            doc = proj.document_summaries()[0].id
            proj.set_status(doc, proj.coder("alice"), "done")  # type: ignore[arg-type]
            assert proj.statement_count(proj.coder("bob")) == 0  # bob's work is gone
    _refused(path, "trigger 'purge_others' on document_status")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("SELECT count(*) FROM statement").fetchone()[0] == 2  # nothing was deleted
    con.close()


def test_a_recursive_view_and_a_trigger_that_spins_on_it(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, SPIN_VIEW, SPIN_TRIGGER)
    control = sqlite3.connect(shutil.copy(path, tmp_path / "control.ccdb"))
    deadline = time.perf_counter() + 0.5
    control.set_progress_handler(lambda: time.perf_counter() > deadline, 10_000)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):  # it would never return
        control.execute("INSERT INTO statement (id, document_id, coder_id, start, \"end\", \"values\", note, "
                        "created_at, updated_at) SELECT 'x', document_id, coder_id, 0, 1, '{}', '', created_at, "
                        "updated_at FROM statement LIMIT 1")
    control.close()
    _refused(path, "trigger 'spin_on_insert' on statement", "view 'spin'")


def test_a_foreign_table_an_added_column_and_a_dropped_index(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, "CREATE TABLE exfiltrate (x)", "ALTER TABLE statement ADD COLUMN shadow TEXT",
           "DROP INDEX ix_document_position")
    _refused(path, "table 'exfiltrate'", "table 'statement' differs", "index 'ix_document_position' on document is missing")


def test_a_generated_column_is_a_change(tmp_path: Path) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, "ALTER TABLE coder ADD COLUMN spin INTEGER GENERATED ALWAYS AS (length(name)) VIRTUAL")
    _refused(path, "table 'coder' differs")


def test_a_read_only_open_and_the_cli_refuse_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _study(tmp_path / "study.ccdb")
    _plant(path, REWRITE_STANCE)
    before = _fingerprint(path)
    with pytest.raises(ProjectError, match="keep_it_positive"):
        Project.open(path, read_only=True)
    for argv in (["info", str(path)], ["export", str(path), "--coder", "alice", "-o", str(tmp_path / "a.json")],
                 ["import", str(path), str(path)]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "keep_it_positive" in err
    assert _fingerprint(path) == before


def test_every_revision_of_our_own_files_passes(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    for fixture in sorted(fixtures.glob("schema-*.ccdb")):
        copy = Path(shutil.copy(fixture, tmp_path / fixture.name))
        with Project.open(copy) as proj:  # upgraded after the check at its own revision
            assert proj.document_count() >= 0
        with Project.open(copy) as proj:  # and at head afterwards
            assert proj.name


def test_expected_schema_comes_from_the_migrations() -> None:
    head = schema_check.expected_schema("0003")
    assert ("table", "project_setting") in head and ("table", "project_setting") not in schema_check.expected_schema("0002")
    assert not any(kind in ("trigger", "view") for kind, _ in head)
    assert schema_check.expected_schema("0003") is head  # built once per process


def test_every_connection_distrusts_the_schema(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.ccdb") as proj:
        for _ in range(2):
            with proj._repo.engine.connect() as conn:
                assert conn.execute(text("PRAGMA trusted_schema")).scalar() == 0
                raw = conn.connection.driver_connection
                if sys.version_info >= (3, 12):  # the driver can switch defensive mode on
                    assert raw.getconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE) is True  # type: ignore[attr-defined]
                else:  # 3.11 cannot; what defensive mode forbids our own SQL never does (README)
                    assert not hasattr(raw, "setconfig")


def test_a_check_constraint_written_into_our_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pragmas do not list CHECK constraints; one planted in `statement` runs on every write."""
    path = _study(tmp_path / "study.ccdb")
    con = sqlite3.connect(path)
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = substr(sql, 1, length(sql) - 1) || ', CHECK (length(note) < 0))' "
                "WHERE type = 'table' AND name = 'statement'")
    con.commit()
    con.close()
    control = shutil.copy(path, tmp_path / "control.ccdb")
    with monkeypatch.context() as m:
        _unchecked(m)
        with Project.open(control) as proj:  # every new statement is now refused
            doc = proj.document_summaries()[0].id
            with pytest.raises(Exception, match="CHECK constraint failed"):
                proj.create_statement(doc, proj.ensure_coder("cem"), 20, 40)
    _refused(path, "table 'statement' differs")


def test_a_recursive_view_in_place_of_the_version_table(tmp_path: Path) -> None:
    """Reading the schema revision must not run anything: here it is a view that never ends."""
    path = _study(tmp_path / "study.ccdb")
    _plant(path, "DROP TABLE alembic_version",
           "CREATE VIEW alembic_version AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
           "SELECT '0003' || x AS version_num FROM r")
    before = _fingerprint(path)
    result = subprocess.run([sys.executable, "-m", "app", "info", str(path)], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 1 and "view 'alembic_version'" in result.stderr, result.stderr
    _refused(path, "view 'alembic_version'")
    assert _fingerprint(path) == before
