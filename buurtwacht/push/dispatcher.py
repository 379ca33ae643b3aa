"""The push dispatcher: claims due deliveries, sends them through FCM, records what became of each.

Several dispatchers may run. Each claims a batch under a lease (on PostgreSQL with FOR UPDATE
SKIP LOCKED, so two never take the same rows), commits, sends, and records the results. A
dispatcher killed mid-batch leaves rows whose lease runs out; the next one sends them again.
So no device gets the same message twice, except the batch in flight when a dispatcher died.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from firebase_admin import messaging
from flask import current_app
from sqlalchemy import or_, select, update

from buurtwacht import db, workers
from buurtwacht.alerts.service import expire_due
from buurtwacht.localtime import local_zone
from buurtwacht.models import (
    Alert,
    AlertStatus,
    Broadcast,
    Delivery,
    DeliveryStatus,
    Device,
    Notification,
    Person,
)
from buurtwacht.push import compose
from buurtwacht.push.expand import expand_broadcast, expand_notifications
from buurtwacht.push.fcm import FcmSender, Outcome

log = logging.getLogger(__name__)

BATCH = 500  # firebase-admin's send_each takes at most 500 messages
BACKOFF_CAP = dt.timedelta(minutes=30)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    held: int = 0
    skipped: int = 0
    expanded: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in ("sent", "failed", "retried", "held", "skipped", "expanded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def sender() -> FcmSender:
    found: FcmSender | None = current_app.extensions.get("buurtwacht.fcm")
    if found is None:
        found = current_app.extensions["buurtwacht.fcm"] = FcmSender(current_app.config["BUURTWACHT"])
    return found


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=2 ** min(attempts, 12)), BACKOFF_CAP)


def quiet_until(person: Person, now: dt.datetime) -> dt.datetime | None:
    """The end of the person's quiet hours if `now` falls in them, else None."""
    if person.quiet_from is None or person.quiet_until is None or person.quiet_from == person.quiet_until:
        return None
    local = now.astimezone(local_zone())
    t = local.time().replace(tzinfo=None)
    start, end = person.quiet_from, person.quiet_until
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(end_day, end, tzinfo=local_zone()).astimezone(dt.UTC)


def claim(now: dt.datetime, limit: int) -> list[int]:
    session = db.session()
    lease = dt.timedelta(seconds=current_app.config["BUURTWACHT"].PUSH_LEASE_SECONDS)
    ids = list(
        session.scalars(
            select(Delivery.id)
            .where(
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.device_id.is_not(None),
                Delivery.next_attempt_at <= now,
                or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
            )
            .order_by(Delivery.urgent.desc(), Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(Delivery).where(Delivery.id.in_(ids)).values(lease_until=now + lease, attempts=Delivery.attempts + 1)
        )
    session.commit()
    return ids


@dataclass
class _Sources:
    """What a batch of deliveries says comes from: their broadcasts, alerts and notifications, by id."""

    broadcasts: dict[uuid.UUID, Broadcast]
    alerts: dict[uuid.UUID, Alert]
    notifications: dict[uuid.UUID, Notification]

    @classmethod
    def of(cls, deliveries: list[Delivery]) -> _Sources:
        session = db.session()
        broadcast_ids = {d.broadcast_id for d in deliveries if d.broadcast_id}
        broadcasts = {b.id: b for b in session.scalars(select(Broadcast).where(Broadcast.id.in_(broadcast_ids)))}
        alert_ids = {b.alert_id for b in broadcasts.values()}
        alerts = {a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_(alert_ids)))}
        notification_ids = {d.notification_id for d in deliveries if d.notification_id}
        notifications = {
            n.id: n for n in session.scalars(select(Notification).where(Notification.id.in_(notification_ids)))
        }
        return cls(broadcasts, alerts, notifications)

    def ended(self, delivery: Delivery) -> bool:
        """An alert's new message or update whose alert has ended since: it is not sent any more."""
        if not delivery.broadcast_id:
            return False
        broadcast = self.broadcasts[delivery.broadcast_id]
        return broadcast.phase != "closed" and self.alerts[broadcast.alert_id].status != AlertStatus.OPEN

    def closing(self, delivery: Delivery) -> Broadcast | None:
        """The alert's closing broadcast this delivery carries, if it carries one."""
        broadcast = self.broadcasts.get(delivery.broadcast_id) if delivery.broadcast_id else None
        return broadcast if broadcast is not None and broadcast.phase == "closed" else None

    def content(
        self, delivery: Delivery, locale: str, superseded: bool = False
    ) -> tuple[str, str, dict[str, Any], str]:
        """A delivery's title, body, data and collapse key, in the recipient's language."""
        if delivery.broadcast_id:
            broadcast = self.broadcasts[delivery.broadcast_id]
            alert = self.alerts[broadcast.alert_id]
            title, body = compose.alert_texts(alert, broadcast, locale, superseded)
            data: dict[str, Any] = {"type": f"alert.{broadcast.phase}", "alert_id": alert.id}
            return title, body, data, compose.alert_collapse_key(alert.id)
        notification = self.notifications[delivery.notification_id]  # type: ignore[index]
        title, body = compose.notification_texts(notification, locale)
        data = {"type": notification.kind, **{k: v for k, v in notification.params.items() if k.endswith("_id")}}
        return title, body, data, f"{notification.kind}-{notification.params.get('patrol_id', notification.id)}"


