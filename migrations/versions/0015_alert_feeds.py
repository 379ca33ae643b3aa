"""alert_feeds: a private Atom feed URL per person and area (only the token's hash is kept)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert_feeds',
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'], name=op.f('fk_alert_feeds_person_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['area_id'], ['areas.id'], name=op.f('fk_alert_feeds_area_id_areas'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('person_id', 'area_id', name=op.f('pk_alert_feeds')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_alert_feeds_token_hash')),
    )


def downgrade() -> None:
    op.drop_table('alert_feeds')
