"""The first project-file schema (claimcoder 0.1 development files).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "codebook",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_codebook"),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("codebook_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["codebook_id"], ["codebook.id"], name="fk_project_codebook_id_codebook"),
        sa.PrimaryKeyConstraint("id", name="pk_project"),
    )
    op.create_index("ix_project_codebook_id", "project", ["codebook_id"])
    op.create_table(
        "document",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("published", sa.String(64), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("imported_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document"),
        sa.UniqueConstraint("sha256", name="uq_document_sha256"),
    )
    op.create_index("ix_document_position", "document", ["position"])
    op.create_table(
        "coder",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coder"),
        sa.UniqueConstraint("name", name="uq_coder_name"),
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entity"),
        sa.UniqueConstraint("name", name="uq_entity_name"),
    )
    op.create_table(
        "statement",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("coder_id", sa.String(36), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name="fk_statement_document_id_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name="fk_statement_coder_id_coder", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_statement"),
    )
    op.create_index("ix_statement_document_id", "statement", ["document_id"])
    op.create_index("ix_statement_coder_id", "statement", ["coder_id"])
    op.create_table(
        "document_status",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("coder_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name="fk_document_status_document_id_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name="fk_document_status_coder_id_coder", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_document_status"),
        sa.UniqueConstraint("document_id", "coder_id", name="uq_document_status_document_id"),
    )
    op.create_index("ix_document_status_document_id", "document_status", ["document_id"])
    op.create_index("ix_document_status_coder_id", "document_status", ["coder_id"])


def downgrade() -> None:
    for table in ("document_status", "statement", "entity", "coder", "document", "project", "codebook"):
        op.drop_table(table)
