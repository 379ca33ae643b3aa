"""Two people pressing the button at the same moment: the wijkagent and the coordinator both call
out the same missing child, or both close the alert. Each phone must hear it once. PostgreSQL only:
SQLite runs one writing transaction at a time, so no race can show there."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from buurtwacht import create_app, db
from buurtwacht.models import Alert, MembershipRole
from tests.push.helpers import MISSING_BOY, dispatch, register, start_alert

WIJKEN = ("bargeres", "rietlanden", "delftlanden")


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip(
            "simultaneous requests are tested on PostgreSQL only (set BUURTWACHT_TEST_DATABASE_URL); "
            "SQLite takes one writer at a time, so no race can show"
        )


def at_the_same_moment(app, requests):
    """POST each (path, json, headers) from a thread of its own, released together; returns the statuses."""
    barrier = threading.Barrier(len(requests))
    answers: list[int | str | None] = [None] * len(requests)

    def send(index, path, body, headers):
        own_client = app.test_client()
        try:
            barrier.wait(timeout=30)
            answers[index] = own_client.post(path, json=body, headers=headers).status_code
        except Exception as exc:  # a crash in a thread must fail the test, not vanish
            answers[index] = repr(exc)

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return answers


@pytest.fixture
def emmen_zuid(client, make):
    """Sanne is wijkagent of Emmen Zuid; each of three wijken has a coordinator and a volunteer with a phone."""
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "emmen-zuid")
    wijken = {}
    for wijk in WIJKEN:
        coordinator = make.person(f"Coördinator {wijk}")
        volunteer = make.person(f"Vrijwilliger {wijk}")
        make.member(make.group(wijk, coordinator=coordinator), volunteer, MembershipRole.VOLUNTEER)
        register(client, make, volunteer, f"fid-phone-{wijk}")
        wijken[wijk] = coordinator
    return sanne, wijken


def test_two_like_alerts_at_the_same_moment_make_one_call_out(client, make, app, fcm, emmen_zuid):
    sanne, coordinators = emmen_zuid
    for wijk, coordinator in coordinators.items():
        body = {**MISSING_BOY, "headline": f"Vermist: meisje van 6 in {wijk}", "area_ids": [make.area_id(wijk)]}
        answers = at_the_same_moment(
            app, [("/api/v1/alerts", body, make.headers(sanne)), ("/api/v1/alerts", body, make.headers(coordinator))]
        )
        assert sorted(answers) == [201, 409], (wijk, answers)
    dispatch(app)
    assert Counter(m["fid"] for m in fcm.received) == {f"fid-phone-{wijk}": 1 for wijk in WIJKEN}


def test_two_closes_at_the_same_moment_end_the_alert_once(client, make, app, fcm, emmen_zuid):
    sanne, coordinators = emmen_zuid
    for wijk, coordinator in coordinators.items():
        alert_id = start_alert(client, make, coordinator, (wijk,), headline=f"Vermist: meisje van 6 in {wijk}")
        close = {"outcome": "found", "message": "Ze is terecht, dank voor het uitkijken."}
        answers = at_the_same_moment(
            app,
            [
                (f"/api/v1/alerts/{alert_id}/close", close, make.headers(sanne)),
                (f"/api/v1/alerts/{alert_id}/close", close, make.headers(coordinator)),
            ],
        )
        assert sorted(answers) == [200, 409], (wijk, answers)
    dispatch(app)
    closing = Counter(m["fid"] for m in fcm.received if m["data"]["type"] == "alert.closed")
    assert closing == {f"fid-phone-{wijk}": 1 for wijk in WIJKEN}


HEADLINES = (
    "Witte bestelbus zonder kentekenplaten", "Oudere man met rollator vermist", "Twee inbrekers op een scooter",
    "Rode bakfiets gestolen bij school", "Bruine labrador loslopend", "Rook bij de sporthal",
    "Blauwe auto rijdt veel te hard", "Meisje met gele jas zoekt haar moeder", "Overvaller te voet gevlucht",
    "Verdachte in groen trainingspak",
)  # fmt: skip


def test_ten_alerts_at_the_same_moment_stay_within_the_hourly_limit(app, make, make_settings, emmen_zuid):
    sanne, _coordinators = emmen_zuid
    # The per-minute limit would stop most of these first: raise it, to test the hourly count alone.
    roomy = create_app(make_settings(RATE_LIMIT_ALERTS="100/minute", ALERTS_PER_HOUR=6))
    requests = [
        ("/api/v1/alerts",
         {**MISSING_BOY, "kind": "general_warning", "headline": headline, "area_ids": [make.area_id(WIJKEN[i % 3])]},
         make.headers(sanne))
        for i, headline in enumerate(HEADLINES)
    ]  # fmt: skip
    try:
        answers = at_the_same_moment(roomy, requests)
    finally:
        with roomy.app_context():
            roomy.extensions["buurtwacht.identity"].close()
    assert Counter(answers) == {201: 6, 429: 4}, answers
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Alert)) == 6
