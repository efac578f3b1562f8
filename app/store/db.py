"""Engine setup and schema upgrades: the only place that knows which database is underneath.

A project is one SQLite file (WAL, foreign keys on every connection), or, in team mode, a
PostgreSQL URL. Everything SQLite-specific lives here.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from app.core.errors import ProjectError
from app.store import revisions
from app.store.locations import check_sqlite_file, is_url, sqlite_uri  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
BUSY_TIMEOUT_MS = 10_000


def database_url(target: str | Path) -> str | URL:
    """What SQLAlchemy is told: a team database's URL as given, or a project file's name.

    A file's URL is for display and dialect choice only; the connection itself is opened by
    :func:`sqlite_uri` (string-formatting a path into a URL let `?` and `#` cut it short).
    """
    if is_url(target):
        return str(target)
    return URL.create("sqlite", database=str(Path(target).resolve()))


def make_engine(target: str | Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """An engine on a team database or a project file (``immutable``: on media nobody writes)."""
    url = database_url(target)
    if isinstance(url, str) and not url.startswith("sqlite"):
        from app.store import server  # team mode: the driver loads only for a URL

        return server.make_engine(url, read_only=read_only)
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    if isinstance(url, str):  # an sqlite:// URL given by the caller (tests, tools): taken as written
        engine = create_engine(url, connect_args=connect_args, json_serializer=_json_text)
    else:
        uri = sqlite_uri(Path(str(url.database)), read_only=read_only or immutable, immutable=immutable)
        engine = create_engine(url, creator=lambda: sqlite3.connect(uri, uri=True, **connect_args),
                               json_serializer=_json_text)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # SQLite's lower() folds ASCII only; PostgreSQL's folds every script. Same results on
        # both: "JØRGENSEN" finds "Jørgensen" in case-insensitive searches.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)
        _distrust_schema(dbapi_conn)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            # In WAL mode NORMAL never corrupts and loses nothing when the *program* dies (the
            # kernel has the bytes); only a power cut can drop the last commits. FULL would fsync
            # every keystroke-sized commit.
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def _distrust_schema(con: sqlite3.Connection) -> None:
    """A project file is data from someone else: functions with side effects may not run from its
    schema (``trusted_schema=OFF``), and, where the driver can set it (Python 3.12+), SQLite's
    defensive mode forbids what only corrupting SQL does (writable_schema, journal_mode=OFF...).
    Python 3.11's driver has no way to set it; our own SQL never does those things, and the file
    itself is checked by :mod:`app.store.schema_check` before it is used."""
    con.execute("PRAGMA trusted_schema=OFF")
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if defensive is not None and hasattr(con, "setconfig"):
        con.setconfig(defensive, True)


def use_wal(engine: Engine) -> None:
    """Put a project file in write-ahead-log mode (persistent in the file).

    Done once a file is known to be a claimcoder project, never in the connect hook: a database
    we refuse to open must be left exactly as it was.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _json_text(value: object) -> str:
    """JSON columns keep non-ASCII text as itself, so a search for "Jørgensen" finds it."""
    return json.dumps(value, ensure_ascii=False)


def alembic_config() -> Config:
    # alembic is imported only where a schema is built or migrated: opening a current project
    # never loads it (app.store.revisions knows the revisions from the migration files).
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return revisions.head()


def known_revisions() -> set[str]:
    return set(revisions.known())


