"""an unverified sign-in holds no e-mail address (it waits in unverified_email); erased accounts are remembered briefly

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import buurtwacht.db

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch.add_column(sa.Column('unverified_email', sa.String(length=254), nullable=True))
    op.create_table(
        'erased_accounts',
        sa.Column('uid_hash', sa.String(length=64), nullable=False),
        sa.Column('erased_at', buurtwacht.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('uid_hash', name=op.f('pk_erased_accounts')),
    )


def downgrade() -> None:
    op.drop_table('erased_accounts')
    # A person without a verified address gets a placeholder that can never be delivered to or signed in with.
    people = sa.table('people', sa.column('id', sa.Uuid()), sa.column('email', sa.String(length=254)))
    connection = op.get_bind()
    for (person_id,) in connection.execute(sa.select(people.c.id).where(people.c.email.is_(None))).all():
        connection.execute(
            people.update().where(people.c.id == person_id).values(email=f"{person_id.hex}@unverified.invalid")
        )
    with op.batch_alter_table('people') as batch:
        batch.drop_column('unverified_email')
        batch.alter_column('email', existing_type=sa.String(length=254), nullable=False)
