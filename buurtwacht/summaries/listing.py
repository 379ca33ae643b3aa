"""The monthly summaries of every group in an area and the areas below it: for its wijkagent and admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from buurtwacht import access, db
from buurtwacht.alerts.audience import descendants
from buurtwacht.areas.service import served_area
from buurtwacht.models import Group, Person
from buurtwacht.summaries.service import build_many, parse_month


def area_summaries(viewer: Person, area_id: int, month: str) -> list[dict[str, Any]]:
    """Each group's summary for the month, by group name: the same numbers as GET /groups/{id}/summaries/{month}.

    An admin who is not the area's wijkagent reads the alerts' numbers without their headlines, as in a group's
    summary (an alert's text can describe a person)."""
    area = served_area(viewer, area_id, admins=True)
    year, number = parse_month(month)
    groups = list(
        db.session().scalars(
            select(Group).where(Group.area_id.in_(descendants({area.id}))).order_by(Group.name, Group.id)
        )
    )
    summaries = build_many(groups, year, number) if groups else []
    if not access.officer_area_ids(viewer).intersection(access.area_ancestry(area.id)):
        for summary in summaries:
            for alert in summary["alerts"]:
                alert["headline"] = None
    return summaries
