"""The notes shared with the police in an area and the areas below it, for the area's wijkagent; each read audited."""

from __future__ import annotations

from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import insert, select

from buurtwacht import db
from buurtwacht.access import Relation
from buurtwacht.alerts.audience import descendants
from buurtwacht.areas.service import served_area
from buurtwacht.models import Group, Note, NoteAccess, Person
from buurtwacht.notes import service as notes
from buurtwacht.pagination import paginate


def shared_notes(
    viewer: Person, area_id: int, filters: dict[str, Any], page: PaginationParameters
) -> list[dict[str, Any]]:
    """What the groups of the area (and below) shared with the police, newest first, as the wijkagent reads it in
    a group's list (GET /groups/{id}/notes): never a held note, first name and initial of authors."""
    area = served_area(viewer, area_id, admins=False)
    groups = select(Group.id).where(Group.area_id.in_(descendants({area.id})))
    query = (
        select(Note)
        .where(Note.group_id.in_(groups), Note.shared_with_police_at.is_not(None), Note.held.is_(False))
        .order_by(Note.observed_at.desc(), Note.id)
    )
    for name, column in (("status", Note.status), ("category", Note.category), ("group_id", Note.group_id)):
        if name in filters:
            query = query.where(column == filters[name])
    if "from" in filters:
        query = query.where(Note.observed_at >= filters["from"])
    if "to" in filters:
        query = query.where(Note.observed_at < filters["to"])
    found = paginate(query, page)
    if found:
        db.session().execute(
            insert(NoteAccess), [{"note_id": note.id, "reader_id": viewer.id, "via": "list"} for note in found]
        )
    return notes.views(found, viewer, {Relation.OFFICER})
