"""Who may see and do what in a group: the relations a person has to it, derived from the database."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, select

from buurtwacht import db
from buurtwacht.auth import identities
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
    parents = identities.area_parents()
    session = db.session()
    chain: list[int] = []
    current: int | None = area_id
    while current is not None and current not in chain:
        chain.append(current)
        if parents is not None:
            current = parents.get(current)
            continue
        area = session.get(Area, current)
        current = area.parent_id if area else None
    return chain


def officer_area_ids(person: Person) -> set[int]:
    kept = identities.of(person)
    if kept is not None:
        return set(kept.officer_areas)
    rows = db.session().scalars(select(OfficerAssignment.area_id).where(OfficerAssignment.person_id == person.id))
    return set(rows)


def _role_of(person: Person, group_id: uuid.UUID) -> Any:
    """The person's role in the group if an active member (one row at most: one membership per pair)."""
    return select(cast(Membership.role, String)).where(
        Membership.group_id == group_id,
        Membership.person_id == person.id,
        Membership.status == MembershipStatus.ACTIVE,
    )


def _found(person: Person, group: Group, role: str | None, serves_somewhere: bool) -> set[Relation]:
    found: set[Relation] = set()
    if role is not None:
        found.add(Relation.COORDINATOR if role == MembershipRole.COORDINATOR else Relation.VOLUNTEER)
    if serves_somewhere and officer_area_ids(person).intersection(area_ancestry(group.area_id)):
        found.add(Relation.OFFICER)
    if person.is_admin:
        found.add(Relation.ADMIN)
    return found


def _serves_somewhere(person: Person) -> Any:
    return select(OfficerAssignment.person_id).where(OfficerAssignment.person_id == person.id).exists()


def relations(person: Person, group: Group) -> set[Relation]:
    kept = identities.of(person)
    if kept is not None:
        return _found(person, group, kept.roles.get(group.id), bool(kept.officer_areas))
    role, serves = (
        db.session().execute(select(_role_of(person, group.id).scalar_subquery(), _serves_somewhere(person))).one()
    )
    return _found(person, group, role, serves)


def group_for(
    person: Person, group_id: uuid.UUID, allowed: Iterable[Relation], what: str = "group"
) -> tuple[Group, set[Relation]]:
    """The group if the person may act on it: 404 to outsiders (never confirming it exists), 403 to the rest.

    `what` names the object asked for (a patrol, a schedule) so a 404 says what was not found.
    """
    kept = identities.of(person)
    if kept is not None:  # the person's roles are kept (buurtwacht/auth/identities.py), and the group too
        group = identities.group(group_id)
        if group is None:
            raise NotFound(what)
        return group, _allowed(_found(person, group, kept.roles.get(group.id), bool(kept.officer_areas)), allowed, what)
    # One round trip for a volunteer: the group, their role in it, and whether they serve any area as wijkagent
    # (only a wijkagent's areas take a second look, to see whether one lies above the group's).
    row = (
        db.session()
        .execute(
            select(Group, _role_of(person, group_id).scalar_subquery(), _serves_somewhere(person)).where(
                Group.id == group_id
            )
        )
        .first()
    )
    if row is None:
        raise NotFound(what)
    group, role, serves = row
    return group, _allowed(_found(person, group, role, serves), allowed, what)


def _allowed(found: set[Relation], allowed: Iterable[Relation], what: str) -> set[Relation]:
    if not found:
        raise NotFound(what)
    if not found.intersection(allowed):
        raise Forbidden("your role in this group does not allow this")
    return found
