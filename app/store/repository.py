"""Reads and writes a project; every public method is one committed transaction.

Callers get plain domain records (``app.core.domain``), never ORM rows, so nothing above the
store can trigger a lazy load or hold a session across threads.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, TypeVar

from sqlalchemy import Engine, Text, case, cast, delete, func, insert, null, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.core.domain import (
    Coder,
    Document,
    DocumentStatus,
    DocumentSummary,
    Entity,
    NewDocument,
    ProjectInfo,
    Statement,
)
from app.store.models import (
    CoderRow,
    CodebookRow,
    DocumentRow,
    DocumentStatusRow,
    EntityRow,
    ProjectSettingRow,
    ProjectRow,
    StatementRow,
    utcnow,
)
from app.store.db import utc_text
from app.store.server import DOCUMENTS_LOCK, serialised


F = TypeVar("F", bound=Callable[..., Any])

# Project setting: when a statement was last deleted (utc_text). A work package's coder may delete
# her newest statements; the merge reads this to know the package is not an older copy.
LAST_DELETION = "last_deletion_at"


def new_id() -> str:
    return str(uuid.uuid4())


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _statement(row: StatementRow) -> Statement:
    return Statement(
        id=row.id,
        document_id=row.document_id,
        coder_id=row.coder_id,
        start=row.start,
        end=row.end,
        values=dict(row.values or {}),
        note=row.note or "",
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        origin=row.origin or "",
    )


def _document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        sha256=row.sha256,
        title=row.title,
        source=row.source,
        published=row.published,
        url=row.url,
        text=row.text,
        metadata=dict(row.meta or {}),
        position=row.position,
    )


def _entity(row: EntityRow) -> Entity:
    return Entity(id=row.id, name=row.name, kind=row.kind or "", aliases=tuple(row.aliases or ()),
                  attributes=dict(row.attributes or {}))


def _again_on_conflict(write: F) -> F:
    """For writes whose first row for a key is an insert (a document's status for a coder, a
    setting): if another program inserted that row a moment earlier (team mode: two windows of
    one coder, two supervisors), the unique key refuses ours, nothing is changed, and a second
    try finds their row and updates it."""

    @functools.wraps(write)
    def again(*args: Any, **kwargs: Any) -> Any:
        try:
            return write(*args, **kwargs)
        except IntegrityError:
            return write(*args, **kwargs)

    return again  # type: ignore[return-value]


class Repository:
    def __init__(self, engine: Engine, schema_revision: str) -> None:
        self.engine = engine
        self.schema_revision = schema_revision
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # -- project and codebook -------------------------------------------------------------

    def create_project(self, *, project_id: str, name: str, codebook: dict[str, Any]) -> None:
        with self.session() as s:
            book = CodebookRow(name=codebook["name"], version=codebook.get("version", "1"), content=codebook)
            s.add(book)
            s.flush()
            s.add(ProjectRow(id=project_id, name=name, codebook_id=book.id))

    def project_info(self) -> ProjectInfo | None:
        with self.session() as s:
            row = s.scalars(select(ProjectRow).limit(1)).first()
            if row is None:
                return None
            return ProjectInfo(row.id, row.name, self.schema_revision, _aware(row.created_at))

    def codebook_content(self) -> dict[str, Any]:
        with self.session() as s:
            content = s.scalar(
                select(CodebookRow.content).join(ProjectRow, ProjectRow.codebook_id == CodebookRow.id)
            )
            return dict(content or {})

    def set_codebook(self, codebook: dict[str, Any]) -> None:
        with self.session() as s:
            book = CodebookRow(name=codebook["name"], version=codebook.get("version", "1"), content=codebook)
            s.add(book)
            s.flush()
            s.execute(update(ProjectRow).values(codebook_id=book.id))

    # -- coders ---------------------------------------------------------------------------

    def coders(self) -> list[Coder]:
        with self.session() as s:
            return [Coder(r.id, r.name) for r in s.scalars(select(CoderRow).order_by(CoderRow.name))]

    def coder_by_name(self, name: str) -> Coder | None:
        with self.session() as s:
            row = s.scalars(select(CoderRow).where(CoderRow.name == name)).first()
            return Coder(row.id, row.name) if row else None

    def add_coder(self, name: str) -> Coder:
        """Register a coder; if another program registered the same name a moment ago (team
        mode), the unique constraint refuses ours and theirs is the one."""
        try:
            with self.session() as s:
                row = CoderRow(id=new_id(), name=name)
                s.add(row)
                return Coder(row.id, row.name)
        except IntegrityError:
            existing = self.coder_by_name(name)
            if existing is None:
                raise
            return existing

    def last_document_id(self, coder_id: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(CoderRow.last_document_id).where(CoderRow.id == coder_id))

    def set_last_document(self, coder_id: str, document_id: str | None) -> None:
        with self.session() as s:
            s.execute(update(CoderRow).where(CoderRow.id == coder_id).values(last_document_id=document_id))

    # -- project settings -----------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        with self.session() as s:
            row = s.get(ProjectSettingRow, key)
            return default if row is None else row.value

    @_again_on_conflict
    def set_setting(self, key: str, value: Any) -> None:
        with self.session() as s:
            row = s.get(ProjectSettingRow, key)
            if row is None:
                s.add(ProjectSettingRow(key=key, value=value))
            else:
                row.value = value

    def delete_setting(self, key: str) -> bool:
        with self.session() as s:
            return bool(s.execute(delete(ProjectSettingRow).where(ProjectSettingRow.key == key)).rowcount)

    def settings(self) -> dict[str, Any]:
        with self.session() as s:
            return {r.key: r.value for r in s.scalars(select(ProjectSettingRow).order_by(ProjectSettingRow.key))}

    # -- entities -------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        with self.session() as s:
            return [_entity(r) for r in s.scalars(select(EntityRow).order_by(EntityRow.name))]

    def add_entity(self, name: str, kind: str = "", aliases: Sequence[str] = (),
                   attributes: dict[str, Any] | None = None) -> Entity:
        with self.session() as s:
            row = EntityRow(id=new_id(), name=name, kind=kind, aliases=list(aliases), attributes=dict(attributes or {}))
            s.add(row)
            return _entity(row)

    def update_entity(self, entity_id: str, *, name: str, kind: str, aliases: Sequence[str]) -> Entity:
        with self.session() as s:
            row = s.get_one(EntityRow, entity_id)
            row.name, row.kind, row.aliases = name, kind, list(aliases)
            return _entity(row)

    # -- documents ------------------------------------------------------------------------

    def existing_hashes(self) -> dict[str, str]:
        """sha256 → title of every document, to report duplicates before inserting."""
        with self.session() as s:
            return {sha: title for sha, title in s.execute(select(DocumentRow.sha256, DocumentRow.title))}

    def add_documents(self, docs: Iterable[tuple[NewDocument, str]], *, checkpoint: bool = True) -> int:
        """Insert one file's documents (with their sha256) in one transaction: all or none.

        Core, not the ORM session: an import calls this once per file, and the session's
        bulk-insert machinery cost a third of the CPU time of a 10,000-file import.

        ``checkpoint=False`` (SQLite): this commit does not copy the write-ahead log into the
        file even when the log is past SQLite's 1,000 pages; the caller calls
        :meth:`checkpoint` when it is done. An import of 10,000 articles otherwise checkpoints
        (and syncs the file to disk) ten times.
        """
        with self.engine.connect() as conn:  # transactions begin on first use (SQLAlchemy 2)
            defer = not checkpoint and conn.dialect.name == "sqlite"
            if defer:
                pages = int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)
                conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            try:
                stored = self._insert_documents(conn, docs)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                if defer:  # after the commit: the setting belongs to this pooled connection
                    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint={pages}")
                    conn.commit()
            return stored

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the project file now (passive: readers are
        never blocked), as a commit past 1,000 pages of log does by itself."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _insert_documents(self, conn: Any, docs: Iterable[tuple[NewDocument, str]]) -> int:
        table = DocumentRow.__table__
        # On a server, imports take turns from here to the commit: two of them would read the
        # same highest position, and the same article from both would break the sha256 key.
        # (A project file has one writer at a time already: its lock file.)
        serialised(conn, DOCUMENTS_LOCK)
        docs = list(docs)
        if conn.dialect.name == "postgresql" and docs:
            docs = self._not_stored(conn, docs)
        next_pos = (conn.scalar(select(func.max(table.c.position))) or 0) + 1
        rows = []
        now = utcnow()
        for i, (doc, sha) in enumerate(docs):
            rows.append(
                {
                    "id": new_id(), "sha256": sha, "position": next_pos + i, "title": doc.title,
                    "source": doc.source, "published": doc.published, "url": doc.url,
                    "text": doc.text, "length": len(doc.text), "metadata": dict(doc.metadata),
                    "origin": doc.origin, "imported_at": now,
                }
            )
        if rows:
            conn.execute(insert(table), rows)
        return len(rows)

    @staticmethod
    def _not_stored(conn: Any, docs: list[tuple[NewDocument, str]]) -> list[tuple[NewDocument, str]]:
        """The documents whose sha256 no other program stored since the caller looked."""
        sha = DocumentRow.__table__.c.sha256
        wanted = [h for _, h in docs]
        stored: set[str] = set()
        for i in range(0, len(wanted), 1000):
            stored.update(conn.scalars(select(sha).where(sha.in_(wanted[i:i + 1000]))))
        return [(d, h) for d, h in docs if h not in stored]

    def document_count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(DocumentRow)) or 0

    def document_summaries(self, coder_id: str | None, *, start: int | None = None,
                           limit: int | None = None) -> list[DocumentSummary]:
        """The documents' list entries in position order, with the coder's status and statement
        count: every one, or (``start``/``limit``) the first ``limit`` from position ``start`` on —
        a page the position index serves without reading the rest, so the window paints with the
        first page of a 100,000-article list and fetches the others while the coder reads.

        The count is a correlated subquery answered from the (document_id, coder_id) index, not
        a GROUP BY over the coder's statements: at 100,000 articles and 1,000,000 statements the
        grouped count read every statement row and sorted them (a third of the open time); rows
        come as plain tuples through Core, not an ORM session.
        """
        n = (
            select(func.count())
            .select_from(StatementRow)
            .where(StatementRow.document_id == DocumentRow.id, StatementRow.coder_id == coder_id)
            .correlate(DocumentRow)
            .scalar_subquery()
        )
        q = (
            select(
                DocumentRow.id, DocumentRow.position, DocumentRow.title, DocumentRow.source,
                DocumentRow.published, DocumentStatusRow.status, n, DocumentRow.length,
            )
            .outerjoin(DocumentStatusRow, (DocumentStatusRow.document_id == DocumentRow.id)
                       & (DocumentStatusRow.coder_id == coder_id))
            .order_by(DocumentRow.position, DocumentRow.id)
        )
        if start is not None:
            q = q.where(DocumentRow.position >= start)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [
                DocumentSummary(i, pos, t or "", src or "", pub, st or "not_started", k or 0, ln)
                for i, pos, t, src, pub, st, k, ln in conn.execute(q)
            ]

    def status_count(self, coder_id: str, status: str) -> int:
        """How many documents the coder gave ``status`` (the "37 of 120 done" while the list loads)."""
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(DocumentStatusRow).where(
                DocumentStatusRow.coder_id == coder_id, DocumentStatusRow.status == status)) or 0

    def document_exists(self, document_id: str) -> bool:
        with self.session() as s:
            return s.scalar(select(DocumentRow.position).where(DocumentRow.id == document_id)) is not None

    def document(self, document_id: str) -> Document | None:
        with self.session() as s:
            row = s.get(DocumentRow, document_id)
            return _document(row) if row else None

    def documents(self) -> Iterator[Document]:
        """All documents in order, streamed in batches so a big project is never all in memory."""
        with self.session() as s:
            q = select(DocumentRow).order_by(DocumentRow.position, DocumentRow.id).execution_options(yield_per=500)
            for row in s.scalars(q):
                yield _document(row)

    def status_map(self, coder_id: str) -> dict[str, DocumentStatus]:
        with self.session() as s:
            q = select(DocumentStatusRow.document_id, DocumentStatusRow.status).where(
                DocumentStatusRow.coder_id == coder_id
            )
            return {d: st for d, st in s.execute(q)}  # type: ignore[misc]

    @_again_on_conflict
    def set_status(self, document_id: str, coder_id: str, status: DocumentStatus) -> DocumentStatus:
        """Set a coder's status of a document; return the previous one (for undo)."""
        with self.session() as s:
            row = s.scalars(
                select(DocumentStatusRow).where(
                    DocumentStatusRow.document_id == document_id, DocumentStatusRow.coder_id == coder_id
                )
            ).first()
            if row is None:
                s.add(DocumentStatusRow(document_id=document_id, coder_id=coder_id, status=status))
                return "not_started"
            previous = row.status
            row.status, row.updated_at = status, utcnow()
            return previous  # type: ignore[return-value]

    # -- statements -----------------------------------------------------------------------

    def statements(self, document_id: str, coder_id: str | None = None) -> list[Statement]:
        with self.session() as s:
            q = select(StatementRow).where(StatementRow.document_id == document_id)
            if coder_id is not None:
                q = q.where(StatementRow.coder_id == coder_id)
            q = q.order_by(StatementRow.start, StatementRow.end, StatementRow.created_at)
            return [_statement(r) for r in s.scalars(q)]

    def statements_of_coder(self, coder_id: str) -> Iterator[Statement]:
        with self.session() as s:
            q = (
                select(StatementRow)
                .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
                .where(StatementRow.coder_id == coder_id)
                .order_by(DocumentRow.position, StatementRow.start, StatementRow.end, StatementRow.created_at)
                .execution_options(yield_per=2000)
            )
            for row in s.scalars(q):
                yield _statement(row)

    def export_rows(self, coder_id: str, *, chunk: int = 5000) -> Iterator[dict[str, Any]]:
        """A coder's statements as plain dicts, in document order, for the export.

        Core rows instead of ORM objects, and each chunk's ``values`` decoded with one
        ``json.loads`` over the raw JSON text: an export of 100,000 statements spends its time
        writing, not building objects.
        """
        q = _export_statement_query(coder_id)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(q)
            for rows in result.partitions():
                values = json.loads("[" + ",".join(r[4] or "{}" for r in rows) + "]")
                for r, vals in zip(rows, values):
                    row = {
                        "id": r[0], "document_id": r[1], "start": r[2], "end": r[3], "values": vals,
                        "note": r[5] or "", "created_at": _aware(r[6]), "updated_at": _aware(r[7]),
                    }
                    if r[8]:  # written only when set: exports of hand-made statements stay as before
                        row["origin"] = r[8]
                    yield row

    # The export's reads: plain tuples in chunks, in the order the export lists them (document
    # position, then id for documents that share a position, then the statement's offsets). On
    # SQLite they come straight from the driver's cursor: at a million statements, SQLAlchemy's
    # row objects and the conversion of every timestamp to a datetime were 40 % of the export.
    # CROSS JOIN makes SQLite walk the documents in position order and sort each one's few
    # statements (the plain join sorted all million rows in a temporary table).

    _EXPORT_DOCUMENTS_SQL = (
        'SELECT d.id, d.sha256, d.title, d.source, d.published, d.url, {text}, d.metadata, ds.status '
        'FROM document d LEFT JOIN document_status ds ON ds.document_id = d.id AND ds.coder_id = ? '
        '{where}ORDER BY d.position, d.id'
    )
    _EXPORT_STATEMENTS_SQL = (
        'SELECT s.id, s.document_id, s.start, s."end", s."values", s.note, s.created_at, s.updated_at, s.origin '
        'FROM document d CROSS JOIN statement s WHERE s.document_id = d.id AND s.coder_id = ? {where}'
        'ORDER BY d.position, d.id, s.start, s."end", s.created_at'
    )

    def export_documents(self, coder_id: str, *, text: bool = True, details: bool = True,
                         chunk: int = 500, window: ExportWindow = None) -> Iterator[list[tuple[Any, ...]]]:
        """Every document as ``(id, sha256, title, source, published, url, text, metadata JSON
        text, the coder's status or None)``, in chunks; ``text=False`` leaves the text None,
        ``details=False`` everything but the id and the text. ``window``: only the documents
        after its first key and up to its second (see :meth:`export_cut`)."""
        if self.engine.dialect.name == "sqlite":
            where, params = _sqlite_window(window)
            if details:
                sql = self._EXPORT_DOCUMENTS_SQL.format(text="d.text" if text else "NULL",
                                                        where=f"WHERE {where[5:]} " if where else "")
                yield from self._raw_chunks(sql, (coder_id, *params), chunk)
            else:
                sql = ("SELECT d.id, NULL, NULL, NULL, NULL, NULL, d.text, NULL, NULL FROM document d "
                       f"{'WHERE ' + where[5:] + ' ' if where else ''}ORDER BY d.position, d.id")
                yield from self._raw_chunks(sql, params, chunk)
            return
        status = DocumentStatusRow.__table__
        doc = DocumentRow.__table__
        if details:
            q = (
                select(doc.c.id, doc.c.sha256, doc.c.title, doc.c.source, doc.c.published, doc.c.url,
                       doc.c.text if text else null(), cast(doc.c["metadata"], Text), status.c.status)
                .outerjoin(status, (status.c.document_id == doc.c.id) & (status.c.coder_id == coder_id))
                .order_by(doc.c.position, doc.c.id)
            )
        else:
            q = select(doc.c.id, null(), null(), null(), null(), null(), doc.c.text, null(), null()).order_by(
                doc.c.position, doc.c.id)
        yield from self._core_chunks(q.where(*_core_window(window)), chunk)

    def export_metadata(self, *, chunk: int = 2000, window: ExportWindow = None) -> Iterator[list[tuple[Any, ...]]]:
        """The documents of :meth:`export_documents` (``window``: a run of them) with only their
        id and metadata JSON text, in that shape, in no particular order: what the CSV's
        ``meta_`` columns need. Neither the coder's status nor the order: at 100,000 documents
        they were three quarters of the pass, done before the second process has its job."""
        if self.engine.dialect.name == "sqlite":
            where, params = _sqlite_window(window)
            sql = ("SELECT d.id, NULL, NULL, NULL, NULL, NULL, NULL, d.metadata, NULL FROM document d"
                   f"{' WHERE ' + where[5:] if where else ''}")
            yield from self._raw_chunks(sql, params, chunk)
            return
        doc = DocumentRow.__table__
        q = select(doc.c.id, null(), null(), null(), null(), null(), null(), cast(doc.c["metadata"], Text), null())
        yield from self._core_chunks(q.where(*_core_window(window)), chunk)

    def export_statements(self, coder_id: str, *, chunk: int = 5000,
                          window: ExportWindow = None) -> Iterator[list[tuple[Any, ...]]]:
        """A coder's statements as ``(id, document_id, start, end, values JSON text, note,
        created_at, updated_at, origin)``, in chunks, in the order of :meth:`export_documents`
        (``window``: of its documents only). The timestamps are SQLite's stored text on SQLite,
        datetimes elsewhere."""
        if self.engine.dialect.name == "sqlite":
            where, params = _sqlite_window(window)
            sql = self._EXPORT_STATEMENTS_SQL.format(where=where + " " if where else "")
            yield from self._raw_chunks(sql, (coder_id, *params), chunk)
            return
        yield from self._core_chunks(_export_statement_query(coder_id).where(*_core_window(window)), chunk)

    def export_cut(self, fraction: float) -> tuple[DocumentKey, DocumentKey] | None:
        """Where to cut the documents, in export order, so that ``fraction`` of them come
        before the cut: the key ``(position, id)`` of the last of those and of the very last
        document. The windows ``(None, cut)`` and ``(cut, last)`` then hold every document
        (of this moment: one added later comes after ``last``). None without documents."""
        doc = DocumentRow.__table__
        order = (doc.c.position.desc(), doc.c.id.desc())
        with self.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(doc)).scalar() or 0
            last = conn.execute(select(doc.c.position, doc.c.id).order_by(*order).limit(1)).first()
            cut = conn.execute(select(doc.c.position, doc.c.id).order_by(doc.c.position, doc.c.id)
                               .offset(max(0, int(n * fraction) - 1)).limit(1)).first()
        if last is None or cut is None:
            return None
        return (cut[0], cut[1]), (last[0], last[1])

    def _raw_chunks(self, sql: str, params: tuple[Any, ...], chunk: int) -> Iterator[list[tuple[Any, ...]]]:
        with self.engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                cursor.execute(sql, params)
                while rows := cursor.fetchmany(chunk):
                    yield rows
            finally:
                cursor.close()

    def _core_chunks(self, q: Any, chunk: int) -> Iterator[list[tuple[Any, ...]]]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(q)
            for rows in result.partitions():
                yield [tuple(r) for r in rows]

    def statement_page(self, coder_id: str, offset: int, limit: int, *,
                       contains: str = "") -> list[tuple[Statement, str, str]]:
        """One page of a coder's statements in document order, each with its document's title and
        the first 200 characters of its text (cut in SQL: substr counts characters on SQLite and
        PostgreSQL alike), so a 100,000-statement table loads page by page. ``contains`` keeps
        the statements whose text, values or document title contain it (case-insensitive)."""
        span = StatementRow.end - StatementRow.start
        excerpt = func.substr(DocumentRow.text, StatementRow.start + 1, case((span > 200, 200), else_=span))
        with self.session() as s:
            q = (
                select(StatementRow, DocumentRow.title, excerpt)
                .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
                .where(StatementRow.coder_id == coder_id, *self._containing(contains))
                .order_by(DocumentRow.position, StatementRow.start, StatementRow.end, StatementRow.created_at)
                .offset(offset)
                .limit(limit)
            )
            return [(_statement(row), title or "", text or "") for row, title, text in s.execute(q)]

    def statement_scan(self, coder_id: str, after: tuple[int, int], limit: int, *, contains: str = "",
                       max_documents: int = 2048) -> tuple[list[tuple[Statement, str, str]], tuple[int, int] | None]:
        """Up to ``limit`` of the coder's statements (as in ``statement_page``) in document order,
        from ``after`` = (document position, statements of that position already shown) on, and
        where to go on from (None at the end of the project). Stops early, with fewer rows, once
        ``max_documents`` documents were looked at: a search for a rare word is asked again for
        the next stretch instead of reading the whole project at once.

        The first page of a million-statement project without sorting every statement: the
        documents come in position order from their index, a few at first and twice as many each
        round, and each one's statements from the (document_id, coder_id) index."""
        start, skip = after
        rows: list[tuple[Statement, str, str]] = []
        positions: list[int] = []
        span = StatementRow.end - StatementRow.start
        excerpt = func.substr(DocumentRow.text, StatementRow.start + 1, case((span > 200, 200), else_=span))
        step, seen = 32, 0
        with self.session() as s:
            while seen < max_documents:
                step = min(step, max_documents - seen)
                upper, docs = _document_window(s, start, step)
                q = (
                    select(StatementRow, DocumentRow.title, excerpt, DocumentRow.position)
                    .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
                    .where(StatementRow.coder_id == coder_id, DocumentRow.id.in_(docs), *self._containing(contains))
                    .order_by(DocumentRow.position, StatementRow.start, StatementRow.end, StatementRow.created_at,
                              StatementRow.id)
                )
                for row, title, text, pos in s.execute(q):
                    if pos == start and skip:
                        skip -= 1
                        continue
                    if len(rows) == limit:  # full: go on from this row next time
                        prior = after[1] if pos == after[0] else 0
                        return rows, (pos, prior + positions.count(pos))
                    rows.append((_statement(row), title or "", text or ""))
                    positions.append(pos)
                if upper is None:
                    return rows, None
                start, skip, seen, step = upper + 1, 0, seen + step, step * 2
        return rows, (start, 0)

    def statement_match_count_in(self, coder_id: str, start: int, documents: int,
                                 contains: str = "") -> tuple[int, int | None]:
        """How many of the coder's statements in the ``documents`` documents from position
        ``start`` on contain ``contains``, and the position to go on from (None at the end): a
        count over a million statements in steps a background thread can stop between."""
        with self.session() as s:
            upper, docs = _document_window(s, start, documents)
            q = (
                select(func.count())
                .select_from(StatementRow)
                .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
                .where(StatementRow.coder_id == coder_id, DocumentRow.id.in_(docs), *self._containing(contains))
            )
            return s.scalar(q) or 0, None if upper is None else upper + 1

    def statement_match_count(self, coder_id: str, contains: str = "") -> int:
        if not contains:  # every statement has its document (foreign key): the join only costs
            return self.statement_count(coder_id)  # (3 s of 3.2 at a million statements)
        with self.session() as s:
            q = (
                select(func.count())
                .select_from(StatementRow)
                .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
                .where(StatementRow.coder_id == coder_id, *self._containing(contains))
            )
            return s.scalar(q) or 0

    @staticmethod
    def _containing(contains: str) -> list[Any]:
        if not contains:
            return []
        needle = "%" + contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        span_text = func.substr(DocumentRow.text, StatementRow.start + 1, StatementRow.end - StatementRow.start)
        return [or_(
            span_text.ilike(needle, escape="\\"),
            cast(StatementRow.values, Text).ilike(needle, escape="\\"),
            DocumentRow.title.ilike(needle, escape="\\"),
        )]

    def statement(self, statement_id: str) -> Statement | None:
        with self.session() as s:
            row = s.get(StatementRow, statement_id)
            return _statement(row) if row else None

    @_again_on_conflict
    def add_statement(self, st: Statement, *, mark_started: bool = False) -> Statement:
        """Insert a statement; with ``mark_started`` a not-started document becomes in progress
        in the same transaction (a done or skipped one keeps its status)."""
        with self.session() as s:
            if mark_started:
                row = s.scalars(
                    select(DocumentStatusRow).where(
                        DocumentStatusRow.document_id == st.document_id, DocumentStatusRow.coder_id == st.coder_id
                    )
                ).first()
                if row is None:
                    s.add(DocumentStatusRow(document_id=st.document_id, coder_id=st.coder_id, status="in_progress"))
                elif row.status == "not_started":
                    row.status = "in_progress"
            s.add(
                StatementRow(
                    id=st.id, document_id=st.document_id, coder_id=st.coder_id, start=st.start,
                    end=st.end, values=dict(st.values), note=st.note,
                    created_at=st.created_at, updated_at=st.updated_at, origin=st.origin,
                )
            )
            return st

    def add_statements(self, statements: Sequence[Statement]) -> int:
        """Insert many statements in one transaction (an import from another tool), marking
        each coder's documents as in progress; Core inserts, as in :meth:`add_documents`."""
        if not statements:
            return 0
        table, status = StatementRow.__table__, DocumentStatusRow.__table__
        with self.engine.begin() as conn:
            conn.execute(table.insert(), [
                {"id": st.id, "document_id": st.document_id, "coder_id": st.coder_id, "start": st.start,
                 "end": st.end, "values": dict(st.values), "note": st.note,
                 "created_at": st.created_at, "updated_at": st.updated_at}
                for st in statements
            ])
            have = {(d, c) for d, c in conn.execute(select(status.c.document_id, status.c.coder_id))}
            pairs = sorted({(st.document_id, st.coder_id) for st in statements} - have)
            if pairs:
                now = utcnow()
                conn.execute(status.insert(), [
                    {"document_id": d, "coder_id": c, "status": "in_progress", "updated_at": now} for d, c in pairs
                ])
        return len(statements)

    def update_statement(self, st: Statement) -> Statement:
        with self.session() as s:
            s.execute(
                update(StatementRow)
                .where(StatementRow.id == st.id)
                .values(start=st.start, end=st.end, values=dict(st.values), note=st.note, updated_at=st.updated_at,
                        origin=st.origin)
            )
            return st

    @_again_on_conflict
    def delete_statement(self, statement_id: str) -> None:
        """Delete the statement and, in the same transaction, note when (the setting
        ``LAST_DELETION``): a merge must tell a package whose coder deleted her newest statements
        from an older package that never had them."""
        with self.session() as s:
            gone = s.execute(delete(StatementRow).where(StatementRow.id == statement_id)).rowcount
            if gone:
                stamp = utc_text(datetime.now(timezone.utc))
                row = s.get(ProjectSettingRow, LAST_DELETION)
                if row is None:
                    s.add(ProjectSettingRow(key=LAST_DELETION, value=stamp))
                elif not isinstance(row.value, str) or row.value < stamp:
                    row.value = stamp

    def statement_count(self, coder_id: str | None = None) -> int:
        with self.session() as s:
            q = select(func.count()).select_from(StatementRow)
            if coder_id is not None:
                q = q.where(StatementRow.coder_id == coder_id)
            return s.scalar(q) or 0


