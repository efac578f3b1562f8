"""The coding window's first look at a project file, through the standard library's sqlite3.

Importing the store (SQLAlchemy and the ORM models) takes about half a second, more than the rest
of a launch until the coding window paints. So ``claimcoder PROJECT.ccdb`` paints the window from
this: the handful of reads the first paint needs (the project record, codebook, coder, actor list,
the first page of the document list, the article and its statements), answered from the file with
plain SQL, the same queries :class:`app.store.repository.Repository` runs and the same domain
records (``tests/store/test_first_look.py`` compares them). Right after the paint the launcher
attaches the store (:meth:`FirstLook.attach`); any other call attaches it first, so nothing the
first look does not know is ever answered from it.

The file has been checked before this reads a row (:func:`app.store.file_access.open_access`:
its schema exactly ours, with no trigger or view; a small file's integrity) and is locked for
writing by the caller. The one write the first paint makes, which article the coder is on, waits
here and is made once the store is attached (or when the project is closed before that).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.domain import Coder, Document, DocumentSummary, Entity, ProjectInfo, Statement
from app.core.errors import ProjectError
from app.store.locations import sqlite_uri

if TYPE_CHECKING:
    from app.store.repository import Repository

_MISSING = object()


def _time(text: str) -> datetime:
    """A DateTime column as the ORM reads it back on SQLite: UTC, stored without its zone."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class FirstLook:
    """A read-only stand-in for the repository until the store is attached (see the module)."""

    def __init__(self, con: sqlite3.Connection, revision: str, attach: Callable[[], Repository]) -> None:
        self._con: sqlite3.Connection | None = con
        self.schema_revision = revision
        self._attach = attach
        self._store: Repository | None = None
        self._positions: dict[str, str | None] = {}  # coder id -> the article to remember
        self._failed: ProjectError | None = None
        self._closed = False
        self._lock = threading.RLock()  # a thread that needs the store attaches it for everyone

    @classmethod
    def open(cls, path: Path, head: str, attach: Callable[[], Repository]) -> FirstLook | None:
        """The first look at a checked, locked project file; None when it cannot serve one (a
        schema older than ``head`` must be upgraded through the store, and a file without a
        project record is refused there in words)."""
        con = sqlite3.connect(sqlite_uri(path.resolve()), uri=True, check_same_thread=False)  # under _lock
        try:
            con.execute("PRAGMA trusted_schema=OFF")
            con.execute("PRAGMA query_only=ON")
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
            if rows != [(head,)] or con.execute("SELECT 1 FROM project LIMIT 1").fetchone() is None:
                con.close()
                return None
        except sqlite3.Error:
            con.close()
            return None  # the open names the problem
        return cls(con, head, attach)

    # -- the store, attached --------------------------------------------------------------

    @property
    def attached(self) -> bool:
        return self._store is not None

    def attach(self) -> Repository:
        """Open the store (the caller's checks included) and make the writes that waited."""
        with self._lock:
            if self._store is None:
                if self._failed is not None:  # the store was refused once: the same message again
                    raise self._failed
                if self._closed:  # closed before it was needed: the file is no longer locked by us
                    raise ProjectError("the project was closed before its store was opened")
                try:
                    store = self._attach()
                except ProjectError as exc:
                    self._failed = exc
                    raise
                if self._con is not None:
                    self._con.close()
                    self._con = None
                for coder_id, document_id in self._positions.items():
                    store.set_last_document(coder_id, document_id)
                self._positions.clear()
                self._store = store
            return self._store

    def close(self) -> None:
        """The project is closed: the store's engine, or, before the store was attached, the
        file (a remembered article is still written, attaching for it)."""
        with self._lock:
            if self._store is None and self._positions and self._failed is None:
                try:
                    self.attach()
                except ProjectError:
                    pass  # the store was refused: only the remembered article is not written
            if self._store is not None:
                self._store.engine.dispose()
            elif self._con is not None:
                self._con.close()
                self._con = None
            self._closed = True

    def __getattr__(self, name: str) -> Any:
        # Everything the first look does not answer itself goes to the store, attached for it.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.attach(), name)

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        assert self._con is not None  # callers hold _lock and found no store
        return self._con.execute(sql, params).fetchall()

    # -- what the first paint reads -------------------------------------------------------
    # Each is read under the lock while no store is attached, and is the store's own answer after.

    def project_info(self) -> ProjectInfo | None:
        with self._lock:
            if self._store is None:
                rows = self._rows("SELECT id, name, created_at FROM project LIMIT 1")
                if not rows:
                    return None
                pid, name, created = rows[0]
                return ProjectInfo(pid, name, self.schema_revision, _time(created))
        return self._store.project_info()

    def codebook_content(self) -> dict[str, Any]:
        with self._lock:
            if self._store is None:
                rows = self._rows("SELECT codebook.content FROM codebook JOIN project ON project.codebook_id = codebook.id")
                return dict((_json(rows[0][0]) if rows else None) or {})
        return self._store.codebook_content()

    def coders(self) -> list[Coder]:
        with self._lock:
            if self._store is None:
                return [Coder(i, n) for i, n in self._rows("SELECT id, name FROM coder ORDER BY name")]
        return self._store.coders()

    def coder_by_name(self, name: str) -> Coder | None:
        with self._lock:
            if self._store is None:
                rows = self._rows("SELECT id, name FROM coder WHERE name = ? LIMIT 1", (name,))
                return Coder(*rows[0]) if rows else None
        return self._store.coder_by_name(name)

    def last_document_id(self, coder_id: str) -> str | None:
        with self._lock:
            if self._store is None:
                if coder_id in self._positions:
                    return self._positions[coder_id]
                rows = self._rows("SELECT last_document_id FROM coder WHERE id = ?", (coder_id,))
                return rows[0][0] if rows else None
        return self._store.last_document_id(coder_id)

    def set_last_document(self, coder_id: str, document_id: str | None) -> None:
        with self._lock:
            if self._store is None:
                self._positions[coder_id] = document_id
                return
        self._store.set_last_document(coder_id, document_id)

    def setting(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if self._store is None:
                rows = self._rows('SELECT value FROM project_setting WHERE "key" = ?', (key,))
                return default if not rows else _json(rows[0][0])
        return self._store.setting(key, default)

    def entities(self) -> list[Entity]:
        with self._lock:
            if self._store is None:
                return [
                    Entity(id=i, name=n, kind=k or "", aliases=tuple(_json(a) or ()), attributes=dict(_json(t) or {}))
                    for i, n, k, a, t in self._rows("SELECT id, name, kind, aliases, attributes FROM entity ORDER BY name")
                ]
        return self._store.entities()

    def document_summaries(self, coder_id: str | None, *, start: int | None = None,
                           limit: int | None = None) -> list[DocumentSummary]:
        with self._lock:
            if self._store is None:
                sql = ("SELECT document.id, document.position, document.title, document.source, document.published, "
                       "document_status.status, (SELECT count(*) FROM statement WHERE statement.document_id = "
                       "document.id AND statement.coder_id = ?), document.length FROM document LEFT OUTER JOIN "
                       "document_status ON document_status.document_id = document.id AND document_status.coder_id = ?")
                params: list[Any] = [coder_id, coder_id]
                if start is not None:
                    sql += " WHERE document.position >= ?"
                    params.append(start)
                sql += " ORDER BY document.position, document.id"
                if limit is not None:
                    sql += " LIMIT ?"
                    params.append(limit)
                return [DocumentSummary(i, pos, t or "", src or "", pub, st or "not_started", k or 0, ln)
                        for i, pos, t, src, pub, st, k, ln in self._rows(sql, tuple(params))]
        return self._store.document_summaries(coder_id, start=start, limit=limit)

    def document(self, document_id: str) -> Document | None:
        with self._lock:
            if self._store is None:
                rows = self._rows("SELECT id, sha256, title, source, published, url, text, metadata, position "
                                  "FROM document WHERE id = ?", (document_id,))
                if not rows:
                    return None
                i, sha, title, source, published, url, text, meta, position = rows[0]
                return Document(id=i, sha256=sha, title=title, source=source, published=published, url=url,
                                text=text, metadata=dict(_json(meta) or {}), position=position)
        return self._store.document(document_id)

    def statements(self, document_id: str, coder_id: str | None = None) -> list[Statement]:
        with self._lock:
            if self._store is None:
                sql = ('SELECT id, document_id, coder_id, start, "end", "values", note, created_at, updated_at, '
                       "origin FROM statement WHERE document_id = ?")
                params: tuple[Any, ...] = (document_id,)
                if coder_id is not None:
                    sql += " AND coder_id = ?"
                    params += (coder_id,)
                sql += ' ORDER BY start, "end", created_at'
                return [
                    Statement(id=i, document_id=d, coder_id=c, start=s, end=e, values=dict(_json(v) or {}),
                              note=n or "", created_at=_time(ca), updated_at=_time(ua), origin=o or "")
                    for i, d, c, s, e, v, n, ca, ua, o in self._rows(sql, params)
                ]
        return self._store.statements(document_id, coder_id)
