"""notes, photos, comments, audit log, group categories

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:43:36.001410
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_categories',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_categories_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'category', name=op.f('pk_group_categories'))
    )
    op.create_table('notes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('observed_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('street', sa.String(length=200), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('patrol_id', sa.Uuid(), nullable=True),
    sa.Column('called', sa.Enum('none', 'emergency_112', 'police', 'other', name='called_service', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('called_by', sa.Enum('me', 'team', 'resident', 'other', name='called_by', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('urgency', sa.Enum('low', 'normal', 'high', name='urgency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'reported', 'resolved', 'no_action', name='note_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('shared_with_police_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_notes_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_notes_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_notes_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrols.id'], name=op.f('fk_notes_patrol_id_patrols'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notes'))
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_notes_group_category_observed', ['group_id', 'category', 'observed_at'], unique=False)
        batch_op.create_index('ix_notes_group_observed', ['group_id', 'observed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_patrol_id'), ['patrol_id'], unique=False)

    op.create_table('note_access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('reader_id', sa.Uuid(), nullable=True),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_access_log_note_id_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reader_id'], ['people.id'], name=op.f('fk_note_access_log_reader_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_access_log'))
    )
    with op.batch_alter_table('note_access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_access_log_note_id'), ['note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_access_log_reader_id'), ['reader_id'], unique=False)

    op.create_table('note_comments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_note_comments_author_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_comments_note_id_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_comments'))
    )
    with op.batch_alter_table('note_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_comments_note_id'), ['note_id'], unique=False)

    op.create_table('note_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_note_events_actor_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_events_note_id_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_events'))
    )
    with op.batch_alter_table('note_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_events_note_id'), ['note_id'], unique=False)

    op.create_table('note_photos',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_note_photos_note_id_notes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_photos')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_note_photos_storage_key'))
    )
    with op.batch_alter_table('note_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_photos_note_id'), ['note_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('note_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_photos_note_id'))

    op.drop_table('note_photos')
    with op.batch_alter_table('note_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_events_note_id'))

    op.drop_table('note_events')
    with op.batch_alter_table('note_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_comments_note_id'))

    op.drop_table('note_comments')
    with op.batch_alter_table('note_access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_access_log_reader_id'))
        batch_op.drop_index(batch_op.f('ix_note_access_log_note_id'))

    op.drop_table('note_access_log')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_patrol_id'))
        batch_op.drop_index('ix_notes_group_observed')
        batch_op.drop_index('ix_notes_group_category_observed')
        batch_op.drop_index(batch_op.f('ix_notes_author_id'))

    op.drop_table('notes')
    op.drop_table('group_categories')
