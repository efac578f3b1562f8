"""A statement records whether it came from a candidate the program suggested.

'' for a statement the coder selected, 'candidate' when made from a suggested candidate,
'candidate-accepted' once the coder confirmed its suggested speaker unchanged, and
'candidate-changed' when the coder replaced it, so a supervisor can measure how often
suggestions were taken as they were.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.add_column(sa.Column("origin", sa.String(40), nullable=False, server_default=sa.text("''")))


def downgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.drop_column("origin")
