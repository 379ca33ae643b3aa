"""note_forwards: the municipality's first answer, and the author's "Fixed yet?" question and answer

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("note_forwards") as batch:
        batch.add_column(sa.Column("answered_at", buurtwacht.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("fixed_yet_asked_at", buurtwacht.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("fixed_yet_fixed", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("fixed_yet_answered_at", buurtwacht.db.UTCDateTime(timezone=True), nullable=True))
    # Forwards answered before this column: their last check is the nearest moment known.
    op.execute(
        "UPDATE note_forwards SET answered_at = COALESCE(closed_at, last_checked_at) WHERE remote_state IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("note_forwards") as batch:
        batch.drop_column("fixed_yet_answered_at")
        batch.drop_column("fixed_yet_fixed")
        batch.drop_column("fixed_yet_asked_at")
        batch.drop_column("answered_at")
