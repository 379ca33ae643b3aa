"""the monthly summary's note counts come from one covering index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        'ix_notes_group_observed_counts', 'notes', ['group_id', 'observed_at', 'category', 'status', 'place_key']
    )
    op.drop_index('ix_notes_group_observed', table_name='notes')


def downgrade() -> None:
    op.create_index('ix_notes_group_observed', 'notes', ['group_id', 'observed_at'])
    op.drop_index('ix_notes_group_observed_counts', table_name='notes')
