"""'Fixed yet?': four weeks after Bram's dead street light went to Gemeente Emmen it is still open there, so Bram is
asked, once, on his phone; he answers, and the monthly summary and the admin's figures count it the same way."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from sqlalchemy import func, select

from buurtwacht import db, scheduler
from buurtwacht.forwarding import jobs
from buurtwacht.models import JobMark, NoteForward, Notification
from buurtwacht.push import dispatcher as push_dispatcher
from tests.forwarding.conftest import dispatch, forward, forwards, note, poll, record
from tests.push.helpers import register
from tests.scheduler.walk import local

LAMP_SENT = local(2026, 11, 2, 9, 0)


def ask(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return jobs.ask_fixed_yet()


def asked_on(fcm, address: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [m for m in fcm.to(address) if m["data"]["type"] == "forward.fixed_yet"]


def deliver(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        push_dispatcher.run(stop_when_idle=True)


def answer(client, make, who, note_id, fixed: bool):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/notes/{note_id}/fixed-yet", json={"fixed": fixed}, headers=make.headers(who))


def summary_forwarding(client, make, group, who, month: str) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/groups/{group.id}/summaries/{month}", headers=make.headers(who))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["forwarding"]  # type: ignore[no-any-return]


def admin_figures(client, make, admin, area: str, month: str) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/api/v1/areas/{make.area_id(area)}/forwarding-stats?month={month}", headers=make.headers(admin)
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body.pop("month") == month
    body.pop("area")
    return body  # type: ignore[no-any-return]


def lamp_forwarded(client, make, app, team) -> str:  # type: ignore[no-untyped-def]
    """Bram's note of a dead street light, forwarded by Anna on 2 November and acknowledged ("Gemeld")."""
    group, anna, bram = team
    with time_machine.travel(LAMP_SENT, tick=False):
        written = record(client, make, bram, group)
        assert forward(client, make, anna, written["id"], subject="street_light").status_code == 202
        assert dispatch(app).sent == 1
        assert poll(app) == 1
    return str(written["id"])


def test_bram_is_asked_once_and_his_answer_is_counted(client, make, app, team, signalen, fcm):
    group, anna, bram = team
    admin = make.person("Ada Gemeente", admin=True)
    register(client, make, bram, "fid-bram")
    note_id = lamp_forwarded(client, make, app, team)

    with time_machine.travel(local(2026, 11, 30, 8, 0), tick=False):  # 27 days and 23 hours: not yet
        assert ask(app) == 0
    with time_machine.travel(local(2026, 11, 30, 10, 30), tick=False):
        with app.app_context():  # the scheduler's job, in its own slot
            assert scheduler.run_slot(scheduler.by_name("forward-fixed-yet"), "2026-11-30T10:30") is True
        assert ask(app) == 0  # asked once, however often the job runs
        deliver(app)
    [push] = asked_on(fcm, "fid-bram")  # besides the municipality's "Gemeld" of 2 November
    assert push["notification"]["body"] == (
        "Je waarneming ging 4 weken geleden naar Gemeente Emmen en staat daar nog open. Is het al opgelost, "
        "of is het er nog? Laat het weten in de app."
    )
    assert push["data"] == {"type": "forward.fixed_yet", "note_id": note_id}
    asked = forwards(client, make, bram, note_id)[0]["fixed_yet"]
    assert asked["asked_at"] is not None and asked["answer"] is None

    with time_machine.travel(local(2026, 12, 3, 18, 0), tick=False):
        refused = answer(client, make, anna, note_id, True)
        assert refused.status_code == 403
        assert refused.get_json()["message"] == "only the note's author answers whether it is fixed"  # Anna: en
        answered = answer(client, make, bram, note_id, True)
        assert answered.status_code == 200, answered.get_json()
        assert answered.get_json()["fixed_yet"]["answer"] == "fixed"
        again = answer(client, make, bram, note_id, True)  # a lost answer, sent again
        assert again.status_code == 200 and again.get_json() == answered.get_json()

    seen = note(client, make, anna, note_id)
    assert [h["kind"] for h in seen["history"]].count("fixed_yet") == 1
    last = seen["history"][-1]
    assert (last["kind"], last["reason"]) == ("fixed_yet", "fixed")
    assert last["by"] is not None  # Bram answered, not the municipality
    assert seen["status"] == "reported"  # the follow-up stays the coordinator's and the municipality's
    documented = client.get("/openapi.json").get_json()["components"]["schemas"]["History"]["properties"]["kind"]
    assert "fixed_yet" in documented["enum"]
    assert len(asked_on(fcm, "fid-bram")) == 1

    # November: forwarded and answered (Gemeld), still open at its end. December: fixed by Bram's word,
    # 31 days and 9 hours after it was sent.
    november = summary_forwarding(client, make, group, anna, "2026-11")
    assert {k: v for k, v in november.items() if k != "by_category"} == {
        "forwarded": 1, "answered": 1, "fixed": 0, "fixed_by_author": 0, "still_open": 1, "median_days_to_fix": None,
    }  # fmt: skip
    december = summary_forwarding(client, make, group, anna, "2026-12")
    assert december["by_category"] == [
        {
            "category": "clean_whole_safe",
            "label": {"nl": "Schoon, heel en veilig", "en": "Clean, whole and safe"},
            "forwarded": 0,
            "answered": 0,
            "fixed": 1,
            "fixed_by_author": 1,
            "still_open": 0,
            "median_days_to_fix": 31.4,
        }
    ]
    # The admin's figures for the gebied Bargeres lies in are the summary's, to the number.
    assert admin_figures(client, make, admin, "emmen-zuid", "2026-11") == november
    assert admin_figures(client, make, admin, "emmen-zuid", "2026-12") == december


