"""A request that only reads, or writes a note in one statement, sends its statements on its thread's own held
connection (db.Database.held), on PostgreSQL: no connection from the pool, no session, and still exactly the
answers and the refusals it had.

What must hold: a kept sign-in's roster read and a note write take nothing from the pool; a held connection the
server dropped fails one request with 503 and is replaced at the next; one past its age is replaced as the pool
recycles its own; and a write through the session of a request that said it writes in one statement is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text, update

from buurtwacht import db
from buurtwacht.models import Group, MembershipRole
from tests.serving.test_one_statement_write import note_body
from tests.serving.test_read_cache import caught_up


def _pool_checkouts(engine: Any) -> list[int]:
    taken: list[int] = []
    event.listen(engine.pool, "checkout", lambda *_a: taken.append(1))
    return taken


def test_a_kept_reader_reads_and_writes_a_note_without_the_pool(listening, client, make):
    anna = make.person("Anna de Vries")
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=anna)
    make.member(group, vera, MembershipRole.VOLUNTEER)
    make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    headers = make.headers(vera)
    assert client.get(f"/api/v1/groups/{group.id}", headers=headers).status_code == 200  # keeps her and the group
    # Each held connection is taken from the pool once, by the first request of its kind, and kept.
    first = client.post(f"/api/v1/groups/{group.id}/notes", json=note_body(), headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    caught_up(listening)
    with listening.app_context():
        engine = db.database().engine
    taken = _pool_checkouts(engine)
    roster = client.get(f"/api/v1/groups/{group.id}/patrols", headers=headers)
    written = client.post(f"/api/v1/groups/{group.id}/notes", json=note_body(), headers=headers)
    assert roster.status_code == 200 and len(roster.get_json()) == 1
    assert written.status_code == 201, written.get_data(as_text=True)
    assert taken == []  # both went on the thread's held connections
    notes = client.get(f"/api/v1/groups/{group.id}/notes", headers=headers)
    assert [n["id"] for n in notes.get_json()] == [written.get_json()["id"], first.get_json()["id"]]  # read back


def test_a_dropped_held_connection_fails_one_request_and_is_replaced(listening, client, make, database_url):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    headers = make.headers(anna)
    url = f"/api/v1/groups/{group.id}/patrols"
    assert client.get(url, headers=headers).status_code == 200
    with listening.app_context():
        reader = db.database().reader()
        pid = reader.connection.dbapi_connection.info.backend_pid
    killer = create_engine(database_url)
    try:
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
            other.commit()
    finally:
        killer.dispose()
    first = client.get(url, headers=headers)  # the versions cannot be read on it: answered from the database
    answers = [first.status_code] + [client.get(url, headers=headers).status_code for _ in range(2)]
    assert answers[-1] == 200 and set(answers) <= {200, 503}, answers
    with listening.app_context():
        assert db.database().reader().connection.dbapi_connection.info.backend_pid != pid


def test_a_held_connection_past_its_age_is_replaced(listening, client, make, monkeypatch):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    headers = make.headers(anna)
    url = f"/api/v1/groups/{group.id}/patrols"
    assert client.get(url, headers=headers).status_code == 200
    with listening.app_context():
        old = db.database().reader()
    monkeypatch.setattr(db, "RECYCLE_SECONDS", 0)
    assert client.get(url, headers=headers).status_code == 200
    with listening.app_context():
        assert db.database().reader() is not old
    assert old.closed


def test_a_write_through_the_session_in_a_one_statement_request_is_refused(listening, make):
    group = make.group(coordinator=make.person("Anna de Vries"))
    with listening.test_request_context():
        assert db.one_statement_write() is True
        with pytest.raises(RuntimeError, match="one statement"):
            db.session().execute(update(Group).where(Group.id == group.id).values(name="Overschreven"))
