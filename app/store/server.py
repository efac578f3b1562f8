"""Team mode: a PostgreSQL database instead of a project file.

Everything that only a server needs lives here: reading and masking the URL (a password is
never shown, logged or saved), the engine (connect timeout, liveness check before each use),
advisory locks that arbitrate concurrent writers, and the explicit schema upgrade with its JSON
backup. The driver, psycopg 3, is an optional extra (``claimcoder[team]``) and is imported only
when a URL is opened, so a plain ``pip install claimcoder`` works for project files.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, select, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from app.core.errors import ProjectError, ServerUnreachable
from app.core.redact import redact

# Advisory-lock keys (any fixed 64-bit numbers; "cc" + a purpose). Held per database.
SCHEMA_LOCK = 0x6363_0001  # creating or upgrading the schema: one process at a time
DOCUMENTS_LOCK = 0x6363_0002  # an import's positions and duplicate check
CONNECT_TIMEOUT_S = 10
BACKUP_FORMAT = "claimcoder-server-backup"


def is_server_url(target: object) -> bool:
    return isinstance(target, (str, URL)) and str(target).lower().startswith("postgres")


def parse(target: str | URL) -> URL:
    """The URL, with the driver we ship (psycopg 3) when none is named."""
    try:
        url = make_url(target)
    except (ArgumentError, ValueError):
        raise ProjectError(f"{redact(str(target))}: not a database URL "
                           "(expected postgresql://user@host[:port]/database)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise ProjectError(f"{display(url)}: team mode needs a postgresql:// URL "
                           f"(the {url.drivername} driver is not supported)")
    if not url.database:
        raise ProjectError(f"{display(url)}: the URL names no database (…/DATABASE at the end)")
    return url


def display(target: str | URL | Path) -> str:
    """How a project is named in every message: a URL without its password."""
    if isinstance(target, URL):
        return target.render_as_string(hide_password=True)
    if isinstance(target, str) and "://" in target:
        try:
            return make_url(target).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):
            return redact(target)
    return str(target)


def without_password(target: str | URL) -> str:
    """The URL to remember (recent list, settings): everything but the password."""
    return strip_password(parse(target)).render_as_string(hide_password=False)


def strip_password(url: URL) -> URL:
    # (URL.set(password=None) means "leave the password as it is")
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)


def with_password(target: str | URL, password: str) -> str:
    """The URL to connect with, for a password typed into the window (never saved)."""
    url = parse(target)
    return (url.set(password=password) if password else url).render_as_string(hide_password=False)


def make_engine(target: str | URL, *, read_only: bool = False) -> Engine:
    url = parse(target)
    try:
        import psycopg  # noqa: F401  (only to give a clear message when the extra is missing)
    except ImportError:
        raise ProjectError(f"{display(url)}: team mode needs the PostgreSQL driver; install it with "
                           "pip install \"claimcoder[team]\"") from None
    options = "-c default_transaction_read_only=on" if read_only else ""
    # A password left out of the URL comes from PGPASSWORD or the PGPASSFILE (~/.pgpass) file:
    # libpq reads them itself.
    # A network that swallows packets (no "connection refused") must not hang the window for the
    # kernel's quarter of an hour: keepalives notice an idle dead link, tcp_user_timeout a busy one.
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "claimcoder",
                                    "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
                                    "tcp_user_timeout": 15_000}
    if options:
        connect_args["options"] = options
    # pool_pre_ping: a connection the server dropped (restart, network) is replaced before use,
    # so the next action after an outage simply works.
    engine = create_engine(url, pool_pre_ping=True, json_serializer=_json_text, connect_args=connect_args)
    event.listen(engine, "handle_error", _in_words(url))
    return engine


# libpq's words for "there is a server, and it said no" (as opposed to "there is no answer")
_REFUSALS = ("authentication failed", "does not exist", "no pg_hba.conf entry", "too many clients",
             "password", "permission denied", "the database system is starting up")


def _in_words(url: URL) -> Callable[[ExceptionContext], BaseException | None]:
    """A lost or impossible connection becomes a message in words instead of a driver error."""

    def translate(ctx: ExceptionContext) -> BaseException | None:
        if ctx.is_pre_ping:  # the pool is finding out; it replaces the connection itself
            return None
        orig = ctx.original_exception
        failed_to_connect = ctx.connection is None and isinstance(ctx.sqlalchemy_exception, DBAPIError)
        if not (ctx.is_disconnect or failed_to_connect):
            return None
        reason = " ".join(str(orig).split())[:300] or orig.__class__.__name__
        where = f"{url.host or 'localhost'}:{url.port or 5432}"
        if any(word in reason.lower() for word in _REFUSALS) and not ctx.is_disconnect:
            return ProjectError(f"{display(url)}: the server at {where} refused the connection ({redact(reason)})")
        return ServerUnreachable(f"{display(url)}: the server at {where} is not reachable ({redact(reason)})")

    return translate


def reachable(engine: Engine, *, timeout: float = 2.0) -> bool:
    """Whether the server answers now (the window asks this while it waits for it to come back).

    A plain TCP connect first, with a short timeout: the window asks from its own thread and must
    not wait for a full database connect attempt to a host that does not answer.
    """
    host = engine.url.host
    if host and not host.startswith("/"):
        try:
            socket.create_connection((host, engine.url.port or 5432), timeout=timeout).close()
        except OSError:
            return False
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not yet"
        return False


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def serialised(conn: Connection, key: int) -> None:
    """Hold ``key`` until the current transaction ends: writers of one kind take turns."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


@contextmanager
def exclusive(engine: Engine, key: int = SCHEMA_LOCK) -> Iterator[None]:
    """Hold a server-wide lock (on its own connection) for the duration of the block.

    A process that dies loses its session and so its lock: nothing is left to clean up.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
            except Exception:  # the session is gone, and the lock with it
                conn.invalidate()


def needs_upgrade(target: str | URL, revision: str, head: str) -> ProjectError:
    return ProjectError(
        f"{display(target)}: the team database has schema {revision}, this claimcoder needs {head}. "
        f"Run `claimcoder upgrade {display(target)}` once (it takes a backup first); "
        "until then it cannot be opened."
    )


def backup_path(folder: Path, url: URL, revision: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", url.database or "database")
    return folder / f"{safe}.backup-schema{revision}-{stamp}.json"


def dump_tables(conn: Connection, dest: Path, *, url: URL, revision: str) -> Path:
    """Write every table of the database (as it is, at ``revision``) to one JSON file.

    Rows are streamed to a temporary file, which is flushed to disk and only then renamed: a
    file named as a backup is always whole.
    """
    meta = MetaData()
    meta.reflect(conn)
    partial = dest.with_name(dest.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as fh:
            head = {"format": BACKUP_FORMAT, "format_version": 1, "database": display(url),
                    "schema_revision": revision, "taken_at": datetime.now(timezone.utc).isoformat()}
            fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {')
            for n, table in enumerate(meta.sorted_tables):
                columns = [c.name for c in table.columns]
                fh.write(("," if n else "") + f"\n{json.dumps(table.name)}: {{\"columns\": {json.dumps(columns)}, \"rows\": [")
                result = conn.execution_options(yield_per=1000).execute(select(table))
                for i, row in enumerate(result):
                    fh.write(("," if i else "") + "\n" + json.dumps(list(row), ensure_ascii=False, default=_plain))
                fh.write("]}")
            fh.write("}}\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ProjectError(f"{dest}: cannot write the backup ({exc.strerror or exc}); nothing was changed") from None
    return dest


def _plain(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    raise TypeError(f"cannot write {type(value).__name__}")
