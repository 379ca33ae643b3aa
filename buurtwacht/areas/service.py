"""Reading and managing the area tree and its officer assignments."""

from __future__ import annotations

import uuid
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import func, select

from buurtwacht import access, db
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.models import Area, AreaKind, OfficerAssignment, Person
from buurtwacht.models.area import PARENT_KINDS
from buurtwacht.pagination import paginate
from buurtwacht.people.service import find_or_invite_person


def list_areas(filters: dict[str, Any], page: PaginationParameters) -> list[Area]:
    query = select(Area).order_by(Area.id)
    if "kind" in filters:
        query = query.where(Area.kind == filters["kind"])
    if "parent_id" in filters:
        query = query.where(Area.parent_id == filters["parent_id"])
    return paginate(query, page)


def get_area(area_id: int) -> Area:
    area = db.session().get(Area, area_id)
    if area is None:
        raise NotFound("area")
    return area


def served_area(viewer: Person, area_id: int, *, admins: bool) -> Area:
    """The area if the viewer is its wijkagent (assigned to it or an area above it), or, where `admins`, an admin."""
    area = get_area(area_id)
    if admins and viewer.is_admin:
        return area
    if access.officer_area_ids(viewer).intersection(access.area_ancestry(area.id)):
        return area
    if admins:
        raise Forbidden("only admins and the area's wijkagent see this")
    raise Forbidden("only the area's wijkagent sees this")


def create_area(data: dict[str, Any]) -> Area:
    session = db.session()
    kind: AreaKind = data["kind"]
    parent_id = data["parent_id"]
    if parent_id is None:
        if PARENT_KINDS[kind]:
            raise Invalid("parent_id", f"a {kind} area needs a parent")
    else:
        parent = session.get(Area, parent_id)
        if parent is None:
            raise Invalid("parent_id", "no area with this id")
        if parent.kind not in PARENT_KINDS[kind]:
            raise Invalid("parent_id", f"a {kind} cannot lie in a {parent.kind}")
    if session.scalar(select(func.count()).where(Area.code == data["code"])):
        raise Conflict("an area with this code exists already", {"json": {"code": ["already in use"]}})
    area = Area(
        code=data["code"],
        name=data["name"],
        kind=kind,
        parent_id=parent_id,
        boundary=data["boundary"],
    )
    area.centre = data["centre"]
    session.add(area)
    session.flush()
    return area


def update_area(area_id: int, changes: dict[str, Any]) -> Area:
    area = get_area(area_id)
    for key, value in changes.items():
        setattr(area, key, value)
    db.session().flush()
    return area


def officers_of(area_id: int) -> list[dict[str, Any]]:
    get_area(area_id)
    rows = db.session().execute(
        select(Person.id, Person.display_name)
        .join(OfficerAssignment, OfficerAssignment.person_id == Person.id)
        .where(OfficerAssignment.area_id == area_id)
        .order_by(Person.display_name)
    )
    return [{"person_id": pid, "display_name": name} for pid, name in rows]


def assign_officer(area_id: int, email: str, display_name: str) -> dict[str, Any]:
    get_area(area_id)
    person = find_or_invite_person(email, display_name)
    session = db.session()
    if session.get(OfficerAssignment, (person.id, area_id)) is None:
        session.add(OfficerAssignment(person_id=person.id, area_id=area_id))
        session.flush()
    return {"person_id": person.id, "display_name": person.display_name}


def unassign_officer(area_id: int, person_id: uuid.UUID) -> None:
    session = db.session()
    assignment = session.get(OfficerAssignment, (person_id, area_id))
    if assignment is None:
        raise NotFound("officer assignment")
    session.delete(assignment)
    session.flush()
