"""Repeated reads answered from memory, and never a stale answer after a change (buurtwacht/readcache.py).

On PostgreSQL a read repeated by the same person is answered from memory, after one look at the
table versions, until a commit, in any process, changes a table it read. On SQLite the cache is off:
every read goes to the database. tests/serving/test_read_your_writes.py checks the same across two
gunicorn workers.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import time_machine
from prometheus_client import REGISTRY
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from buurtwacht import db
from buurtwacht.models import MembershipRole
from buurtwacht.readcache import CHANNEL, StatementSorter

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """The statements the app sends to its database while the block runs."""
    sent: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.database().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def wait_until_listening(app) -> None:  # type: ignore[no-untyped-def]
    cache = app.extensions["buurtwacht.readcache"]
    deadline = time.monotonic() + 10
    while not cache.serving():
        assert time.monotonic() < deadline, "the read cache's listener did not connect"
        time.sleep(0.02)


def caught_up(app) -> None:  # type: ignore[no-untyped-def]
    """Wait until the listener has heard every commit made so far, this test's own included.

    A commit's notice reaches the listener a moment later and drops what was kept from the tables it
    names, even when the answer was kept after the commit: a read in that moment is a miss, never stale.
    Notices arrive in commit order, so once a marker sent now is heard, every earlier one has been.
    """
    cache = app.extensions["buurtwacht.readcache"]
    marker = f"caught-up-{uuid.uuid4().hex}"
    with app.app_context():
        engine = db.database().engine
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_notify(:channel, :marker)"), {"channel": CHANNEL, "marker": marker})
        conn.commit()
    deadline = time.monotonic() + 10
    while cache.version(marker) == cache.version("an-unknown-table"):  # only EVERY_TABLE notices so far
        assert time.monotonic() < deadline, "the read cache's listener did not hear the marker"
        time.sleep(0.01)


@pytest.fixture
def cached(app, is_postgres):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip(
            "the read cache works on PostgreSQL only (set BUURTWACHT_TEST_DATABASE_URL): SQLite cannot tell "
            "one process about another's commits, so there the cache is off (see the test below)"
        )
    wait_until_listening(app)
    return app


def test_a_repeated_read_is_answered_with_one_look_at_the_table_versions(cached, client, make):
    """No statement of the view's own: only the versions' read, on the cache's own connection."""
    anna = make.person("Anna de Vries")
    caught_up(cached)
    first = client.get("/api/v1/me", headers=make.headers(anna))
    with statements_sent(cached) as sent:
        again = client.get("/api/v1/me", headers=make.headers(anna))
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert sent == []
    assert again.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert again.headers["X-Content-Type-Options"] == "nosniff"


def test_a_change_through_the_api_shows_on_the_next_read(cached, client, make):
    anna = make.person("Anna de Vries")
    client.get("/api/v1/me", headers=make.headers(anna))
    changed = client.patch("/api/v1/me", headers=make.headers(anna), json={"display_name": "Anna Nieuw"})
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=make.headers(anna)).get_json()["person"]["display_name"] == "Anna Nieuw"


def test_a_note_recorded_by_one_volunteer_shows_in_the_list_the_coordinator_read_before(cached, client, make):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    path = f"/api/v1/groups/{group.id}/notes"
    assert client.get(path, headers=make.headers(anna)).get_json() == []
    observed = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    recorded = client.post(
        path,
        headers=make.headers(bram),
        json={
            "id": str(uuid.uuid4()),
            "category": "youth_nuisance",
            "what": "Groep jongeren bij het speelveld",
            "observed_at": observed,
            "street": "Statenweg",
        },
    )
    assert recorded.status_code == 201, recorded.get_json()
    assert [n["what"] for n in client.get(path, headers=make.headers(anna)).get_json()] == [
        "Groep jongeren bij het speelveld"
    ]


def test_answers_are_kept_per_person(cached, client, make):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    make.member(group, bram, MembershipRole.VOLUNTEER)
    for _ in range(2):
        assert (
            client.get("/api/v1/me", headers=make.headers(anna)).get_json()["person"]["display_name"] == "Anna de Vries"
        )
        assert (
            client.get("/api/v1/me", headers=make.headers(bram)).get_json()["person"]["display_name"] == "Bram Jansen"
        )
    roles = client.get("/api/v1/me", headers=make.headers(bram)).get_json()["memberships"]
    assert [m["role"] for m in roles] == ["volunteer"]


def test_a_member_removed_by_the_coordinator_loses_the_group_at_once(cached, client, make):
    anna = make.person("Anna de Vries")
    bram = make.person("Bram Jansen")
    group = make.group(coordinator=anna)
    membership = make.member(group, bram, MembershipRole.VOLUNTEER)
    path = f"/api/v1/groups/{group.id}/notes"
    assert client.get(path, headers=make.headers(bram)).status_code == 200
    removed = client.delete(f"/api/v1/groups/{group.id}/members/{membership}", headers=make.headers(anna))
    assert removed.status_code == 204, removed.get_json()
    assert client.get(path, headers=make.headers(bram)).status_code == 404


def cache_hits() -> float:
    """Reads answered with a kept answer, in this process."""
    return REGISTRY.get_sample_value("buurtwacht_read_cache_lookups_total", {"result": "hit"}) or 0.0


