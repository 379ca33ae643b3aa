"""table_versions: how often each table changed, so a kept read is checked before it is served

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'table_versions',
        sa.Column('table_name', sa.String(length=63), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('table_name', name=op.f('pk_table_versions')),
    )


def downgrade() -> None:
    op.drop_table('table_versions')
