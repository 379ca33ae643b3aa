"""Scheduled work for schedules: keep every active schedule's patrols made up to its horizon."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.models import Group, PatrolSchedule
from buurtwacht.scheduler import Job
from buurtwacht.schedules.recurrence import BadRule
from buurtwacht.schedules.service import extend

log = logging.getLogger(__name__)


def extend_schedules() -> int:
    """Make missing patrols for every active schedule, one commit per schedule; safe to run again."""
    session = db.session()
    ids = list(session.scalars(select(PatrolSchedule.id).where(PatrolSchedule.ended_at.is_(None))))
    made = 0
    for schedule_id in ids:
        schedule = session.get(PatrolSchedule, schedule_id)
        if schedule is None or schedule.ended_at is not None:
            continue  # ended or removed since the list was read
        try:
            made += extend(schedule, session.get_one(Group, schedule.group_id), db.utcnow())
        except BadRule as exc:
            # Saved before its rule was checked this strictly: it makes nothing until a coordinator fixes it.
            log.warning("schedule %s makes no patrols until its rule is fixed: %s", schedule.id, exc)
            session.rollback()
            continue
        session.commit()
    return made


JOBS = [Job("schedule-horizon", extend_schedules, {"hour": "4", "minute": "15"}, grace=dt.timedelta(hours=12))]
