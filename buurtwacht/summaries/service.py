"""The monthly summary (maandoverzicht) of a group: numbers only, never names, never a lone address.

"We do what we say and say what we do": patrols planned, walked and cancelled, volunteer hours,
notes per category against last month and the same month last year, where things happened
(only places with at least three notes), follow-up, alerts and the group's own priorities.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import gc
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Float, Integer, and_, case, false, func, literal, null, or_, select, text, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
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


class month_number(GenericFunction[int]):  # lower case: written like the SQL function it stands for
    """SQL: given a moment and the starts of consecutive months (and the end of the last), which month
    the moment falls in: 1 for the first, 2 for the second, and so on."""

    type = Integer()
    inherit_cache = True


@compiles(month_number, "postgresql")
def _month_number_postgresql(element: month_number, compiler: Any, **kw: Any) -> str:
    moment, *starts = (compiler.process(c, **kw) for c in element.clauses)
    return f"width_bucket({moment}, CAST(ARRAY[{', '.join(starts)}] AS TIMESTAMP WITH TIME ZONE[]))"


@compiles(month_number, "sqlite")
def _month_number_sqlite(element: month_number, compiler: Any, **kw: Any) -> str:
    moment, *starts = (compiler.process(c, **kw) for c in element.clauses)
    whens = " ".join(f"WHEN {moment} < {start} THEN {n}" for n, start in enumerate(starts[1:], start=1))
    return f"(CASE {whens} ELSE {len(starts)} END)"


class pairs_of(GenericFunction[Any]):  # lower case: written like the SQL function it stands for
    """SQL aggregate: the group's (text, number) pairs as JSON, one array of the texts and one of the
    numbers in the same order (cheaper for PostgreSQL than a two-element array per pair)."""

    type = JSON()
    inherit_cache = True


@compiles(pairs_of, "postgresql")
def _pairs_of_postgresql(element: pairs_of, compiler: Any, **kw: Any) -> str:
    key, number = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_build_array(array_agg({key}), array_agg({number}))"


@compiles(pairs_of, "sqlite")
def _pairs_of_sqlite(element: pairs_of, compiler: Any, **kw: Any) -> str:
    key, number = (compiler.process(c, **kw) for c in element.clauses)
    return f"json_array(json_group_array({key}), json_group_array({number}))"


READERS = frozenset({Relation.COORDINATOR, Relation.OFFICER, Relation.ADMIN})

Month = tuple[int, int]  # (year, month)


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


@dataclass(frozen=True)
class _Timeline:
    """Consecutive months as the moments (UTC) they start at, so a statement can say which month a row is in."""

    months: list[Month]
    starts: list[dt.datetime]  # one more than months: the last is the end of the last month

    @classmethod
    def over(cls, months: set[Month]) -> _Timeline:
        first, last = min(months), max(months)
        span = [shift_month(*first, i) for i in range((last[0] - first[0]) * 12 + last[1] - first[1] + 1)]
        starts = [month_bounds(*m)[0] for m in span] + [month_bounds(*last)[1]]
        return cls(span, starts)

    def number(self, moment: Any) -> ColumnElement[int]:
        """SQL: the row's month, as a number for `month`."""
        return month_number(moment, *(literal(start, UTCDateTime) for start in self.starts))

    def month(self, number: int) -> Month:
        return self.months[number - 1]

    def month_of(self, moment: dt.datetime) -> Month:
        return self.months[bisect.bisect_right(self.starts, moment) - 1]

    def ranges(self, months: set[Month]) -> list[tuple[dt.datetime, dt.datetime]]:
        """These months as [start, end) ranges, consecutive months as one."""
        found: list[list[int]] = []
        for i in sorted(self.months.index(m) for m in months):
            if found and found[-1][1] == i:
                found[-1][1] = i + 1
            else:
                found.append([i, i + 1])
        return [(self.starts[a], self.starts[b]) for a, b in found]

    def within(self, moment: Any, months: set[Month]) -> ColumnElement[bool]:
        """SQL: the moment falls in one of these months."""
        return or_(false(), *(and_(moment >= a, moment < b) for a, b in self.ranges(months)))


