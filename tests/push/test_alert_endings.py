"""How an alert's pushes end on a phone: every text says to call 112 first, the close is the last push of its
alert on each phone (an update it overtook is not sent after it, and the close says so), and nobody gets a
push of their own message. Through the real path: the dispatcher sends to the fake FCM on loopback."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select, update

from buurtwacht import db
from buurtwacht.models import Delivery, DeliveryStatus, MembershipRole, Person
from tests.push.helpers import deliveries_to, dispatch, local, register, start_alert

EVENING = local(2026, 12, 8, 22, 50)  # a Tuesday, ten to eleven; quiet hours start at 23:00


def steer(client, make, who, alert_id, action, body):
    response = client.post(f"/api/v1/alerts/{alert_id}/{action}", json=body, headers=make.headers(who))
    assert response.status_code in (200, 201), response.get_json()


def shown(fcm, address):
    """What the phone shows, in the order it arrived: (title, body)."""
    return [(m["notification"]["title"], m["notification"]["body"]) for m in fcm.to(address)]


@pytest.fixture
def bargeres(client, make, app):
    """Sanne is the wijkagent; Anna coordinates Bargeres, where Bram (Dutch) and Emma (English, no quiet hours) walk."""
    with time_machine.travel(EVENING, tick=False):
        sanne, anna = make.person("Sanne Mulder"), make.person("Anna de Vries")
        bram, emma = make.person("Bram Jansen"), make.person("Emma Brown", locale="en")
        make.officer(sanne, "emmen-zuid")
        group = make.group("bargeres", coordinator=anna)
        make.member(group, bram, MembershipRole.VOLUNTEER)
        make.member(group, emma, MembershipRole.VOLUNTEER)
        for person, phone in ((sanne, "fid-sanne"), (anna, "fid-anna"), (bram, "fid-bram"), (emma, "fid-emma")):
            register(client, make, person, phone)
        with app.app_context():
            db.session().execute(update(Person).where(Person.id == emma.id).values(quiet_from=None, quiet_until=None))
            db.session().commit()
    return {"sanne": sanne, "anna": anna, "bram": bram, "emma": emma}


@pytest.mark.parametrize(
    ("action", "body", "nl_title", "nl_start"),
    [
        ("close", {"outcome": "found", "message": "De jongen is terecht."}, "Afgesloten", "Gevonden. De jongen"),
        ("cancel", {"reason": "Per abuis verstuurd."}, "Afgesloten", "Ingetrokken. Per abuis"),
    ],
)
def test_the_close_and_the_cancel_say_call_112_first_in_both_languages(
    client, make, app, fcm, bargeres, action, body, nl_title, nl_start
):
    with time_machine.travel(EVENING, tick=False):
        alert_id = start_alert(client, make, bargeres["sanne"])
        dispatch(app)
        steer(client, make, bargeres["sanne"], alert_id, action, body)
        dispatch(app)

    title, text = shown(fcm, "fid-bram")[-1]
    assert title == f"{nl_title}: Vermist: jongen van 8 jaar"
    assert text.startswith(nl_start) and text.endswith("Bedankt voor het uitkijken! Bij direct gevaar: bel eerst 112.")
    _title, text = shown(fcm, "fid-emma")[-1]
    assert text.endswith("Thank you for looking out! In an emergency: call 112 first.")


def test_an_expired_exercise_says_so_and_to_call_112_first(client, make, app, fcm, bargeres):
    with time_machine.travel(EVENING, tick=False):
        start_alert(client, make, bargeres["sanne"], kind="exercise", expires_in_minutes=5)
        dispatch(app)
    with time_machine.travel(EVENING + dt.timedelta(minutes=6), tick=False):
        dispatch(app)  # the dispatcher ends it on time

    assert shown(fcm, "fid-bram")[-1] == (
        "OEFENING - Afgesloten: Vermist: jongen van 8 jaar",
        "OEFENING - Verlopen. Bedankt voor het uitkijken! Bij direct gevaar: bel eerst 112.",
    )


def test_an_update_held_for_quiet_hours_is_not_sent_after_the_close_and_the_close_says_so(
    client, make, app, fcm, bargeres
):
    """A non-urgent alert's update waits for the end of Bram's quiet hours; the close does not. Sent at seven,
    the update would replace the close on his phone (one collapse key): it is skipped, and the close says so."""
    with time_machine.travel(EVENING, tick=False):
        alert_id = start_alert(client, make, bargeres["sanne"], urgency="expected")
        dispatch(app)
    with time_machine.travel(local(2026, 12, 8, 23, 10), tick=False):
        steer(client, make, bargeres["sanne"], alert_id, "updates", {"text": "Hij is gezien bij de brug."})
        assert dispatch(app).held == 2  # Bram's phone and Anna's wait until seven; Emma has no quiet hours
    with time_machine.travel(local(2026, 12, 8, 23, 20), tick=False):
        steer(client, make, bargeres["sanne"], alert_id, "close", {"outcome": "found", "message": "Hij is thuis."})
        dispatch(app)
    with time_machine.travel(local(2026, 12, 9, 7, 5), tick=False):
        dispatch(app)

    assert [title for title, _ in shown(fcm, "fid-bram")] == [
        "Uitkijken: Vermist: jongen van 8 jaar",
        "Afgesloten: Vermist: jongen van 8 jaar",
    ]
    assert shown(fcm, "fid-bram")[-1][1] == (
        "Gevonden. Hij is thuis. Dit vervangt een aanvulling die je nog niet had. "
        "Bedankt voor het uitkijken! Bij direct gevaar: bel eerst 112."
    )
    assert [(d["phase"], d["status"], d["error"]) for d in deliveries_to(app, "fid-bram")] == [
        ("new", "sent", None),
        ("update", "skipped", "superseded"),
        ("closed", "sent", None),
    ]
    # Emma had the update: her close is the plain one, and it came last.
    assert [title for title, _ in shown(fcm, "fid-emma")] == [
        "Look out: Vermist: jongen van 8 jaar",
        "Update: Vermist: jongen van 8 jaar",
        "Closed: Vermist: jongen van 8 jaar",
    ]
    assert "replaces" not in shown(fcm, "fid-emma")[-1][1]


def test_a_close_waits_while_another_dispatcher_is_sending_an_earlier_push_to_the_phone(
    client, make, app, fcm, bargeres
):
    with time_machine.travel(EVENING, tick=False):
        alert_id = start_alert(client, make, bargeres["sanne"])
        dispatch(app)
        steer(client, make, bargeres["sanne"], alert_id, "updates", {"text": "Hij is gezien bij de brug."})
        with app.app_context():  # another dispatcher has claimed Bram's update and is sending it
            from buurtwacht.push import dispatcher, expand

            expand.expand_broadcast(db.utcnow())
            [update_id] = [d["id"] for d in deliveries_to(app, "fid-bram") if d["phase"] == "update"]
            session = db.session()
            session.get_one(Delivery, update_id).lease_until = db.utcnow() + dt.timedelta(seconds=60)
            session.commit()
        steer(client, make, bargeres["sanne"], alert_id, "close", {"outcome": "found", "message": "Hij is thuis."})
        dispatch(app)
        assert [title for title, _ in shown(fcm, "fid-bram")] == ["Uitkijken: Vermist: jongen van 8 jaar"]
        with app.app_context():  # ... and records it as sent
            session = db.session()
            row = session.get_one(Delivery, update_id)
            row.status, row.lease_until, row.sent_at = DeliveryStatus.SENT, None, dispatcher.db.utcnow()
            session.commit()

    with time_machine.travel(EVENING + dt.timedelta(seconds=61), tick=False):
        dispatch(app)
    closes = [d for d in deliveries_to(app, "fid-bram") if d["phase"] == "closed"]
    assert [(d["status"], d["attempts"]) for d in closes] == [("sent", 1)]
    assert shown(fcm, "fid-bram")[-1][0] == "Afgesloten: Vermist: jongen van 8 jaar"
    assert "vervangt" not in shown(fcm, "fid-bram")[-1][1]


def test_the_issuer_gets_no_push_of_their_own_messages_but_does_of_the_wijkagents(client, make, app, fcm, bargeres):
    anna, sanne = bargeres["anna"], bargeres["sanne"]
    with time_machine.travel(EVENING, tick=False):
        alert_id = start_alert(client, make, anna)  # the coordinator alerts her own group's area
        dispatch(app)
        steer(client, make, anna, alert_id, "updates", {"text": "Hij droeg ook een pet."})
        dispatch(app)
        steer(client, make, sanne, alert_id, "updates", {"text": "Politie is ter plaatse."})
        dispatch(app)
        steer(client, make, sanne, alert_id, "close", {"outcome": "found", "message": "Hij is thuis."})
        dispatch(app)

    assert [title for title, _ in shown(fcm, "fid-bram")] == [
        "Uitkijken: Vermist: jongen van 8 jaar",
        "Update: Vermist: jongen van 8 jaar",
        "Update: Vermist: jongen van 8 jaar",
        "Afgesloten: Vermist: jongen van 8 jaar",
    ]
    assert shown(fcm, "fid-anna") == [
        ("Update: Vermist: jongen van 8 jaar", "Politie is ter plaatse. Bij direct gevaar: bel eerst 112."),
        (
            "Afgesloten: Vermist: jongen van 8 jaar",
            "Gevonden. Hij is thuis. Bedankt voor het uitkijken! Bij direct gevaar: bel eerst 112.",
        ),
    ]
    assert fcm.to("fid-sanne") == []  # the wijkagent is not in Bargeres's group: the alert did not reach her
    with app.app_context():
        anna_rows = db.session().scalars(select(Delivery).where(Delivery.person_id == anna.id)).all()
    assert len(anna_rows) == 2  # nothing was queued for her own messages, so nothing was skipped either
