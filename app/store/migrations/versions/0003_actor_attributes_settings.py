"""Actors carry attributes (country, party, actor type …), and a project has settings.

The actor list and the study need both: attributes are columns the supervisor defines for the
actor list (Contract 5), settings hold project-wide switches such as a closed actor list.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "project_setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_project_setting"),
    )


def downgrade() -> None:
    op.drop_table("project_setting")
    with op.batch_alter_table("entity") as batch:
        batch.drop_column("attributes")
