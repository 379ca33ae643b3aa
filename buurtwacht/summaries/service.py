"""The monthly summary (maandoverzicht) of a group: numbers only, never names, never a lone address.

"We do what we say and say what we do": patrols planned, walked and cancelled, volunteer hours,
notes per category against last month and the same month last year, where things happened
(only places with at least three notes), follow-up, alerts and the group's own priorities.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Float, String, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.db import UTCDateTime
from buurtwacht.errors import Invalid
from buurtwacht.forwarding import figures
from buurtwacht.localtime import local_midnight_utc
from buurtwacht.models import (
    Alert,
    AlertArea,
    Area,
    Group,
    GroupCategory,
    Membership,
    MembershipRole,
    MembershipStatus,
    Note,
    NoteMonthCount,
    OfficerAssignment,
    Patrol,
    PatrolSignup,
    PatrolStatus,
    Person,
)
from buurtwacht.notes.categories import CATEGORIES

MIN_NOTES_PER_PLACE = 3  # a place with fewer notes is never shown precisely


class seconds_between(GenericFunction[float]):  # lower case: written like the SQL function it stands for
    """SQL: the seconds from the second moment to the first, on PostgreSQL and SQLite alike."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


READERS = frozenset({Relation.COORDINATOR, Relation.OFFICER, Relation.ADMIN})


def parse_month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2999:
        raise Invalid("month", "a month as YYYY-MM, e.g. 2026-11", location="path")
    return int(match.group(1)), int(match.group(2))


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month's local start and end, in UTC."""
    ny, nm = shift_month(year, month, 1)
    return local_midnight_utc(dt.date(year, month, 1)), local_midnight_utc(dt.date(ny, nm, 1))


def _label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _category_counts(group_ids: list[uuid.UUID], year: int, month: int) -> dict[uuid.UUID, Counter[str]]:
    """Notes per group and category in a month: the live notes plus what retention rolled up."""
    start, end = month_bounds(year, month)
    session = db.session()
    counts: dict[uuid.UUID, Counter[str]] = {g: Counter() for g in group_ids}
    for group_id, category, n in session.execute(
        select(Note.group_id, Note.category, func.count())
        .where(Note.group_id.in_(group_ids), Note.observed_at >= start, Note.observed_at < end)
        .group_by(Note.group_id, Note.category)
    ):
        counts[group_id][category] += n
    for group_id, category, n in session.execute(
        select(NoteMonthCount.group_id, NoteMonthCount.category, func.sum(NoteMonthCount.count))
        .where(NoteMonthCount.group_id.in_(group_ids), NoteMonthCount.month == _label(year, month))
        .group_by(NoteMonthCount.group_id, NoteMonthCount.category)
    ):
        counts[group_id][category] += int(n)
    return counts


def _category_and_status_counts(
    group_ids: list[uuid.UUID], year: int, month: int
) -> tuple[dict[uuid.UUID, Counter[str]], dict[uuid.UUID, Counter[str]]]:
    """This month's notes per category and per status, in one pass (plus rolled-up counts)."""
    start, end = month_bounds(year, month)
    session = db.session()
    categories: dict[uuid.UUID, Counter[str]] = {g: Counter() for g in group_ids}
    statuses: dict[uuid.UUID, Counter[str]] = {g: Counter() for g in group_ids}
    for group_id, category, status, n in session.execute(
        select(Note.group_id, Note.category, Note.status, func.count())
        .where(Note.group_id.in_(group_ids), Note.observed_at >= start, Note.observed_at < end)
        .group_by(Note.group_id, Note.category, Note.status)
    ):
        categories[group_id][category] += n
        statuses[group_id][str(status)] += n
    for group_id, category, rolled_status, n in session.execute(
        select(NoteMonthCount.group_id, NoteMonthCount.category, NoteMonthCount.status, NoteMonthCount.count).where(
            NoteMonthCount.group_id.in_(group_ids), NoteMonthCount.month == _label(year, month)
        )
    ):
        categories[group_id][category] += n
        statuses[group_id][rolled_status] += n
    return categories, statuses


