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

from sqlalchemy import func, select

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.errors import Invalid
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
CELL_DEGREES = 0.0025  # about 250 m north-south, 170 m east-west in Emmen
READERS = frozenset({Relation.COORDINATOR, Relation.OFFICER, Relation.ADMIN})


def parse_month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Invalid("month", "a month as YYYY-MM, e.g. 2026-11", location="path")
    return int(match.group(1)), int(match.group(2))


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month's local start and end, in UTC."""
    ny, nm = _shift(year, month, 1)
    return local_midnight_utc(dt.date(year, month, 1)), local_midnight_utc(dt.date(ny, nm, 1))


def _label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _category_counts(group_id: uuid.UUID, year: int, month: int) -> Counter[str]:
    """Notes per category in a month: the live notes plus what retention rolled up."""
    start, end = month_bounds(year, month)
    session = db.session()
    counts: Counter[str] = Counter(
        dict(
            session.execute(
                select(Note.category, func.count())
                .where(Note.group_id == group_id, Note.observed_at >= start, Note.observed_at < end)
                .group_by(Note.category)
            ).all()
        )
    )
    for category, n in session.execute(
        select(NoteMonthCount.category, func.sum(NoteMonthCount.count))
        .where(NoteMonthCount.group_id == group_id, NoteMonthCount.month == _label(year, month))
        .group_by(NoteMonthCount.category)
    ):
        counts[category] += int(n)
    return counts


def _street_of(text: str) -> str:
    """'Kapelstraat 12a' and 'kapelstraat' are one place; house numbers never show."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w and not re.search(r"\d", w)]
    return " ".join(words).title()


def _places(notes: list[tuple[str | None, float | None, float | None]]) -> dict[str, Any]:
    """Streets (or map cells of about 250 m) with at least three notes; the rest only as a number."""
    places: Counter[str] = Counter()
    for street, lat, lon in notes:
        if street and _street_of(street):
            places[_street_of(street)] += 1
        elif lat is not None and lon is not None:
            cell_lat = round(round(lat / CELL_DEGREES) * CELL_DEGREES, 4)
            cell_lon = round(round(lon / CELL_DEGREES) * CELL_DEGREES, 4)
            places[f"{cell_lat:.4f}, {cell_lon:.4f}"] += 1
    shown = [{"place": p, "count": n} for p, n in places.most_common() if n >= MIN_NOTES_PER_PLACE]
    hidden = sum(n for n in places.values() if n < MIN_NOTES_PER_PLACE)
    return {"places": shown, "elsewhere": hidden}


def build(group: Group, year: int, month: int) -> dict[str, Any]:
    session = db.session()
    start, end = month_bounds(year, month)

    patrols = session.scalars(
        select(Patrol).where(Patrol.group_id == group.id, Patrol.starts_at >= start, Patrol.starts_at < end)
    ).all()
    by_id = {p.id: p for p in patrols}
    walked: set[uuid.UUID] = set()
    volunteers: set[uuid.UUID] = set()
    hours = 0.0
    for signup in session.scalars(
        select(PatrolSignup).where(PatrolSignup.patrol_id.in_(by_id), PatrolSignup.checked_in_at.is_not(None))
    ):
        patrol = by_id[signup.patrol_id]
        finish = signup.checked_out_at or patrol.completed_at or patrol.ends_at
        assert signup.checked_in_at is not None
        hours += max((finish - signup.checked_in_at).total_seconds(), 0) / 3600
        walked.add(patrol.id)
        volunteers.add(signup.person_id)

    this = _category_counts(group.id, year, month)
    previous = _category_counts(group.id, *_shift(year, month, -1))
    last_year = _category_counts(group.id, year - 1, month)
    categories = sorted(set(this) | set(previous) | set(last_year), key=lambda c: (-this[c], c))

    in_month = (Note.group_id == group.id, Note.observed_at >= start, Note.observed_at < end)
    located = session.execute(select(Note.street, Note.lat, Note.lon).where(*in_month)).all()
    statuses = Counter(
        {
            str(status): n
            for status, n in session.execute(select(Note.status, func.count()).where(*in_month).group_by(Note.status))
        }
    )
    reached_group = select(AlertArea.alert_id).where(AlertArea.area_id == group.area_id)
    alerts = session.scalars(
        select(Alert)
        .where(Alert.id.in_(reached_group), Alert.created_at >= start, Alert.created_at < end)
        .order_by(Alert.created_at)
    ).all()
    chosen = list(session.scalars(select(GroupCategory.category).where(GroupCategory.group_id == group.id)))
    area = session.get_one(Area, group.area_id)
    return {
        "group": {"id": group.id, "name": group.name, "area": area.name},
        "month": _label(year, month),
        "patrols": {
            "planned": len(patrols),
            "walked": len(walked),
            "cancelled": sum(1 for p in patrols if p.status == PatrolStatus.CANCELLED),
            "hours": round(hours, 1),
            "active_volunteers": len(volunteers),
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
        "where": _places(list(located)),
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


def summary_for(viewer: Person, group_id: uuid.UUID, month: str) -> dict[str, Any]:
    group, _ = access.group_for(viewer, group_id, READERS)
    return build(group, *parse_month(month))


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
