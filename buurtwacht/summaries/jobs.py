"""Scheduled work: on the 1st at 07:00 (local), last month's summary for every group."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.localtime import to_local
from buurtwacht.models import Group
from buurtwacht.scheduler import Job
from buurtwacht.summaries.mailing import queue_summary
from buurtwacht.summaries.service import build_many

log = logging.getLogger(__name__)


def previous_month(now: dt.datetime) -> tuple[int, int]:
    local = to_local(now)
    return (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)


CHUNK = 200  # groups summarised together: a fixed number of queries per chunk, bounded memory


class SomeSummariesFailed(Exception):
    """Raised after every other group's summary was queued, so the job's run records the failures."""


def monthly_summaries() -> int:
    """Queue last month's summary for every group, a chunk of groups per commit; safe to run again.

    Each group's mails are queued in a savepoint of their own: a group whose summary fails (its data,
    its mail) is logged and left out, and every other group's summary is still sent. The failures
    are raised at the end, so the scheduler records them on the run; a rerun queues what is missing.
    """
    session = db.session()
    year, month = previous_month(db.utcnow())
    ids = list(session.scalars(select(Group.id).order_by(Group.id)))
    queued = 0
    failed: list[uuid.UUID] = []
    for start in range(0, len(ids), CHUNK):
        groups = list(session.scalars(select(Group).where(Group.id.in_(ids[start : start + CHUNK]))))
        summaries: list[dict[str, Any] | None]
        try:
            with session.begin_nested():
                summaries = list(build_many(groups, year, month))
        except Exception:
            log.exception(
                "monthly summaries: a chunk of %d groups failed together; summarising one by one", len(groups)
            )
            summaries = [None] * len(groups)
        for group, summary in zip(groups, summaries, strict=True):
            group_id = group.id
            try:
                with session.begin_nested():
                    count = queue_summary(group, year, month, summary=summary)
            except Exception:
                log.exception("monthly summary for group %s (%d-%02d) failed", group_id, year, month)
                failed.append(group_id)
                continue
            queued += count
        session.commit()
        session.expunge_all()  # memory stays flat however many groups there are
    if failed:
        raise SomeSummariesFailed(
            f"{len(failed)} of {len(ids)} groups got no summary for {year}-{month:02d} ({queued} mails queued "
            f"for the others): {', '.join(str(g) for g in failed)}"
        )
    return queued


# A restart during the morning of the 1st still sends it: twelve hours of grace.
JOBS = [
    Job("monthly-summary", monthly_summaries, {"day": "1", "hour": "7", "minute": "0"}, grace=dt.timedelta(hours=12))
]
