"""Register, refresh and remove a person's devices."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update

from buurtwacht import db
from buurtwacht.errors import NotFound
from buurtwacht.models import Delivery, DeliveryStatus, Device, Person


def view(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "address_kind": device.address_kind,
        "platform": device.platform,
        "app_version": device.app_version,
        "locale": device.locale,
        "last_seen_at": device.last_seen_at,
        "dropped": device.dropped_at is not None,
    }


def mine(person: Person) -> list[dict[str, Any]]:
    devices = db.session().scalars(select(Device).where(Device.person_id == person.id).order_by(Device.created_at))
    return [view(d) for d in devices]


def register(person: Person, device_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Register or refresh; an address moves to whoever registers it last (a phone changed hands)."""
    session = db.session()
    now = db.utcnow()
    holder = session.scalars(
        select(Device).where(Device.address_kind == data["address_kind"], Device.address == data["address"])
    ).one_or_none()
    if holder is not None and holder.id != device_id:
        remove(Device.id == holder.id)
    device = session.get(Device, device_id)
    if device is not None and device.person_id != person.id:
        remove(Device.id == device.id)  # an installation id reused by another account
        device = None
    if device is None:
        device = Device(id=device_id, person_id=person.id, created_at=now)
        session.add(device)
    device.address_kind = data["address_kind"]
    device.address = data["address"]
    device.platform = data["platform"]
    device.app_version = data["app_version"]
    device.locale = str(data["locale"]) if data["locale"] else None
    device.last_seen_at = now
    device.dropped_at = None
    session.flush()
    return view(device)


def unregister(person: Person, device_id: uuid.UUID) -> None:
    session = db.session()
    device = session.get(Device, device_id)
    if device is None or device.person_id != person.id:
        raise NotFound("device")
    remove(Device.id == device.id)


def remove(which: ColumnElement[bool]) -> None:
    """Delete the devices `which` selects. What was still waiting for them is recorded as skipped;
    what was sent stays (its device becomes unknown), so an alert's numbers never shrink."""
    session = db.session()
    gone = select(Device.id).where(which).scalar_subquery()
    session.execute(
        update(Delivery)
        .where(Delivery.device_id.in_(gone), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SKIPPED, error="device_removed")
    )
    session.execute(delete(Device).where(which))
    session.flush()
