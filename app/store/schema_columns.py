"""Open-time check that every table and column of the file's schema revision is really there.

The revision number in ``alembic_version`` says which tables and columns a file has; a file
changed outside claimcoder (a column renamed in a database browser, a table dropped) still
carries it, and then failed at the first query with an SQL traceback. Here, before anything reads
or upgrades the file, the columns our migrations create for that revision are compared with the
file's, and the first one missing is named. Columns or tables *added* outside claimcoder, and
triggers or views, are another check's business (see ``schema_check``); this one only asks
whether what we need is present.
"""

from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.pool import StaticPool

from app.core.errors import ProjectError
from app.store import db
from app.store.models import Base

Columns = dict[str, frozenset[str]]  # table -> column names


def check_required_columns(engine: Engine, revision: str, target: str | Path) -> None:
    """Raise :class:`ProjectError` naming the first table or column of ``revision`` the file lacks."""
    problem = missing_column_problem(engine, revision)
    if problem:
        raise ProjectError(f"{target}: {problem}; the file was changed outside claimcoder")


def missing_column_problem(engine: Engine, revision: str) -> str | None:
    """What the database lacks of ``revision``'s tables and columns, in words, or None."""
    inspector = inspect(engine)
    present = set(inspector.get_table_names())
    for table, columns in sorted(expected_columns(revision).items()):
        if table not in present:
            return f"it lacks the table '{table}' that schema {revision} has"
        have = {col["name"] for col in inspector.get_columns(table)}
        missing = sorted(columns - have)
        if missing:
            return f"its table '{table}' lacks column '{missing[0]}' that schema {revision} has"
    return None


@functools.cache
def expected_columns(revision: str) -> Columns:
    """The tables and columns our migrations create up to ``revision``.

    The head revision is read from the models (a test keeps models and migrations equal); an
    older one, met only when a file is about to be upgraded, by migrating an in-memory database
    to it once per run.
    """
    if revision == db.head_revision():
        return {name: frozenset(t.columns.keys()) for name, t in Base.metadata.tables.items()}
    scratch = create_engine("sqlite://", poolclass=StaticPool)
    try:
        db.upgrade(scratch, revision)
        inspector = inspect(scratch)
        return {name: frozenset(col["name"] for col in inspector.get_columns(name))
                for name in inspector.get_table_names() if name != "alembic_version"}
    finally:
        scratch.dispose()