def _with_device_and_person(condition: Any) -> list[Any]:
    return list(
        db.session().execute(
            select(Delivery, Device, Person)
            .join(Device, Device.id == Delivery.device_id)
            .join(Person, Person.id == Delivery.person_id)
            .where(condition)
            .order_by(Delivery.urgent.desc(), Delivery.next_attempt_at, Delivery.id)
        )
    )


_AlertPhone = tuple[uuid.UUID, uuid.UUID | None]  # an alert and a device


@dataclass
class _BeforeClose:
    """What a batch's closing pushes must settle first, per (alert, device)."""

    superseded: set[_AlertPhone]  # an update that never reached the phone: the close says so
    in_flight_until: dict[_AlertPhone, dt.datetime]  # another dispatcher is sending an earlier one to the phone


def _settle_before_close(sources: _Sources, batch: list[Delivery], now: dt.datetime) -> _BeforeClose:
    """Make each close the last push of its alert on each phone.

    An alert's pushes share a collapse key, so a phone shows the newest that arrived: an update sent after
    the close would replace it with stale news. So an earlier push still queued for that phone is skipped
    (superseded; the close says an update was), and one another dispatcher is sending right now holds the
    close until that send is over.
    """
    settled = _BeforeClose(set(), {})
    closes = {(b.alert_id, d.device_id) for d in batch if (b := sources.closing(d)) is not None}
    if not closes:
        return settled
    in_batch = {d.id for d in batch}
    earlier = db.session().execute(
        select(Delivery, Broadcast.alert_id, Broadcast.phase)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(
            Broadcast.alert_id.in_({alert_id for alert_id, _ in closes}),
            Broadcast.phase != "closed",
            Delivery.device_id.in_({device_id for _, device_id in closes}),
            Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SKIPPED)),
        )
    )
    for delivery, alert_id, phase in earlier:
        key = (alert_id, delivery.device_id)
        if key not in closes:
            continue
        lease = delivery.lease_until
        in_flight = lease is not None and lease > now and delivery.id not in in_batch
        if delivery.status == DeliveryStatus.PENDING and in_flight and lease is not None:
            settled.in_flight_until[key] = max(lease, settled.in_flight_until.get(key, now))
            continue
        if delivery.status == DeliveryStatus.PENDING:
            delivery.status, delivery.error, delivery.lease_until = DeliveryStatus.SKIPPED, "superseded", None
        if phase == "update":
            settled.superseded.add(key)
    return settled


def _compose_batch(ids: list[int], now: dt.datetime, tally: Tally) -> list[tuple[Delivery, messaging.Message]]:
    rows = _with_device_and_person(Delivery.id.in_(ids))
    sources = _Sources.of([delivery for delivery, _, _ in rows])
    before_close = _settle_before_close(sources, [delivery for delivery, _, _ in rows], now)
    out: list[tuple[Delivery, messaging.Message]] = []
    for delivery, device, person in rows:
        if delivery.status == DeliveryStatus.SKIPPED:  # superseded by its alert's close in this batch
            tally.skipped += 1
            continue
        closing = sources.closing(delivery)
        key = (closing.alert_id, delivery.device_id) if closing is not None else None
        if key is not None and key in before_close.in_flight_until:
            # Not an attempt: the close waits until the earlier push in flight to this phone is sent.
            delivery.next_attempt_at, delivery.lease_until = before_close.in_flight_until[key], None
            delivery.attempts -= 1
            tally.held += 1
            continue
        locale = device.locale or str(person.locale)
        if not delivery.urgent:
            held_until = quiet_until(person, now)
            if held_until is not None:
                # Not an attempt: it waits for the end of the person's quiet hours.
                delivery.next_attempt_at, delivery.lease_until = held_until, None
                delivery.attempts -= 1
                tally.held += 1
                continue
        if sources.ended(delivery):
            delivery.status, delivery.error, delivery.lease_until = DeliveryStatus.SKIPPED, "alert_ended", None
            tally.skipped += 1
            continue
        superseded = key is not None and key in before_close.superseded
        title, body, data, collapse = sources.content(delivery, locale, superseded)
        out.append((delivery, compose.message(device, title, body, data, collapse, delivery.urgent)))
    return out


