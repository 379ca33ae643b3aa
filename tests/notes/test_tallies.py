"""A page of notes without filters takes its total from the group's tallies (note_tallies), which triggers on
notes keep (migration 0020). Whatever changes the notes (one note or many in one statement, a hold, a release,
sharing with the police, a move to another group, a deletion, a group removed with its notes), every reader's
total stays the number of notes they are shown, and the tallies the numbers a count would give.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, insert, text, update

from buurtwacht import db
from buurtwacht.models import Group, MembershipRole, Note
from tests.factories import Factory, GroupRef, Someone

_notes = Note.__table__
COUNTED = """
    SELECT group_id, held, shared_with_police_at IS NOT NULL, count(*) FROM notes GROUP BY 1, 2, 3
"""


def _run(app: Flask, statement: Any, rows: list[dict[str, Any]] | None = None) -> None:
    """A statement straight to the database, as a job or a cascade would change the notes."""
    with app.app_context(), db.database().engine.begin() as conn:
        conn.execute(statement, rows) if rows else conn.execute(statement)


def _tallies(app: Flask) -> tuple[set[tuple[str, bool, bool, int]], set[tuple[str, bool, bool, int]]]:
    """The tallies that are not zero, and what counting the notes gives: (group, held, shared, notes)."""

    def read(conn: Any, statement: str) -> set[tuple[str, bool, bool, int]]:
        return {(str(g), bool(h), bool(s), n) for g, h, s, n in conn.execute(text(statement))}

    with app.app_context(), db.database().engine.connect() as conn:
        return read(conn, "SELECT * FROM note_tallies WHERE notes <> 0"), read(conn, COUNTED)


def _seen(client: FlaskClient, make: Factory, reader: Someone, group: GroupRef) -> tuple[int, int]:
    """The total a reader's first page carries, and the notes they are shown (all fit one page here)."""
    answer = client.get(f"/api/v1/groups/{group.id}/notes?page_size=100", headers=make.headers(reader))
    assert answer.status_code == 200, answer.get_json()
    return json.loads(answer.headers["X-Pagination"])["total"], len(answer.get_json())


def test_every_readers_total_follows_every_change_to_the_notes(app: Flask, client: FlaskClient, make: Factory) -> None:
    coordinator, volunteer, other, officer = (make.person() for _ in range(4))
    group = make.group(coordinator=coordinator)
    elsewhere = make.group(area="emmerhout", coordinator=make.person())
    make.member(group, volunteer)
    make.member(group, other, MembershipRole.VOLUNTEER)
    make.officer(officer, "bargeres")
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)

    def check(step: str) -> None:
        kept, counted = _tallies(app)
        assert kept == counted, step
        for reader in (coordinator, volunteer, other, officer):
            total, shown = _seen(client, make, reader, group)
            assert total == shown, f"{step}: {reader.name}"

    notes = [make.past_note(group, volunteer, "burglary_suspicious", now) for _ in range(3)]
    check("three notes, one at a time")
    row = dict(group_id=group.id, author_id=other.id, category="youth_nuisance", what="Jongeren bij de speeltuin",
               observed_at=now, request_hash="0" * 64, created_at=now, updated_at=now)  # fmt: skip
    _run(app, insert(_notes), [dict(row, id=uuid.uuid4(), held=held) for held in (False, True, True, False)])
    check("four in one statement, two of them held")
    _run(app, update(_notes).where(_notes.c.id == notes[0]).values(held=True))
    check("held for review")
    _run(app, update(_notes).where(_notes.c.author_id == other.id, _notes.c.held).values(held=False))
    check("released")
    _run(app, update(_notes).where(_notes.c.id.in_(notes[1:])).values(shared_with_police_at=now))
    check("shared with the police")
    _run(app, update(_notes).where(_notes.c.group_id == group.id).values(status="resolved", updated_at=now))
    check("a change that moves no note to another tally")
    _run(app, update(_notes).where(_notes.c.id == notes[1]).values(group_id=elsewhere.id))
    check("moved to another group")
    _run(app, delete(_notes).where(_notes.c.id == notes[2]))
    check("one deleted")
    _run(app, delete(Group.__table__).where(Group.__table__.c.id == elsewhere.id))
    check("a group removed with its notes")
    _run(app, delete(_notes).where(_notes.c.group_id == group.id))
    check("all deleted")
    assert _tallies(app) == (set(), set())
