"""Reference data: the municipality of Emmen, its six gebieden, and their wijken and dorpen

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The six gebieden are those of Emmen's safety programme; the wijken and dorpen are those it
names plus the others of the municipality. Centres are approximate (WGS84) and boundaries are
left empty: admins refine both through the API. The data is written out here, frozen, so the
migration means the same thing whenever it runs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (code, name, kind, parent code, lat, lon)
AREAS = [
    ("emmen", "Gemeente Emmen", "municipality", None, 52.7858, 6.8976),
    ("emmen-noord", "Emmen Noord", "district", "emmen", 52.8040, 6.9000),
    ("emmen-oost", "Emmen Oost", "district", "emmen", 52.7850, 6.9300),
    ("emmen-zuid", "Emmen Zuid", "district", "emmen", 52.7660, 6.8900),
    ("de-blokken", "De Blokken", "district", "emmen", 52.6900, 6.8900),
    ("de-velden", "De Velden", "district", "emmen", 52.7350, 6.9900),
    ("de-monden", "De Monden", "district", "emmen", 52.8600, 6.9900),
    # Emmen Noord
    ("emmermeer", "Emmermeer", "neighbourhood", "emmen-noord", 52.8000, 6.8950),
    ("emmerschans", "Emmerschans", "neighbourhood", "emmen-noord", 52.8030, 6.9150),
    ("westenesch", "Westenesch", "neighbourhood", "emmen-noord", 52.8170, 6.8860),
    ("weerdinge", "Weerdinge", "village", "emmen-noord", 52.8180, 6.9330),
    ("valthe", "Valthe", "village", "emmen-noord", 52.8520, 6.9160),
    # Emmen Oost
    ("emmerhout", "Emmerhout", "neighbourhood", "emmen-oost", 52.7910, 6.9330),
    ("angelslo", "Angelslo", "neighbourhood", "emmen-oost", 52.7790, 6.9220),
    ("emmen-centrum", "Emmen-Centrum", "neighbourhood", "emmen-oost", 52.7850, 6.8980),
    ("parc-sandur", "Parc Sandur", "neighbourhood", "emmen-oost", 52.7730, 6.9450),
    ("emmer-erfscheidenveen", "Emmer-Erfscheidenveen", "village", "emmen-oost", 52.8050, 7.0000),
    # Emmen Zuid
    ("bargeres", "Bargeres", "neighbourhood", "emmen-zuid", 52.7700, 6.8780),
    ("rietlanden", "Rietlanden", "neighbourhood", "emmen-zuid", 52.7670, 6.9020),
    ("delftlanden", "Delftlanden", "neighbourhood", "emmen-zuid", 52.7620, 6.8680),
    ("noordbarge", "Noordbarge", "neighbourhood", "emmen-zuid", 52.7720, 6.8870),
    ("zuidbarge", "Zuidbarge", "neighbourhood", "emmen-zuid", 52.7560, 6.8950),
    ("barger-oosterveld", "Barger-Oosterveld", "neighbourhood", "emmen-zuid", 52.7630, 6.9200),
    # De Blokken
    ("nieuw-amsterdam", "Nieuw-Amsterdam", "village", "de-blokken", 52.7150, 6.8600),
    ("veenoord", "Veenoord", "village", "de-blokken", 52.7130, 6.8350),
    ("schoonebeek", "Schoonebeek", "village", "de-blokken", 52.6620, 6.8830),
    ("nieuw-schoonebeek", "Nieuw-Schoonebeek", "village", "de-blokken", 52.6500, 7.0000),
    ("weiteveen", "Weiteveen", "village", "de-blokken", 52.6800, 6.9920),
    ("erica", "Erica", "village", "de-blokken", 52.7200, 6.9300),
    # De Velden
    ("klazienaveen", "Klazienaveen", "village", "de-velden", 52.7260, 6.9900),
    ("zwartemeer", "Zwartemeer", "village", "de-velden", 52.7200, 7.0300),
    ("barger-compascuum", "Barger-Compascuum", "village", "de-velden", 52.7450, 7.0400),
    ("nieuw-dordrecht", "Nieuw-Dordrecht", "village", "de-velden", 52.7460, 6.9670),
    # De Monden
    ("nieuw-weerdinge", "Nieuw-Weerdinge", "village", "de-monden", 52.8600, 7.0050),
    ("valthermond", "Valthermond", "village", "de-monden", 52.9000, 6.9800),
    ("emmer-compascuum", "Emmer-Compascuum", "village", "de-monden", 52.8100, 7.0500),
    ("roswinkel", "Roswinkel", "village", "de-monden", 52.8370, 7.0380),
]

areas = sa.table(
    "areas",
    sa.column("id", sa.Integer),
    sa.column("parent_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("centre_lat", sa.Float),
    sa.column("centre_lon", sa.Float),
)


def upgrade() -> None:
    ids = {code: index for index, (code, *_rest) in enumerate(AREAS, start=1)}
    op.bulk_insert(
        areas,
        [
            {
                "id": ids[code],
                "parent_id": ids[parent] if parent else None,
                "code": code,
                "name": name,
                "kind": kind,
                "centre_lat": lat,
                "centre_lon": lon,
            }
            for code, name, kind, parent, lat, lon in AREAS
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids leave the sequence behind: move it past them for areas added later.
        op.execute("SELECT setval(pg_get_serial_sequence('areas', 'id'), (SELECT max(id) FROM areas))")


def downgrade() -> None:
    codes = [code for code, *_rest in AREAS]
    # Children before parents, so the self-referencing key never blocks the delete.
    for kind in ("neighbourhood", "village", "district", "municipality"):
        op.execute(areas.delete().where(areas.c.kind == kind, areas.c.code.in_(codes)))
