"""Residents' subscriptions: alerts for their own wijk or dorp, without joining a group."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.errors import Invalid, NotFound
from buurtwacht.models import Area, AreaSubscription, Person
from buurtwacht.models.area import GROUP_AREA_KINDS


def mine(person: Person) -> list[dict[str, Any]]:
    rows = db.session().execute(
        select(Area.id, Area.name)
        .join(AreaSubscription, AreaSubscription.area_id == Area.id)
        .where(AreaSubscription.person_id == person.id)
        .order_by(Area.name)
    )
    return [{"area_id": i, "area_name": n} for i, n in rows]


def subscribe(person: Person, area_id: int) -> list[dict[str, Any]]:
    session = db.session()
    area = session.get(Area, area_id)
    if area is None:
        raise NotFound("area")
    if area.kind not in GROUP_AREA_KINDS:
        raise Invalid(
            "area_id", "subscribe to a wijk or dorp: only the area is kept, never an address", location="path"
        )
    if session.get(AreaSubscription, (person.id, area.id)) is None:
        session.add(AreaSubscription(person_id=person.id, area_id=area.id))
        session.flush()
    return mine(person)


def unsubscribe(person: Person, area_id: int) -> None:
    session = db.session()
    found = session.get(AreaSubscription, (person.id, area_id))
    if found is None:
        raise NotFound("subscription")
    session.delete(found)
    session.flush()
