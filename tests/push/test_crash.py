"""A dispatcher that dies holding a batch: nobody else sends that batch while its lease runs,
the next dispatcher sends it once the lease is out, and nobody gets anything twice. Expanding
an alert's audience again (a dispatcher killed half-way) makes no second delivery either."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

import time_machine
from sqlalchemy import func, select, update

from buurtwacht import db
from buurtwacht.models import AlertRecipient, Broadcast, Delivery, Device, Notification
from buurtwacht.push import dispatcher, expand, outbox
from tests.push.helpers import dispatch, now, register, start_alert


def bargeres_with_phones(make, count):
    sanne = make.person("Sanne Mulder")
    make.officer(sanne, "bargeres")
    addresses = make.volunteers_with_phones(make.group("bargeres"), count, "fid-bargeres")
    return sanne, addresses


def addresses_of(app, delivery_ids):
    with app.app_context():
        return set(
            db.session().scalars(
                select(Device.address)
                .join(Delivery, Delivery.device_id == Device.id)
                .where(Delivery.id.in_(delivery_ids))
            )
        )


def test_a_batch_held_by_a_dead_dispatcher_is_sent_once_its_lease_runs_out(client, make, app, fcm):
    sanne, addresses = bargeres_with_phones(make, 30)
    start_alert(client, make, sanne)
    lease = dt.timedelta(seconds=app.config["BUURTWACHT"].PUSH_LEASE_SECONDS)
    died_at = now(app)

    with time_machine.travel(died_at, tick=False), app.app_context():
        assert expand.expand_broadcast(db.utcnow())
        held = dispatcher.claim(db.utcnow(), 12)  # ... and the process is killed before sending
    assert len(held) == 12
    held_phones = addresses_of(app, held)

    with time_machine.travel(died_at + dt.timedelta(seconds=1), tick=False):
        dispatch(app)
    assert {m["fid"] for m in fcm.received} == set(addresses) - held_phones
    assert len(fcm.received) == 18

    with time_machine.travel(died_at + lease - dt.timedelta(seconds=1), tick=False):
        dispatch(app)
    assert len(fcm.received) == 18  # the lease still holds

    with time_machine.travel(died_at + lease + dt.timedelta(seconds=1), tick=False):
        dispatch(app)
    assert Counter(m["fid"] for m in fcm.received) == Counter(addresses)  # each phone, exactly once


def test_a_dispatcher_killed_before_it_sent_anything_loses_nothing(client, make, app, fcm):
    sanne, addresses = bargeres_with_phones(make, 20)
    start_alert(client, make, sanne)
    died_at = now(app)
    with time_machine.travel(died_at, tick=False), app.app_context():
        assert expand.expand_broadcast(db.utcnow())
        assert len(dispatcher.claim(db.utcnow(), 500)) == 20

    with time_machine.travel(died_at + dt.timedelta(seconds=5), tick=False):
        tally = dispatch(app)
    assert (tally.sent, fcm.received) == (0, [])

    lease = dt.timedelta(seconds=app.config["BUURTWACHT"].PUSH_LEASE_SECONDS)
    with time_machine.travel(died_at + lease + dt.timedelta(seconds=1), tick=False):
        assert dispatch(app).sent == 20
        assert dispatch(app).sent == 0
    assert Counter(m["fid"] for m in fcm.received) == Counter(addresses)


def test_expanding_an_alert_twice_makes_no_second_delivery(client, make, app, fcm):
    sanne, addresses = bargeres_with_phones(make, 10)
    alert_id = start_alert(client, make, sanne)

    with app.app_context():
        session = db.session()
        assert expand.expand_broadcast(db.utcnow())
        # The dispatcher died after writing the deliveries but before its mark survived.
        session.execute(update(Broadcast).values(expanded_at=None))
        session.commit()
        assert expand.expand_broadcast(db.utcnow())
        assert not expand.expand_broadcast(db.utcnow())
        assert session.scalar(select(func.count()).select_from(Delivery)) == 10
        assert session.scalar(select(func.count()).where(AlertRecipient.alert_id == uuid.UUID(alert_id))) == 10

    dispatch(app)
    assert Counter(m["fid"] for m in fcm.received) == Counter(addresses)


def test_expanding_a_notification_twice_makes_no_second_delivery(client, make, app, fcm):
    anna = make.person("Anna de Vries")
    register(client, make, anna, "fid-anna-phone")
    register(client, make, anna, "fid-anna-tablet")
    with app.app_context():
        session = db.session()
        outbox.queue(anna.id, "alert.close_reminder", urgent=True, headline="Vermist", when=db.utcnow())
        session.commit()
        assert expand.expand_notifications(db.utcnow()) == 1
        session.execute(update(Notification).values(expanded_at=None))
        session.commit()
        assert expand.expand_notifications(db.utcnow()) == 1
        assert session.scalar(select(func.count()).select_from(Delivery)) == 2

    dispatch(app)
    assert sorted(m["fid"] for m in fcm.received) == ["fid-anna-phone", "fid-anna-tablet"]
