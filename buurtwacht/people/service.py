"""A person's own profile, and people named by e-mail before they first sign in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.auth.service import current_person
from buurtwacht.models import Area, Group, Membership, OfficerAssignment, Person


def find_or_invite_person(email: str, display_name: str) -> Person:
    """The person with this verified e-mail, or a new invite that only a verified sign-in with it claims.

    Someone who signed in with this address unverified is never found here: naming them would hand a role to
    whoever typed the address into a sign-up form.
    """
    session = db.session()
    email = email.strip().lower()
    person = session.scalars(select(Person).where(Person.verified_email == email)).one_or_none()
    if person is None:
        person = Person(verified_email=email, display_name=display_name)
        session.add(person)
        session.flush()
    return person


def me() -> dict[str, Any]:
    person = current_person()
    session = db.session()
    memberships = session.execute(
        select(Membership, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == person.id)
        .order_by(Group.name)
    ).all()
    officer_areas = session.scalars(
        select(Area)
        .join(OfficerAssignment, OfficerAssignment.area_id == Area.id)
        .where(OfficerAssignment.person_id == person.id)
        .order_by(Area.name)
    ).all()
    return {
        "person": person,
        "memberships": [
            {"id": m.id, "group_id": m.group_id, "group_name": name, "role": m.role, "status": m.status}
            for m, name in memberships
        ],
        "officer_areas": officer_areas,
    }


def update_me(changes: dict[str, Any]) -> dict[str, Any]:
    person = current_person()
    for key, value in changes.items():
        setattr(person, key, value)
    db.session().flush()
    return me()
