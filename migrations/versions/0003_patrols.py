"""patrols, rosters, swaps, calendar feeds, notifications

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:31:15.639770
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_feeds_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notifications_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_person_id'), ['person_id'], unique=False)

    op.create_table('patrol_schedules',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('rrule', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('meeting_point', sa.String(length=200), nullable=False),
    sa.Column('route', sa.String(length=500), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('min_team', sa.Integer(), nullable=False),
    sa.Column('max_team', sa.Integer(), nullable=False),
    sa.Column('briefing', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_patrol_schedules_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_patrol_schedules_created_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_patrol_schedules_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_schedules'))
    )
    with op.batch_alter_table('patrol_schedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_schedules_group_id'), ['group_id'], unique=False)

    op.create_table('patrols',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('schedule_id', sa.Uuid(), nullable=True),
    sa.Column('occurrence', sa.Date(), nullable=True),
    sa.Column('starts_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('meeting_point', sa.String(length=200), nullable=False),
    sa.Column('route', sa.String(length=500), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('min_team', sa.Integer(), nullable=False),
    sa.Column('max_team', sa.Integer(), nullable=False),
    sa.Column('briefing', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'running', 'completed', 'cancelled', name='patrol_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('started_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_patrols_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_patrols_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['schedule_id'], ['patrol_schedules.id'], name=op.f('fk_patrols_schedule_id_patrol_schedules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrols')),
    sa.UniqueConstraint('schedule_id', 'occurrence', name='uq_patrols_schedule_occurrence')
    )
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.create_index('ix_patrols_group_starts', ['group_id', 'starts_at'], unique=False)

    op.create_table('patrol_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patrol_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_patrol_events_actor_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrols.id'], name=op.f('fk_patrol_events_patrol_id_patrols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_patrol_events_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_events'))
    )
    with op.batch_alter_table('patrol_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_events_patrol_id'), ['patrol_id'], unique=False)

    op.create_table('patrol_signups',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patrol_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'withdrawn', 'removed', 'swapped', name='signup_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('queued_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_out_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('no_show', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrols.id'], name=op.f('fk_patrol_signups_patrol_id_patrols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_patrol_signups_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_signups')),
    sa.UniqueConstraint('patrol_id', 'person_id', name='uq_patrol_signups_patrol_person')
    )
    with op.batch_alter_table('patrol_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_signups_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_index('ix_patrol_signups_person_status', ['person_id', 'status'], unique=False)

    op.create_table('patrol_swaps',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patrol_id', sa.Uuid(), nullable=False),
    sa.Column('from_person_id', sa.Uuid(), nullable=False),
    sa.Column('to_person_id', sa.Uuid(), nullable=False),
    sa.Column('other_patrol_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('offered', 'accepted', 'declined', 'withdrawn', name='swap_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['from_person_id'], ['people.id'], name=op.f('fk_patrol_swaps_from_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_patrol_id'], ['patrols.id'], name=op.f('fk_patrol_swaps_other_patrol_id_patrols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrols.id'], name=op.f('fk_patrol_swaps_patrol_id_patrols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_person_id'], ['people.id'], name=op.f('fk_patrol_swaps_to_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_swaps'))
    )
    with op.batch_alter_table('patrol_swaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_swaps_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_swaps_to_person_id'), ['to_person_id'], unique=False)

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signup_opens_days', sa.Integer(), server_default='28', nullable=False))
        batch_op.add_column(sa.Column('withdraw_until_hours', sa.Integer(), server_default='12', nullable=False))
        batch_op.add_column(sa.Column('schedule_weeks_ahead', sa.Integer(), server_default='6', nullable=False))
        batch_op.add_column(sa.Column('no_show_limit', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('no_show_limit')
        batch_op.drop_column('schedule_weeks_ahead')
        batch_op.drop_column('withdraw_until_hours')
        batch_op.drop_column('signup_opens_days')

    with op.batch_alter_table('patrol_swaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_swaps_to_person_id'))
        batch_op.drop_index(batch_op.f('ix_patrol_swaps_patrol_id'))

    op.drop_table('patrol_swaps')
    with op.batch_alter_table('patrol_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_patrol_signups_person_status')
        batch_op.drop_index(batch_op.f('ix_patrol_signups_patrol_id'))

    op.drop_table('patrol_signups')
    with op.batch_alter_table('patrol_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_events_patrol_id'))

    op.drop_table('patrol_events')
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.drop_index('ix_patrols_group_starts')

    op.drop_table('patrols')
    with op.batch_alter_table('patrol_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_schedules_group_id'))

    op.drop_table('patrol_schedules')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_person_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_created_at'))

    op.drop_table('notifications')
    op.drop_table('calendar_feeds')
