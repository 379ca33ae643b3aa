"""a patrol the system cancelled keeps the catalogue key of its reason, so each reader sees it in their language

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('patrols') as batch:
        batch.add_column(sa.Column('cancel_reason_key', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('patrols') as batch:
        batch.drop_column('cancel_reason_key')
