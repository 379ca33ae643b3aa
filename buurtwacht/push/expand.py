"""Turn delivery work into deliveries, one per device, with INSERT ... SELECT in the database.

An alert's request writes one Broadcast row and answers at once, whatever its audience; a
dispatcher expands it here. Expanding twice makes nothing twice (unique keys, ON CONFLICT DO
NOTHING), so a dispatcher killed half-way leaves work the next one simply redoes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, literal, select, true, update

from buurtwacht import db
from buurtwacht.alerts.audience import people_in
from buurtwacht.models import (
    Alert,
    AlertEvent,
    AlertRecipient,
    Broadcast,
    Delivery,
    DeliveryStatus,
    Device,
    Notification,
)
from buurtwacht.models.alert import ALERT_TRANSITIONS


def _deliveries_from(select_stmt: Any) -> Any:
    columns = [
        "broadcast_id",
        "notification_id",
        "device_id",
        "person_id",
        "urgent",
        "status",
        "attempts",
        "next_attempt_at",
    ]
    return db.dialect_insert(Delivery).from_select(columns, select_stmt).on_conflict_do_nothing()


def _author_of(broadcast: Broadcast) -> uuid.UUID | None:
    """Who wrote the message: nobody gets a push of their own (the issuer of the new alert, the wijkagent of
    their update or close); the issuer does get what someone else adds or ends.

    The alert's event and its broadcast are written together (alerts/service.py): the new message is the
    issuer's, the close the one end event's, an update the update event of the same moment and text.
    """
    session = db.session()
    if broadcast.phase == "new":
        return session.scalar(select(Alert.issuer_id).where(Alert.id == broadcast.alert_id))
    events = select(AlertEvent.actor_id).where(AlertEvent.alert_id == broadcast.alert_id)
    if broadcast.phase == "update":
        events = events.where(
            AlertEvent.kind == "updated", AlertEvent.at == broadcast.created_at, AlertEvent.text == broadcast.body
        )
    else:
        events = events.where(AlertEvent.kind.in_(ALERT_TRANSITIONS.values()))
    return session.scalar(events.order_by(AlertEvent.id.desc()).limit(1))


def expand_broadcast(now: dt.datetime) -> bool:
    """Expand the oldest broadcast no other dispatcher holds; False when there is none to do."""
    session = db.session()
    candidates = session.scalars(
        select(Broadcast)
        .where(Broadcast.expanded_at.is_(None))
        .order_by(Broadcast.created_at, Broadcast.id)
        .limit(20)
        .with_for_update(skip_locked=True)
    ).all()
    for broadcast in candidates:
        if broadcast.phase != "new":
            earlier_waiting = session.scalar(
                select(func.count()).where(
                    Broadcast.alert_id == broadcast.alert_id,
                    Broadcast.created_at < broadcast.created_at,
                    Broadcast.expanded_at.is_(None),
                )
            )
            if earlier_waiting:
                # Updates and the close go to whoever received the alert: that list comes first. The close
                # also waits for earlier updates, so it knows which of them it supersedes on each phone.
                continue
        if broadcast.phase == "new":
            audience = people_in(broadcast.alert_id).where(true())
            session.execute(
                db.dialect_insert(AlertRecipient)
                .from_select(["alert_id", "person_id"], audience)
                .on_conflict_do_nothing()
            )
        devices = (
            select(
                literal(broadcast.id),
                literal(None).label("notification_id"),
                Device.id,
                Device.person_id,
                literal(broadcast.urgent),
                literal(DeliveryStatus.PENDING.value),
                literal(0),
                literal(now, type_=Delivery.next_attempt_at.type),
            )
            .join(AlertRecipient, AlertRecipient.person_id == Device.person_id)
            .where(AlertRecipient.alert_id == broadcast.alert_id, Device.dropped_at.is_(None))
        )
        author = _author_of(broadcast)
        if author is not None:
            devices = devices.where(AlertRecipient.person_id != author)
        session.execute(_deliveries_from(devices))
        broadcast.expanded_at = now
        session.commit()
        return True
    session.commit()
    return False


def expand_notifications(now: dt.datetime, limit: int = 500) -> int:
    """Expand queued person notifications to their devices; a person without devices gets none."""
    session = db.session()
    ids = list(
        session.scalars(
            select(Notification.id)
            .where(Notification.expanded_at.is_(None))
            .order_by(Notification.created_at, Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        devices = (
            select(
                literal(None).label("broadcast_id"),
                Notification.id,
                Device.id,
                Device.person_id,
                Notification.urgent,
                literal(DeliveryStatus.PENDING.value),
                literal(0),
                literal(now, type_=Delivery.next_attempt_at.type),
            )
            .join(Device, Device.person_id == Notification.person_id)
            .where(Notification.id.in_(ids), Device.dropped_at.is_(None))
        )
        session.execute(_deliveries_from(devices))
        session.execute(update(Notification).where(Notification.id.in_(ids)).values(expanded_at=now))
    session.commit()
    return len(ids)
