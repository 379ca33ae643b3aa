"""a volunteer's count of a group's notes comes from an index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:45:00
"""

from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_notes_group_held_author', 'notes', ['group_id', 'held', 'author_id'])


def downgrade() -> None:
    op.drop_index('ix_notes_group_held_author', table_name='notes')
