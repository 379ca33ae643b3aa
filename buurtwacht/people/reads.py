"""GET /me from one statement: the person as signed in, their memberships and officer areas as JSON from the database.

The answer is service.me's dumped by MeSchema, byte for byte (tests/test_same_answers.py,
tests/people/test_me_same_answers.py), built here as the schema would dump it. The person is the one
sign-in already loaded (or kept, buurtwacht/auth/identities.py); their memberships and the areas
they serve are one round trip.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Uuid, bindparam, select

from buurtwacht import db
from buurtwacht.api import Dumped
from buurtwacht.auth.service import current_person
from buurtwacht.jsonrows import children, rows, uuid_text
from buurtwacht.models import Area, Group, Membership, OfficerAssignment, Person

PERSON = bindparam("person", type_=Uuid())


def _memberships_and_areas() -> Select[Any]:
    memberships = (
        select(Membership.id, Membership.group_id, Group.name, Membership.role, Membership.status)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == PERSON)
    )
    areas = (
        select(Area.id, Area.code, Area.name)
        .join(OfficerAssignment, OfficerAssignment.area_id == Area.id)
        .where(OfficerAssignment.person_id == PERSON)
    )
    return select(
        children(memberships, Group.name, within=None).label("memberships"),
        children(areas, Area.name, within=None).label("areas"),
    )


# Built once per database kind, so the same object reuses its compiled form (and PostgreSQL its prepared plan).
_BUILT: dict[str, Select[Any]] = {}


def _statement() -> Select[Any]:
    kind = db.database().engine.dialect.name
    found = _BUILT.get(kind)
    if found is None:
        found = _BUILT[kind] = _memberships_and_areas()
    return found


def _clock(value: Any) -> str | None:
    return None if value is None else f"{value.hour:02d}:{value.minute:02d}"


def _person(person: Person) -> dict[str, Any]:
    """The person as PersonSelfSchema dumps them."""
    return {
        "id": person.id,
        "email": person.sign_in_email,
        "email_verified": person.email_verified,
        "display_name": person.display_name,
        "phone": person.phone,
        "locale": person.locale.value,
        "is_admin": person.is_admin,
        "quiet_from": _clock(person.quiet_from),
        "quiet_until": _clock(person.quiet_until),
        "reminder_hours": person.reminder_leads,
    }


def me() -> Any:
    """service.me from one statement."""
    person = current_person()
    db.read_only()
    (found,) = db.fetch_all(_statement(), {"person": person.id})
    return Dumped.one(
        {
            "person": _person(person),
            "memberships": [
                {"id": uuid_text(i), "group_id": uuid_text(g), "group_name": name, "role": role, "status": status}
                for i, g, name, role, status in rows(found.memberships)
            ],
            "officer_areas": [{"id": i, "code": code, "name": name} for i, code, name in rows(found.areas)],
        }
    )
