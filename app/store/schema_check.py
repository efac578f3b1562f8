"""A project file is data, never code: its schema must be exactly the one our migrations build.

Coders and supervisors e-mail ``.ccdb`` files to each other. SQLite stores triggers and views in
the file itself, and runs them inside our own INSERTs and UPDATEs: a planted trigger could rewrite
every stance a coder enters, or delete another coder's statements on a status change, and a
recursive view or trigger could spin forever. So before anything is written, the file's
``sqlite_master`` (tables with their columns and foreign keys, indexes with their columns,
triggers, views) is compared with what the migrations create at the file's revision, and a file
that differs is refused with the foreign objects named.

The expected schema is derived by running the migrations into an in-memory database, once per
revision and process (about 0.1 s, and alembic's import before it), so a future migration is
covered the moment it exists. For the head revision — every open of a current project — the
same result is shipped precomputed in :mod:`app.store.schema_head` (written by
``python -m app.store.schema_check --write-head``); ``tests/store/test_schema_head.py`` proves it
equal to what the migrations build, and a snapshot of another revision is never used. Only
``sqlite_master`` and table/index pragmas are read — no trigger or view can run while checking.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core.errors import ProjectError

if TYPE_CHECKING:  # the check of a file needs only sqlite3 (the coding window's first look)
    from sqlalchemy import Engine

#: Tables SQLite itself may add to any database (AUTOINCREMENT, ANALYZE / PRAGMA optimize).
SQLITE_INTERNAL = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}


@dataclass(frozen=True, slots=True)
class SchemaObject:
    """One entry of ``sqlite_master`` with what defines its behaviour (not its SQL text, which
    differs between SQLAlchemy versions for the same table)."""

    kind: str  # table, index, trigger, view
    name: str
    table: str
    shape: tuple[Any, ...] = ()

    def label(self) -> str:
        on = f" on {self.table}" if self.kind in ("index", "trigger") and self.table else ""
        return f"{self.kind} '{self.name}'{on}"


def read_schema(con: sqlite3.Connection) -> dict[tuple[str, str], SchemaObject]:
    """The schema of a database, read through pragmas only (nothing in it executes)."""
    out: dict[tuple[str, str], SchemaObject] = {}
    rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if kind == "table" and name in SQLITE_INTERNAL:
            continue
        shape: tuple[Any, ...] = ()
        if kind == "table":
            virtual = (sql or "").lstrip().upper().startswith("CREATE VIRTUAL")
            columns = tuple(tuple(r[1:]) for r in con.execute("SELECT * FROM pragma_table_xinfo(?)", (name,)))
            fks = tuple(sorted(tuple(map(str, r[2:])) for r in
                               con.execute("SELECT * FROM pragma_foreign_key_list(?)", (name,))))
            shape = (virtual, columns, fks, check_clauses(sql or ""))
        elif kind == "index":
            listed = {r[1]: (r[2], r[3], r[4]) for r in con.execute("SELECT * FROM pragma_index_list(?)", (table,))}
            columns = tuple(tuple(r[1:]) for r in con.execute("SELECT * FROM pragma_index_xinfo(?)", (name,)))
            shape = (listed.get(name), columns)
        out[(kind, name)] = SchemaObject(kind, name, table, shape)
    return out


def check_clauses(sql: str) -> tuple[str, ...]:
    """The CHECK constraints of a CREATE TABLE, whitespace collapsed (pragmas do not list them,
    and a planted one runs on every write and in every quick check)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`[":
            i = _skip_quoted(sql, i)
            continue
        if sql[i:i + 5].upper() == "CHECK" and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            j = i + 5
            while j < n and sql[j].isspace():
                j += 1
            if j < n and sql[j] == "(":
                end = _matching_paren(sql, j)
                out.append(" ".join(sql[j:end].split()))
                i = end
                continue
        i += 1
    return tuple(out)


def _skip_quoted(sql: str, i: int) -> int:
    close = "]" if sql[i] == "[" else sql[i]
    j = i + 1
    while j < len(sql):
        if sql[j] == close:
            if close != "]" and j + 1 < len(sql) and sql[j + 1] == close:  # '' inside a literal
                j += 2
                continue
            return j + 1
        j += 1
    return j


def _matching_paren(sql: str, i: int) -> int:
    depth, j = 0, i
    while j < len(sql):
        ch = sql[j]
        if ch in "'\"`[":
            j = _skip_quoted(sql, j)
            continue
        depth += ch == "("
        depth -= ch == ")"
        j += 1
        if depth == 0:
            return j
    return j


@lru_cache(maxsize=None)
def expected_schema(revision: str) -> dict[tuple[str, str], SchemaObject]:
    """What the migrations create at ``revision``: the shipped snapshot for the head revision,
    else built in memory once per process."""
    snapshot = head_snapshot()
    if snapshot is not None and snapshot[0] == revision:
        return snapshot[1]
    return built_schema(revision)


def head_snapshot() -> tuple[str, dict[tuple[str, str], SchemaObject]] | None:
    """(revision, schema) from :mod:`app.store.schema_head`, if it is there and is for the head."""
    from app.store import revisions

    try:
        from app.store import schema_head
    except ImportError:
        return None
    if schema_head.REVISION != revisions.head():  # a migration newer than the snapshot
        return None
    return schema_head.REVISION, {(o[0], o[1]): SchemaObject(*o) for o in schema_head.OBJECTS}


def built_schema(revision: str) -> dict[tuple[str, str], SchemaObject]:
    """What the migrations create at ``revision``, built in an in-memory database."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from app.store import db  # upgrading imports alembic; only needed here

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        db.upgrade(engine, revision)
        with engine.connect() as conn:
            return read_schema(conn.connection.driver_connection)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def differences(found: dict[tuple[str, str], SchemaObject], expected: dict[tuple[str, str], SchemaObject]
                ) -> tuple[list[SchemaObject], list[SchemaObject], list[SchemaObject]]:
    """(foreign, changed, missing): objects we did not create, ours altered, ours absent."""
    foreign = [obj for key, obj in found.items() if key not in expected]
    changed = [obj for key, obj in found.items() if key in expected and expected[key] != obj]
    missing = [obj for key, obj in expected.items() if key not in found]
    order = {"trigger": 0, "view": 1, "table": 2, "index": 3}
    return tuple(sorted(group, key=lambda o: (order.get(o.kind, 9), o.name))  # type: ignore[return-value]
                 for group in (foreign, changed, missing))


def check_file(con: sqlite3.Connection, target: object) -> None:
    """The same check on a raw connection, before anything else reads the file: even reading the
    schema revision runs a view if ``alembic_version`` is one (a recursive view never returns).

    Files without a revision we know are left to the open, which refuses them in words.
    """
    from app.store import revisions

    try:
        found = read_schema(con)
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{target}: cannot be read as a project ({str(exc).splitlines()[0][:200]})") from None
    if ("table", "alembic_version") not in found:
        code = [obj for obj in found.values() if obj.kind in ("trigger", "view")]
        if code:
            _refuse(target, code, [], [])
        return
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return
    if row is not None and row[0] in revisions.known():
        _refuse_differences(target, found, expected_schema(row[0]), row[0])


def check_schema(engine: Engine, target: object, revision: str) -> None:
    """Refuse a project file whose schema is not exactly ours at ``revision``, naming what differs.

    Reads only; the file is left byte for byte as it was.
    """
    if engine.dialect.name != "sqlite":
        return
    expected = expected_schema(revision)
    try:
        with engine.connect() as conn:
            found = read_schema(conn.connection.driver_connection)  # type: ignore[arg-type]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{target}: cannot read its schema ({str(exc).splitlines()[0][:200]})") from None
    _refuse_differences(target, found, expected, revision)


def _refuse_differences(target: object, found: dict[tuple[str, str], SchemaObject],
                        expected: dict[tuple[str, str], SchemaObject], revision: str) -> None:
    """Refuse what differs; a table that merely lacks one of our columns (renamed or dropped by
    hand, no foreign code) is named with that column, which says best what happened to it."""
    foreign, changed, missing = differences(found, expected)
    if not foreign:
        for obj in missing:
            if obj.kind == "table":
                raise ProjectError(f"{target}: it lacks the table '{obj.name}' that schema {revision} has; "
                                   "the file was changed outside claimcoder")
        for obj in changed:
            if obj.kind != "table":
                continue
            have = {c[0] for c in obj.shape[1]}
            lacking = [c[0] for c in expected[(obj.kind, obj.name)].shape[1] if c[0] not in have]
            if lacking:
                raise ProjectError(f"{target}: its table '{obj.name}' lacks column '{lacking[0]}' that schema "
                                   f"{revision} has; the file was changed outside claimcoder")
    _refuse(target, foreign, changed, missing)


def _refuse(target: object, foreign: list[SchemaObject], changed: list[SchemaObject],
            missing: list[SchemaObject]) -> None:
    if not (foreign or changed or missing):
        return
    parts = []
    if foreign:
        parts.append("it holds " + _listing(foreign) + " that claimcoder did not create")
    if changed:
        parts.append(_listing(changed) + (" differs" if len(changed) == 1 else " differ")
                     + " from what claimcoder creates")
    if missing:
        parts.append(_listing(missing) + (" is" if len(missing) == 1 else " are") + " missing")
    raise ProjectError(f"{target}: refused, not a genuine claimcoder project: {'; '.join(parts)}. "
                       f"A project file must hold data only; it was not changed. Ask for the coder's "
                       f"export (JSON) instead.")


def _listing(objects: list[SchemaObject], limit: int = 8) -> str:
    shown = ", ".join(o.label() for o in objects[:limit])
    return shown + (f" and {len(objects) - limit} more" if len(objects) > limit else "")


def head_module_source() -> str:
    """The text of :mod:`app.store.schema_head`: the head revision's schema as built by the migrations."""
    from app.store import revisions

    head = revisions.head()
    objects = sorted(built_schema(head).values(), key=lambda o: (o.kind, o.name))
    lines = [
        '"""The schema the migrations build at the head revision, precomputed for the open of a current',
        "project (app.store.schema_check). Generated by ``python -m app.store.schema_check --write-head``;",
        'do not edit. tests/store/test_schema_head.py proves it equal to what the migrations build."""',
        "",
        f"REVISION = {head!r}",
        "",
        "OBJECTS = (",
    ]
    lines += [f"    {(o.kind, o.name, o.table, o.shape)!r}," for o in objects]
    lines += [")", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if sys.argv[1:] != ["--write-head"]:
        sys.exit("usage: python -m app.store.schema_check --write-head")
    target = Path(__file__).with_name("schema_head.py")
    target.write_text(head_module_source(), encoding="utf-8")
    print(f"wrote {target.name}")
