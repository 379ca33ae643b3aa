"""A request that only reads, or writes a note in one statement, sends its statements on its thread's own held
connection (db.Database.held), on PostgreSQL: no connection from the pool, no session, and still exactly the
answers and the refusals it had.

What must hold: a kept sign-in's roster read and a note write take nothing from the pool; a held connection the
server dropped fails one request with 503 and is replaced at the next; one past the pool's recycling age goes back
to the pool; and a write through the session of a request that said it writes in one statement is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text, update

from buurtwacht import db
from buurtwacht.models import Group, MembershipRole
from tests.serving.test_one_statement_write import note_body
from tests.serving.test_read_cache import caught_up


@contextlib.contextmanager
def watching(app: Any) -> Iterator[tuple[list[int], set[int]]]:
    """While it lasts: the pool's checkouts, and the server processes the engine's statements were sent to."""
    with app.app_context():
        engine = db.database().engine
    taken: list[int] = []
    backends: set[int] = set()

    def checkout(*_a: Any) -> None:
        taken.append(1)

    def sent(conn: Any, *_a: Any) -> None:
        backends.add(conn.connection.dbapi_connection.info.backend_pid)

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "after_cursor_execute", sent)
    try:
        yield taken, backends
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine, "after_cursor_execute", sent)


def reader_backend(app: Any) -> int:
    with app.app_context():
        return int(db.database().reader().connection.dbapi_connection.info.backend_pid)


@pytest.fixture
def roster(listening, client, make) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """A coordinator's roster, read once: her sign-in and group kept, the thread's reader made."""
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=anna)
    url, headers = f"/api/v1/groups/{group.id}/patrols", make.headers(anna)
    assert client.get(url, headers=headers).status_code == 200
    return url, headers


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
    with watching(listening) as (taken, _backends):
        roster = client.get(f"/api/v1/groups/{group.id}/patrols", headers=headers)
        written = client.post(f"/api/v1/groups/{group.id}/notes", json=note_body(), headers=headers)
    assert roster.status_code == 200 and len(roster.get_json()) == 1
    assert written.status_code == 201, written.get_data(as_text=True)
    assert taken == []  # both went on the thread's held connections
    notes = client.get(f"/api/v1/groups/{group.id}/notes", headers=headers)
    assert [n["id"] for n in notes.get_json()] == [written.get_json()["id"], first.get_json()["id"]]  # read back


def test_a_dropped_held_connection_fails_one_request_and_is_replaced(listening, client, roster, database_url):
    url, headers = roster
    dropped = reader_backend(listening)
    killer = create_engine(database_url)
    try:
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": dropped})
            other.commit()
    finally:
        killer.dispose()
    # Each a page size of its own, so that none is answered by the read cache.
    answers = [client.get(f"{url}?page_size={size}", headers=headers).status_code for size in (11, 12)]
    with watching(listening) as (_taken, backends):
        last = client.get(f"{url}?page_size=13", headers=headers)
    assert last.status_code == 200 and set(answers) <= {200, 503}, answers
    assert backends and dropped not in backends  # the page was read on a new connection


def test_a_held_connection_past_its_age_goes_back_to_the_pool(listening, client, roster, monkeypatch):
    """Held, a connection never meets the pool's recycling; past the same age it is handed back, and taken again
    through the pool, which replaces one older than pool_recycle as it does its own."""
    url, headers = roster
    with listening.app_context():
        old = db.database().reader()
    monkeypatch.setattr(db, "RECYCLE_SECONDS", 0)
    with watching(listening) as (taken, backends):
        assert client.get(f"{url}?page_size=11", headers=headers).status_code == 200  # not a kept answer
    assert old.closed  # handed back
    assert taken and backends  # and the request's reads went on one taken afresh from the pool


def test_a_write_through_the_session_in_a_one_statement_request_is_refused(listening, make):
    group = make.group(coordinator=make.person("Anna de Vries"))
    with listening.test_request_context():
        assert db.one_statement_write() is True
        with pytest.raises(RuntimeError, match="one statement"):
            db.session().execute(update(Group).where(Group.id == group.id).values(name="Overschreven"))


def test_the_reader_runs_its_prepared_statements_on_their_generic_plan(listening, client, roster):
    """Prepared (after five runs), a page's statement is planned once per connection, not at every run."""
    url, headers = roster
    for size in range(11, 19):  # each a page size of its own: none answered by the read cache
        assert client.get(f"{url}?page_size={size}", headers=headers).status_code == 200
    with listening.app_context():
        reader = db.database().reader().connection.dbapi_connection
        assert reader.execute("SHOW plan_cache_mode").fetchone() == ("force_generic_plan",)
        plans = reader.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%patrol_signups%'"
        ).fetchall()
    assert plans and all(generic >= 1 and custom == 0 for generic, custom in plans), plans


def test_a_held_reader_goes_back_to_the_pool_with_the_servers_planning(listening, roster):
    """What the reader sets for itself does not follow its connection into the pool, to a transaction's session
    (the reader is handed back as a recycled one is, test_a_held_connection_past_its_age_goes_back_to_the_pool)."""
    with listening.app_context():
        old = db.database().reader()
        driver = old.connection.dbapi_connection
        db._hand_back(old)
        assert old.closed and not driver.closed  # in the pool, open
        assert driver.execute("SHOW plan_cache_mode").fetchone() == ("auto",)
        assert db.database().reader().connection.dbapi_connection.execute("SHOW plan_cache_mode").fetchone() == (
            "force_generic_plan",
        )  # and the next reader, perhaps the same connection taken again, sets it anew
