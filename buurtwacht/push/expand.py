"""Turn delivery work into deliveries, one per device, with INSERT ... SELECT in the database.

An alert's request writes one Broadcast row and answers at once, whatever its audience; a
dispatcher expands it here. Expanding twice makes nothing twice (unique keys, ON CONFLICT DO
NOTHING), so a dispatcher killed half-way leaves work the next one simply redoes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, literal, select, true, update

from buurtwacht import db
from buurtwacht.alerts.audience import people_in
from buurtwacht.models import AlertRecipient, Broadcast, Delivery, DeliveryStatus, Device, Notification


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
            first_done = session.scalar(
                select(func.count()).where(
                    Broadcast.alert_id == broadcast.alert_id,
                    Broadcast.phase == "new",
                    Broadcast.expanded_at.is_not(None),
                )
            )
            if not first_done:
                continue  # updates and the close go to whoever received the alert: that list comes first
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
