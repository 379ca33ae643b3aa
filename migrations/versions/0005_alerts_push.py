"""alerts, devices, subscriptions, broadcasts and deliveries

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 15:47:47.544298
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area_subscriptions',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_area_subscriptions_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_area_subscriptions_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'area_id', name=op.f('pk_area_subscriptions'))
    )
    with op.batch_alter_table('area_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_subscriptions_area_id'), ['area_id'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('address_kind', sa.Enum('fid', 'token', name='address_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('address', sa.String(length=4096), nullable=False),
    sa.Column('platform', sa.Enum('android', 'ios', 'web', name='platform', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('app_version', sa.String(length=40), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dropped_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_devices_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('address_kind', 'address', name='uq_devices_address')
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_person_id'), ['person_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('issuer_id', sa.Uuid(), nullable=True),
    sa.Column('group_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('missing_person', 'suspect', 'vehicle', 'burglary', 'general_warning', 'exercise', name='alert_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('headline', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('instruction', sa.Text(), nullable=False),
    sa.Column('urgency', sa.Enum('immediate', 'expected', 'future', name='alert_urgency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('severity', sa.Enum('extreme', 'severe', 'moderate', 'minor', name='alert_severity', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('centre_lat', sa.Float(), nullable=True),
    sa.Column('centre_lon', sa.Float(), nullable=True),
    sa.Column('radius_m', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', 'cancelled', 'expired', name='alert_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('outcome', sa.Enum('found', 'apprehended', 'resolved', 'false_alarm', 'no_result', name='alert_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('closing_message', sa.Text(), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_alerts_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuer_id'], ['people.id'], name=op.f('fk_alerts_issuer_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_issuer_id'), ['issuer_id'], unique=False)
        batch_op.create_index('ix_alerts_status_expires', ['status', 'expires_at'], unique=False)

    op.create_table('alert_areas',
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('named', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_areas_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_alert_areas_area_id_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'area_id', name=op.f('pk_alert_areas'))
    )
    with op.batch_alter_table('alert_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_areas_area_id'), ['area_id'], unique=False)

    op.create_table('alert_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_alert_events_actor_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_events_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_events'))
    )
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_events_alert_id'), ['alert_id'], unique=False)

    op.create_table('alert_recipients',
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_recipients_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alert_recipients_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'person_id', name=op.f('pk_alert_recipients'))
    )
    with op.batch_alter_table('alert_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_recipients_person_id'), ['person_id'], unique=False)

    op.create_table('alert_responders',
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_responders_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alert_responders_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'person_id', name=op.f('pk_alert_responders'))
    )
    op.create_table('alert_tips',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('photo_key', sa.String(length=80), nullable=True),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_tips_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alert_tips_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_tips'))
    )
    with op.batch_alter_table('alert_tips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_tips_alert_id'), ['alert_id'], unique=False)

    op.create_table('broadcasts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('alert_id', sa.Uuid(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expanded_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_broadcasts_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcasts_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcasts_expanded_at'), ['expanded_at'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=True),
    sa.Column('notification_id', sa.Uuid(), nullable=True),
    sa.Column('device_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'skipped', name='delivery_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('sent_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], name=op.f('fk_deliveries_broadcast_id_broadcasts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_deliveries_device_id_devices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_deliveries_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_deliveries_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('broadcast_id', 'device_id', name='uq_deliveries_broadcast_device'),
    sa.UniqueConstraint('notification_id', 'device_id', name='uq_deliveries_notification_device')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_device_id'), ['device_id'], unique=False)
        batch_op.create_index('ix_deliveries_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_notification_id'), ['notification_id'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expanded_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_expanded_at'), ['expanded_at'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_from', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('quiet_until', sa.Time(), nullable=True))
    # Everyone starts with the default quiet hours, 23:00-07:00 local time.
    people = sa.table("people", sa.column("quiet_from", sa.Time()), sa.column("quiet_until", sa.Time()))
    op.execute(people.update().values(quiet_from=datetime.time(23, 0), quiet_until=datetime.time(7, 0)))



def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('quiet_until')
        batch_op.drop_column('quiet_from')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_expanded_at'))
        batch_op.drop_column('expanded_at')

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_notification_id'))
        batch_op.drop_index('ix_deliveries_due')
        batch_op.drop_index(batch_op.f('ix_deliveries_device_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_broadcast_id'))

    op.drop_table('deliveries')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcasts_expanded_at'))
        batch_op.drop_index(batch_op.f('ix_broadcasts_alert_id'))

    op.drop_table('broadcasts')
    with op.batch_alter_table('alert_tips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_tips_alert_id'))

    op.drop_table('alert_tips')
    op.drop_table('alert_responders')
    with op.batch_alter_table('alert_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_recipients_person_id'))

    op.drop_table('alert_recipients')
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_events_alert_id'))

    op.drop_table('alert_events')
    with op.batch_alter_table('alert_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_areas_area_id'))

    op.drop_table('alert_areas')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_status_expires')
        batch_op.drop_index(batch_op.f('ix_alerts_issuer_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_created_at'))

    op.drop_table('alerts')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_person_id'))

    op.drop_table('devices')
    with op.batch_alter_table('area_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_subscriptions_area_id'))

    op.drop_table('area_subscriptions')
