"""The study's tables, read and written in bulk (SQL Core, not one ORM object per row).

A merge moves hundreds of thousands of statements; the ORM session's unit of work costs more
than the database does at that size, so these methods take and give plain dicts and tuples, and
the writing ones work inside one caller-supplied transaction (all of a merge or none of it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from app.store import db
from app.store.models import (
    AdjudicationRow,
    AssignmentDocumentRow,
    AssignmentRow,
    CoderRow,
    DocumentRow,
    DocumentStatusRow,
    EntityRow,
    MergeLogRow,
    StatementRow,
    utcnow,
)

CHUNK = 5000
ADJUDICATION_COLUMNS = ("id", "document_id", "decision", "statement_id", "sources", "unit", "adjudicator", "created_at")
STATEMENT_COLUMNS = ("id", "document_id", "coder_id", "start", "end", "values", "note", "created_at", "updated_at")
ST = StatementRow.__table__
STATUS = DocumentStatusRow.__table__


def aware(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _statement_dict(row: Sequence[Any]) -> dict[str, Any]:
    d = dict(zip(STATEMENT_COLUMNS, row))
    d["values"] = json.loads(d["values"])
    d["created_at"], d["updated_at"] = db.from_utc_text(d["created_at"]), db.from_utc_text(d["updated_at"])
    return d


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class StudyRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for a bulk write, with room in the page cache for it."""
        with self.engine.begin() as conn, db.roomy_cache(conn):
            yield conn

    # -- documents, coders, entities (for packages) ----------------------------------------

    def document_infos(self) -> list[tuple[str, int, int, str, str | None, dict[str, Any]]]:
        """(id, position, length, source, published, metadata) of every document, no text."""
        t = DocumentRow.__table__
        q = select(t.c.id, t.c.position, t.c.length, t.c.source, t.c.published, t.c.metadata).order_by(t.c.position)
        with self.engine.connect() as conn:
            return [(i, p, n, s or "", pub, dict(m or {})) for i, p, n, s, pub, m in conn.execute(q)]

    def document_rows(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Full document rows (as stored) by id."""
        t = DocumentRow.__table__
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids), 500):
                for row in conn.execute(select(t).where(t.c.id.in_(chunk))).mappings():
                    out[row["id"]] = dict(row)
        return out

    def insert_documents(self, rows: Sequence[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            for chunk in _chunks(rows, 500):
                conn.execute(insert(DocumentRow.__table__), list(chunk))

    def document_lengths(self) -> dict[str, int]:
        t = DocumentRow.__table__
        with self.engine.connect() as conn:
            return dict(db.raw_rows(conn, select(t.c.id, t.c.length)))  # type: ignore[arg-type]

    def max_position(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.max(DocumentRow.__table__.c.position))) or 0

    def document_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.scalars(select(DocumentRow.__table__.c.id)))

    def sha_to_id(self) -> dict[str, str]:
        t = DocumentRow.__table__
        with self.engine.connect() as conn:
            return {sha: i for i, sha in conn.execute(select(t.c.id, t.c.sha256))}

    def entity_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(EntityRow.__table__)).mappings()]

    def insert_entities(self, rows: Sequence[dict[str, Any]], conn: Connection | None = None) -> None:
        if not rows:
            return
        if conn is None:
            with self.engine.begin() as c:
                c.execute(insert(EntityRow.__table__), list(rows))
        else:
            conn.execute(insert(EntityRow.__table__), list(rows))

    def coder_rows(self) -> dict[str, str]:
        """coder id → name."""
        t = CoderRow.__table__
        with self.engine.connect() as conn:
            return dict(conn.execute(select(t.c.id, t.c.name)).all())  # type: ignore[arg-type]

    def insert_coder(self, coder_id: str, name: str, conn: Connection | None = None) -> None:
        row = {"id": coder_id, "name": name, "created_at": utcnow()}
        if conn is None:
            with self.engine.begin() as c:
                c.execute(insert(CoderRow.__table__), [row])
        else:
            conn.execute(insert(CoderRow.__table__), [row])

    # -- assignment -----------------------------------------------------------------------

    def handed(self) -> list[tuple[str, str, bool, int]]:
        """(document id, coder id, in sample, position) of everything handed out."""
        t = AssignmentDocumentRow.__table__
        q = select(t.c.document_id, t.c.coder_id, t.c.in_sample, t.c.position).order_by(t.c.coder_id, t.c.position)
        with self.engine.connect() as conn:
            return [(d, c, bool(s), p) for d, c, s, p in conn.execute(q)]

    def rounds(self) -> list[dict[str, Any]]:
        t = AssignmentRow.__table__
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]

    def add_round(self, seed: int, design: dict[str, Any], rows: Sequence[dict[str, Any]]) -> int:
        """One assignment round and its documents, in one transaction; the round's id."""
        with self.engine.begin() as conn:
            rid = conn.execute(insert(AssignmentRow.__table__).values(
                seed=seed, design=design, created_at=utcnow())).inserted_primary_key[0]
            if rows:
                conn.execute(insert(AssignmentDocumentRow.__table__), [{**r, "assignment_id": rid} for r in rows])
            return int(rid)

    # -- statements -----------------------------------------------------------------------

    def statement_rows(self, coder_ids: Sequence[str] | None = None,
                       document_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Statements as plain dicts (values decoded a chunk at a time), optionally of some
        coders and documents (asked for a few hundred documents at a time); times as ``utc_text``,
        and the values also as their stored text (``values_json``)."""
        cols = [ST.c[c] for c in STATEMENT_COLUMNS]
        base = select(*cols)
        if coder_ids is not None:
            base = base.where(ST.c.coder_id.in_(list(coder_ids)))
        queries = ([base] if document_ids is None else
                   [base.where(ST.c.document_id.in_(list(chunk))) for chunk in _chunks(list(document_ids), 500)])
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for q in queries:
                rows = db.raw_rows(conn, q)
                values = json.loads("[" + ",".join(r[5] or "{}" for r in rows) + "]")
                out.extend(
                    {"id": r[0], "document_id": r[1], "coder_id": r[2], "start": r[3], "end": r[4], "values": v,
                     "values_json": r[5], "note": r[6] or "", "created_at": r[7], "updated_at": r[8]}
                    for r, v in zip(rows, values)
                )
        return out

    def coded_pairs(self) -> list[tuple[str, str]]:
        """(document id, coder id) for every document and coder with a statement there."""
        q = select(ST.c.document_id, ST.c.coder_id).distinct()
        with self.engine.connect() as conn:
            return db.raw_rows(conn, q)  # type: ignore[return-value]

    def statement_tuples(self, coder_id: str) -> list[tuple[Any, ...]]:
        """One coder's statements as tuples in :data:`STATEMENT_COLUMNS` order, values as JSON
        text and times as ``utc_text`` (what a merge compares and copies, without decoding)."""
        q = select(*(ST.c[c] for c in STATEMENT_COLUMNS)).where(ST.c.coder_id == coder_id)
        with self.engine.connect() as conn:
            return db.raw_rows(conn, q)

    def statement_stamps(self, coder_id: str) -> list[tuple[str, str, str, str]]:
        """(id, document id, created_at, updated_at as ``utc_text``) of one coder's statements."""
        q = select(ST.c.id, ST.c.document_id, ST.c.created_at, ST.c.updated_at).where(ST.c.coder_id == coder_id)
        with self.engine.connect() as conn:
            return db.raw_rows(conn, q)

    @staticmethod
    def insert_statements(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows in :data:`STATEMENT_COLUMNS` order, values as JSON text, times as ``utc_text``."""
        if db.is_sqlite(conn):
            # in id order: the primary-key index then grows at few places instead of everywhere
            db.sqlite_insert_many(conn, "statement", STATEMENT_COLUMNS, sorted(rows))
            return
        for chunk in _chunks(rows):
            conn.execute(insert(ST), [_statement_dict(r) for r in chunk])

    @staticmethod
    def update_statements(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        stmt = (update(ST).where(ST.c.id == bindparam("b_id"))
                .values(start=bindparam("start"), end=bindparam("end"), values=bindparam("values", type_=ST.c["values"].type),
                        note=bindparam("note"), updated_at=bindparam("updated_at")))
        for chunk in _chunks(rows):
            conn.execute(stmt, [{**d, "b_id": d["id"]} for d in map(_statement_dict, chunk)])

    @staticmethod
    def delete_statements(conn: Connection, ids: Sequence[str]) -> None:
        for chunk in _chunks(list(ids), 900):
            conn.execute(delete(ST).where(ST.c.id.in_(chunk)))

    # -- statuses -------------------------------------------------------------------------

    def statuses(self, coder_id: str | None = None) -> list[tuple[str, str, str, datetime | None]]:
        """(document id, coder id, status, updated_at)."""
        q = select(STATUS.c.document_id, STATUS.c.coder_id, STATUS.c.status, STATUS.c.updated_at)
        if coder_id is not None:
            q = q.where(STATUS.c.coder_id == coder_id)
        with self.engine.connect() as conn:
            return [(d, c, s, aware(u)) for d, c, s, u in conn.execute(q)]

    @staticmethod
    def write_statuses(conn: Connection, coder_id: str, statuses: dict[str, tuple[str, datetime]]) -> int:
        """Set a coder's statuses (document id → (status, updated_at)); how many changed."""
        existing = {d: s for d, s in conn.execute(
            select(STATUS.c.document_id, STATUS.c.status).where(STATUS.c.coder_id == coder_id))}
        new = [{"document_id": d, "coder_id": coder_id, "status": s, "updated_at": u}
               for d, (s, u) in statuses.items() if d not in existing and s != "not_started"]
        changed = [{"b_doc": d, "status": s, "updated_at": u} for d, (s, u) in statuses.items()
                   if d in existing and existing[d] != s]
        if new:
            conn.execute(insert(STATUS), new)
        if changed:
            conn.execute(update(STATUS).where(STATUS.c.document_id == bindparam("b_doc"), STATUS.c.coder_id == coder_id)
                         .values(status=bindparam("status"), updated_at=bindparam("updated_at")), changed)
        return len(new) + len(changed)

    # -- merge log ------------------------------------------------------------------------

    @staticmethod
    def log_merge(conn: Connection, coder_id: str, source: str, as_of: datetime | None, counts: dict[str, Any]) -> None:
        conn.execute(insert(MergeLogRow.__table__).values(coder_id=coder_id, source=source, as_of=as_of,
                                                          merged_at=utcnow(), counts=counts))

    def merge_log(self) -> list[dict[str, Any]]:
        t = MergeLogRow.__table__
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]

    # -- adjudication ---------------------------------------------------------------------

    def adjudications(self) -> list[dict[str, Any]]:
        t = AdjudicationRow.__table__
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t).order_by(t.c.created_at, t.c.id)).mappings()]

    @staticmethod
    def insert_adjudications(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
        if db.is_sqlite(conn):  # thousands at a time from --auto: no per-row bind processing
            db.sqlite_insert_many(conn, "adjudication", ADJUDICATION_COLUMNS, (
                (r["id"], r["document_id"], r["decision"], r["statement_id"], to_json(r["sources"]).decode(),
                 to_json(r["unit"]).decode(), r["adjudicator"], db.utc_text(r["created_at"])) for r in rows))
            return
        for chunk in _chunks(rows):
            conn.execute(insert(AdjudicationRow.__table__), list(chunk))

    @staticmethod
    def delete_adjudication(conn: Connection, adjudication_id: str) -> None:
        conn.execute(delete(AdjudicationRow.__table__).where(AdjudicationRow.__table__.c.id == adjudication_id))

    def gold_provenance(self) -> dict[str, tuple[str, list[str]]]:
        """gold statement id → (decision, source statement ids)."""
        t = AdjudicationRow.__table__
        q = select(t.c.statement_id, t.c.decision, t.c.sources).where(t.c.statement_id.is_not(None))
        with self.engine.connect() as conn:
            return {sid: (dec, list(src or [])) for sid, dec, src in conn.execute(q)}
