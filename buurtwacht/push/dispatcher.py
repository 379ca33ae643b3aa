"""The push dispatcher: claims due deliveries, sends them through FCM, records what became of each.

Several dispatchers may run. Each claims a batch under a lease (on PostgreSQL with FOR UPDATE
SKIP LOCKED, so two never take the same rows), commits, sends, and records the results. While
one batch is on the wire (firebase-admin's send_each, in a thread of its own) the dispatcher
claims and composes the next, so the database work hides behind the network's. A dispatcher
killed mid-batch leaves rows whose lease runs out; the next one sends them again. So no device
gets the same message twice, except the batch in flight when a dispatcher died.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from firebase_admin import messaging
from flask import current_app
from sqlalchemy import or_, select, update

from buurtwacht import db, workers
from buurtwacht.alerts.service import expire_due
from buurtwacht.localtime import local_zone
from buurtwacht.models import (
    AddressKind,
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
# While full batches keep coming, new alerts and notifications are looked for this often (seconds),
# not before every batch: the backlog is sent at full speed, and a new alert still waits at most this.
LOOK_EVERY = 1.0


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


@dataclass(frozen=True, slots=True)
class _Phone:
    """Where a delivery goes and what its owner asked for: the few columns the dispatcher reads, not whole rows."""

    address_kind: AddressKind
    address: str
    locale: str  # the phone's language, else its owner's
    quiet_from: dt.time | None
    quiet_until: dt.time | None
    owner: str


def quiet_until(person: Person | _Phone, now: dt.datetime) -> dt.datetime | None:
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
    """Take up to `limit` due deliveries under a lease, in one statement, and commit; their ids."""
    session = db.session()
    lease = dt.timedelta(seconds=current_app.config["BUURTWACHT"].PUSH_LEASE_SECONDS)
    due = (
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
    ids = list(
        session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(due.scalar_subquery()))
            .values(lease_until=now + lease, attempts=Delivery.attempts + 1)
            .returning(Delivery.id),
            execution_options={"synchronize_session": False},
        )
    )
    session.commit()
    return ids


@dataclass
class _Sources:
    """What a batch of deliveries says comes from: their broadcasts, alerts and notifications, by id."""

    broadcasts: dict[uuid.UUID, Broadcast]
    alerts: dict[uuid.UUID, Alert]
    notifications: dict[uuid.UUID, Notification]
    # A broadcast says the same to everyone who reads its language: worded once per batch, not per phone.
    _worded: dict[tuple[uuid.UUID | None, str, bool], tuple[str, str, dict[str, Any], str]] = field(
        default_factory=dict
    )

    @classmethod
    def of(cls, deliveries: list[Delivery]) -> _Sources:
        session = db.session()
        broadcast_ids = {d.broadcast_id for d in deliveries if d.broadcast_id}
        broadcasts = {b.id: b for b in session.scalars(select(Broadcast).where(Broadcast.id.in_(broadcast_ids)))}
        alert_ids = {b.alert_id for b in broadcasts.values()}
        alerts = {a.id: a for a in session.scalars(select(Alert).where(Alert.id.in_(alert_ids)))}
        notification_ids = {d.notification_id for d in deliveries if d.notification_id}
        notifications = {
            n.id: n
            for n in (
                session.scalars(select(Notification).where(Notification.id.in_(notification_ids)))
                if notification_ids
                else []
            )
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
        key = (delivery.broadcast_id or delivery.notification_id, locale, superseded)
        worded = self._worded.get(key)
        if worded is None:
            worded = self._worded[key] = self._word(delivery, locale, superseded)
        return worded

    def _word(self, delivery: Delivery, locale: str, superseded: bool) -> tuple[str, str, dict[str, Any], str]:
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


def _with_phone(condition: Any) -> list[tuple[Delivery, _Phone]]:
    rows = db.session().execute(
        select(
            Delivery,
            Device.address_kind,
            Device.address,
            Device.locale,
            Person.locale,
            Person.quiet_from,
            Person.quiet_until,
            Person.display_name,
        )
        .join(Device, Device.id == Delivery.device_id)
        .join(Person, Person.id == Delivery.person_id)
        .where(condition)
        .order_by(Delivery.urgent.desc(), Delivery.next_attempt_at, Delivery.id)
    )
    return [
        (delivery, _Phone(kind, address, device_locale or str(locale), quiet_from, quiet_to, owner))
        for delivery, kind, address, device_locale, locale, quiet_from, quiet_to, owner in rows
    ]


_AlertPhone = tuple[uuid.UUID, uuid.UUID | None]  # an alert and a device


@dataclass
class _BeforeClose:
    """What a batch's closing pushes must settle first, per (alert, device)."""

    superseded: set[_AlertPhone]  # an update that never reached the phone: the close says so
    in_flight_until: dict[_AlertPhone, dt.datetime]  # another dispatcher is sending an earlier one to the phone