def _places(rows: list[tuple[str, int]], elsewhere: int) -> dict[str, Any]:
    """Streets (or map cells of about 250 m) with at least three notes; the rest only as a number."""
    shown = [{"place": key, "count": n} for key, n in sorted(rows, key=lambda row: (-row[1], row[0]))]
    return {"places": shown, "elsewhere": elsewhere}


def build(group: Group, year: int, month: int) -> dict[str, Any]:
    return build_many([group], year, month)[0]


def build_many(groups: list[Group], year: int, month: int) -> list[dict[str, Any]]:
    """The summaries of many groups with a fixed number of queries (each grouped by group)."""
    session = db.session()
    start, end = month_bounds(year, month)
    ids = [g.id for g in groups]

    # Patrols and hours are added up by the database: a month of a hundred groups is thousands of
    # check-ins, and fetching them row by row cost more than all the queries together.
    planned: dict[uuid.UUID, tuple[int, int]] = {}
    for group_id, count, cancelled in session.execute(
        select(
            Patrol.group_id,
            func.count(),
            func.coalesce(func.sum(case((Patrol.status == PatrolStatus.CANCELLED, 1), else_=0)), 0),
        )
        .where(Patrol.group_id.in_(ids), Patrol.starts_at >= start, Patrol.starts_at < end)
        .group_by(Patrol.group_id)
    ):
        planned[group_id] = (count, int(cancelled))
    # The rule of patrols.stats._hours: until check-out, else the patrol's close, else its planned
    # end, but never past now (a round still on the street counts what was walked so far).
    now = db.utcnow()
    planned_end = case((Patrol.ends_at > now, literal(now, UTCDateTime)), else_=Patrol.ends_at)
    finish = func.coalesce(PatrolSignup.checked_out_at, Patrol.completed_at, planned_end)
    seconds = seconds_between(finish, PatrolSignup.checked_in_at)
    walked: dict[uuid.UUID, tuple[int, float, int]] = {}
    for group_id, patrols_walked, total_seconds, volunteers in session.execute(
        select(
            Patrol.group_id,
            func.count(func.distinct(PatrolSignup.patrol_id)),
            func.sum(case((seconds > 0, seconds), else_=0)),
            func.count(func.distinct(PatrolSignup.person_id)),
        )
        .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
        .where(
            Patrol.group_id.in_(ids),
            Patrol.starts_at >= start,
            Patrol.starts_at < end,
            PatrolSignup.checked_in_at.is_not(None),
        )
        .group_by(Patrol.group_id)
    ):
        walked[group_id] = (patrols_walked, float(total_seconds or 0) / 3600, volunteers)

    this, statuses = _category_and_status_counts(ids, year, month)
    forwarding = figures.of_groups(ids, start, end)  # the admin's figures come from the same computation
    previous = _category_counts(ids, *shift_month(year, month, -1))
    last_year = _category_counts(ids, year - 1, month)

    # Places: those with enough notes to be shown, and per group the sum of the rest, so that the
    # thousands of places with one or two notes never leave the database.
    in_month = (Note.group_id.in_(ids), Note.observed_at >= start, Note.observed_at < end)
    per_place = (
        select(Note.group_id.label("group_id"), Note.place_key.label("place_key"), func.count().label("n"))
        .where(*in_month, Note.place_key.is_not(None))
        .group_by(Note.group_id, Note.place_key)
        .cte("per_place")
    )
    located: dict[uuid.UUID, list[Any]] = {g: [] for g in ids}
    elsewhere: dict[uuid.UUID, int] = {}
    for group_id, key, n in session.execute(
        select(per_place.c.group_id, per_place.c.place_key, per_place.c.n)
        .where(per_place.c.n >= MIN_NOTES_PER_PLACE)
        .union_all(
            select(per_place.c.group_id, literal(None, String), func.sum(per_place.c.n))
            .where(per_place.c.n < MIN_NOTES_PER_PLACE)
            .group_by(per_place.c.group_id)
        )
    ):
        if key is None:
            elsewhere[group_id] = int(n)
        else:
            located[group_id].append((key, int(n)))

    areas = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_({g.area_id for g in groups})))}
    alerts_by_area: dict[int, list[Alert]] = {}
    for area_id, alert in session.execute(
        select(AlertArea.area_id, Alert)
        .join(Alert, Alert.id == AlertArea.alert_id)
        .where(AlertArea.area_id.in_(areas), Alert.created_at >= start, Alert.created_at < end)
        .order_by(Alert.created_at)
    ):
        alerts_by_area.setdefault(area_id, []).append(alert)
    chosen: dict[uuid.UUID, list[str]] = {g: [] for g in ids}
    for group_id, category in session.execute(
        select(GroupCategory.group_id, GroupCategory.category).where(GroupCategory.group_id.in_(ids))
    ):
        chosen[group_id].append(category)
    order = {code: i for i, code in enumerate(CATEGORIES)}
    for picked in chosen.values():
        picked.sort(key=lambda code: order.get(code, len(order)))  # the catalogue's order, every month the same

    return [
        _summary(
            group,
            areas[group.area_id],
            year,
            month,
            planned.get(group.id, (0, 0)),
            walked.get(group.id, (0, 0.0, 0)),
            this[group.id],
            previous[group.id],
            last_year[group.id],
            located[group.id],
            elsewhere.get(group.id, 0),
            statuses[group.id],
            alerts_by_area.get(group.area_id, []),
            chosen[group.id],
        )
        | {"forwarding": forwarding[group.id]}
        for group in groups
    ]


