"""an ended alert keeps its numbers when retention deletes who it reached, who looked and the tips

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 01:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("kept_audience", "kept_responders", "kept_tips")


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
