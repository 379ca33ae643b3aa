"""Two dispatchers at work at the same moment on one alert to a few hundred phones: each phone
gets it exactly once. PostgreSQL only: the claim rests on FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from buurtwacht import db
from buurtwacht.push import dispatcher, expand
from tests.push.helpers import start_alert

PHONES = 300


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip(
            "two dispatchers at once are tested on PostgreSQL only (set BUURTWACHT_TEST_DATABASE_URL); "
            "SQLite takes one writer at a time and ignores FOR UPDATE SKIP LOCKED, so no race can show"
        )


def side_by_side(app, dispatchers: int = 2) -> list[dispatcher.Tally]:
    """Run the dispatchers in threads of their own, released together; a crash fails the test."""
    barrier = threading.Barrier(dispatchers)
    tallies: list[dispatcher.Tally | BaseException | None] = [None] * dispatchers

    def work(index: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                tallies[index] = dispatcher.run(stop_when_idle=True, batch=50)
        except BaseException as exc:
            tallies[index] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(dispatchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a dispatcher hung"
    for tally in tallies:
        assert isinstance(tally, dispatcher.Tally), tally
    return tallies  # type: ignore[return-value]


@pytest.fixture
def bargeres(make):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    addresses = make.volunteers_with_phones(make.group("bargeres"), PHONES, "fid-crowd")
    return sanne, addresses


def test_two_dispatchers_share_the_work_and_no_phone_hears_it_twice(client, make, app, fcm, bargeres):
    sanne, addresses = bargeres
    start_alert(client, make, sanne)
    with app.app_context():
        assert expand.expand_broadcast(db.utcnow())  # the deliveries are there: both claim from the start

    tallies = side_by_side(app)

    assert Counter(m["fid"] for m in fcm.received) == Counter(addresses)
    assert sum(t.sent for t in tallies) == PHONES
    assert all(t.sent > 0 for t in tallies), [t.sent for t in tallies]  # both really worked


def test_two_dispatchers_starting_from_the_outbox_send_each_phone_once(client, make, app, fcm, bargeres):
    sanne, addresses = bargeres
    start_alert(client, make, sanne)

    tallies = side_by_side(app)

    assert Counter(m["fid"] for m in fcm.received) == Counter(addresses)
    assert sum(t.sent for t in tallies) == PHONES
    assert sum(t.expanded for t in tallies) == 1
