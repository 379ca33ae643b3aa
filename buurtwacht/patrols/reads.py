"""The patrol reads from Core rows: the roster, my upcoming patrols and a patrol with its team.

A page is one statement: the columns the answer shows, the team counts and the reader's own place
as subqueries of the page's rows, and the total for the pagination header as `count(*) OVER ()`.
The rows are written straight into the dicts PatrolSummarySchema and PatrolDetailSchema would dump
(same keys, order and formats: local ISO times with their offset, enum values, UUID strings) and
returned as `Dumped`, which the schema passes through. service.py keeps the ORM versions these
replaced (group_patrols, my_upcoming, detail); tests/test_same_answers.py and
tests/patrols/test_fast_reads.py hold these to their bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import ColumnElement, FromClause, Integer, String, bindparam, func, literal, select, true, type_coerce

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.api import Dumped
from buurtwacht.errors import NotFound
from buurtwacht.localtime import local_zone
from buurtwacht.messages import text
from buurtwacht.models import Group, Patrol, PatrolSignup, PatrolStatus, Person, SignupStatus
from buurtwacht.models.patrol import HOLDING_A_PLACE
from buurtwacht.pagination import MAX_OFFSET

_patrol = Patrol.__table__
_signup = PatrolSignup.__table__
_group = Group.__table__
_person = Person.__table__

PLANNED = PatrolStatus.PLANNED.value
CONFIRMED = SignupStatus.CONFIRMED.value


def _raw(column: Any, name: str | None = None) -> Any:
    """An enum column read as the string it stores: the value the schema's by-value Enum field writes."""
    return type_coerce(column, String).label(name or column.key)


