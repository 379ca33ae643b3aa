"""Delivery that loses nothing: a dispatcher killed mid-batch, FCM saying no, FCM saying later."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

import time_machine

from buurtwacht import db
from buurtwacht.models import Delivery, DeliveryStatus, Device, MembershipRole
from buurtwacht.push import dispatcher


def _alert_to(client, make, officer, area="bargeres"):
    response = client.post(
        "/api/v1/alerts",
        json={
            "kind": "suspect",
            "headline": f"Verdachte situatie {uuid.uuid4().hex[:6]}",
            "description": "Man op een zwarte scooter rijdt langs schuren en kijkt naar binnen.",
            "instruction": "Niet zelf optreden; bel 112.",
            "area_ids": [make.area_id(area)],
        },
        headers=make.headers(officer),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["alert"]["id"]


def _neighbourhood(client, make, addresses):
    officer = make.person("Sanne Mulder")
    make.officer(officer, "bargeres")
    group = make.group("bargeres")
    for address in addresses:
        member = make.person()
        make.member(group, member, MembershipRole.VOLUNTEER)
        client.put(
            f"/api/v1/me/devices/{uuid.uuid4()}",
            json={"address_kind": "fid", "address": address, "platform": "android"},
            headers=make.headers(member),
        )
    return officer


def test_a_dispatcher_killed_mid_batch_loses_nothing_and_sends_nothing_twice(client, make, app, fcm):
    addresses = [f"fid-phone-{i:03d}" for i in range(30)]
    officer = _neighbourhood(client, make, addresses)
    _alert_to(client, make, officer)
    with app.app_context():
        from buurtwacht.push.expand import expand_broadcast

        assert expand_broadcast(db.utcnow())
        # A dispatcher claims a batch of ten, then dies before sending any of it.
        claimed = dispatcher.claim(db.utcnow(), 10)
        assert len(claimed) == 10
        # Another starts at once: it sends everything except the batch the dead one holds.
        dispatcher.run(stop_when_idle=True)
    assert len(fcm.received) == 20
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61), tick=False), app.app_context():
        # The lease of the dead dispatcher has run out: the next round sends its batch.
        dispatcher.run(stop_when_idle=True)
    per_device = Counter(m["fid"] for m in fcm.received)
    assert set(per_device) == set(addresses)
    assert set(per_device.values()) == {1}


def test_fcm_saying_no_drops_the_device_and_saying_later_is_retried(client, make, app, fcm):
    officer = _neighbourhood(client, make, ["unregistered-old-phone", "unavailable-busy-phone", "fid-fine-phone"])
    _alert_to(client, make, officer)
    with app.app_context():
        dispatcher.run(stop_when_idle=True)
        assert [m["fid"] for m in fcm.received] == ["fid-fine-phone"]
        session = db.session()
        dropped = session.query(Device).filter(Device.address == "unregistered-old-phone").one()
        assert dropped.dropped_at is not None
        statuses = dict(
            session.query(Device.address, Delivery.status).join(Delivery, Delivery.device_id == Device.id).all()
        )
        assert statuses == {
            "unregistered-old-phone": DeliveryStatus.FAILED,
            "unavailable-busy-phone": DeliveryStatus.PENDING,
            "fid-fine-phone": DeliveryStatus.SENT,
        }
        retry_at = (
            session.query(Delivery.next_attempt_at)
            .join(Device)
            .filter(Device.address == "unavailable-busy-phone")
            .scalar()
        )
        assert retry_at > db.utcnow()  # not hammered again in the same round
    with time_machine.travel(retry_at + dt.timedelta(seconds=1), tick=False), app.app_context():
        dispatcher.run(stop_when_idle=True)
    assert Counter(m["fid"] for m in fcm.received) == {"fid-fine-phone": 1, "unavailable-busy-phone": 1}
