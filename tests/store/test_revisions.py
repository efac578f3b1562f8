"""The revisions read from the migration files without alembic are alembic's own revisions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app.core.errors import ProjectError
from app.store import db, revisions


def _alembic_script() -> ScriptDirectory:
    return ScriptDirectory.from_config(db.alembic_config())


def test_the_chain_is_alembics_from_base_to_head() -> None:
    script = _alembic_script()
    oldest_first = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert list(revisions.chain()) == oldest_first
    assert revisions.head() == db.head_revision() == script.get_current_head()
    assert revisions.known() == db.known_revisions() == {rev.revision for rev in script.walk_revisions()}


def _versions(folder: Path, declared: dict[str, str | None]) -> Path:
    folder.mkdir()
    for rev, parent in declared.items():
        (folder / f"{rev}_step.py").write_text(
            f'"""A step."""\nimport sqlalchemy as sa\n\nrevision = {rev!r}\ndown_revision = {parent!r}\n'
            "branch_labels = None\n\n\ndef upgrade() -> None:\n    pass\n", encoding="utf-8")
    (folder / "__init__.py").write_text("", encoding="utf-8")
    return folder


def test_annotated_and_single_quoted_declarations_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _versions(tmp_path / "versions", {"a1": None})
    (folder / "b2_step.py").write_text('revision: str = "b2"\ndown_revision: str | None = \'a1\'\n', encoding="utf-8")
    monkeypatch.setattr(revisions, "VERSIONS", folder)
    revisions.chain.cache_clear()
    try:
        assert revisions.chain() == ("a1", "b2")
    finally:
        revisions.chain.cache_clear()


@pytest.mark.parametrize("declared", [
    {"a1": None, "b2": "a1", "c3": "a1"},  # two heads
    {"a1": None, "b2": "zz"},  # a parent that does not exist
    {"a1": "b2", "b2": "a1"},  # no base
])
def test_files_that_are_not_one_chain_are_an_error(declared: dict[str, str | None], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(revisions, "VERSIONS", _versions(tmp_path / "versions", declared))
    revisions.chain.cache_clear()
    try:
        with pytest.raises(revisions.RevisionError):
            revisions.chain()
    finally:
        revisions.chain.cache_clear()


def test_the_current_revision_is_read_as_alembic_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "v.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        def both() -> tuple[str | None, str | None]:
            with engine.connect() as conn:
                theirs = MigrationContext.configure(conn).get_current_revision()
            return db.current_revision(engine), theirs

        assert both() == (None, None)  # no table
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        con.commit()
        assert both() == (None, None)  # no row
        con.execute("INSERT INTO alembic_version VALUES ('0003')")
        con.commit()
        assert both() == ("0003", "0003")
        con.execute("INSERT INTO alembic_version VALUES ('0004')")
        con.commit()
        con.close()
        with pytest.raises(ProjectError, match="names 2 schema revisions"):
            db.current_revision(engine)
        with pytest.raises(ProjectError, match="cannot be read as a project"):
            db.schema_state(engine, path)
    finally:
        engine.dispose()


def test_a_row_alembic_wrote_is_read_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    try:
        db.upgrade(engine, "0002")
        assert db.current_revision(engine) == "0002"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
