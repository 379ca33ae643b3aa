"""GET /alerts and GET /alerts/{id} from Core rows: one statement an answer, who may see what folded into it.

The answers are those of service.list_alerts and service.detail dumped by AlertViewSchema, byte for
byte (tests/test_same_answers.py, tests/alerts/test_reads_same_answers.py); they are built here as
the schema would dump them, without an ORM object or a schema per row. The rules are service's:
an alert is seen by its issuer, by the people in its areas (their active groups' and subscriptions'
areas, audience.reach_of), by whoever it was sent to, and by the wijkagent of its areas or of an
area above them; the issuer and that wijkagent steer it and see its numbers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    Uuid,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from buurtwacht import db
from buurtwacht.alerts.service import KEPT_COUNT
from buurtwacht.api import Dumped
from buurtwacht.errors import NotFound
from buurtwacht.jsonrows import as_text, children, moment, on_postgresql, rows
from buurtwacht.localtime import local_zone
from buurtwacht.models import (
    Alert,
    AlertArea,
    AlertEvent,
    AlertKind,
    AlertRecipient,
    AlertResponder,
    AlertStatus,
    AlertTip,
    Area,
    AreaSubscription,
    Group,
    Membership,
    MembershipStatus,
    OfficerAssignment,
)
from buurtwacht.pagination import MAX_OFFSET

NEWEST_FIRST = (Alert.created_at.desc(), Alert.id)
VIEW_WIDTH = 22  # the columns of _view_columns
READER = bindparam("reader", type_=Uuid())


def _served() -> CTE:
    """The areas the reader serves as wijkagent and every area below them (service._served_areas).

    The tree of areas is three deep at most (models.area.PARENT_KINDS: gemeente, gebied, wijk or dorp;
    tests/alerts/test_reads_scale.py holds it to that), so the areas below are their children and
    grandchildren: two joins. A recursive query was estimated at hundreds of areas for a reader who
    serves none, and the planner then read every alert's areas to hash them (at 10x data: 22,000 rows).
    """
    child, parent = aliased(Area), aliased(Area)
    return union(
        select(OfficerAssignment.area_id).where(OfficerAssignment.person_id == READER),
        select(child.id)
        .join(OfficerAssignment, child.parent_id == OfficerAssignment.area_id)
        .where(OfficerAssignment.person_id == READER),
        select(child.id)
        .join(parent, child.parent_id == parent.id)
        .join(OfficerAssignment, parent.parent_id == OfficerAssignment.area_id)
        .where(OfficerAssignment.person_id == READER),
    ).cte("served_areas")


def _my_areas(served: CTE) -> Any:
    """The areas whose alerts the reader sees: their groups', those they follow, those they serve."""
    return union(
        select(Group.area_id)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.person_id == READER, Membership.status == MembershipStatus.ACTIVE),
        select(AreaSubscription.area_id).where(AreaSubscription.person_id == READER),
        select(served.c.area_id),
    )


def _seen(served: CTE) -> ColumnElement[bool]:
    """Whether the reader sees the alert (one alert): issued it, is in its areas or serves them, or was sent it."""
    return or_(
        Alert.issuer_id == READER,
        exists().where(AlertArea.alert_id == Alert.id, AlertArea.area_id.in_(_my_areas(served))),
        exists().where(AlertRecipient.alert_id == Alert.id, AlertRecipient.person_id == READER),
    )


def _seen_ids(served: CTE) -> ColumnElement[bool]:
    """_seen for a list: the alerts among the ids the reader sees, gathered from each way of seeing one (so
    their areas' alerts come by the index on the area, not by testing every alert).

    On PostgreSQL each of the reader's areas fetches its alerts by that index, in a subquery per area that the
    planner may not flatten (OFFSET 0): it estimated a dozen areas where a reader has one or two, and hashed them
    against every alert's areas instead (a scan of all of alert_areas per request, 2,200 rows at 1x data). The
    ways are joined by UNION ALL: IN keeps an alert once however often it comes, and a UNION sorted out its
    repeats first (a page of open alerts 2.56 -> 2.24 ms at 1x data, 4.87 -> 4.43 ms at 10x).
    """
    mine = _my_areas(served).subquery("my_areas")
    if on_postgresql():
        per_area = (
            select(AlertArea.alert_id).where(AlertArea.area_id == mine.c.area_id).offset(0).lateral("area_alerts")
        )
        in_my_areas = select(per_area.c.alert_id).select_from(mine.join(per_area, true()))
    else:
        in_my_areas = select(AlertArea.alert_id).where(AlertArea.area_id.in_(select(mine.c.area_id)))
    return Alert.id.in_(
        union_all(
            select(Alert.id).where(Alert.issuer_id == READER),
            in_my_areas,
            select(AlertRecipient.alert_id).where(AlertRecipient.person_id == READER),
        )
    )


