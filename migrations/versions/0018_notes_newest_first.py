"""a page of a group's notes, newest first, read in order from one index

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_notes_group_newest', 'notes', ['group_id', sa.text('observed_at DESC'), 'id'])


def downgrade() -> None:
    op.drop_index('ix_notes_group_newest', table_name='notes')
