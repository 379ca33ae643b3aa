"""notes vacuumed after every 1 % of new rows, so a page's count stays an index-only scan

A group's page of notes counts the group's notes from an index (ix_notes_group_held_author), which
PostgreSQL answers without the table only for pages its visibility map marks all-visible; notes written
since the last vacuum are each looked up in the table. By default an insert-only table is vacuumed after
1,000 + 20 % of its rows are new: at 200,000 notes, 41,000. With 10,000 new notes in one group of
20,000 (bench/load.py's 10x data), a coordinator's page took 4.6 ms in-process against 3.2 ms after a
VACUUM. Here a vacuum follows 1,000 + 1 %; a vacuum of a table that is mostly all-visible is short
(20 ms at 210,000 notes) and blocks no reads or writes. PostgreSQL only: SQLite has no vacuum of this kind.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 00:45:00
"""

from __future__ import annotations

from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE notes SET (autovacuum_vacuum_insert_scale_factor = 0.01)')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE notes RESET (autovacuum_vacuum_insert_scale_factor)')
