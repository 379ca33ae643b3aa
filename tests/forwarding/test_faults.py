"""The municipality's system misbehaves: every note still reaches it exactly once (counted at the fake),
none is lost, and what went wrong is visible to the coordinator."""

from __future__ import annotations

import dataclasses
import datetime as dt

import time_machine
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.forwarding import clients, dispatcher, service, targets
from buurtwacht.models import NoteForward, Notification
from tests.forwarding.conftest import dispatch, forward, forwards, note, record, utcnow


def forwarded(client, make, app, team, signalen, **body):
    group, anna, bram = team
    written = record(client, make, bram, group)
    assert forward(client, make, anna, written["id"], **body).status_code == 202
    return written["id"]


def dispatch_at(app, moment):
    with time_machine.travel(moment, tick=False):
        return dispatch(app)


def test_a_500_is_retried_with_backoff_and_sent_once(client, make, app, team, signalen):
    note_id = forwarded(client, make, app, team, signalen)
    signalen.fault(500)
    start = utcnow(app)
    assert dispatch_at(app, start).retried == 1
    [seen] = forwards(client, make, team[1], note_id)
    assert (seen["status"], seen["attempts"]) == ("queued", 1)
    assert seen["error"].startswith("500")
    assert dispatch_at(app, start + dt.timedelta(seconds=5)).sent == 0  # backoff: 15 s
    assert dispatch_at(app, start + dt.timedelta(seconds=16)).sent == 1
    assert signalen.made == 1 and len(signalen.creates()) == 2
    assert forwards(client, make, team[1], note_id)[0]["error"] is None


def test_a_429_waits_as_long_as_retry_after_says(client, make, app, team, signalen):
    forwarded(client, make, app, team, signalen)
    signalen.fault(429, retry_after=120)
    start = utcnow(app)
    assert dispatch_at(app, start).retried == 1
    assert dispatch_at(app, start + dt.timedelta(seconds=60)).sent == 0
    assert dispatch_at(app, start + dt.timedelta(seconds=121)).sent == 1
    assert signalen.made == 1


def test_an_answer_lost_to_a_timeout_is_retried_without_a_second_report(client, make, app, team, signalen):
    note_id = forwarded(client, make, app, team, signalen)
    signalen.fault("slow", seconds=2)  # made, but answered after the client's 1 s
    start = utcnow(app)
    assert dispatch_at(app, start).retried == 1
    assert forwards(client, make, team[1], note_id)[0]["error"] == "no answer within 1 s"
    assert dispatch_at(app, start + dt.timedelta(seconds=16)).sent == 1
    assert signalen.made == 1 and len(signalen.creates()) == 2  # the Idempotency-Key answered the first report
    assert forwards(client, make, team[1], note_id)[0]["remote_id"] == "SIG-1"


def test_a_refusal_fails_visibly_with_the_municipalitys_message_and_can_be_sent_again(
    client, make, app, team, signalen
):
    group, anna, bram = team
    note_id = forwarded(client, make, app, team, signalen)
    signalen.fault(400, body={"location": ["Deze locatie ligt buiten de gemeente."]})
    assert dispatch(app).failed == 1
    [seen] = forwards(client, make, anna, note_id)
    assert seen["status"] == "failed"
    assert seen["error"] == "400: location: Deze locatie ligt buiten de gemeente."
    assert note(client, make, anna, note_id)["history"][-1]["kind"] == "forward_failed"
    with app.app_context():
        told = db.session().scalars(select(Notification).where(Notification.person_id == anna.id)).all()
    assert [(n.kind, n.params["reason"]) for n in told] == [
        ("forward.failed", "400: location: Deze locatie ligt buiten de gemeente.")
    ]
    assert dispatch(app).sent == 0  # a failed forward is not retried by itself
    again = forward(client, make, anna, note_id)
    assert again.status_code == 202 and again.get_json()["status"] == "queued"
    assert dispatch(app).sent == 1
    assert signalen.made == 1


def test_the_target_down_for_a_minute(client, make, app, team, signalen):
    forwarded(client, make, app, team, signalen)
    signalen.down = True
    start = utcnow(app)
    moments = [start + dt.timedelta(seconds=s) for s in (0, 16, 46)]
    for moment in moments:
        assert dispatch_at(app, moment).retried == 1
    signalen.down = False
    assert dispatch_at(app, start + dt.timedelta(seconds=107)).sent == 1  # 46 s + 60 s backoff
    assert signalen.made == 1


def test_out_of_attempts_fails_with_the_last_error(client, make, app, team, signalen, monkeypatch):
    note_id = forwarded(client, make, app, team, signalen)
    settings = dataclasses.replace(app.config["BUURTWACHT"], FORWARD_MAX_ATTEMPTS=2)
    monkeypatch.setitem(app.config, "BUURTWACHT", settings)
    signalen.fault(503)
    signalen.fault(502)
    start = utcnow(app)
    dispatch_at(app, start)
    assert dispatch_at(app, start + dt.timedelta(seconds=16)).failed == 1
    assert forwards(client, make, team[1], note_id)[0]["error"] == "gave up after 2 attempts; last: 502: Server error"
    assert signalen.made == 0


def test_a_dispatcher_killed_after_the_municipality_took_it_makes_no_second_report(client, make, app, team, signalen):
    note_id = forwarded(client, make, app, team, signalen)
    lease = dt.timedelta(seconds=app.config["BUURTWACHT"].FORWARD_LEASE_SECONDS)
    died_at = utcnow(app)
    with time_machine.travel(died_at, tick=False), app.app_context():
        [held] = dispatcher.claim(db.utcnow(), 1)
        forward_row = db.session().get(NoteForward, held)
        the_note = db.session().get(dispatcher.Note, forward_row.note_id)
        target = targets.configured()["emmen"]
        client_ = clients.SignalenClient(target, 1)
        payload = service.signalen_payload(the_note, forward_row, client_.category_url(forward_row.remote_category))
        assert client_.create(payload, forward_row.idempotency_key).ok  # ... and the process dies before its commit
        db.session().rollback()
    assert signalen.made == 1
    assert dispatch_at(app, died_at + lease - dt.timedelta(seconds=1)).sent == 0  # its lease still holds
    assert dispatch_at(app, died_at + lease + dt.timedelta(seconds=1)).sent == 1
    assert signalen.made == 1 and len(signalen.creates()) == 2
    assert forwards(client, make, team[1], note_id)[0]["status"] == "sent"


def test_many_notes_through_every_fault_each_arrive_exactly_once(client, make, app, team, signalen):
    group, anna, bram = team
    ids = [record(client, make, bram, group, what=f"Zwerfafval bij bank {n}.")["id"] for n in range(8)]
    for note_id in ids:
        assert forward(client, make, anna, note_id).status_code == 202
        assert forward(client, make, anna, note_id).status_code == 202  # asked twice: one forward
    for fault in (500, "slow", 429, "down", 503, "slow"):
        signalen.fault(fault, seconds=1.5, retry_after=30 if fault == 429 else None)
    moment = utcnow(app)
    for _ in range(12):
        dispatch_at(app, moment)
        moment += dt.timedelta(minutes=2)
    assert signalen.made == 8
    statuses = {f["status"] for note_id in ids for f in forwards(client, make, anna, note_id)}
    assert statuses == {"sent"}
    texts = sorted(s["body"]["text"] for s in signalen.signals.values())
    assert texts == sorted(f"Zwerfafval bij bank {n}.\n\nPlek: Kapelstraat bij de speeltuin" for n in range(8))
    assert signalen.contract_errors == []
