"""Who an alert reaches: active members of the groups in its areas, and residents subscribed to them."""

from __future__ import annotations

import math
import uuid
from typing import Any

from sqlalchemy import Select, literal, select, union

from buurtwacht import db
from buurtwacht.models import AlertArea, Area, AreaSubscription, Group, Membership, MembershipStatus
from buurtwacht.models.area import GROUP_AREA_KINDS

EARTH_RADIUS_M = 6_371_000


def descendants(area_ids: set[int]) -> set[int]:
    """The areas and every area below them (an alert for a gebied reaches its wijken and dorpen)."""
    session = db.session()
    found, frontier = set(area_ids), set(area_ids)
    while frontier:
        frontier = set(session.scalars(select(Area.id).where(Area.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def ancestors(area_ids: set[int]) -> set[int]:
    session = db.session()
    found, frontier = set(area_ids), set(area_ids)
    while frontier:
        parents = {p for p in session.scalars(select(Area.parent_id).where(Area.id.in_(frontier))) if p is not None}
        frontier = parents - found
        found |= frontier
    return found


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def areas_in_circle(lat: float, lon: float, radius_m: int) -> set[int]:
    """The wijken and dorpen whose centre lies in the circle; at least the nearest one.

    Members are known by their group's area and residents by their subscribed area, never by
    address, so a circle reaches whole wijken and dorpen.
    """
    candidates = db.session().scalars(select(Area).where(Area.kind.in_(GROUP_AREA_KINDS))).all()
    by_distance = sorted(candidates, key=lambda a: _distance_m(lat, lon, a.centre_lat, a.centre_lon))
    inside = {a.id for a in by_distance if _distance_m(lat, lon, a.centre_lat, a.centre_lon) <= radius_m}
    return inside or {by_distance[0].id}


def people_in(alert_id: uuid.UUID) -> Select[Any]:
    """SELECT (alert_id, person_id) for everyone the alert reaches, for INSERT ... SELECT."""
    reached = select(AlertArea.area_id).where(AlertArea.alert_id == alert_id).scalar_subquery()
    # The alert's areas were stored with their descendants when it was made (see service.create).
    members = (
        select(literal(alert_id).label("alert_id"), Membership.person_id.label("person_id"))
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.status == MembershipStatus.ACTIVE, Group.area_id.in_(reached))
    )
    subscribers = select(literal(alert_id), AreaSubscription.person_id).where(AreaSubscription.area_id.in_(reached))
    return select(union(members, subscribers).subquery())


def reach_of(person_id: uuid.UUID) -> set[int]:
    """The areas whose alerts reach this person: their groups' and subscriptions' areas."""
    session = db.session()
    group_areas = session.scalars(
        select(Group.area_id)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.person_id == person_id, Membership.status == MembershipStatus.ACTIVE)
    )
    subscribed = session.scalars(select(AreaSubscription.area_id).where(AreaSubscription.person_id == person_id))
    return set(group_areas) | set(subscribed)
