"""A commit the database refuses at the last moment is an answer in the error shape, never a 500, and stores nothing.

On PostgreSQL a writing request's COMMIT goes in the same round trip as the advance of its tables'
versions (buurtwacht/readcache.py). Here the connection is cut just before that round trip, as a
database restart or a network fault would: the client gets 503 and can retry, and the note is not there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from buurtwacht import db, readcache
from buurtwacht.models import MembershipRole, Note


def test_a_connection_lost_at_commit_is_a_503_and_the_note_can_be_sent_again(
    app, client, make, is_postgres, database_url, monkeypatch
):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip("the versions' advance and the COMMIT share a round trip on PostgreSQL only")
    anna, bram = make.person("Anna de Vries"), make.person("Bram Jansen")
    group = make.group("bargeres", coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    note = {
        "id": str(uuid.uuid4()),
        "category": "other",
        "what": "Poort stond open.",
        "street": "Kapelstraat 3",
        "observed_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
    }
    url = f"/api/v1/groups/{group.id}/notes"
    killer = create_engine(database_url)

    def cut(conn: Any) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
            other.commit()

    advance_and_commit = readcache._on_commit

    def cut_then_commit(conn: Any, database: str) -> None:
        cut(conn)  # the connection is gone when the versions' advance and the COMMIT are sent
        advance_and_commit(conn, database)

    monkeypatch.setattr(readcache, "_on_commit", cut_then_commit)
    try:
        answer = client.post(url, json=note, headers=make.headers(bram))
    finally:
        monkeypatch.undo()
        killer.dispose()
    assert answer.status_code == 503, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["code"] == 503 and body["message"]
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Note).where(Note.id == note["id"])) == 0
    again = client.post(url, json=note, headers=make.headers(bram))  # the retry the app makes: stored once
    assert again.status_code == 201, again.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Note).where(Note.id == note["id"])) == 1
