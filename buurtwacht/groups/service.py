"""Creating, reading and changing groups; who sees which group follows buurtwacht.access."""

from __future__ import annotations

import uuid
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import func, or_, select

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.errors import Forbidden, Invalid
from buurtwacht.models import Area, Group, Membership, MembershipEvent, MembershipRole, MembershipStatus, Person
from buurtwacht.models.area import GROUP_AREA_KINDS
from buurtwacht.pagination import paginate
from buurtwacht.people.service import find_or_invite_person
from buurtwacht.schedules import service as schedules


def _descendant_area_ids(roots: set[int]) -> set[int]:
    session = db.session()
    found = set(roots)
    frontier = set(roots)
    while frontier:
        frontier = set(session.scalars(select(Area.id).where(Area.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def _group_area(area_id: int) -> Area:
    area = db.session().get(Area, area_id)
    if area is None:
        raise Invalid("area_id", "no area with this id")
    if area.kind not in GROUP_AREA_KINDS:
        raise Invalid("area_id", "a group belongs to a wijk (neighbourhood) or dorp (village)")
    return area


def describe(groups: list[Group], person: Person) -> list[dict[str, Any]]:
    """Groups as their members see them, with counts and coordinators in two queries for the page."""
    session = db.session()
    ids = [g.id for g in groups]
    counts = dict(
        session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.group_id.in_(ids), Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.group_id)
        ).all()
    )
    coordinators: dict[uuid.UUID, list[str]] = {gid: [] for gid in ids}
    for gid, coordinator in session.execute(
        select(Membership.group_id, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.group_id.in_(ids),
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == MembershipRole.COORDINATOR,
        )
        .order_by(Person.display_name)
    ):
        coordinators[gid].append(coordinator.short_name)
    areas = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_({g.area_id for g in groups})))}
    return [
        {
            "id": g.id,
            "name": g.name,
            "description": g.description,
            "area": areas[g.area_id],
            "member_count": counts.get(g.id, 0),
            "coordinators": coordinators[g.id],
            "patrol_settings": g,
            "note_retention_months": g.note_retention_months,
            "your_relations": sorted(access.relations(person, g)),
        }
        for g in groups
    ]


def list_groups(person: Person, filters: dict[str, Any], page: PaginationParameters) -> list[dict[str, Any]]:
    query = select(Group).order_by(Group.name, Group.id)
    if not person.is_admin:
        member_of = select(Membership.group_id).where(
            Membership.person_id == person.id, Membership.status == MembershipStatus.ACTIVE
        )
        served = _descendant_area_ids(access.officer_area_ids(person))
        query = query.where(or_(Group.id.in_(member_of), Group.area_id.in_(served)))
    if "area_id" in filters:
        # A gebied stands for its wijken and dorpen.
        query = query.where(Group.area_id.in_(_descendant_area_ids({filters["area_id"]})))
    return describe(paginate(query, page), person)


def create_group(actor: Person, data: dict[str, Any]) -> dict[str, Any]:
    session = db.session()
    area = _group_area(data["area_id"])
    group = Group(name=data["name"], description=data["description"], area_id=area.id)
    session.add(group)
    session.flush()
    coordinator = find_or_invite_person(data["coordinator"]["email"], data["coordinator"]["display_name"])
    membership = Membership(
        group_id=group.id, person_id=coordinator.id, role=MembershipRole.COORDINATOR, status=MembershipStatus.ACTIVE
    )
    session.add(membership)
    session.flush()
    session.add(MembershipEvent(membership_id=membership.id, kind="added", detail="coordinator", actor_id=actor.id))
    session.flush()
    return describe([group], actor)[0]


def get_group(person: Person, group_id: uuid.UUID) -> dict[str, Any]:
    group, _ = access.group_for(person, group_id, access.ANYONE_RELATED)
    return describe([group], person)[0]


def update_group(person: Person, group_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    group, relations = access.group_for(person, group_id, {Relation.COORDINATOR, Relation.ADMIN})
    if "area_id" in changes:
        if Relation.ADMIN not in relations:
            raise Forbidden("only municipal admins move a group to another area")
        group.area_id = _group_area(changes.pop("area_id")).id
    settings = changes.pop("patrol_settings", {})
    if settings and Relation.COORDINATOR not in relations:
        raise Forbidden("only the group's coordinators set its patrol rules")
    if "note_retention_months" in changes and Relation.COORDINATOR not in relations:
        raise Forbidden("only the group's coordinators set how long its notes are kept")
    further = settings.get("schedule_weeks_ahead", 0) > group.schedule_weeks_ahead
    for key, value in {**changes, **settings}.items():
        setattr(group, key, value)
    db.session().flush()
    if further:  # the rounds up to the new horizon appear at once, not only after the nightly job
        schedules.extend_group(group, db.utcnow())
    return describe([group], person)[0]
