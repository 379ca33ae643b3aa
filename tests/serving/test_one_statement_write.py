"""Recording a note is one statement that commits by itself, and still tells every worker what changed (PostgreSQL).

A transaction of one write cost BEGIN, the write, and the versions' advance with COMMIT: three round trips.
The note's statement now advances the versions of the tables it wrote and sends the change notice inside
itself (readcache.advancing), in autocommit (db.one_statement_write): one round trip, as atomic. What
must hold: the versions advance exactly when the note goes in, the notice is sent then and only then, a
retry changes nothing, and a request in this mode cannot write a second time (it would commit on its own).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select, update

from buurtwacht import db
from buurtwacht.models import Group, MembershipRole, Note, NoteEvent
from buurtwacht.models.change import TableVersion
from buurtwacht.readcache import CHANNEL


def versions(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session().execute(select(TableVersion.table_name, TableVersion.version)).all()
    return dict(rows)  # type: ignore[arg-type]


def note_body() -> dict[str, str]:
    return {"id": str(uuid.uuid4()), "category": "other", "what": "Poort stond open.", "street": "Kapelstraat 3",
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()}  # fmt: skip


@pytest.fixture
def listener(database_url: str):  # type: ignore[no-untyped-def]
    """A connection of its own listening to the change notices."""
    conn = psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql"), autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    yield conn
    conn.close()


def heard(conn: psycopg.Connection[Any], within: float = 1.0) -> list[str]:
    """The notices that arrive within this time (those of other tests' tables too: each names its tables)."""
    return [n.payload for n in conn.notifies(timeout=within, stop_after=50)]


def test_a_note_is_one_statement_that_advances_its_versions_and_tells_the_workers(  # type: ignore[no-untyped-def]
    listening, client, make, listener
):
    anna, vera = make.person("Anna de Vries"), make.person("Vera Vrijwilliger")
    group = make.group(coordinator=anna)
    make.member(group, vera, MembershipRole.VOLUNTEER)
    url = f"/api/v1/groups/{group.id}/notes"
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(vera)).status_code == 200  # keeps her
    heard(listener, 0.2)  # what the set-up sent
    before = versions(listening)
    with listening.app_context():
        engine = db.database().engine
    sent: list[tuple[str, str]] = []

    def saw(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append((" ".join(statement.split())[:60], conn.connection.dbapi_connection.info.transaction_status.name))

    body = note_body()
    event.listen(engine, "after_cursor_execute", saw)
    try:
        written = client.post(url, json=body, headers=make.headers(vera))
    finally:
        event.remove(engine, "after_cursor_execute", saw)
    assert written.status_code == 201, written.get_data(as_text=True)
    assert len(sent) == 1 and sent[0][1] == "IDLE", sent  # one statement, committed by itself: no BEGIN, no COMMIT
    after = versions(listening)
    assert after["notes"] == before.get("notes", 0) + 1
    assert after["note_events"] == before.get("note_events", 0) + 1
    assert "note_events,notes" in heard(listener)
    with listening.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).select_from(Note).where(Note.id == body["id"])) == 1
        kinds = session.scalars(select(NoteEvent.kind).where(NoteEvent.note_id == body["id"])).all()
        assert [str(k) for k in kinds] == ["created"]

    # The same note again (the phone's retry): the same answer, and nothing written, advanced or told.
    again = client.post(url, json=body, headers=make.headers(vera))
    assert again.status_code in (200, 201), again.get_data(as_text=True)
    assert again.get_json()["id"] == body["id"]
    assert versions(listening) == after
    assert "note_events,notes" not in heard(listener, 0.3)

    # A category the group does not use (the insert's own condition): nothing written, advanced or told.
    chosen = client.put(f"/api/v1/groups/{group.id}/categories", json={"categories": ["traffic_safety"]},
                        headers=make.headers(anna))  # fmt: skip
    assert chosen.status_code == 200
    heard(listener, 0.2)
    chosen_versions = versions(listening)
    refused = client.post(url, json=note_body(), headers=make.headers(vera))  # category "other"
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert versions(listening) == chosen_versions
    assert "note_events,notes" not in heard(listener, 0.3)


def test_a_second_write_in_a_one_statement_request_is_refused_and_changes_nothing(listening, make):  # type: ignore[no-untyped-def]
    group = make.group(coordinator=make.person("Anna de Vries"))
    with listening.test_request_context():
        assert db.one_statement_write()
        session = db.session()
        with pytest.raises(RuntimeError, match="writes in one statement"):
            session.execute(update(Group).where(Group.id == group.id).values(name="Overschreven"))
    with listening.app_context():
        assert db.session().scalar(select(func.count()).select_from(Group).where(Group.name == "Overschreven")) == 0


def test_off_postgresql_or_after_a_statement_a_note_is_an_ordinary_transaction(app, make):  # type: ignore[no-untyped-def]
    group = make.group(coordinator=make.person("Anna de Vries"))
    with app.test_request_context():
        session = db.session()
        session.get(Group, group.id)  # a statement first: the transaction has begun
        assert db.one_statement_write() is False
