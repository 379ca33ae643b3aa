"""FCM saying "later": the push is tried again after the wait FCM asked for (never in the same
round), arrives once, and is given up and recorded failed after PUSH_MAX_ATTEMPTS tries."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from email.utils import format_datetime

import pytest
import time_machine

from buurtwacht import create_app, db
from buurtwacht.models import MembershipRole
from tests.push.helpers import deliveries_to, dispatch, is_dropped, now, register, start_alert


@pytest.fixture
def neighbourhood(client, make):
    """Sanne (wijkagent) and Bargeres: a phone per address given, each of a volunteer."""

    def make_it(*addresses: str):
        sanne = make.person("Sanne Mulder")
        make.officer(sanne, "emmen-zuid")
        group = make.group("bargeres")
        for address in addresses:
            volunteer = make.person()
            make.member(group, volunteer, MembershipRole.VOLUNTEER)
            register(client, make, volunteer, address)
        return sanne

    return make_it


@pytest.fixture
def retry_after(fcm, monkeypatch):
    """Make the fake's Retry-After say `value` (seconds or an HTTP date) instead of 1."""

    def set_to(value: str) -> None:
        answer = fcm.answer

        def answering(message):
            status, body, headers = answer(message)
            if "Retry-After" in headers:
                headers = {**headers, "Retry-After": value}
            return status, body, headers

        monkeypatch.setattr(fcm, "answer", answering)

    return set_to


@pytest.mark.parametrize("address", ["unavailable-busy-phone", "internal-hiccup-phone"])
def test_a_push_fcm_cannot_take_now_is_retried_later_and_arrives_once(
    client, make, app, fcm, asked, neighbourhood, address
):
    sanne = neighbourhood(address, "fid-fine-phone")
    start_alert(client, make, sanne)
    started = now(app)

    tally = dispatch(app)

    assert [m["fid"] for m in fcm.received] == ["fid-fine-phone"]
    assert asked.count()[address] == 1  # not hammered again in the same round
    assert tally.retried == 1
    [waiting] = deliveries_to(app, address)
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    assert waiting["next_attempt_at"] >= started + dt.timedelta(seconds=1)  # the fake's Retry-After: 1
    assert waiting["lease_until"] is None

    with time_machine.travel(waiting["next_attempt_at"] + dt.timedelta(seconds=1), tick=False):
        dispatch(app)
        dispatch(app)  # and a round after that finds nothing more to do

    assert len(fcm.to(address)) == 1
    assert len(fcm.to("fid-fine-phone")) == 1
    [done] = deliveries_to(app, address)
    assert (done["status"], done["attempts"], done["error"]) == ("sent", 2, None)


@pytest.mark.parametrize("header", ["seconds", "http-date"])
def test_the_wait_fcm_asks_for_is_honoured(client, make, app, fcm, asked, neighbourhood, retry_after, header):
    sanne = neighbourhood("unavailable-busy-phone")
    start_alert(client, make, sanne)
    started = now(app)
    if header == "seconds":
        retry_after("300")
    else:
        retry_after(format_datetime(started.replace(microsecond=0) + dt.timedelta(minutes=5), usegmt=True))

    with time_machine.travel(started, tick=False):
        dispatch(app)
    [waiting] = deliveries_to(app, "unavailable-busy-phone")
    assert waiting["next_attempt_at"] >= started + dt.timedelta(seconds=299)

    with time_machine.travel(started + dt.timedelta(minutes=4), tick=False):
        dispatch(app)
    assert asked.count()["unavailable-busy-phone"] == 1  # four minutes on: still waiting as asked
    assert fcm.received == []

    with time_machine.travel(started + dt.timedelta(minutes=5, seconds=2), tick=False):
        dispatch(app)
    assert len(fcm.to("unavailable-busy-phone")) == 1


@pytest.fixture
def patient_fcm(fcm):
    """A fake FCM that keeps saying UNAVAILABLE / INTERNAL to the flaky addresses."""
    before = fcm.flaky_times
    fcm.flaky_times = 1000
    yield fcm
    fcm.flaky_times = before


@pytest.fixture
def three_attempts_app(app, make_settings) -> Iterator:
    """A second app on the same database whose dispatcher gives up after three attempts."""
    small = create_app(make_settings(PUSH_MAX_ATTEMPTS=3))
    yield small
    with small.app_context():
        if "buurtwacht.fcm" in small.extensions:
            small.extensions["buurtwacht.fcm"].close()
        small.extensions["buurtwacht.identity"].close()
        db.database().dispose()


@pytest.mark.parametrize("address", ["unavailable-never-phone", "internal-broken-phone"])
def test_after_push_max_attempts_the_push_is_recorded_failed(
    client, make, app, patient_fcm, asked, neighbourhood, three_attempts_app, address
):
    sanne = neighbourhood(address, "fid-fine-phone")
    alert_id = start_alert(client, make, sanne)

    dispatch(three_attempts_app)
    for _ in range(5):
        [row] = deliveries_to(app, address)
        if row["status"] != "pending":
            break
        with time_machine.travel(row["next_attempt_at"] + dt.timedelta(seconds=1), tick=False):
            dispatch(three_attempts_app)

    [row] = deliveries_to(app, address)
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert row["error"] in ("UnavailableError", "InternalError")
    assert asked.count()[address] == 3
    assert patient_fcm.to(address) == []
    stats = client.get(f"/api/v1/alerts/{alert_id}/stats", headers=make.headers(sanne)).get_json()
    assert (stats["sent"], stats["failed"], stats["pending"]) == (1, 1, 0)
    # Not a dead address, only a busy one: the phone stays registered for the next alert.
    assert not is_dropped(app, address)


def test_the_waits_between_attempts_grow(client, make, app, patient_fcm, neighbourhood):
    sanne = neighbourhood("unavailable-busy-phone")
    start_alert(client, make, sanne)
    waits = []
    moment = now(app)
    for _ in range(4):
        with time_machine.travel(moment, tick=False):
            dispatch(app)
        [row] = deliveries_to(app, "unavailable-busy-phone")
        waits.append(row["next_attempt_at"] - moment)
        moment = row["next_attempt_at"] + dt.timedelta(seconds=1)
    assert all(later > earlier for earlier, later in itertools.pairwise(waits)), waits


def test_a_slow_answer_does_not_hold_up_the_rest_of_the_batch(client, make, app, fcm, neighbourhood):
    others = [f"fid-quick-phone-{i}" for i in range(8)]
    sanne = neighbourhood("slow-far-away-phone", *others)
    start_alert(client, make, sanne)
    before = fcm.slow_seconds
    fcm.slow_seconds = 1.5
    try:
        started = time.monotonic()
        dispatch(app)
        elapsed = time.monotonic() - started
    finally:
        fcm.slow_seconds = before
    assert sorted(m["fid"] for m in fcm.received) == sorted([*others, "slow-far-away-phone"])
    # The messages of a batch go out side by side: one slow answer costs its own wait, once.
    assert elapsed < 1.5 * 2, elapsed
