"""Scheduled work: on the 1st at 07:00 (local), last month's summary for every group."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.localtime import to_local
from buurtwacht.models import Group
from buurtwacht.scheduler import Job
from buurtwacht.summaries.mailing import queue_summary
from buurtwacht.summaries.service import build_many


def previous_month(now: dt.datetime) -> tuple[int, int]:
    local = to_local(now)
    return (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)


CHUNK = 200  # groups summarised together: a fixed number of queries per chunk, bounded memory


def monthly_summaries() -> int:
    """Queue last month's summary for every group, a chunk of groups per commit; safe to run again."""
    session = db.session()
    year, month = previous_month(db.utcnow())
    ids = list(session.scalars(select(Group.id).order_by(Group.id)))
    queued = 0
    for start in range(0, len(ids), CHUNK):
        groups = list(session.scalars(select(Group).where(Group.id.in_(ids[start : start + CHUNK]))))
        for group, summary in zip(groups, build_many(groups, year, month), strict=True):
            queued += queue_summary(group, year, month, summary=summary)
        session.commit()
        session.expunge_all()  # memory stays flat however many groups there are
    return queued


# A restart during the morning of the 1st still sends it: twelve hours of grace.
JOBS = [
    Job("monthly-summary", monthly_summaries, {"day": "1", "hour": "7", "minute": "0"}, grace=dt.timedelta(hours=12))
]
