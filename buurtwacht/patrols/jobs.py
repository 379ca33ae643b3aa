"""Scheduled work for patrols: reminders, short-team warnings and the overdue alarm."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from buurtwacht import db
from buurtwacht.jobmarks import once
from buurtwacht.localtime import to_local, wall_to_utc
from buurtwacht.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Patrol,
    PatrolSignup,
    PatrolStatus,
    Person,
    SignupStatus,
)
from buurtwacht.push import outbox
from buurtwacht.scheduler import Job

SHORT_TEAM_AHEAD = dt.timedelta(hours=48)
OVERDUE_AFTER = dt.timedelta(minutes=30)
LONGEST_LEAD = dt.timedelta(hours=73)  # 72 hours, or three calendar days across a clock change


def _leads(setting: str) -> list[int]:
    return sorted({int(part) for part in setting.split(",") if part.strip().isdigit() and 0 < int(part) <= 72})


def reminder_at(starts_at: dt.datetime, hours: int) -> dt.datetime:
    """When the reminder `hours` before a patrol is due. Whole days count on the calendar: the
    day-before reminder of a 20:00 patrol comes at 20:00 the day before, also when the clocks
    change in between (then 23 or 25 hours before); other leads count elapsed hours."""
    if hours % 24:
        return starts_at - dt.timedelta(hours=hours)
    wall = to_local(starts_at).replace(tzinfo=None) - dt.timedelta(days=hours // 24)
    return wall_to_utc(wall)


def send_reminders() -> int:
    """Remind each team member at their chosen hours before a patrol (default 24 and 2), once each."""
    session = db.session()
    now = db.utcnow()
    rows = session.execute(
        select(PatrolSignup.id, PatrolSignup.person_id, Patrol, Person.reminder_hours)
        .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
        .join(Person, Person.id == PatrolSignup.person_id)
        .where(
            PatrolSignup.status == SignupStatus.CONFIRMED,
            Patrol.status == PatrolStatus.PLANNED,
            Patrol.starts_at > now,
            Patrol.starts_at <= now + LONGEST_LEAD,
        )
    ).all()
    sent = 0
    for signup_id, person_id, patrol, setting in rows:
        due = [h for h in _leads(setting) if now >= reminder_at(patrol.starts_at, h)]
        if not due:
            continue
        # A late sign-up gets one reminder, the nearest; the earlier ones are marked done too.
        fresh = [h for h in sorted(due) if once("patrol.reminder", f"{signup_id}:{h}")]
        if min(due) in fresh:
            outbox.queue(
                person_id, "patrol.reminder", patrol_id=patrol.id, when=patrol.starts_at, place=patrol.meeting_point
            )
            sent += 1
        session.commit()
    return sent


def _coordinators(group_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        db.session().scalars(
            select(Membership.person_id).where(
                Membership.group_id == group_id,
                Membership.role == MembershipRole.COORDINATOR,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )


def warn_short_teams() -> int:
    """Tell the coordinators, once, when a patrol within 48 hours has fewer people than its minimum."""
    session = db.session()
    now = db.utcnow()
    confirmed = (
        select(func.count())
        .where(PatrolSignup.patrol_id == Patrol.id, PatrolSignup.status == SignupStatus.CONFIRMED)
        .correlate(Patrol)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Patrol, confirmed).where(
            Patrol.status == PatrolStatus.PLANNED,
            Patrol.starts_at > now,
            Patrol.starts_at <= now + SHORT_TEAM_AHEAD,
            confirmed < Patrol.min_team,
        )
    ).all()
    warned = 0
    for patrol, count in rows:
        if once("patrol.short", str(patrol.id)):
            for coordinator in _coordinators(patrol.group_id):
                outbox.queue(
                    coordinator,
                    "patrol.short",
                    patrol_id=patrol.id,
                    when=patrol.starts_at,
                    confirmed=count,
                    minimum=patrol.min_team,
                )
            warned += 1
        session.commit()
    return warned


def alarm_overdue() -> int:
    """Alarm the coordinators, once and at any hour, when a patrol's team has not checked out in time."""
    session = db.session()
    now = db.utcnow()
    still_out = (
        select(func.count())
        .where(
            PatrolSignup.patrol_id == Patrol.id,
            PatrolSignup.checked_in_at.is_not(None),
            PatrolSignup.checked_out_at.is_(None),
        )
        .correlate(Patrol)
        .scalar_subquery()
    )
    rows = session.scalars(
        select(Patrol).where(Patrol.status == PatrolStatus.RUNNING, Patrol.ends_at < now - OVERDUE_AFTER, still_out > 0)
    ).all()
    alarmed = 0
    for patrol in rows:
        if once("patrol.overdue", str(patrol.id)):
            for coordinator in _coordinators(patrol.group_id):
                outbox.queue(coordinator, "patrol.overdue", urgent=True, patrol_id=patrol.id, when=patrol.starts_at)
            alarmed += 1
        session.commit()
    return alarmed


JOBS = [
    Job("patrol-reminders", send_reminders, {"minute": "*/5"}),
    Job("patrol-short-teams", warn_short_teams, {"minute": "7"}, grace=dt.timedelta(hours=1)),
    Job("patrol-overdue", alarm_overdue, {"minute": "*/5"}),
]
