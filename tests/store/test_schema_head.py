"""The precomputed head schema (app/store/schema_head.py) is exactly what the migrations build,
it is what a current project is checked against, and opening one loads no alembic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import revisions, schema_check, schema_head

ROOT = Path(__file__).resolve().parents[2]


def test_the_snapshot_equals_what_the_migrations_build_at_the_head() -> None:
    assert schema_head.REVISION == revisions.head(), (
        "a new migration: run `python -m app.store.schema_check --write-head` and commit app/store/schema_head.py")
    built = schema_check.built_schema(revisions.head())
    shipped = {(o[0], o[1]): schema_check.SchemaObject(*o) for o in schema_head.OBJECTS}
    assert shipped == built
    assert len(shipped) == len(schema_head.OBJECTS)  # no object listed twice
    assert {o.kind for o in shipped.values()} == {"table", "index"}  # no trigger or view of ours


def test_the_file_is_what_the_generator_writes() -> None:
    path = Path(schema_head.__file__)
    assert path.read_text(encoding="utf-8") == schema_check.head_module_source()


def test_the_head_is_checked_against_the_snapshot_and_older_revisions_against_the_migrations(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = schema_check.built_schema
    monkeypatch.setattr(schema_check, "built_schema", lambda rev: built.append(rev) or real(rev))
    schema_check.expected_schema.cache_clear()
    try:
        head = revisions.head()
        older = revisions.chain()[-2]
        assert schema_check.expected_schema(head) == real(head)
        assert built == []
        schema_check.expected_schema(older)
        assert built == [older]
    finally:
        schema_check.expected_schema.cache_clear()


def test_a_snapshot_of_another_revision_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration added without regenerating the file: the migrations decide, never the stale file."""
    monkeypatch.setattr(schema_head, "REVISION", revisions.chain()[-2])
    assert schema_check.head_snapshot() is None


_PROBE = """
import json, sys
from app.services.project import Project
with Project.open(sys.argv[1]) as project:
    rev = project.info.schema_revision
print(json.dumps([rev, sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic."))]))
"""


def _open_in_fresh_interpreter(path: Path) -> tuple[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, env=env,
                         timeout=120, check=True)
    rev, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return rev, loaded


def test_opening_a_current_project_loads_no_alembic(tmp_path: Path) -> None:
    from app.services.project import Project

    path = tmp_path / "current.ccdb"
    Project.create(path, name="current").close()
    assert _open_in_fresh_interpreter(path) == (revisions.head(), [])


def test_an_older_project_is_still_upgraded_through_alembic(tmp_path: Path) -> None:
    import shutil

    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import make_fixtures

    older = revisions.chain()[-2]
    path = tmp_path / "older.ccdb"
    shutil.copy(make_fixtures.fixture_path(older), path)
    rev, loaded = _open_in_fresh_interpreter(path)
    assert rev == revisions.head()
    assert "alembic" in loaded
