"""An area's anonymous figures per month of a year: patrols, hours and notes by category, for its gebied and below.

Numbers only, never a name or a place: for the municipality's admins and the area's wijkagent. The counting
rules are the monthly summary's (buurtwacht/summaries/service.py), so a wijk of one group shows the same
numbers as that group's maandoverzichten: a patrol counts in the local month it starts; hours run from
check-in to check-out, else the patrol's close, else its planned end, never past now; notes count in the local
month they were observed, with what retention rolled up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, literal, select

from buurtwacht import db
from buurtwacht.alerts.audience import descendants
from buurtwacht.db import UTCDateTime
from buurtwacht.localtime import local_midnight_utc
from buurtwacht.models import Area, Group, Note, NoteMonthCount, Patrol, PatrolSignup, PatrolStatus
from buurtwacht.summaries.service import seconds_between


def _month_starts(year: int) -> list[dt.datetime]:
    """The 13 local month boundaries of the year (January 1st to the next January 1st), in UTC."""
    return [local_midnight_utc(dt.date(year + m // 12, m % 12 + 1, 1)) for m in range(13)]


def _month_of(column: Any, starts: list[dt.datetime]) -> Any:
    """SQL: the local month (1-12) a moment of the year falls in, the same on PostgreSQL and SQLite."""
    return case(*((column < starts[m], m) for m in range(1, 12)), else_=12)


def of_area(area: Area, year: int) -> dict[str, Any]:
    session = db.session()
    area_ids = descendants({area.id})
    group_ids = list(session.scalars(select(Group.id).where(Group.area_id.in_(area_ids))))
    starts = _month_starts(year)
    months: dict[int, dict[str, Any]] = {
        m: {
            "month": m,
            "patrols": {"planned": 0, "walked": 0, "cancelled": 0, "hours": 0.0, "active_volunteers": 0},
            "notes": {"total": 0, "by_category": {}},
        }
        for m in range(1, 13)
    }
    if group_ids:
        in_year = (Patrol.group_id.in_(group_ids), Patrol.starts_at >= starts[0], Patrol.starts_at < starts[12])
        month = _month_of(Patrol.starts_at, starts)
        for m, planned, cancelled in session.execute(
            select(month, func.count(), func.sum(case((Patrol.status == PatrolStatus.CANCELLED, 1), else_=0)))
            .where(*in_year)
            .group_by(month)
        ):
            months[m]["patrols"] |= {"planned": planned, "cancelled": int(cancelled or 0)}
        now = db.utcnow()
        planned_end = case((Patrol.ends_at > now, literal(now, UTCDateTime)), else_=Patrol.ends_at)
        seconds = seconds_between(
            func.coalesce(PatrolSignup.checked_out_at, Patrol.completed_at, planned_end), PatrolSignup.checked_in_at
        )
        for m, walked, total_seconds, volunteers in session.execute(
            select(
                month,
                func.count(func.distinct(PatrolSignup.patrol_id)),
                func.sum(case((seconds > 0, seconds), else_=0)),
                func.count(func.distinct(PatrolSignup.person_id)),
            )
            .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
            .where(*in_year, PatrolSignup.checked_in_at.is_not(None))
            .group_by(month)
        ):
            hours = round(float(total_seconds or 0) / 3600, 1)
            months[m]["patrols"] |= {"walked": walked, "hours": hours, "active_volunteers": volunteers}

        observed = _month_of(Note.observed_at, starts)
        counted = session.execute(
            select(observed, Note.category, func.count())
            .where(Note.group_id.in_(group_ids), Note.observed_at >= starts[0], Note.observed_at < starts[12])
            .group_by(observed, Note.category)
        ).all()
        rolled_month = func.substr(NoteMonthCount.month, 6, 2)
        rolled = session.execute(
            select(rolled_month, NoteMonthCount.category, func.sum(NoteMonthCount.count))
            .where(NoteMonthCount.group_id.in_(group_ids), NoteMonthCount.month.like(f"{year:04d}-%"))
            .group_by(rolled_month, NoteMonthCount.category)
        ).all()
        for m, category, n in [*counted, *rolled]:
            notes = months[int(m)]["notes"]
            notes["by_category"][category] = notes["by_category"].get(category, 0) + int(n)
            notes["total"] += int(n)
    return {
        "area": {"id": area.id, "name": area.name, "kind": area.kind},
        "year": year,
        "groups": len(group_ids),
        "months": list(months.values()),
    }