@dataclass
class _NoteFigures:
    """Per group and month: notes per category and per status, and the places shown (with the rest's sum)."""

    categories: dict[tuple[uuid.UUID, Month], Counter[str]] = field(default_factory=dict)
    statuses: dict[tuple[uuid.UUID, Month], Counter[str]] = field(default_factory=dict)
    located: dict[tuple[uuid.UUID, Month], list[tuple[str, int]]] = field(default_factory=dict)
    elsewhere: dict[tuple[uuid.UUID, Month], int] = field(default_factory=dict)


def _note_figures(
    group_ids: list[uuid.UUID], timeline: _Timeline, compared: set[Month], targets: set[Month]
) -> _NoteFigures:
    """The notes' numbers: counts for every month compared (plus what retention rolled up), places for
    the months summarised, all from one pass over the notes.

    The notes are first counted per group, month, category, status and place (a few rows per place a
    month); the counts per category and status, and each group's places for a month, are taken from
    those. Places with fewer than three notes are only summed: the summary never names them.
    (A statement per figure read the notes once for each: a year of 100 groups, a million notes, cost
    two full passes, about 250 + 260 ms, against about 400 ms for this one. GROUPING SETS were slower
    still, about 800 ms: PostgreSQL hashed each set over every note.)
    """
    session = db.session()
    found = _NoteFigures()

    # One select per range of months, not one with OR: each is then read from the covering index alone.
    # The months only compared need their categories alone: their status and place are left null, so
    # they are counted in a few groups instead of one per place.
    noted = union_all(
        *(
            select(
                Note.group_id.label("group_id"),
                timeline.number(Note.observed_at).label("month"),
                Note.category.label("category"),
                Note.status.label("status") if summarised else null(),
                Note.place_key.label("place_key") if summarised else null(),
            ).where(Note.group_id.in_(group_ids), Note.observed_at >= start, Note.observed_at < end)
            for summarised, months in ((True, targets), (False, compared - targets))
            for start, end in timeline.ranges(months)
        )
    ).subquery()
    keys = (noted.c.group_id, noted.c.month, noted.c.category, noted.c.status, noted.c.place_key)
    counted = select(*keys, func.count().label("n")).group_by(*keys).cte("counted")
    # One statement, two kinds of row: per group and month its places, as one JSON array of place and
    # count (a place noted under several categories or follow-ups comes more than once); and a category
    # (never null) and status with its count. (A year of 100 groups shows some 49,000 places: fetched a
    # row each they cost about 120 ms more; added up per place in the database, about 25 ms more.)
    for group_id, number, category, status, n, places in session.execute(
        union_all(
            select(
                counted.c.group_id,
                counted.c.month,
                null(),
                null(),
                null(),
                pairs_of(counted.c.place_key, counted.c.n),
            )
            .where(counted.c.place_key.is_not(None))  # only the months summarised have places here
            .group_by(counted.c.group_id, counted.c.month),
            select(
                counted.c.group_id,
                counted.c.month,
                counted.c.category,
                counted.c.status,
                func.sum(counted.c.n),
                null(),
            ).group_by(counted.c.group_id, counted.c.month, counted.c.category, counted.c.status),
        )
    ).all():
        key = (group_id, timeline.month(number))
        if category is not None:
            found.categories.setdefault(key, Counter())[category] += int(n)
            if status is not None:  # null for the months only compared
                found.statuses.setdefault(key, Counter())[str(status)] += int(n)
            continue
        per_place: Counter[str] = Counter()
        for place, count in zip(*places, strict=True):
            per_place[place] += count
        found.located[key] = [(place, count) for place, count in per_place.items() if count >= MIN_NOTES_PER_PLACE]
        found.elsewhere[key] = sum(count for count in per_place.values() if count < MIN_NOTES_PER_PLACE)

    labels = {_label(*m): m for m in compared}
    for group_id, label, category, rolled_status, n in session.execute(
        select(
            NoteMonthCount.group_id,
            NoteMonthCount.month,
            NoteMonthCount.category,
            NoteMonthCount.status,
            NoteMonthCount.count,
        ).where(NoteMonthCount.group_id.in_(group_ids), NoteMonthCount.month.in_(labels))
    ):
        key = (group_id, labels[label])
        found.categories.setdefault(key, Counter())[category] += n
        found.statuses.setdefault(key, Counter())[rolled_status] += n
    return found