def _number_of(kind: type[AlertResponder | AlertTip], alert: Any) -> ColumnElement[int]:
    """As service.counts_of: the rows' number, or the number the alert kept once retention deleted them."""
    counted = select(func.count()).select_from(kind).where(kind.alert_id == alert.id).scalar_subquery()
    return func.coalesce(getattr(alert, KEPT_COUNT[kind].key), counted)


def _view_columns(served: CTE, alert: Any = Alert) -> list[Any]:
    """Everything AlertViewSchema shows of an alert, for the reader; `alert` is the table or a page of its rows."""
    serves_them: ColumnElement[bool] = exists().where(
        AlertArea.alert_id == alert.id, AlertArea.area_id.in_(select(served.c.area_id))
    )
    if alert is not Alert:
        # A page asks once whether the reader serves any area: for the many who serve none, the test per alert of
        # its areas against the served ones was a tenth of the page's time in the database.
        serves_them = and_(exists(select(served.c.area_id)), serves_them)
    steering = or_(alert.issuer_id == READER, serves_them)
    # Each name by its key: the planner would otherwise scan every area once per alert to hash-join a row or two.
    name = select(Area.name).where(Area.id == AlertArea.area_id).scalar_subquery()
    named = select(AlertArea.area_id, name).where(AlertArea.alert_id == alert.id, AlertArea.named.is_(True))
    updates = select(AlertEvent.text, AlertEvent.at).where(
        AlertEvent.alert_id == alert.id, AlertEvent.kind == "updated"
    )
    looking = exists().where(AlertResponder.alert_id == alert.id, AlertResponder.person_id == READER)
    # The enums as the text they are stored as, which is what the answer shows (no enum object per value).
    return [
        alert.id, as_text(alert.kind), alert.headline, alert.description, alert.instruction, as_text(alert.urgency),
        as_text(alert.severity), as_text(alert.status), as_text(alert.outcome), alert.closing_message,
        alert.created_at, alert.expires_at, alert.closed_at, alert.centre_lat, alert.centre_lon, alert.radius_m,
        children(named, AlertArea.area_id, within=alert).label("areas"),
        children(updates, AlertEvent.id, within=alert).label("updates"),
        looking.label("looking"),
        case((steering, True), else_=False).label("steering"),
        # Counted for every alert and shown only to those who steer it (_view): the test of steering, a subquery
        # over the served areas, is then made once per alert instead of three times.
        _number_of(AlertResponder, alert).label("responders"),
        _number_of(AlertTip, alert).label("tips"),
    ]  # fmt: skip


def _one_alert() -> Select[Any]:
    served = _served()
    return select(*_view_columns(served)).where(Alert.id == bindparam("alert_id", type_=Uuid()), _seen(served))


def _chosen(served: CTE, status: AlertStatus | None) -> list[ColumnElement[bool]]:
    """The alerts the reader sees, of this status when one is asked for.

    The status is written into the statement (one statement per status, of four): with it bound as a parameter,
    PostgreSQL's plan for any status (a quarter of all alerts) looked costlier than a plan for "open" (a few), so it
    planned the statement anew at every request (about 0.8 ms; a page of open alerts took 2.0 ms, now 1.1 ms).
    """
    chosen = [_seen_ids(served)]
    if status is not None:
        chosen.append(Alert.status == literal_column(f"'{AlertStatus(status).value}'"))  # the enum's own text only
    return chosen


