"""Patrol schedules: creating them makes patrols weeks ahead; changing or ending one touches future
patrols only, and never changes a patrol people signed up for without telling them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from dateutil.rrule import rrule
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import select

from buurtwacht import access, db
from buurtwacht.errors import Conflict, Invalid, NotFound
from buurtwacht.localtime import local_date
from buurtwacht.models import Area, Group, Patrol, PatrolSchedule, PatrolSignup, PatrolStatus, Person
from buurtwacht.pagination import paginate
from buurtwacht.patrols import service as patrols
from buurtwacht.push import outbox
from buurtwacht.schedules import recurrence

SCHEDULE_CHANGED = "patrol.schedule_cancelled_reason"  # the catalogue's reason for a round the pattern dropped

SCHEDULE_FIELDS = (
    "rrule",
    "starts_on",
    "ends_on",
    "start_time",
    "meeting_point",
    "route",
    "area_id",
    "min_team",
    "max_team",
    "briefing",
)


def _duration(start: dt.time, end: dt.time) -> int:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else minutes + 24 * 60


def _validate(values: dict[str, Any]) -> rrule:
    if values.get("area_id") is not None and db.session().get(Area, values["area_id"]) is None:
        raise Invalid("area_id", "no area with this id")
    if values["max_team"] < values["min_team"]:
        raise Invalid("max_team", "must be at least min_team")
    if values["duration_minutes"] > 12 * 60:
        raise Invalid("end_time", "a patrol lasts at most 12 hours")
    if values["ends_on"] is not None and values["ends_on"] < values["starts_on"]:
        raise Invalid("ends_on", "must not be before starts_on")
    try:
        return recurrence.parse(values["rrule"], values["starts_on"], values["start_time"])
    except recurrence.BadRule as exc:
        raise Invalid("rrule", str(exc)) from exc


def schedule_for(
    person: Person, schedule_id: uuid.UUID, allowed: frozenset[access.Relation]
) -> tuple[PatrolSchedule, Group]:
    schedule = db.session().get(PatrolSchedule, schedule_id)
    if schedule is None:
        raise NotFound("schedule")
    group, _ = access.group_for(person, schedule.group_id, allowed, what="schedule")
    return schedule, group


def _horizon(group: Group, now: dt.datetime) -> dt.date:
    """The last local day the group keeps rounds made for."""
    return local_date(now) + dt.timedelta(weeks=group.schedule_weeks_ahead)


def _wanted(
    schedule: PatrolSchedule, now: dt.datetime, last: dt.date
) -> dict[dt.date, tuple[dt.datetime, dt.datetime]]:
    """The occurrences the schedule has from now up to and including the local day `last`."""
    if schedule.ended_at is not None:
        return {}
    if schedule.ends_on is not None:
        last = min(last, schedule.ends_on)
    rule = recurrence.parse(schedule.rrule, schedule.starts_on, schedule.start_time)
    duration = dt.timedelta(minutes=schedule.duration_minutes)
    return {
        day: (starts, ends)
        for day, starts, ends in recurrence.occurrences(
            rule, schedule.start_time, duration, max(local_date(now), schedule.starts_on), last
        )
        if starts > now
    }


def _new_patrol(schedule: PatrolSchedule, day: dt.date, starts: dt.datetime, ends: dt.datetime) -> Patrol:
    return Patrol(
        group_id=schedule.group_id,
        schedule_id=schedule.id,
        occurrence=day,
        starts_at=starts,
        ends_at=ends,
        meeting_point=schedule.meeting_point,
        route=schedule.route,
        area_id=schedule.area_id,
        min_team=schedule.min_team,
        max_team=schedule.max_team,
        briefing=schedule.briefing,
        status=PatrolStatus.PLANNED,
    )


def extend(schedule: PatrolSchedule, group: Group, now: dt.datetime) -> int:
    """Make the patrols the schedule still lacks up to the horizon; running it twice makes nothing twice."""
    session = db.session()
    have = set(session.scalars(select(Patrol.occurrence).where(Patrol.schedule_id == schedule.id)))
    made = 0
    for day, (starts, ends) in sorted(_wanted(schedule, now, _horizon(group, now)).items()):
        if day not in have:
            session.add(_new_patrol(schedule, day, starts, ends))
            made += 1
    session.flush()
    return made


def extend_group(group: Group, now: dt.datetime) -> int:
    """Make the rounds every active schedule of the group lacks up to its horizon (after the horizon moved out)."""
    made = 0
    for schedule in db.session().scalars(
        select(PatrolSchedule).where(PatrolSchedule.group_id == group.id, PatrolSchedule.ended_at.is_(None))
    ):
        try:
            made += extend(schedule, group, now)
        except recurrence.BadRule:
            continue  # saved before its rule was checked this strictly: the nightly job says so in the log
    return made


def _reconcile(schedule: PatrolSchedule, group: Group, actor: Person, now: dt.datetime) -> None:
    """Bring future planned patrols in line with a changed (or ended) schedule."""
    session = db.session()
    # Locked in one order, as PATCH /patrols/{id} and sign-ups lock a patrol: its roster holds still meanwhile.
    future = session.scalars(
        select(Patrol)
        .where(Patrol.schedule_id == schedule.id, Patrol.status == PatrolStatus.PLANNED, Patrol.starts_at > now)
        .order_by(Patrol.starts_at, Patrol.id)
        .with_for_update()
    ).all()
    # Rounds made before the group shortened its horizon lie beyond it: they stay while the pattern keeps their day.
    last = max([_horizon(group, now), *(p.occurrence for p in future if p.occurrence is not None)])
    wanted = _wanted(schedule, now, last)
    moved: list[tuple[Patrol, dt.datetime, list[PatrolSignup]]] = []
    more_places: list[Patrol] = []
    for patrol in future:
        holders = patrols._holders(patrol)
        times = wanted.pop(patrol.occurrence, None) if patrol.occurrence is not None else None
        if times is None:
            if schedule.ended_at is not None and holders:
                continue  # ending a schedule keeps the patrols people signed up for
            if holders:
                patrols.cancel(patrol, actor, reason_key=SCHEDULE_CHANGED)
            else:
                session.delete(patrol)
            continue
        places_before = patrol.max_team
        copied = ("meeting_point", "route", "area_id", "min_team", "max_team", "briefing")
        edited = any(getattr(patrol, name) != getattr(schedule, name) for name in copied)
        for name in copied:
            setattr(patrol, name, getattr(schedule, name))
        patrol.max_team = max(patrol.max_team, sum(1 for h in holders if h.status == "confirmed"))
        if patrol.max_team > places_before:
            more_places.append(patrol)
        if (patrol.starts_at, patrol.ends_at) != times:
            moved.append((patrol, patrol.starts_at, holders))
            patrol.starts_at, patrol.ends_at = times
        elif edited:
            # The history holds every change of a round (the calendar feed's SEQUENCE is counted from it).
            patrols._event(patrol, "edited", actor, detail="schedule changed")
    session.flush()
    # Checked once every round has its new time, so the schedule's own rounds are compared where they end up.
    for patrol, _, _ in moved:
        patrols.check_team_free(patrol)
    for patrol, old_start, holders in moved:
        patrols._event(patrol, "moved", actor, detail="schedule changed")
        for signup in holders:
            outbox.queue(
                signup.person_id, "patrol.moved", patrol_id=patrol.id, old_when=old_start, when=patrol.starts_at
            )
    for patrol in more_places:
        patrols._promote_next(patrol)  # as on a patrol's own PATCH: a bigger team takes in its waiting list first
    session.flush()
    extend(schedule, group, now)


def create_schedule(actor: Person, group_id: uuid.UUID, data: dict[str, Any]) -> PatrolSchedule:
    group, _ = access.group_for(actor, group_id, access.COORDINATORS)
    session = db.session()
    now = db.utcnow()
    values = {name: data.get(name) for name in SCHEDULE_FIELDS}
    values["starts_on"] = values["starts_on"] or local_date(now)
    values["duration_minutes"] = _duration(data["start_time"], data["end_time"])
    if data.get("id") is not None:
        existing = session.get(PatrolSchedule, data["id"])
        if existing is not None:
            if existing.group_id == group.id and all(getattr(existing, k) == v for k, v in values.items()):
                return existing
            raise Conflict("a different schedule exists with this id")
    _validate(values)
    schedule = PatrolSchedule(group_id=group.id, created_by_id=actor.id, **values)
    if data.get("id") is not None:
        schedule.id = data["id"]
    session.add(schedule)
    session.flush()
    extend(schedule, group, now)
    return schedule


def preview_schedule(actor: Person, group_id: uuid.UUID, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rounds a new schedule would make: from its first day over the group's weeks ahead (or to its last day).

    Checked as creating it would be; nothing is stored. Rounds up to the group's horizon are made at once on
    creation, later ones by the nightly job as the horizon moves on.
    """
    group, _ = access.group_for(actor, group_id, access.COORDINATORS)
    now = db.utcnow()
    values = {name: data.get(name) for name in SCHEDULE_FIELDS}
    starts_on: dt.date = values["starts_on"] or local_date(now)
    values["starts_on"] = starts_on
    values["duration_minutes"] = _duration(data["start_time"], data["end_time"])
    _validate(values)
    first = max(local_date(now), starts_on)
    last = first + dt.timedelta(weeks=group.schedule_weeks_ahead)
    schedule = PatrolSchedule(group_id=group.id, **values)  # never added to the session
    horizon = _horizon(group, now)
    return [
        {"occurrence": day, "starts_at": starts, "ends_at": ends, "made_at_once": day <= horizon}
        for day, (starts, ends) in sorted(_wanted(schedule, now, last).items())
    ]


