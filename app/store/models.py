"""Typed table definitions. Migrations (alembic) are written against these."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints make SQLite migrations (batch mode) possible.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, datetime: DateTime(timezone=True)}


class ProjectRow(Base):
    __tablename__ = "project"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    codebook_id: Mapped[int | None] = mapped_column(ForeignKey("codebook.id"), index=True)


class CodebookRow(Base):
    """Every codebook the project ever had; statements keep their meaning when it changes."""

    __tablename__ = "codebook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50))
    content: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoderRow(Base):
    __tablename__ = "coder"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_document_id: Mapped[str | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )


class EntityRow(Base):
    __tablename__ = "entity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(50), default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectSettingRow(Base):
    """Project-wide switches (e.g. a closed actor list): one JSON value per key."""

    __tablename__ = "project_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class DocumentRow(Base):
    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    origin: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class StatementRow(Base):
    __tablename__ = "statement"
    __table_args__ = (Index("ix_statement_document_coder", "document_id", "coder_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[str] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # '' | 'candidate' | 'candidate-accepted' | 'candidate-changed' (migration 0004)
    origin: Mapped[str] = mapped_column(String(40), default="", server_default=sql_text("''"))


class DocumentStatusRow(Base):
    __tablename__ = "document_status"
    __table_args__ = (UniqueConstraint("document_id", "coder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[str] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssignmentRow(Base):
    """One round of ``claimcoder assign``: the seed and the design, so it can be reproduced."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seed: Mapped[int] = mapped_column(Integer)
    design: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssignmentDocumentRow(Base):
    """Which coder has which document, whether it is in the reliability sample, and where it
    sits in that coder's package."""

    __tablename__ = "assignment_document"
    __table_args__ = (UniqueConstraint("document_id", "coder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    coder_id: Mapped[str] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), index=True)
    in_sample: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer)


class MergeLogRow(Base):
    """One merged file: a later file older than ``as_of`` is refused (it would undo work)."""

    __tablename__ = "merge_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    coder_id: Mapped[str] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    counts: Mapped[dict[str, Any]]


class AdjudicationRow(Base):
    """A decision on one aligned unit: the gold statement (none for a rejection), the coder
    statements it came from, the unit's statements when decided, and the adjudicator."""

    __tablename__ = "adjudication"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    statement_id: Mapped[str | None] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), index=True)
    sources: Mapped[list[str]]
    unit: Mapped[list[str]]
    adjudicator: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