def current_revision(engine: Engine) -> str | None:
    """The revision in ``alembic_version``, read with a plain query (as alembic's
    ``MigrationContext.get_current_revision`` reads it: None without the table or a row)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).fetchall()
    if len(rows) > 1:
        raise ProjectError(f"its {VERSION_TABLE} table names {len(rows)} schema revisions, not one")
    return str(rows[0][0]) if rows else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema in one transaction: killed at any moment, the file is as it was before.

    On SQLite two things need care. Foreign keys are off while batch mode rebuilds tables:
    dropping the old copy of a parent table would otherwise cascade-delete its children. And
    Python's sqlite3 driver opens transactions only for INSERT/UPDATE/DELETE, so a CREATE TABLE
    at the start of a migration would commit on its own (a crash then left `_alembic_tmp_coder`
    behind and the next open failed); here the driver's own BEGIN is switched off and ours is
    issued before any statement of the migration.
    """
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
            conn.commit()
            legacy = raw.isolation_level  # type: ignore[union-attr]
            raw.isolation_level = None  # type: ignore[union-attr]
        try:
            with conn.begin():
                if sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")  # DDL included, until the commit below
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ProjectError(f"the upgrade would break {len(broken)} references; nothing was changed")
        finally:
            if sqlite:
                conn.rollback()
                raw.isolation_level = legacy  # type: ignore[union-attr]
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def schema_state(engine: Engine, target: str | Path) -> str | None:
    """The project's schema revision; refuses newer or foreign databases."""
    try:
        tables = set(inspect(engine).get_table_names())
        rev = current_revision(engine)
    except (DatabaseError, OperationalError) as exc:
        raise ProjectError(f"{target}: cannot be read as a project ({_short(exc)})") from None
    except ProjectError as exc:
        raise ProjectError(f"{target}: cannot be read as a project ({exc})") from None
    if rev is None:
        if tables - {"alembic_version"}:
            raise ProjectError(f"{target}: not a claimcoder project (it holds other tables)")
        return None
    if rev not in known_revisions():
        raise ProjectError(
            f"{target}: was written by a newer version of claimcoder (schema {rev}; this version "
            f"knows up to {head_revision()}). Update claimcoder to open it."
        )
    return rev


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a project before migrating it, through SQLite's backup API (WAL-safe), and verify.

    The copy is made under a temporary name and renamed only once it checks out, so a file
    named as a backup is always a whole one, even if the program is killed halfway.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.stem}.backup-schema{revision}-{stamp}{path.suffix}")
    partial = dest.with_name(dest.name + ".partial")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            rev = dst.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok" or rev != revision:
        partial.unlink(missing_ok=True)
        raise ProjectError(f"{path}: the backup before upgrading failed its check; nothing was changed")
    os.replace(partial, dest)
    return dest


def integrity_ok(engine: Engine) -> bool:
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def _short(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0][:200]


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def utc_text(value: datetime) -> str:
    """A time as SQLAlchemy's SQLite DateTime stores it: UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``.
    Such texts sort in time order, so bulk work can compare them without making datetimes."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def raw_rows(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples, JSON columns as their text and times as :func:`utc_text`.

    On SQLite that is what the file holds, read straight from the driver cursor (no result
    processing), several times faster for hundreds of thousands of rows; elsewhere the values
    are converted to the same forms."""
    if not is_sqlite(conn):
        return [tuple(_as_stored(v) for v in r) for r in conn.execute(query)]
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in (compiled.positiontup or [])]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(str(compiled), params).fetchall()
    finally:
        cursor.close()


def _as_stored(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, (dict, list)):
        return _json_text(value)
    return value


@contextmanager
def roomy_cache(conn: Connection, mebibytes: int = 256) -> Iterator[None]:
    """A larger page cache for one bulk write on this connection: 300,000 rows with random ids
    touch every page of four indexes, and SQLite's default 2 MB cache sends most of those
    touches to the disk. Restored afterwards (the connection goes back to the pool)."""
    if not is_sqlite(conn):
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def sqlite_insert_many(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert plain rows (JSON already text, times already :func:`utc_text`) straight
    through the SQLite driver, inside ``conn``'s transaction: a merge of 300,000 statements spends
    most of its time in SQLAlchemy's per-row bind processing otherwise. SQLite only; other
    databases take the Core path."""
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    finally:
        cursor.close()


json_text = _json_text  # the JSON text a JSON column holds (for bulk writers that bypass the ORM)