def update_schedule(actor: Person, schedule_id: uuid.UUID, changes: dict[str, Any]) -> PatrolSchedule:
    schedule, group = schedule_for(actor, schedule_id, access.COORDINATORS)
    if schedule.ended_at is not None:
        raise Conflict("this schedule has ended")
    values = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
    values["duration_minutes"] = schedule.duration_minutes
    values.update({k: v for k, v in changes.items() if k in SCHEDULE_FIELDS})
    if "start_time" in changes or "end_time" in changes:
        start = changes.get("start_time", schedule.start_time)
        end = changes.get("end_time")
        if end is None:
            end = (
                dt.datetime.combine(dt.date(2000, 1, 1), schedule.start_time)
                + dt.timedelta(minutes=schedule.duration_minutes)
            ).time()
        values["duration_minutes"] = _duration(start, end)
    _validate(values)
    for name, value in values.items():
        setattr(schedule, name, value)
    _reconcile(schedule, group, actor, db.utcnow())
    return schedule


def end_schedule(actor: Person, schedule_id: uuid.UUID) -> None:
    schedule, group = schedule_for(actor, schedule_id, access.COORDINATORS)
    if schedule.ended_at is not None:
        return
    now = db.utcnow()
    schedule.ended_at = now
    _reconcile(schedule, group, actor, now)


def list_schedules(viewer: Person, group_id: uuid.UUID, page: PaginationParameters) -> list[PatrolSchedule]:
    group, _ = access.group_for(viewer, group_id, access.MEMBERS_AND_OFFICERS)
    query = (
        select(PatrolSchedule)
        .where(PatrolSchedule.group_id == group.id)
        .order_by(PatrolSchedule.created_at, PatrolSchedule.id)
    )
    return paginate(query, page)


def get_schedule(viewer: Person, schedule_id: uuid.UUID) -> PatrolSchedule:
    schedule, _ = schedule_for(viewer, schedule_id, access.MEMBERS_AND_OFFICERS)
    return schedule
