"""Reads sent straight through the driver (db.fetch_all) fail as SQLAlchemy's own would, and are still seen.

On PostgreSQL the hot reads (GET /me, the roster, my patrols, the alerts, the notes) skip SQLAlchemy's
execute and result processing. What SQLAlchemy did around a statement must still happen: a lost
connection is a 503 in the error shape (never a 500) and the next request works on a fresh connection;
the engine's cursor events see the statement (the read cache sorts it by the tables it reads).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

from buurtwacht import db
from buurtwacht.models import MembershipRole


@pytest.fixture
def on_postgres(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("reads go through the driver itself on PostgreSQL only; on SQLite they are SQLAlchemy's")


@pytest.mark.usefixtures("on_postgres")
def test_a_connection_lost_during_a_read_is_a_503_and_the_next_read_works(app, client, make, database_url):  # type: ignore[no-untyped-def]
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    url = f"/api/v1/groups/{group.id}/patrols"
    assert client.get("/api/v1/me", headers=make.headers(bram)).status_code == 200  # signed in; the roster not yet read
    killer = create_engine(database_url)
    with app.app_context():
        engine = db.database().engine

    def cut(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "FROM patrols" in statement:  # the roster's page: its connection is gone when it is sent
            pid = conn.connection.dbapi_connection.info.backend_pid
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
                other.commit()

    event.listen(engine, "before_cursor_execute", cut)
    try:
        answer = client.get(url, headers=make.headers(bram))
    finally:
        event.remove(engine, "before_cursor_execute", cut)
        killer.dispose()
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.get_json()["message"] == "de database is niet bereikbaar; probeer het zo opnieuw"  # Bram reads Dutch
    again = client.get(url, headers=make.headers(bram))  # the lost connection was not handed out again
    assert again.status_code == 200, again.get_data(as_text=True)
    assert len(again.get_json()) == 1


@pytest.mark.usefixtures("on_postgres")
def test_the_engine_sees_each_read_sent_through_the_driver(app, client, make):  # type: ignore[no-untyped-def]
    anna = make.person("Anna de Vries")
    group = make.group("bargeres", coordinator=anna)
    with app.app_context():
        engine = db.database().engine
    seen: list[str] = []

    def saw(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "after_cursor_execute", saw)
    try:
        me = client.get("/api/v1/me", headers=make.headers(anna))
        roster = client.get(f"/api/v1/groups/{group.id}/patrols", headers=make.headers(anna))
    finally:
        event.remove(engine, "after_cursor_execute", saw)
    assert me.status_code == 200 and roster.status_code == 200
    assert me.get_json()["memberships"][0]["role"] == "coordinator"
    assert any("FROM memberships JOIN groups" in s for s in seen), seen
    assert any("FROM patrols" in s and "count(*)" in s for s in seen), seen
