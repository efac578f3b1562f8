"""Remember each coder's place, and look statements up by document and coder together.

The coding window reopens at the article the coder left; listing one coder's statements of one
article is its hottest query.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coder") as batch:
        batch.add_column(sa.Column("last_document_id", sa.String(36), nullable=True))
        batch.create_foreign_key(
            "fk_coder_last_document_id_document", "document", ["last_document_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_coder_last_document_id", ["last_document_id"])
    op.create_index("ix_statement_document_coder", "statement", ["document_id", "coder_id"])


def downgrade() -> None:
    op.drop_index("ix_statement_document_coder", table_name="statement")
    with op.batch_alter_table("coder") as batch:
        batch.drop_index("ix_coder_last_document_id")
        batch.drop_constraint("fk_coder_last_document_id_document", type_="foreignkey")
        batch.drop_column("last_document_id")
