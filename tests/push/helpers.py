"""What the push and alert stories share: phones, alerts, the dispatcher, the clock, and a look at deliveries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import Broadcast, Delivery, Device
from buurtwacht.push import dispatcher

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MISSING_BOY = {
    "kind": "missing_person",
    "headline": "Vermist: jongen van 8 jaar",
    "description": "Jongen, 8 jaar, rode jas, blauwe fiets, vanaf de speeltuin richting het kanaal.",
    "instruction": "Zie je hem? Bel 112 en blijf bij hem.",
}


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment given as Emmen's wall-clock time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def register(
    client: Any, make: Any, person: Any, address: str, *, kind: str = "fid", locale: str | None = None,
    device_id: str | None = None,
) -> str:  # fmt: skip
    """The app registers (or refreshes) a phone; returns the device id."""
    device_id = device_id or str(uuid.uuid4())
    response = client.put(
        f"/api/v1/me/devices/{device_id}",
        json={"address_kind": kind, "address": address, "platform": "android", "locale": locale},
        headers=make.headers(person),
    )
    assert response.status_code == 200, response.get_json()
    return device_id


def post_alert(client: Any, make: Any, issuer: Any, areas: tuple[str, ...] = ("bargeres",), **fields: Any) -> Any:
    body: dict[str, Any] = {**MISSING_BOY, **fields}
    if "circle" not in body and "area_ids" not in body:
        body["area_ids"] = [make.area_id(a) for a in areas]
    return client.post("/api/v1/alerts", json=body, headers=make.headers(issuer))


def start_alert(client: Any, make: Any, issuer: Any, areas: tuple[str, ...] = ("bargeres",), **fields: Any) -> str:
    response = post_alert(client, make, issuer, areas, **fields)
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["alert"]["id"])


def dispatch(app: Any, **kwargs: Any) -> dispatcher.Tally:
    """One dispatcher, run until it has nothing left to do now."""
    with app.app_context():
        return dispatcher.run(stop_when_idle=True, **kwargs)


def now(app: Any) -> dt.datetime:
    with app.app_context():
        return db.utcnow()


def deliveries_to(app: Any, address: str) -> list[dict[str, Any]]:
    """Every delivery row for the phone with this address, oldest first, as plain values."""
    with app.app_context():
        rows = db.session().execute(
            select(Delivery, Broadcast.phase)
            .join(Device, Device.id == Delivery.device_id)
            .outerjoin(Broadcast, Broadcast.id == Delivery.broadcast_id)
            .where(Device.address == address)
            .order_by(Delivery.id)
        )
        return [
            {
                "id": d.id,
                "phase": phase,
                "status": str(d.status),
                "error": d.error,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at,
                "lease_until": d.lease_until,
            }
            for d, phase in rows
        ]


def titles(fcm: Any, address: str) -> list[str]:
    return [m["notification"]["title"] for m in fcm.to(address)]


def bodies(fcm: Any, address: str) -> list[str]:
    return [m["notification"]["body"] for m in fcm.to(address)]


def is_dropped(app: Any, address: str) -> bool:
    with app.app_context():
        device = db.session().scalars(select(Device).where(Device.address == address)).one()
        return device.dropped_at is not None