def test_a_failed_read_is_not_kept(cached, client, make):
    anna = make.person("Anna de Vries")
    group = make.group(coordinator=make.person("Carla Coördinator"))
    path = f"/api/v1/groups/{group.id}/notes"
    assert client.get(path, headers=make.headers(anna)).status_code == 404
    hits = cache_hits()
    assert client.get(path, headers=make.headers(anna)).status_code == 404
    assert cache_hits() == hits  # worked out again (the sign-in and group kept may answer it), not a kept answer
    make.member(group, anna, MembershipRole.VOLUNTEER)
    assert client.get(path, headers=make.headers(anna)).status_code == 200


def test_kept_answers_age_out_for_what_changes_with_the_clock(cached, client, make):
    anna = make.person("Anna de Vries")
    caught_up(cached)
    seconds = cached.config["BUURTWACHT"].READ_CACHE_SECONDS
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        client.get("/api/v1/me", headers=make.headers(anna))
        with statements_sent(cached) as sent:
            client.get("/api/v1/me", headers=make.headers(anna))
        assert sent == []
        clock.shift(dt.timedelta(seconds=seconds + 1))
        with statements_sent(cached) as sent:
            client.get("/api/v1/me", headers=make.headers(anna))
        assert sent != []


def test_a_change_committed_by_another_process_shows_on_the_next_read(cached, client, make, database_url):
    anna = make.person("Anna de Vries")
    assert client.get("/api/v1/me", headers=make.headers(anna)).get_json()["person"]["display_name"] == "Anna de Vries"
    # Another process (a scheduler, a second web worker) commits through the project's own engine.
    script = (
        "import sys\n"
        "from sqlalchemy import text\n"
        "from buurtwacht import db\n"
        "with db.make_engine(sys.argv[1]).begin() as conn:\n"
        "    conn.execute(text('UPDATE people SET display_name = :name WHERE id = :id'),"
        " {'name': 'Anna Elders', 'id': sys.argv[2]})\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUURTWACHT_")}
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script, database_url, str(anna.id)], cwd=ROOT, env=env, check=True, timeout=60
    )
    deadline = time.monotonic() + 2
    while True:  # the notice arrives on the listener's connection a moment after the commit
        name = client.get("/api/v1/me", headers=make.headers(anna)).get_json()["person"]["display_name"]
        if name == "Anna Elders" or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    assert name == "Anna Elders"


def test_while_the_listener_is_away_nothing_kept_is_served(cached, client, make, database_url):
    anna = make.person("Anna de Vries")
    client.get("/api/v1/me", headers=make.headers(anna))
    listener = cached.extensions["buurtwacht.readcache"].listener()
    connected = listener.connections
    with cached.app_context():
        session = db.session()
        session.execute(  # the listener's connection is cut
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN %'"
            )
        )
        session.commit()
    # A change it can never hear of: straight through the driver, as if it came from psql.
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as driver:
        driver.execute("UPDATE people SET display_name = 'Anna Elders' WHERE id = %s", (anna.id,))
    deadline = time.monotonic() + 10
    while not (listener.live and listener.connections > connected):
        assert time.monotonic() < deadline, "the listener did not reconnect"
        time.sleep(0.02)
    assert client.get("/api/v1/me", headers=make.headers(anna)).get_json()["person"]["display_name"] == "Anna Elders"


def test_on_sqlite_every_read_goes_to_the_database(app, client, make, is_postgres):
    if is_postgres:
        pytest.skip("the SQLite run covers this; on PostgreSQL the tests above cover the cache")
    anna = make.person("Anna de Vries")
    client.get("/api/v1/me", headers=make.headers(anna))
    assert "buurtwacht.readcache" not in app.extensions
    with statements_sent(app) as sent:
        assert client.get("/api/v1/me", headers=make.headers(anna)).status_code == 200
    assert sent != []


@pytest.mark.parametrize(
    ("statement", "writes", "tables"),
    [
        ("SELECT people.id FROM people WHERE people.firebase_uid = %(uid)s", False, {"people"}),
        ("INSERT INTO notes (id, group_id) VALUES (%(id)s, %(group_id)s)", True, {"notes"}),
        ("UPDATE patrols SET status = 'cancelled' WHERE patrols.id = %(id)s", True, {"patrols"}),
        ("WITH moved AS (DELETE FROM devices WHERE id = 1 RETURNING *) SELECT count(*) FROM moved", True, {"devices"}),
        ("WITH t AS (SELECT id FROM groups) SELECT * FROM t", False, {"groups"}),
        ("SELECT patrols.id FROM patrols WHERE patrols.id = %(id)s FOR UPDATE", False, {"patrols"}),
        # Kept by triggers from notes (migration 0020): a read of the tallies is a read of the notes.
        ("SELECT sum(note_tallies.notes) FROM note_tallies WHERE note_tallies.group_id = %(g)s", False, {"notes"}),
        ("CREATE INDEX ix_something ON somewhere (x)", True, {"*"}),
        ("BEGIN IMMEDIATE", False, set()),
        ("SAVEPOINT sa_savepoint_1", False, set()),
    ],
)
def test_statements_are_sorted_into_reads_and_writes_by_the_tables_they_name(statement, writes, tables):
    sorter = StatementSorter(["people", "notes", "note_events", "note_tallies", "patrols", "devices", "groups"])
    assert sorter.sort(statement) == (writes, frozenset(tables))