def _settle_before_close(
    sources: _Sources, batch: list[Delivery], now: dt.datetime, on_the_wire: frozenset[int]
) -> _BeforeClose:
    """Make each close the last push of its alert on each phone.

    An alert's pushes share a collapse key, so a phone shows the newest that arrived: an update sent after
    the close would replace it with stale news. So an earlier push still queued for that phone is skipped
    (superseded; the close says an update was), and one another dispatcher is sending right now holds the
    close until that send is over. One this dispatcher has on the wire (`on_the_wire`, its previous batch)
    holds it only until that batch's outcome is recorded: the close is claimed again in the next round.
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
            until = now if delivery.id in on_the_wire else lease
            settled.in_flight_until[key] = max(until, settled.in_flight_until.get(key, now))
            continue
        if delivery.status == DeliveryStatus.PENDING:
            delivery.status, delivery.error, delivery.lease_until = DeliveryStatus.SKIPPED, "superseded", None
        if phase == "update":
            settled.superseded.add(key)
    return settled


@dataclass(frozen=True)
class _Sending:
    """A claimed delivery on its way, as the plain values that recording its outcome needs."""

    id: int
    attempts: int
    device_id: uuid.UUID | None


@dataclass
class _Batch:
    """A claimed and composed batch: its deliveries and their messages, in the same order."""

    sendings: list[_Sending]
    messages: list[messaging.Message]
    claimed: int  # with the rows held or skipped instead of sent


def _compose_batch(ids: list[int], now: dt.datetime, tally: Tally, on_the_wire: frozenset[int]) -> _Batch:
    rows = _with_phone(Delivery.id.in_(ids))
    sources = _Sources.of([delivery for delivery, _ in rows])
    before_close = _settle_before_close(sources, [delivery for delivery, _ in rows], now, on_the_wire)
    out = _Batch([], [], len(ids))
    for delivery, phone in rows:
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
        if not delivery.urgent:
            held_until = quiet_until(phone, now)
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
        title, body, data, collapse = sources.content(delivery, phone.locale, superseded)
        out.sendings.append(_Sending(delivery.id, delivery.attempts, delivery.device_id))
        out.messages.append(compose.message(phone, title, body, data, collapse, delivery.urgent))
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
    rows = _with_phone(Delivery.status == DeliveryStatus.PENDING)
    sources = _Sources.of([delivery for delivery, _ in rows])
    found = []
    for delivery, phone in rows:
        if sources.ended(delivery):
            continue
        title, body, _data, _key = sources.content(delivery, phone.locale)
        held = None if delivery.urgent else quiet_until(phone, max(now, delivery.next_attempt_at))
        found.append(Queued(phone.owner, phone.address, title, body, held or delivery.next_attempt_at))
    return found


def _record(batch: _Batch, outcomes: list[Outcome], now: dt.datetime, tally: Tally) -> None:
    """Write down what became of each message: the sent ones in one statement, the rest one by one."""
    session = db.session()
    max_attempts = current_app.config["BUURTWACHT"].PUSH_MAX_ATTEMPTS
    sent: list[int] = []
    others: list[dict[str, Any]] = []
    dropped: set[uuid.UUID] = set()
    for sending, outcome in zip(batch.sendings, outcomes, strict=True):
        if outcome.ok:
            sent.append(sending.id)
            tally.sent += 1
            continue
        tally.errors[outcome.error or "unknown"] = tally.errors.get(outcome.error or "unknown", 0) + 1
        if outcome.retry and sending.attempts < max_attempts:
            wait = max(backoff(sending.attempts), outcome.retry_after or dt.timedelta(0))
            others.append(
                {"id": sending.id, "lease_until": None, "error": outcome.error, "next_attempt_at": now + wait}
            )
            tally.retried += 1
        else:
            others.append(
                {"id": sending.id, "lease_until": None, "error": outcome.error, "status": DeliveryStatus.FAILED}
            )
            tally.failed += 1
            if outcome.drop_device and sending.device_id is not None:
                dropped.add(sending.device_id)
    no_sync = {"synchronize_session": False}
    if sent:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(sent))
            .values(status=DeliveryStatus.SENT, sent_at=now, error=None, lease_until=None),
            execution_options=no_sync,
        )
    if others:
        session.execute(update(Delivery), others)  # by primary key, one row each
    if dropped:
        session.execute(update(Device).where(Device.id.in_(dropped)).values(dropped_at=now), execution_options=no_sync)
        # The rest of that device's queue can never arrive either.
        session.execute(
            update(Delivery)
            .where(
                Delivery.device_id.in_(dropped),
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.lease_until.is_(None),
            )
            .values(status=DeliveryStatus.FAILED, error="device_dropped"),
            execution_options=no_sync,
        )


def _prepare(
    batch: int, tally: Tally, on_the_wire: frozenset[int] = frozenset(), look_for_new: bool = True
) -> _Batch | None:
    """Expand what is new (if asked), then claim and compose one batch; held and skipped rows are committed."""
    now = db.utcnow()
    if look_for_new:
        # Expiry sends a closing message, so it belongs with delivery: an alert ends on time even
        # when the scheduler is down.
        expire_due(now)
        while expand_broadcast(now):
            tally.expanded += 1
        tally.expanded += expand_notifications(now)
    ids = claim(now, batch)
    if not ids:
        return None
    composed = _compose_batch(ids, now, tally, on_the_wire)
    db.session().commit()  # held and skipped rows are settled before the network is touched
    return composed


def _finish(batch: _Batch, outcomes: list[Outcome], tally: Tally) -> None:
    _record(batch, outcomes, db.utcnow(), tally)
    db.session().commit()


def dispatch_once(batch: int = BATCH) -> Tally:
    """Expand what is new, then claim, send and record one batch. Returns what happened."""
    tally = Tally()
    prepared = _prepare(batch, tally)
    if prepared is not None:
        _finish(prepared, sender().send(prepared.messages), tally)
    return tally


def _release(batch: _Batch) -> None:
    """Hand a claimed batch that was never sent back to the queue, for the next round or dispatcher."""
    db.session().execute(
        update(Delivery)
        .where(Delivery.id.in_([s.id for s in batch.sendings]), Delivery.status == DeliveryStatus.PENDING)
        .values(lease_until=None, attempts=Delivery.attempts - 1),
        execution_options={"synchronize_session": False},
    )
    db.session().commit()


def run(batch: int = BATCH, idle_sleep: float = 1.0, stop_when_idle: bool = False) -> Tally:
    """Dispatch until stopped (SIGTERM/SIGINT finish the batch on the wire), or until idle if asked.

    A batch is sent in a thread of its own; while it is on the wire, the previous batch's outcome is
    recorded and the next batch is claimed and composed, so the database work hides behind the
    network's. The next batch goes out only when the one on the wire is back: one dispatcher never
    has two batches on the wire, and a phone gets its pushes in the order they were claimed.
    """
    total = Tally()
    fcm = sender()
    wire: tuple[_Batch, Future[list[Outcome]]] | None = None
    ready: _Batch | None = None
    looked = -LOOK_EVERY  # time.monotonic() of the last look for new work
    full = False  # the last claim took a whole batch: a backlog

    def prepare(tally: Tally) -> _Batch | None:
        nonlocal looked, full
        look = not full or time.monotonic() - looked >= LOOK_EVERY
        if look:
            looked = time.monotonic()
        on_the_wire = frozenset(s.id for s in wire[0].sendings) if wire is not None else frozenset()
        prepared = _prepare(batch, tally, on_the_wire, look_for_new=look)
        full = prepared is not None and prepared.claimed >= batch
        return prepared

    def one_round() -> bool:
        nonlocal wire, ready
        tally = Tally()
        if ready is None:
            ready = prepare(tally)
        landed = (wire[0], wire[1].result()) if wire is not None else None
        worked = ready is not None or landed is not None
        wire = (ready, pool.submit(fcm.send, ready.messages)) if ready is not None and ready.messages else None
        ready = None
        if landed is not None:
            _finish(*landed, tally)
        if wire is not None:
            ready = prepare(tally)
        total.add(tally)
        return worked or bool(tally.expanded or tally.skipped)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-send") as pool:
        try:
            workers.run_until_stopped(one_round, idle_sleep, stop_when_idle)
        finally:
            last = Tally()
            if wire is not None:  # its messages are out: what became of them is recorded, not left to its lease
                _finish(wire[0], wire[1].result(), last)
            if ready is not None:
                _release(ready)
            total.add(last)
    return total
