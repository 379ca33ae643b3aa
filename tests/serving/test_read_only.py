"""A request that only reads runs its statements without a transaction (db.read_only), on PostgreSQL.

Under READ COMMITTED each statement takes its own snapshot, in a transaction or not, so the answer is the
same; what goes is the BEGIN and the COMMIT, two round trips of the four or five a read had.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from buurtwacht import db
from buurtwacht.models import Group, MembershipRole
from tests.serving.test_read_cache import caught_up


def test_a_members_roster_is_read_without_begin_or_commit(listening, client, make):
    anna = make.person("Anna de Vries")
    vera = make.person("Vera Vrijwilliger")
    group = make.group(coordinator=anna)
    make.member(group, vera, MembershipRole.VOLUNTEER)
    make.patrol(group, dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    assert client.get(f"/api/v1/groups/{group.id}", headers=make.headers(vera)).status_code == 200  # keeps her and it
    caught_up(listening)
    seen: list[Any] = []

    pids: set[int] = set()

    def status(conn: Any, *_rest: Any) -> None:
        seen.append(conn.connection.dbapi_connection.info.transaction_status.name)
        pids.add(conn.connection.dbapi_connection.info.backend_pid)

    with listening.app_context():
        engine = db.database().engine
    event.listen(engine, "after_cursor_execute", status)
    try:
        answer = client.get(f"/api/v1/groups/{group.id}/patrols", headers=make.headers(vera))
    finally:
        event.remove(engine, "after_cursor_execute", status)
    assert answer.status_code == 200 and len(answer.get_json()) == 1
    assert seen and set(seen) == {"IDLE"}  # each statement ran on its own: no transaction was left open

    # They ran on this thread's reader, held apart from the pool: the pool's connections were not touched, and none
    # of them is left in autocommit (a write on one is one transaction, as before).
    with listening.app_context():
        reader = db.database().reader()
        assert pids == {reader.connection.dbapi_connection.info.backend_pid}
        assert reader.connection.dbapi_connection.autocommit is True
    held = [engine.raw_connection() for _ in range(engine.pool.checkedin())]
    try:
        assert all(raw.dbapi_connection.autocommit is False for raw in held)
        assert not any(raw.dbapi_connection.info.backend_pid in pids for raw in held)
    finally:
        for raw in held:
            raw.close()
    seen.clear()
    note = {"id": str(uuid.uuid4()), "category": "other", "what": "Poort stond open.", "street": "Kapelstraat 3",
            "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()}  # fmt: skip
    event.listen(engine, "after_cursor_execute", status)
    try:
        written = client.post(f"/api/v1/groups/{group.id}/notes", json=note, headers=make.headers(vera))
    finally:
        event.remove(engine, "after_cursor_execute", status)
    assert written.status_code == 201, written.get_data(as_text=True)
    # A note is one statement that commits by itself (tests/serving/test_one_statement_write.py).
    assert seen == ["IDLE"]


def test_a_write_after_saying_it_only_reads_is_refused_and_changes_nothing(listening, make):
    group = make.group(coordinator=make.person("Anna de Vries"))
    with listening.test_request_context():
        db.read_only()
        session = db.session()
        with pytest.raises(RuntimeError, match="only reads"):
            session.execute(update(Group).where(Group.id == group.id).values(name="Overschreven"))
    with listening.app_context():
        assert db.session().scalar(select(func.count()).select_from(Group).where(Group.name == "Overschreven")) == 0
