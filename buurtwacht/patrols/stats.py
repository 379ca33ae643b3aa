"""Patrols walked and hours, per local month: for a group, for each member, and for oneself."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.localtime import local_midnight_utc, to_local
from buurtwacht.models import Patrol, PatrolSignup, PatrolStatus, Person


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight_utc(dt.date(year, 1, 1)), local_midnight_utc(dt.date(year + 1, 1, 1))


def _hours(patrol: Patrol, signup: PatrolSignup) -> float:
    if signup.checked_in_at is None:
        return 0.0
    # Still on the street: the hours walked so far, never the planned rest of the round.
    end = signup.checked_out_at or patrol.completed_at or min(patrol.ends_at, db.utcnow())
    return max((end - signup.checked_in_at).total_seconds(), 0.0) / 3600


def _empty_month(month: int) -> dict[str, Any]:
    return {"month": month, "planned": 0, "walked": 0, "cancelled": 0, "hours": 0.0, "active_members": 0}


def group_stats(viewer: Person, group_id: uuid.UUID, year: int) -> dict[str, Any]:
    group, relations = access.group_for(viewer, group_id, access.GROUP_WIDE_READERS)
    start, end = _year_bounds(year)
    session = db.session()
    patrols = session.scalars(
        select(Patrol).where(Patrol.group_id == group.id, Patrol.starts_at >= start, Patrol.starts_at < end)
    ).all()
    by_id = {p.id: p for p in patrols}
    checked_in = session.execute(
        select(PatrolSignup, Person)
        .join(Person, Person.id == PatrolSignup.person_id)
        .where(PatrolSignup.patrol_id.in_(by_id), PatrolSignup.checked_in_at.is_not(None))
    ).all()
    months = {m: _empty_month(m) for m in range(1, 13)}
    active: dict[int, set[uuid.UUID]] = defaultdict(set)
    walked: dict[int, set[uuid.UUID]] = defaultdict(set)
    per_member: dict[uuid.UUID, dict[str, Any]] = {}
    for patrol in patrols:
        month = to_local(patrol.starts_at).month
        months[month]["planned"] += 1
        if patrol.status == PatrolStatus.CANCELLED:
            months[month]["cancelled"] += 1
    for signup, person in checked_in:
        patrol = by_id[signup.patrol_id]
        month = to_local(patrol.starts_at).month
        hours = _hours(patrol, signup)
        walked[month].add(patrol.id)
        active[month].add(person.id)
        months[month]["hours"] += hours
        member = per_member.setdefault(
            person.id,
            {"person_id": person.id, "name": person.display_name, "months": defaultdict(lambda: [0, 0.0])},
        )
        member["months"][month][0] += 1
        member["months"][month][1] += hours
    for month, row in months.items():
        row["walked"] = len(walked[month])
        row["active_members"] = len(active[month])
        row["hours"] = round(row["hours"], 2)
    if Relation.COORDINATOR in relations:
        visible = list(per_member.values())
    elif Relation.VOLUNTEER in relations:
        visible = [m for m in per_member.values() if m["person_id"] == viewer.id]
    else:
        visible = []  # the wijkagent and admins see totals, not people
    members = [
        {
            "person_id": m["person_id"],
            "name": m["name"],
            "months": [{"month": k, "patrols": v[0], "hours": round(v[1], 2)} for k, v in sorted(m["months"].items())],
        }
        for m in sorted(visible, key=lambda m: m["name"])
    ]
    return {"group_id": group.id, "year": year, "months": list(months.values()), "members": members}


def my_stats(viewer: Person, year: int) -> dict[str, Any]:
    start, end = _year_bounds(year)
    rows = (
        db.session()
        .execute(
            select(PatrolSignup, Patrol)
            .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
            .where(
                PatrolSignup.person_id == viewer.id,
                PatrolSignup.checked_in_at.is_not(None),
                Patrol.starts_at >= start,
                Patrol.starts_at < end,
            )
        )
        .all()
    )
    months = {m: {"month": m, "patrols": 0, "hours": 0.0} for m in range(1, 13)}
    for signup, patrol in rows:
        row = months[to_local(patrol.starts_at).month]
        row["patrols"] += 1
        row["hours"] += _hours(patrol, signup)
    for row in months.values():
        row["hours"] = round(row["hours"], 2)
    return {"year": year, "months": list(months.values())}
