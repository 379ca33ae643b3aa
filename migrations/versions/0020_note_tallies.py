"""note tallies: a group's notes counted by the database as they are written

A page of a group's notes carries the total of what its reader may see. Counted note by note, that
grows with the group: 2.1 ms at 20,000 notes (bench/load.py's 10x data), half of a coordinator's page.
note_tallies keeps the number per group, held or not, shared with the police or not, and triggers on
notes keep it: every insert, deletion (the API, retention, a group's cascade) and change of group, hold
or sharing, in the statement that makes it. A page without filters then sums at most four rows.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# PostgreSQL: inserts and deletions counted once per statement from their transition tables (a bulk insert
# or a group's cascade is one upsert per group, not one per note); a change, which may not name its columns
# beside a transition table, per row and only when it moves a note to another tally.
POSTGRESQL = [
    """
    CREATE FUNCTION note_tallies_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO note_tallies (group_id, held, shared, notes)
        SELECT group_id, held, shared_with_police_at IS NOT NULL, count(*) FROM added GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3  -- tallies locked in one order by every statement: two bulk inserts cannot deadlock
        ON CONFLICT (group_id, held, shared) DO UPDATE SET notes = note_tallies.notes + excluded.notes;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION note_tallies_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE note_tallies t SET notes = t.notes - gone.notes
        FROM (SELECT group_id, held, shared_with_police_at IS NOT NULL AS shared, count(*) AS notes
              FROM removed GROUP BY 1, 2, 3) gone
        WHERE t.group_id = gone.group_id AND t.held = gone.held AND t.shared = gone.shared;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION note_tallies_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE note_tallies SET notes = notes - 1
        WHERE group_id = OLD.group_id AND held = OLD.held AND shared = (OLD.shared_with_police_at IS NOT NULL);
        INSERT INTO note_tallies (group_id, held, shared, notes)
        VALUES (NEW.group_id, NEW.held, NEW.shared_with_police_at IS NOT NULL, 1)
        ON CONFLICT (group_id, held, shared) DO UPDATE SET notes = note_tallies.notes + 1;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER note_tallies_add AFTER INSERT ON notes REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION note_tallies_add()
    """,
    """
    CREATE TRIGGER note_tallies_remove AFTER DELETE ON notes REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION note_tallies_remove()
    """,
    """
    CREATE TRIGGER note_tallies_move AFTER UPDATE OF group_id, held, shared_with_police_at ON notes FOR EACH ROW
    WHEN (OLD.group_id <> NEW.group_id OR OLD.held <> NEW.held
          OR (OLD.shared_with_police_at IS NULL) <> (NEW.shared_with_police_at IS NULL))
    EXECUTE FUNCTION note_tallies_move()
    """,
]
# SQLite has row triggers only.
_SQLITE_LESS = """
    UPDATE note_tallies SET notes = notes - 1
    WHERE group_id = OLD.group_id AND held = OLD.held AND shared = (OLD.shared_with_police_at IS NOT NULL);
"""
_SQLITE_MORE = """
    INSERT INTO note_tallies (group_id, held, shared, notes)
    VALUES (NEW.group_id, NEW.held, NEW.shared_with_police_at IS NOT NULL, 1)
    ON CONFLICT (group_id, held, shared) DO UPDATE SET notes = notes + 1;
"""
SQLITE = [
    f'CREATE TRIGGER note_tallies_add AFTER INSERT ON notes BEGIN {_SQLITE_MORE} END',
    f'CREATE TRIGGER note_tallies_remove AFTER DELETE ON notes BEGIN {_SQLITE_LESS} END',
    f"""
    CREATE TRIGGER note_tallies_move AFTER UPDATE OF group_id, held, shared_with_police_at ON notes
    WHEN OLD.group_id <> NEW.group_id OR OLD.held <> NEW.held
         OR (OLD.shared_with_police_at IS NULL) <> (NEW.shared_with_police_at IS NULL)
    BEGIN {_SQLITE_LESS} {_SQLITE_MORE} END
    """,
]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    op.create_table(
        'note_tallies',
        sa.Column('group_id', sa.Uuid(), nullable=False),
        sa.Column('held', sa.Boolean(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('notes', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['groups.id'], name=op.f('fk_note_tallies_group_id_groups'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('group_id', 'held', 'shared', name=op.f('pk_note_tallies')),
    )
    if postgresql:
        op.execute('LOCK TABLE notes IN SHARE MODE')  # no note written between the count and its triggers
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)
    op.execute(
        'INSERT INTO note_tallies (group_id, held, shared, notes) '
        'SELECT group_id, held, shared_with_police_at IS NOT NULL, count(*) FROM notes GROUP BY 1, 2, 3'
    )


def downgrade() -> None:
    for name in ('note_tallies_add', 'note_tallies_remove', 'note_tallies_move'):
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f'DROP TRIGGER {name} ON notes')
            op.execute(f'DROP FUNCTION {name}()')
        else:
            op.execute(f'DROP TRIGGER {name}')
    op.drop_table('note_tallies')
