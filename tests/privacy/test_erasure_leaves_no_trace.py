"""After an account is deleted, nothing in the database names the person.

The authorization matrix's world gives its volunteer a whole life in group A: patrols walked and
planned, a swap offer, notes with a photo (one shared with the wijkagent, who read it), a tip and
"I'm looking" on an open alert, a phone, a subscription, a calendar feed. The wijkagent issued that
alert and read the note; the applicant waits for approval. Each of them deletes their account; then
every text column of every table is searched for their name, first name, surname, e-mail, phone and
sign-in uid: none may be left, while the group's history (notes, patrols) is still there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import String, Text, func, select
from sqlalchemy.types import JSON

from buurtwacht import db
from buurtwacht.models import Note, PatrolSignup
from tests.test_authorization_matrix import PHONES, World
from tests.test_authorization_matrix import world as world  # the fixture


def traces(app, words: set[str]) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(table, column, word) for every text value in the database that holds one of the words."""
    found = []
    lowered = {w.lower() for w in words if w}
    with app.app_context():
        session = db.session()
        for table in db.Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).lower()
                    found += [(table.name, column.name, w) for w in lowered if w in text]
    return found


def words_naming(w: World, role: str) -> set[str]:
    person = w.person(role) if role in w.people else (w.applicant if role == "applicant" else None)
    assert person is not None
    others = [p.name.lower() for p in (*w.people.values(), w.target, w.applicant) if p and p.id != person.id]
    # A first name or surname counts on its own where nobody else in the world bears it.
    parts = {part for part in person.name.split() if not any(part.lower() in name for name in others)}
    return {person.name, *parts, person.email, person.uid, PHONES.get(role, "")}


def counts(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with app.app_context():
        session = db.session()
        return {
            "notes": session.scalar(select(func.count()).select_from(Note)),
            "signups": session.scalar(select(func.count()).select_from(PatrolSignup)),
        }


@pytest.mark.parametrize("role", ["volunteer", "officer", "applicant"])
def test_a_deleted_account_leaves_nothing_that_names_the_person(client, make, app, world: World, role: str):
    person = world.applicant if role == "applicant" else world.person(role)
    words = words_naming(world, role)
    assert traces(app, words), "the world should name the person before the deletion"
    notes_before = counts(app)["notes"]

    assert client.delete("/api/v1/me", headers=make.headers(person)).status_code == 204

    assert traces(app, words) == []
    assert counts(app)["notes"] == notes_before  # the group's notes stay, under the pseudonym
