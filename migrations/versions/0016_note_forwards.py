"""note_forwards and forwarding_policies: notes forwarded to the municipality, and who may forward

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FORWARD_STATUSES = ('queued', 'sent', 'acknowledged', 'closed', 'failed')


def upgrade() -> None:
    op.create_table(
        'note_forwards',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('note_id', sa.Uuid(), nullable=False),
        sa.Column('target', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('remote_category', sa.String(length=200), nullable=False),
        sa.Column('idempotency_key', sa.String(length=64), nullable=False),
        sa.Column(
            'status',
            sa.Enum(*FORWARD_STATUSES, name='forward_status', native_enum=False, create_constraint=True, length=12),
            nullable=False,
        ),
        sa.Column('lat', sa.Float(), nullable=True),
        sa.Column('lon', sa.Float(), nullable=True),
        sa.Column('share_contact', sa.Boolean(), nullable=False),
        sa.Column('requested_by_id', sa.Uuid(), nullable=True),
        sa.Column('remote_id', sa.String(length=120), nullable=True),
        sa.Column('remote_display', sa.String(length=120), nullable=True),
        sa.Column('remote_state', sa.String(length=40), nullable=True),
        sa.Column('remote_status_text', sa.String(length=1000), nullable=True),
        sa.Column('error', sa.String(length=1000), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('lease_until', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('photos_pending', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('photos_sent', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_checked_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('closed_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['note_id'], ['notes.id'], name=op.f('fk_note_forwards_note_id_notes'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['requested_by_id'],
            ['people.id'],
            name=op.f('fk_note_forwards_requested_by_id_people'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_note_forwards')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_note_forwards_idempotency_key')),
        sa.UniqueConstraint('note_id', 'target', name='uq_note_forwards_note_target'),
    )
    op.create_index('ix_note_forwards_due', 'note_forwards', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_note_forwards_note_id'), 'note_forwards', ['note_id'], unique=False)
    op.create_table(
        'forwarding_policies',
        sa.Column('group_id', sa.Uuid(), nullable=False),
        sa.Column('authors_may_forward', sa.Boolean(), nullable=False),
        sa.Column('updated_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['groups.id'], name=op.f('fk_forwarding_policies_group_id_groups'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('group_id', name=op.f('pk_forwarding_policies')),
    )


def downgrade() -> None:
    op.drop_table('forwarding_policies')
    op.drop_index(op.f('ix_note_forwards_note_id'), table_name='note_forwards')
    op.drop_index('ix_note_forwards_due', table_name='note_forwards')
    op.drop_table('note_forwards')