DocumentKey = tuple[int, str]  # a document's place in the export's order: (position, id)
ExportWindow = tuple[DocumentKey | None, DocumentKey | None] | None  # after the first key, up to the second


def _sqlite_window(window: ExportWindow) -> tuple[str, tuple[Any, ...]]:
    """The window as SQL over ``d`` (`` AND …``, a range on the position index) and its parameters."""
    where = ""
    params: tuple[Any, ...] = ()
    after, upto = window or (None, None)
    if after is not None:
        where += " AND d.position >= ? AND NOT (d.position = ? AND d.id <= ?)"
        params += (after[0], after[0], after[1])
    if upto is not None:
        where += " AND d.position <= ? AND NOT (d.position = ? AND d.id > ?)"
        params += (upto[0], upto[0], upto[1])
    return where, params


def _core_window(window: ExportWindow) -> list[Any]:
    doc = DocumentRow.__table__
    after, upto = window or (None, None)
    out = []
    if after is not None:
        out.append(or_(doc.c.position > after[0], (doc.c.position == after[0]) & (doc.c.id > after[1])))
    if upto is not None:
        out.append(or_(doc.c.position < upto[0], (doc.c.position == upto[0]) & (doc.c.id <= upto[1])))
    return out


def _export_statement_query(coder_id: str) -> Any:
    """A coder's statements as the export's columns (values as JSON text), in document order."""
    return (
        select(
            StatementRow.id, StatementRow.document_id, StatementRow.start, StatementRow.end,
            cast(StatementRow.values, Text), StatementRow.note,
            StatementRow.created_at, StatementRow.updated_at, StatementRow.origin,
        )
        .join(DocumentRow, DocumentRow.id == StatementRow.document_id)
        .where(StatementRow.coder_id == coder_id)
        .order_by(DocumentRow.position, DocumentRow.id, StatementRow.start, StatementRow.end, StatementRow.created_at)
    )


def _document_window(s: Session, start: int, n: int) -> tuple[int | None, Any]:
    """The ids of the ``n`` documents from position ``start`` on, as a subquery, and the last
    one's position (None when fewer are left: the window reaches the end)."""
    upper = s.scalar(select(DocumentRow.position).where(DocumentRow.position >= start)
                     .order_by(DocumentRow.position).offset(n - 1).limit(1))
    docs = select(DocumentRow.id).where(DocumentRow.position >= start)
    if upper is not None:
        docs = docs.where(DocumentRow.position <= upper)
    return upper, docs