def _places(rows: list[tuple[str, int]], elsewhere: int) -> dict[str, Any]:
    """Streets (or map cells of about 250 m) with at least three notes; the rest only as a number."""
    # Most notes first, then by name: two stable sorts, cheaper than one on a (-count, name) key.
    ordered = sorted(rows, key=itemgetter(0))
    ordered.sort(key=itemgetter(1), reverse=True)
    return {"places": [{"place": key, "count": n} for key, n in ordered], "elsewhere": elsewhere}


def build(group: Group, year: int, month: int) -> dict[str, Any]:
    return build_many([group], year, month)[0]


def build_many(groups: list[Group], year: int, month: int) -> list[dict[str, Any]]:
    """The summaries of many groups for a month with a fixed number of queries (each grouped by group)."""
    return build_months(groups, [(year, month)])[(year, month)]


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Building summaries makes tens of thousands of small objects and no reference cycles; the cycle
    collector's full passes over the whole process's objects, which those allocations set off, cost more
    than the work itself (a year of 100 groups: 1.4 of 2.5 s). Plain reference counting still frees
    everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_months(groups: list[Group], months: list[Month]) -> dict[Month, list[dict[str, Any]]]:
    """The summaries of many groups for many months, each month's in the groups' order.

    However many groups and months, a fixed number of statements (each grouped by group and month) plus
    one per month for the forwarding figures: a year costs one pass over the year's notes, not twelve
    over a month's, and a month's comparison with the month before and the same month last year comes
    from the same pass.
    """
    with _cycle_collector_paused():
        return _build_months(groups, months)


