"""The study: who was assigned which documents, what was merged, and the adjudication.

``assignment`` is one round of handing out work (its seed and design, so it can be shown and
reproduced); ``assignment_document`` says which coder has which document, whether it is in the
reliability sample, and where it sits in that coder's package. ``merge_log`` keeps every merged
file (the latest change it held bounds what a later, older file may overwrite).
``adjudication`` records each decision on an aligned unit: the gold statement it produced (or
none, for a rejection), the coder statements it came from, and who decided.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("design", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assignment"),
    )
    op.create_table(
        "assignment_document",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("coder_id", sa.String(36), nullable=False),
        sa.Column("in_sample", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignment.id"],
                                name="fk_assignment_document_assignment_id_assignment", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name="fk_assignment_document_document_id_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"],
                                name="fk_assignment_document_coder_id_coder", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_assignment_document"),
        sa.UniqueConstraint("document_id", "coder_id", name="uq_assignment_document_document_id"),
    )
    op.create_index("ix_assignment_document_assignment_id", "assignment_document", ["assignment_id"])
    op.create_index("ix_assignment_document_coder_id", "assignment_document", ["coder_id"])
    op.create_table(
        "merge_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("coder_id", sa.String(36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("as_of", TZ, nullable=True),
        sa.Column("merged_at", TZ, nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["coder_id"], ["coder.id"], name="fk_merge_log_coder_id_coder", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_merge_log"),
    )
    op.create_index("ix_merge_log_coder_id", "merge_log", ["coder_id"])
    op.create_table(
        "adjudication",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("statement_id", sa.String(36), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("unit", sa.JSON(), nullable=False),
        sa.Column("adjudicator", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name="fk_adjudication_document_id_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["statement_id"], ["statement.id"],
                                name="fk_adjudication_statement_id_statement", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_adjudication"),
    )
    op.create_index("ix_adjudication_document_id", "adjudication", ["document_id"])
    op.create_index("ix_adjudication_statement_id", "adjudication", ["statement_id"])


def downgrade() -> None:
    for table in ("adjudication", "merge_log", "assignment_document", "assignment"):
        op.drop_table(table)
