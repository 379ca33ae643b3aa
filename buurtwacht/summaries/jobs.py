"""Scheduled work: on the 1st at 07:00 (local), last month's summary for every group."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.localtime import to_local
from buurtwacht.models import Group
from buurtwacht.scheduler import Job
from buurtwacht.summaries.mailing import queue_summary


def previous_month(now: dt.datetime) -> tuple[int, int]:
    local = to_local(now)
    return (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)


def monthly_summaries() -> int:
    """Queue last month's summary for every group; one commit per group, safe to run again."""
    session = db.session()
    year, month = previous_month(db.utcnow())
    queued = 0
    for group_id in list(session.scalars(select(Group.id).order_by(Group.id))):
        group = session.get(Group, group_id)
        if group is None:
            continue
        queued += queue_summary(group, year, month)
        session.commit()
        session.expunge_all()  # memory stays flat however many groups there are
    return queued


# A restart during the morning of the 1st still sends it: twelve hours of grace.
JOBS = [
    Job("monthly-summary", monthly_summaries, {"day": "1", "hour": "7", "minute": "0"}, grace=dt.timedelta(hours=12))
]
