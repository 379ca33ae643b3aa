"""audit rows and delivery records outlive notes and devices; longer job slots

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 17:59:42.410414
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('device_id',
               existing_type=sa.Uuid(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_deliveries_device_id_devices'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_device_id_devices'), 'devices', ['device_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.alter_column('slot',
               existing_type=sa.VARCHAR(length=32),
               type_=sa.String(length=48),
               existing_nullable=False)

    with op.batch_alter_table('note_access_log', schema=None) as batch_op:
        batch_op.alter_column('note_id',
               existing_type=sa.Uuid(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('fk_note_access_log_note_id_notes'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_note_access_log_note_id_notes'), 'notes', ['note_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    # Rows that only exist because of this revision cannot go back under NOT NULL or 32 characters.
    op.execute("DELETE FROM note_access_log WHERE note_id IS NULL")
    op.execute("DELETE FROM deliveries WHERE device_id IS NULL")
    op.execute("DELETE FROM job_runs WHERE length(slot) > 32")
    with op.batch_alter_table('note_access_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_note_access_log_note_id_notes'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_note_access_log_note_id_notes'), 'notes', ['note_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('note_id',
               existing_type=sa.Uuid(),
               nullable=False)

    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.alter_column('slot',
               existing_type=sa.String(length=48),
               type_=sa.VARCHAR(length=32),
               existing_nullable=False)

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deliveries_device_id_devices'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_device_id_devices'), 'devices', ['device_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('device_id',
               existing_type=sa.Uuid(),
               nullable=False)