def _summary(
    group: Group, area: Area, year: int, month: int, planned: tuple[int, int], walked: tuple[int, float, int],
    this: Counter[str], previous: Counter[str], last_year: Counter[str], located: list[Any], elsewhere: int,
    statuses: Counter[str], alerts: list[Alert], chosen: list[str],
) -> dict[str, Any]:  # fmt: skip
    categories = sorted(set(this) | set(previous) | set(last_year), key=lambda c: (-this[c], c))
    return {
        "group": {"id": group.id, "name": group.name, "area": area.name},
        "month": _label(year, month),
        "patrols": {
            "planned": planned[0],
            "walked": walked[0],
            "cancelled": planned[1],
            "hours": round(walked[1], 1),
            "active_volunteers": walked[2],
        },
        "notes": {
            "total": sum(this.values()),
            "previous_month_total": sum(previous.values()),
            "same_month_last_year_total": sum(last_year.values()),
            "by_category": [
                {
                    "category": c,
                    "label": CATEGORIES[c].label if c in CATEGORIES else {"nl": c, "en": c},
                    "count": this[c],
                    "previous_month": previous[c],
                    "same_month_last_year": last_year[c],
                }
                for c in categories
            ],
        },
        "where": _places(located, elsewhere),
        "follow_up": {s: statuses.get(s, 0) for s in ("open", "reported", "resolved", "no_action")},
        "alerts": [
            {
                "headline": a.headline,
                "kind": str(a.kind),
                "status": str(a.status),
                "outcome": str(a.outcome) if a.outcome else None,
                "created_at": a.created_at,
            }
            for a in alerts
        ],
        "priorities": [
            {"category": c, "label": CATEGORIES[c].label, "count": this[c]} for c in chosen if c in CATEGORIES
        ],
    }


# Who reads an alert's words in a summary; an admin who is neither sees its numbers only.
ALERT_TEXT_READERS = frozenset({Relation.COORDINATOR, Relation.OFFICER})


def summary_for(viewer: Person, group_id: uuid.UUID, month: str) -> dict[str, Any]:
    group, relations = access.group_for(viewer, group_id, READERS)
    summary = build(group, *parse_month(month))
    if not relations & ALERT_TEXT_READERS:
        for alert in summary["alerts"]:
            alert["headline"] = None
    return summary


def recipients(group: Group) -> list[Person]:
    """The group's wijkagent(s), of its area or an area above it, and its coordinators."""
    session = db.session()
    officers = session.scalars(
        select(Person)
        .join(OfficerAssignment, OfficerAssignment.person_id == Person.id)
        .where(OfficerAssignment.area_id.in_(access.area_ancestry(group.area_id)))
    ).all()
    coordinators = session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.group_id == group.id,
            Membership.role == MembershipRole.COORDINATOR,
            Membership.status == MembershipStatus.ACTIVE,
        )
    ).all()
    unique = {p.id: p for p in [*officers, *coordinators]}
    return sorted(unique.values(), key=lambda p: p.email)
