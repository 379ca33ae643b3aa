"""Who may see and do what in a group: the relations a person has to it, derived from the database."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable

from sqlalchemy import String, cast, literal, select

from buurtwacht import db
from buurtwacht.errors import Forbidden, NotFound
from buurtwacht.models import Area, Group, Membership, MembershipRole, MembershipStatus, OfficerAssignment, Person


class Relation(enum.StrEnum):
    COORDINATOR = "coordinator"
    VOLUNTEER = "volunteer"
    OFFICER = "officer"  # a wijkagent of the group's area (or an area above it)
    ADMIN = "admin"  # municipal staff: manages groups, sees no personal data beyond names


MEMBERS = frozenset({Relation.COORDINATOR, Relation.VOLUNTEER})
COORDINATORS = frozenset({Relation.COORDINATOR})
MEMBERS_AND_OFFICERS = MEMBERS | {Relation.OFFICER}
GROUP_WIDE_READERS = MEMBERS_AND_OFFICERS | {Relation.ADMIN}
ANYONE_RELATED = frozenset(Relation)


def area_ancestry(area_id: int) -> list[int]:
    """The area and every area above it, nearest first."""
    session = db.session()
    chain: list[int] = []
    current: int | None = area_id
    while current is not None and current not in chain:
        chain.append(current)
        area = session.get(Area, current)
        current = area.parent_id if area else None
    return chain


def officer_area_ids(person: Person) -> set[int]:
    rows = db.session().scalars(select(OfficerAssignment.area_id).where(OfficerAssignment.person_id == person.id))
    return set(rows)


def relations(person: Person, group: Group) -> set[Relation]:
    found: set[Relation] = set()
    # One round trip: the person's role in the group (if an active member) and the areas they serve.
    role = select(cast(Membership.role, String).label("value"), literal("role").label("what")).where(
        Membership.group_id == group.id,
        Membership.person_id == person.id,
        Membership.status == MembershipStatus.ACTIVE,
    )
    areas = select(cast(OfficerAssignment.area_id, String), literal("area")).where(
        OfficerAssignment.person_id == person.id
    )
    served: set[int] = set()
    for value, what in db.session().execute(role.union_all(areas)):
        if what == "area":
            served.add(int(value))
        else:
            found.add(Relation.COORDINATOR if value == MembershipRole.COORDINATOR else Relation.VOLUNTEER)
    if served and served.intersection(area_ancestry(group.area_id)):
        found.add(Relation.OFFICER)
    if person.is_admin:
        found.add(Relation.ADMIN)
    return found


def group_for(
    person: Person, group_id: uuid.UUID, allowed: Iterable[Relation], what: str = "group"
) -> tuple[Group, set[Relation]]:
    """The group if the person may act on it: 404 to outsiders (never confirming it exists), 403 to the rest.

    `what` names the object asked for (a patrol, a schedule) so a 404 says what was not found.
    """
    group = db.session().get(Group, group_id)
    if group is None:
        raise NotFound(what)
    found = relations(person, group)
    if not found:
        raise NotFound(what)
    if not found.intersection(allowed):
        raise Forbidden("your role in this group does not allow this")
    return group, found