@dataclass
class Queued:
    """A push the dispatcher would send: to whom, on which device, what it says, and when."""

    person: str
    device: str
    title: str
    body: str
    due: dt.datetime


def queued(now: dt.datetime) -> list[Queued]:
    """What the dispatchers would send, in the recipients' languages, without sending or claiming anything.

    New alerts and notifications are expanded into deliveries first, as a dispatcher would.
    """
    expire_due(now)
    while expand_broadcast(now):
        pass
    expand_notifications(now)
    db.session().commit()
    rows = _with_device_and_person(Delivery.status == DeliveryStatus.PENDING)
    sources = _Sources.of([delivery for delivery, _, _ in rows])
    found = []
    for delivery, device, person in rows:
        if sources.ended(delivery):
            continue
        title, body, _data, _key = sources.content(delivery, device.locale or str(person.locale))
        held = None if delivery.urgent else quiet_until(person, max(now, delivery.next_attempt_at))
        found.append(Queued(person.display_name, device.address, title, body, held or delivery.next_attempt_at))
    return found


def _record(
    pairs: list[tuple[Delivery, messaging.Message]], outcomes: list[Outcome], now: dt.datetime, tally: Tally
) -> None:
    session = db.session()
    max_attempts = current_app.config["BUURTWACHT"].PUSH_MAX_ATTEMPTS
    dropped: set[uuid.UUID] = set()
    for (delivery, _), outcome in zip(pairs, outcomes, strict=True):
        delivery.lease_until = None
        if outcome.ok:
            delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.SENT, now, None
            tally.sent += 1
            continue
        delivery.error = outcome.error
        tally.errors[outcome.error or "unknown"] = tally.errors.get(outcome.error or "unknown", 0) + 1
        if outcome.retry and delivery.attempts < max_attempts:
            wait = max(backoff(delivery.attempts), outcome.retry_after or dt.timedelta(0))
            delivery.next_attempt_at = now + wait
            tally.retried += 1
        else:
            delivery.status = DeliveryStatus.FAILED
            tally.failed += 1
            if outcome.drop_device and delivery.device_id is not None:
                dropped.add(delivery.device_id)
    if dropped:
        session.execute(update(Device).where(Device.id.in_(dropped)).values(dropped_at=now))
        # The rest of that device's queue can never arrive either.
        session.execute(
            update(Delivery)
            .where(
                Delivery.device_id.in_(dropped),
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.lease_until.is_(None),
            )
            .values(status=DeliveryStatus.FAILED, error="device_dropped")
        )


def dispatch_once(batch: int = BATCH) -> Tally:
    """Expand what is new, then claim, send and record one batch. Returns what happened."""
    tally = Tally()
    now = db.utcnow()
    # Expiry sends a closing message, so it belongs with delivery: an alert ends on time even
    # when the scheduler is down.
    expire_due(now)
    while expand_broadcast(now):
        tally.expanded += 1
    tally.expanded += expand_notifications(now)
    ids = claim(now, batch)
    if not ids:
        return tally
    pairs = _compose_batch(ids, now, tally)
    db.session().commit()  # held and skipped rows are settled before the network is touched
    outcomes = sender().send([m for _, m in pairs]) if pairs else []
    _record(pairs, outcomes, db.utcnow(), tally)
    db.session().commit()
    return tally


def run(batch: int = BATCH, idle_sleep: float = 1.0, stop_when_idle: bool = False) -> Tally:
    """Dispatch until stopped (SIGTERM/SIGINT finish the batch in hand), or until idle if asked."""
    total = Tally()

    def one_round() -> bool:
        tally = dispatch_once(batch)
        total.add(tally)
        return bool(tally.sent or tally.failed or tally.retried or tally.expanded or tally.skipped)

    workers.run_until_stopped(one_round, idle_sleep, stop_when_idle)
    return total