def _page(status: AlertStatus | None) -> Select[Any]:
    """A page of the alerts the reader sees, newest first, with their total (`count(*) over ()`): the page's rows
    first, then only those alerts' areas, updates and numbers. The page carries the alerts' own columns, so they
    are not looked up again (PostgreSQL hashed every alert to join fifty of them back)."""
    served = _served()
    page = (
        select(*Alert.__table__.c, func.count().over().label("total"))
        .where(*_chosen(served, status))
        .order_by(*NEWEST_FIRST)
        .offset(bindparam("offset", type_=Integer()))
        .limit(bindparam("limit", type_=Integer()))
        .subquery("page")
    )
    alert = aliased(Alert, page)
    return select(*_view_columns(served, alert), page.c.total).order_by(alert.created_at.desc(), alert.id)


def _total(status: AlertStatus | None) -> Select[Any]:
    return select(func.count()).select_from(Alert).where(*_chosen(_served(), status))


# Built once per database kind: building a statement of this size costs about a millisecond, and the
# same object then reuses SQLAlchemy's compiled form and PostgreSQL's prepared plan (psycopg prepares it).
_BUILT: dict[tuple[Any, ...], Select[Any]] = {}


def _statement(build: Callable[..., Select[Any]], *args: Any) -> Select[Any]:
    key = (db.database().engine.dialect.name, build.__name__, *args)
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = build(*args)
    return found


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _view(row: Sequence[Any], zone: ZoneInfo) -> dict[str, Any]:
    """One alert as AlertViewSchema dumps it (same keys, same order, same values)."""
    (alert_id, kind, headline, description, instruction, urgency, severity, status, outcome, closing_message,
     created_at, expires_at, closed_at, lat, lon, radius_m, areas, updates, looking, steering, responders,
     tips) = row[:VIEW_WIDTH]  # fmt: skip
    view: dict[str, Any] = {
        "alert": {
            "id": alert_id,  # ids as UUIDs and moments as datetimes: orjson writes them as the schema (Dumped)
            "kind": kind,
            "headline": headline,
            "description": description,
            "instruction": instruction,
            "urgency": urgency,
            "severity": severity,
            "status": status,
            "outcome": outcome,
            "closing_message": closing_message,
            "is_exercise": kind == AlertKind.EXERCISE,
            "created_at": created_at.astimezone(zone),
            "expires_at": expires_at.astimezone(zone),
            "closed_at": None if closed_at is None else closed_at.astimezone(zone),
        },
        "areas": [{"id": area_id, "name": name} for area_id, name in rows(areas)],
        "circle": None if radius_m is None else {"lat": _float(lat), "lon": _float(lon), "radius_m": int(radius_m)},
        "updates": [{"text": text, "at": moment(at).astimezone(zone)} for text, at in rows(updates)],
        "i_am_looking": bool(looking),
        "can_steer": bool(steering),
    }
    if steering:
        view["responders"] = int(responders or 0)
        view["tips"] = int(tips or 0)
    return view


def detail(person: Any, alert_id: uuid.UUID) -> Any:
    """service.detail from one statement: the alert with its areas, updates and numbers, if the person sees it."""
    db.read_only()
    found = db.fetch_all(_statement(_one_alert), {"reader": person.id, "alert_id": alert_id})
    if not found:
        raise NotFound("alert")
    return Dumped.one(_view(found[0], local_zone()))


def list_alerts(person: Any, filters: dict[str, Any], page: PaginationParameters) -> Any:
    """service.list_alerts from one statement: a page of the alerts the person sees, newest first, and their total."""
    db.read_only()
    status = filters.get("status")  # an AlertStatus (the schema loads it), written into the statement by _chosen
    params: dict[str, Any] = {"reader": person.id}
    found: Sequence[Any] = ()
    if page.first_item < MAX_OFFSET:
        sliced = {**params, "offset": page.first_item, "limit": page.page_size}
        found = db.fetch_all(_statement(_page, status), sliced)
    if found:
        page.item_count = found[0].total
    elif page.first_item == 0:
        page.item_count = 0
    else:  # past the last page: counted on its own, as pagination.paginate does
        page.item_count = db.connection().execute(_statement(_total, status), params).scalar_one()
    zone = local_zone()
    return Dumped(_view(row, zone) for row in found)