def _build_months(groups: list[Group], months: list[Month]) -> dict[Month, list[dict[str, Any]]]:
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        # A year of a hundred groups' places and check-ins is grouped in a few MB more than the default
        # work_mem (4 MB): without this the groupings spill to disk. For this transaction only.
        session.execute(text("SET LOCAL work_mem = '32MB'"))
        # The notes' statement of a year is costed high enough to be compiled (JIT) first; compiling took
        # 25-30 ms and the compiled statement ran no faster. For this transaction only.
        session.execute(text("SET LOCAL jit = off"))
        # psycopg prepares a statement on its sixth run on a connection, and from the eleventh PostgreSQL
        # may plan it once for any values: it then no longer sees the months' bounds and the groups, and
        # a month's or a year's summaries took 1.5-1.7 x as long from then on (measured). For this
        # transaction only: each statement planned for its own values, as on its first runs.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    ids = [g.id for g in groups]
    targets = set(months)
    # Each month is compared with the month before and the same month a year earlier.
    compared = targets | {shift_month(*m, -1) for m in targets} | {shift_month(*m, -12) for m in targets}
    timeline = _Timeline.over(compared)

    # Patrols and hours are added up by the database: a month of a hundred groups is thousands of
    # check-ins, and fetching them row by row cost more than all the queries together.
    planned: dict[tuple[uuid.UUID, Month], tuple[int, int]] = {}
    patrols = (
        select(
            Patrol.group_id.label("group_id"),
            timeline.number(Patrol.starts_at).label("month"),
            case((Patrol.status == PatrolStatus.CANCELLED, 1), else_=0).label("cancelled"),
        )
        .where(Patrol.group_id.in_(ids), timeline.within(Patrol.starts_at, targets))
        .subquery()
    )
    for group_id, number, count, cancelled in session.execute(
        select(
            patrols.c.group_id, patrols.c.month, func.count(), func.coalesce(func.sum(patrols.c.cancelled), 0)
        ).group_by(patrols.c.group_id, patrols.c.month)
    ):
        planned[(group_id, timeline.month(number))] = (count, int(cancelled))
    # The rule of patrols.stats._hours: until check-out, else the patrol's close, else its planned
    # end, but never past now (a round still on the street counts what was walked so far).
    now = db.utcnow()
    planned_end = case((Patrol.ends_at > now, literal(now, UTCDateTime)), else_=Patrol.ends_at)
    finish = func.coalesce(PatrolSignup.checked_out_at, Patrol.completed_at, planned_end)
    seconds = seconds_between(finish, PatrolSignup.checked_in_at)
    check_ins = (
        select(
            Patrol.group_id.label("group_id"),
            timeline.number(Patrol.starts_at).label("month"),
            PatrolSignup.patrol_id.label("patrol_id"),
            PatrolSignup.person_id.label("person_id"),
            case((seconds > 0, seconds), else_=0).label("seconds"),
        )
        .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
        .where(
            Patrol.group_id.in_(ids),
            timeline.within(Patrol.starts_at, targets),
            PatrolSignup.checked_in_at.is_not(None),
        )
        .cte("check_ins")
    )
    # Hours, patrols walked and volunteers each grouped on their own, so each is hashed: counting distinct
    # patrols and people beside the sum made PostgreSQL sort every check-in.
    patrols_walked = select(check_ins.c.group_id, check_ins.c.month, check_ins.c.patrol_id).distinct().subquery()
    volunteers = select(check_ins.c.group_id, check_ins.c.month, check_ins.c.person_id).distinct().subquery()
    walked: dict[tuple[uuid.UUID, Month], tuple[int, float, int]] = {}
    for group_id, number, figure, value in session.execute(
        union_all(  # figure 0: patrols walked, 1: seconds, 2: volunteers
            select(patrols_walked.c.group_id, patrols_walked.c.month, literal(0), func.count()).group_by(
                patrols_walked.c.group_id, patrols_walked.c.month
            ),
            select(check_ins.c.group_id, check_ins.c.month, literal(1), func.sum(check_ins.c.seconds)).group_by(
                check_ins.c.group_id, check_ins.c.month
            ),
            select(volunteers.c.group_id, volunteers.c.month, literal(2), func.count()).group_by(
                volunteers.c.group_id, volunteers.c.month
            ),
        )
    ):
        key = (group_id, timeline.month(number))
        patrols_walked_n, hours, active = walked.get(key, (0, 0.0, 0))
        if figure == 0:
            patrols_walked_n = int(value)
        elif figure == 1:
            hours = float(value or 0) / 3600
        else:
            active = int(value)
        walked[key] = (patrols_walked_n, hours, active)

    notes = _note_figures(ids, timeline, compared, targets)
    forwarding = {m: figures.of_groups(ids, *month_bounds(*m)) for m in targets}  # the admin's figures, the same way

    areas = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_({g.area_id for g in groups})))}
    alerts_by_area: dict[tuple[int, Month], list[Alert]] = {}
    for area_id, alert in session.execute(
        select(AlertArea.area_id, Alert)
        .join(Alert, Alert.id == AlertArea.alert_id)
        .where(AlertArea.area_id.in_(areas), timeline.within(Alert.created_at, targets))
        .order_by(Alert.created_at)
    ):
        alerts_by_area.setdefault((area_id, timeline.month_of(alert.created_at)), []).append(alert)
    chosen: dict[uuid.UUID, list[str]] = {g: [] for g in ids}
    for group_id, category in session.execute(
        select(GroupCategory.group_id, GroupCategory.category).where(GroupCategory.group_id.in_(ids))
    ):
        chosen[group_id].append(category)
    order = {code: i for i, code in enumerate(CATEGORIES)}
    for picked in chosen.values():
        picked.sort(key=lambda code: order.get(code, len(order)))  # the catalogue's order, every month the same

    empty: Counter[str] = Counter()
    return {
        m: [
            _summary(
                group,
                areas[group.area_id],
                *m,
                planned.get((group.id, m), (0, 0)),
                walked.get((group.id, m), (0, 0.0, 0)),
                notes.categories.get((group.id, m), empty),
                notes.categories.get((group.id, shift_month(*m, -1)), empty),
                notes.categories.get((group.id, shift_month(*m, -12)), empty),
                notes.located.get((group.id, m), []),
                notes.elsewhere.get((group.id, m), 0),
                notes.statuses.get((group.id, m), empty),
                alerts_by_area.get((group.area_id, m), []),
                chosen[group.id],
            )
            | {"forwarding": forwarding[m][group.id]}
            for group in groups
        ]
        for m in months
    }


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
