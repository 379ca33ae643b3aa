"""notes keep their place key for the summaries

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:09:59.988401
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

CELL_DEGREES = 0.0025


def _place_key(street, lat, lon):  # type: ignore[no-untyped-def]
    """Frozen copy of buurtwacht.notes.places.place_key as it was when this migration was written."""
    if street:
        words = [w for w in re.split(r"[\s,]+", street.strip()) if w and not re.search(r"\d", w)]
        if words:
            return " ".join(words).title()[:120]
    if lat is not None and lon is not None:
        return f"{round(lat / CELL_DEGREES) * CELL_DEGREES:.4f}, {round(lon / CELL_DEGREES) * CELL_DEGREES:.4f}"
    return None

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_key', sa.String(length=120), nullable=True))
    notes = sa.table(
        "notes",
        sa.column("id", sa.Uuid()),
        sa.column("street", sa.String()),
        sa.column("lat", sa.Float()),
        sa.column("lon", sa.Float()),
        sa.column("place_key", sa.String()),
    )
    bind = op.get_bind()
    for note_id, street, lat, lon in bind.execute(sa.select(notes.c.id, notes.c.street, notes.c.lat, notes.c.lon)).all():
        bind.execute(notes.update().where(notes.c.id == note_id).values(place_key=_place_key(street, lat, lon)))


def downgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('place_key')