def test_the_admins_figures_add_up_the_groups_of_an_area_and_no_other(client, make, app, team, signalen):
    group, anna, bram = team
    admin = make.person("Ada Gemeente", admin=True)
    lamp_forwarded(client, make, app, team)
    # A group in Emmerhout (another gebied) had a note forwarded the same month.
    olaf = make.person("Olaf Emmerhout")
    elsewhere = make.group("emmerhout", coordinator=olaf)
    other_note = make.past_note(elsewhere, olaf, "clean_whole_safe", local(2026, 11, 10, 20, 0), street="Houtweg")
    with app.app_context():
        db.session().add(
            NoteForward(
                note_id=other_note, target="emmen", kind="signalen", remote_category="afval/zwerfafval",
                idempotency_key=uuid.uuid4().hex, status="sent", sent_at=local(2026, 11, 11, 9, 0), remote_id="7",
            )
        )  # fmt: skip
        db.session().commit()

    bargeres = summary_forwarding(client, make, group, anna, "2026-11")
    assert admin_figures(client, make, admin, "emmen-zuid", "2026-11") == bargeres
    municipality = admin_figures(client, make, admin, "emmen", "2026-11")
    assert (municipality["forwarded"], municipality["still_open"]) == (2, 2)
    assert client.get(
        f"/api/v1/areas/{make.area_id('emmen')}/forwarding-stats?month=2026-11", headers=make.headers(anna)
    ).status_code == 403  # fmt: skip
    bad = client.get(f"/api/v1/areas/{make.area_id('emmen')}/forwarding-stats?month=nov", headers=make.headers(admin))
    assert bad.status_code == 422 and "month" in bad.get_json()["errors"]["query"]


def test_nobody_is_asked_of_a_fixed_forward_and_an_unasked_note_cannot_be_answered(client, make, app, team, signalen):
    group, anna, bram = team
    note_id = lamp_forwarded(client, make, app, team)
    refused = answer(client, make, bram, note_id, False)
    assert refused.status_code == 409
    assert refused.get_json()["message"] == "over deze waarneming is niet gevraagd of het is opgelost"  # Bram: nl
    signalen.set_status(next(iter(signalen.signals)), "CLOSED", "Afgehandeld")
    with time_machine.travel(local(2026, 11, 20, 9, 0), tick=False):
        assert poll(app) == 1
    with time_machine.travel(local(2026, 12, 10, 10, 30), tick=False):
        assert ask(app) == 0  # the municipality fixed it: nothing to ask
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "forward.fixed_yet")) == 0  # fmt: skip


def test_a_run_that_dies_half_way_asks_the_rest_next_time_and_nobody_twice(
    client, make, app, team, signalen, monkeypatch
):
    group, anna, bram = team
    first = lamp_forwarded(client, make, app, team)
    second = lamp_forwarded(client, make, app, team)
    queued: list[str] = []
    real_queue = jobs.outbox.queue

    def dies_on_the_second(person_id, kind, urgent=False, **params):  # type: ignore[no-untyped-def]
        if queued:
            raise RuntimeError("the scheduler was killed")
        queued.append(str(params["note_id"]))
        real_queue(person_id, kind, urgent, **params)

    monkeypatch.setattr(jobs.outbox, "queue", dies_on_the_second)
    with time_machine.travel(local(2026, 12, 1, 10, 30), tick=False):
        with pytest.raises(RuntimeError):
            ask(app)
        monkeypatch.setattr(jobs.outbox, "queue", real_queue)
        assert ask(app) == 1  # only the one not asked yet
        assert ask(app) == 0
    with app.app_context():
        rows = db.session().execute(select(Notification.params).where(Notification.kind == "forward.fixed_yet"))
        assert sorted(p["note_id"] for (p,) in rows) == sorted([first, second])
        assert db.session().scalar(select(func.count()).where(JobMark.kind == "fixed-yet")) == 2


def test_the_weeks_are_a_setting(client, make, app, team, signalen, monkeypatch):
    import dataclasses

    settings = dataclasses.replace(app.config["BUURTWACHT"], FIXED_YET_WEEKS=2)
    monkeypatch.setitem(app.config, "BUURTWACHT", settings)
    lamp_forwarded(client, make, app, team)
    with time_machine.travel(LAMP_SENT + dt.timedelta(weeks=2, minutes=1), tick=False):
        assert ask(app) == 1