def _one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (...)` of fixed values, each its own parameter: the statement's text is the same for every
    request (an expanding IN is written out per request), so it is compiled once (db.fetch_all)."""
    return column.in_([literal(value, column.type) for value in values])  # type: ignore[no-any-return]


# What PatrolSchema shows, in its order, and cancel_reason_key (for the reason in the reader's language).
def _shown(patrol: Any) -> tuple[Any, ...]:
    """Those columns of `patrol` (the table, or a subquery of its rows)."""
    c = patrol.c
    return (
        c.id, c.group_id, c.schedule_id, c.starts_at, c.ends_at, c.meeting_point, c.route, c.area_id, c.min_team,
        c.max_team, c.briefing, _raw(c.status, "status"), c.cancel_reason, c.cancel_reason_key, c.started_at,
        c.completed_at,
    )  # fmt: skip


_SHOWN = _shown(_patrol)


def _counted(patrol_id: Any, status: SignupStatus) -> Any:
    return (
        select(func.count())
        .select_from(_signup)
        .where(_signup.c.patrol_id == patrol_id, _signup.c.status == status)
        .scalar_subquery()
    )


def _confirmed_of_patrol() -> Any:
    """People on the team of the patrol in the outer query (for the open and short filters)."""
    return (
        select(func.count())
        .select_from(_signup)
        .where(_signup.c.patrol_id == _patrol.c.id, _signup.c.status == SignupStatus.CONFIRMED)
        .correlate(_patrol)
        .scalar_subquery()
    )


def _summary(
    row: Any, confirmed: int, waitlisted: int, mine: str | None, group_name: str, locale: str, zone: dt.tzinfo
) -> dict[str, Any]:
    """A patrol's row (the _SHOWN columns first) and its counts as PatrolSummarySchema dumps them."""
    # Unpacked, not read by name: 0.25 ms against 0.6 ms for a page of 50.
    (
        patrol_id, group_id, schedule_id, starts_at, ends_at, meeting_point, route, area_id, min_team, max_team,
        briefing, status, cancel_reason, cancel_reason_key, started_at, completed_at, *_,
    ) = row  # fmt: skip
    return {
        "patrol": {
            "id": patrol_id,  # ids as UUIDs and moments as datetimes: orjson writes them as the schema (Dumped)
            "group_id": group_id,
            "schedule_id": schedule_id,
            "starts_at": starts_at.astimezone(zone),
            "ends_at": ends_at.astimezone(zone),
            "meeting_point": meeting_point,
            "route": route,
            "area_id": area_id,
            "min_team": min_team,
            "max_team": max_team,
            "briefing": briefing,
            "status": status,
            "cancel_reason": cancel_reason if cancel_reason_key is None else text(cancel_reason_key, locale),
            "started_at": None if started_at is None else started_at.astimezone(zone),
            "completed_at": None if completed_at is None else completed_at.astimezone(zone),
        },
        "group_name": group_name,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
        "places_left": max(max_team - confirmed, 0),
        "short_of_minimum": status == PLANNED and confirmed < min_team,
        "my_status": mine,
    }


class _Listing:
    """The statements of one kind of list: a page of patrols, soonest first, with their counts and the
    total (`count(*) OVER ()`), and the count alone for a page past the end. Built once; the values
    are bound per request."""

    def __init__(
        self,
        source: FromClause,
        conditions: list[ColumnElement[bool]],
        shown: tuple[Any, ...],
        dialect: str,
        counted_apart: bool = False,
        patrol: Any = _patrol,
        narrow: bool = False,
    ) -> None:
        """`shown`: _shown(patrol), and `mine` (the reader's sign-up status) where the source has it already;
        `patrol`: the patrols' rows in `source` (the table, or a subquery of it). `narrow` (PostgreSQL): the
        page is chosen from `patrol`'s id and start and the rest of `shown` (columns of the source beside the
        patrol's, as `mine`), and only its rows are then read whole by key, with their group's name."""
        self.count = select(func.count()).select_from(source).where(*conditions)
        # The total: for one table read in index order (the roster), its own count, since `count(*) OVER ()`
        # reads every matching round (a group's whole history) where the count reads the index alone and the
        # page only its rows; for a join sorted as a whole (the reader's rounds), the window, which reads
        # those rows once.
        total = self.count.scalar_subquery() if counted_apart else func.count().over()
        chosen = (patrol.c.id, patrol.c.starts_at, *shown) if narrow else shown
        found = (
            select(*chosen, total.label("total"))
            .select_from(source)
            .where(*conditions)
            .order_by(patrol.c.starts_at, patrol.c.id)
            .offset(bindparam("first", type_=Integer))
            .limit(bindparam("size", type_=Integer))
            .subquery("page")
        )
        if dialect != "postgresql":  # SQLite has no LATERAL: a subquery per count
            mine = (
                ()
                if "mine" in found.c
                # The reader's sign-up status, whatever it is (withdrawn too), or null.
                else (
                    select(type_coerce(_signup.c.status, String))
                    .where(_signup.c.patrol_id == found.c.id, _signup.c.person_id == bindparam("viewer"))
                    .scalar_subquery()
                    .label("mine"),
                )
            )
            self.page = select(
                found,
                _counted(found.c.id, SignupStatus.CONFIRMED).label("confirmed"),
                _counted(found.c.id, SignupStatus.WAITLISTED).label("waitlisted"),
                *mine,
            ).order_by(found.c.starts_at, found.c.id)
            return
        # Both counts, and the reader's own sign-up status (whatever it is, withdrawn too, or null) where the source
        # has it not already, from one read of each patrol's sign-ups by the index on the patrol (a page of the
        # roster 0.33 -> 0.24 ms in the database, of the reader's patrols 0.55 -> 0.44 ms, against a subquery each).
        mine = () if "mine" in found.c else (func.max(type_coerce(_signup.c.status, String)).filter(
            _signup.c.person_id == bindparam("viewer")
        ).label("mine"),)  # fmt: skip
        counts = (
            select(
                func.count().filter(_signup.c.status == SignupStatus.CONFIRMED).label("confirmed"),
                func.count().filter(_signup.c.status == SignupStatus.WAITLISTED).label("waitlisted"),
                *mine,
            )
            .where(_signup.c.patrol_id == found.c.id)
            .lateral("counts")
        )
        counted = (counts.c.confirmed, counts.c.waitlisted, *((counts.c.mine,) if mine else ()))
        if narrow:
            # The reader's places at 10x data: 1,000 rows of a few bytes sorted for a page, against 1,000 whole
            # patrols with their group (a page's statement 14.9 -> 5.5 ms). The page's patrols are then read
            # by key, each in a subquery the planner may not flatten (OFFSET 0): it would hash every patrol to
            # join fifty.
            whole = select(*_SHOWN, _patrol.c.group_id.label("of_group")).where(_patrol.c.id == found.c.id)
            patrol_row = whole.offset(0).lateral("whole")
            group_name = select(_group.c.name).where(_group.c.id == patrol_row.c.of_group).scalar_subquery()
            carried = [found.c[column.name] for column in shown]
            self.page = (
                select(
                    *[patrol_row.c[column.name] for column in _SHOWN],
                    group_name.label("group_name"),
                    *carried,
                    found.c.total,
                    *counted,
                )
                .select_from(found.join(patrol_row, true()).join(counts, true()))
                .order_by(found.c.starts_at, found.c.id)
            )
            return
        self.page = (
            select(found, *counted).select_from(found.join(counts, true())).order_by(found.c.starts_at, found.c.id)
        )

    def rows(self, values: dict[str, Any], page: PaginationParameters) -> Sequence[Any]:
        """One page, and the total in `page.item_count`; as buurtwacht.pagination.paginate, a page past
        the end counts the matching rows on its own."""
        rows: Sequence[Any] = ()
        if page.first_item < MAX_OFFSET:
            rows = db.fetch_all(self.page, {**values, "first": page.first_item, "size": page.page_size})
            if rows or page.first_item == 0:
                page.item_count = rows[0].total if rows else 0
                return rows
        page.item_count = db.connection().execute(self.count, values).scalar() or 0
        return rows


_ROSTER_FILTERS = ("from", "to", "status", "open", "short")
_FLAGS = ("open", "short")


@functools.cache
def _roster(filters: tuple[str, ...], dialect: str) -> _Listing:
    """The roster's statements for the filters given (those of _ROSTER_FILTERS that are set)."""
    conditions: list[ColumnElement[bool]] = [_patrol.c.group_id == bindparam("group_id")]
    if "from" in filters:
        conditions.append(_patrol.c.ends_at > bindparam("from"))
    if "to" in filters:
        conditions.append(_patrol.c.starts_at < bindparam("to"))
    if "status" in filters:
        conditions.append(_patrol.c.status == bindparam("status"))
    if "open" in filters:
        holding_me = select(_signup.c.patrol_id).where(
            _signup.c.person_id == bindparam("viewer"), _one_of(_signup.c.status, HOLDING_A_PLACE)
        )
        conditions += [
            _patrol.c.status == PatrolStatus.PLANNED,
            _patrol.c.starts_at > bindparam("now"),
            _patrol.c.starts_at <= bindparam("opens_until"),
            _confirmed_of_patrol() < _patrol.c.max_team,
            _patrol.c.id.not_in(holding_me),
        ]
    if "short" in filters:
        conditions += [
            _patrol.c.status == PatrolStatus.PLANNED,
            _patrol.c.starts_at > bindparam("now"),
            _confirmed_of_patrol() < _patrol.c.min_team,
        ]
    return _Listing(_patrol, conditions, _SHOWN, dialect, counted_apart=True)


def group_patrols(
    viewer: Person, group_id: uuid.UUID, filters: dict[str, Any], page: PaginationParameters
) -> list[dict[str, Any]]:
    """A group's patrols (the roster), filtered; as service.group_patrols answered."""
    group, _ = access.group_for(viewer, group_id, access.MEMBERS_AND_OFFICERS)
    db.read_only()
    now = db.utcnow()
    # A period and a status filter when given; open and short when true.
    given = tuple(name for name in _ROSTER_FILTERS if (filters.get(name) if name in _FLAGS else name in filters))
    values = {"group_id": group.id, "viewer": viewer.id, "now": now}
    values.update((name, filters[name]) for name in ("from", "to", "status") if name in filters)
    if "open" in given:
        values["opens_until"] = now + dt.timedelta(days=group.signup_opens_days)
    rows = _roster(given, db.database().engine.dialect.name).rows(values, page)
    name, locale, zone = group.name, viewer.locale, local_zone()
    return Dumped(_summary(row, row.confirmed, row.waitlisted, row.mine, name, locale, zone) for row in rows)


@functools.cache
def _my_upcoming(dialect: str) -> _Listing:
    """The reader's places first (an index on person and status), then each one's patrol by its key.

    On PostgreSQL the patrols are a subquery per place that the planner may not flatten (OFFSET 0), or it
    would hash every upcoming patrol of the municipality to join a person's hundred places (0.63 ms against
    0.47 ms for a page here, and growing with all patrols); the page is chosen from each place's start alone
    and only its 50 patrols are read whole (`narrow`). SQLite has no LATERAL: a plain join there.
    """
    places = [_signup.c.person_id == bindparam("viewer"), _one_of(_signup.c.status, HOLDING_A_PLACE)]
    patrols = [
        _one_of(_patrol.c.status, (PatrolStatus.PLANNED, PatrolStatus.RUNNING)),
        _patrol.c.ends_at > bindparam("now"),
    ]
    # The reader's sign-up is the one joined: their place is its status.
    mine = _raw(_signup.c.status, "mine")
    if dialect == "postgresql":
        upcoming = (
            select(_patrol.c.id, _patrol.c.starts_at)
            .where(_patrol.c.id == _signup.c.patrol_id, *patrols)
            .offset(0)
            .lateral("upcoming")
        )
        return _Listing(_signup.join(upcoming, true()), places, (mine,), dialect, patrol=upcoming, narrow=True)
    source = _signup.join(_patrol, _patrol.c.id == _signup.c.patrol_id).join(_group, _group.c.id == _patrol.c.group_id)
    return _Listing(source, places + patrols, (*_SHOWN, _group.c.name.label("group_name"), mine), dialect)


def my_upcoming(viewer: Person, page: PaginationParameters) -> list[dict[str, Any]]:
    """The reader's upcoming patrols, on the team or the waiting list; as service.my_upcoming answered."""
    db.read_only()
    rows = _my_upcoming(db.database().engine.dialect.name).rows({"viewer": viewer.id, "now": db.utcnow()}, page)
    locale, zone = viewer.locale, local_zone()
    return Dumped(_summary(row, row.confirmed, row.waitlisted, row.mine, row.group_name, locale, zone) for row in rows)


_holders = (
    select(
        _signup.c.patrol_id,
        _signup.c.person_id,
        _signup.c.status,
        _signup.c.queued_at,
        _signup.c.id,
        _signup.c.checked_in_at,
        _signup.c.checked_out_at,
        _signup.c.no_show,
        _person.c.display_name,
    )
    .join(_person, _person.c.id == _signup.c.person_id)
    .where(_one_of(_signup.c.status, HOLDING_A_PLACE))
    .subquery("team")
)
# A patrol with the reader's place on it and one row per person on its team or waiting list (team
# first, then the waiting list in order); one row of nulls beside a patrol nobody holds a place on.
_DETAIL = (
    select(
        *_SHOWN,
        select(type_coerce(_signup.c.status, String))
        .where(_signup.c.patrol_id == _patrol.c.id, _signup.c.person_id == bindparam("viewer"))
        .correlate(_patrol)
        .scalar_subquery()
        .label("mine"),
        _holders.c.person_id,
        _raw(_holders.c.status, "place"),
        _holders.c.checked_in_at,
        _holders.c.checked_out_at,
        _holders.c.no_show,
        _holders.c.display_name,
    )
    .select_from(_patrol.outerjoin(_holders, _holders.c.patrol_id == _patrol.c.id))
    .where(_patrol.c.id == bindparam("patrol_id"))
    .order_by(_holders.c.status, _holders.c.queued_at, _holders.c.id)
)

# Person.short_name of a name alone (the property reads nothing else of the person).
_short_name: Callable[[Any], str] = Person.__dict__["short_name"].fget


class _Named:
    """What Person.short_name reads of a person."""

    __slots__ = ("display_name",)

    def __init__(self, display_name: str) -> None:
        self.display_name = display_name


def detail(viewer: Person, patrol_id: uuid.UUID) -> Any:
    """A patrol with its team and waiting list; as service.detail answered."""
    db.read_only()
    rows = db.fetch_all(_DETAIL, {"patrol_id": patrol_id, "viewer": viewer.id})
    if not rows:
        raise NotFound("patrol")
    patrol = rows[0]
    group, relations = access.group_for(viewer, patrol.group_id, access.MEMBERS_AND_OFFICERS, what="patrol")
    # Coordinators see full names, everyone their own; the others first name and initial.
    full, zone = Relation.COORDINATOR in relations, local_zone()
    team = []
    confirmed = waitlisted = 0
    for row in rows:
        if row.person_id is None:
            continue
        if row.place == CONFIRMED:
            confirmed += 1
        else:
            waitlisted += 1
        checked_in_at, checked_out_at = row.checked_in_at, row.checked_out_at
        team.append(
            {
                "person_id": row.person_id,
                "name": row.display_name
                if full or row.person_id == viewer.id
                else _short_name(_Named(row.display_name)),
                "status": row.place,
                "checked_in_at": None if checked_in_at is None else checked_in_at.astimezone(zone),
                "checked_out_at": None if checked_out_at is None else checked_out_at.astimezone(zone),
                "no_show": row.no_show,
            }
        )
    answer = _summary(patrol, confirmed, waitlisted, patrol.mine, group.name, viewer.locale, zone)
    answer["team"] = team
    return Dumped.one(answer)
