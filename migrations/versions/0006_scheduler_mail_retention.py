"""scheduler runs and marks, e-mail outbox, note counts, retention, reminder and urgency settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 15:58:31.577187
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_marks')),
    sa.UniqueConstraint('kind', 'key', name='uq_job_marks_kind_key')
    )
    with op.batch_alter_table('job_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_marks_created_at'), ['created_at'], unique=False)

    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.String(length=32), nullable=False),
    sa.Column('started_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('runner', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('job', 'slot', name='uq_job_runs_job_slot')
    )
    op.create_table('emails',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=160), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='email_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_emails_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emails')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_emails_dedupe_key'))
    )
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index('ix_emails_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_emails_person_id'), ['person_id'], unique=False)

    op.create_table('note_month_counts',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_note_month_counts_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'month', 'category', 'status', name=op.f('pk_note_month_counts'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_retention_months', sa.Integer(), server_default='12', nullable=False))

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_hours', sa.String(length=32), server_default='24,2', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('reminder_hours')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('urgent')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('note_retention_months')

    op.drop_table('note_month_counts')
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emails_person_id'))
        batch_op.drop_index('ix_emails_due')

    op.drop_table('emails')
    op.drop_table('job_runs')
    with op.batch_alter_table('job_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_marks_created_at'))

    op.drop_table('job_marks')
