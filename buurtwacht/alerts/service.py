"""An alert's life: started by an officer or coordinator, updated, closed with its outcome; tips back.

Every phase writes one Broadcast in the same transaction (the outbox); dispatchers expand and
send it after commit, so the request answers at once whatever the audience.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import uuid
from pathlib import Path
from typing import Any

from flask import current_app
from flask_smorest.pagination import PaginationParameters
from PIL import Image
from sqlalchemy import delete, func, or_, select, update

from buurtwacht import access, db
from buurtwacht.alerts import audience
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from buurtwacht.localtime import local_midnight_utc, to_local
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
    Broadcast,
    Delivery,
    Group,
    Membership,
    MembershipRole,
    MembershipStatus,
    Outcome,
    Person,
)
from buurtwacht.models.alert import ALERT_TRANSITIONS, Urgency
from buurtwacht.notes import photos, wording
from buurtwacht.pagination import paginate

SIMILAR_HEADLINE = 0.6


def _settings() -> Any:
    return current_app.config["BUURTWACHT"]


def _event(alert: Alert, kind: str, actor: Person | None, body: str | None = None) -> dt.datetime:
    """Append to the alert's history; returns the event's moment, for the broadcast that announces it."""
    at = db.utcnow()
    db.session().add(AlertEvent(alert_id=alert.id, kind=kind, text=body, actor_id=actor.id if actor else None, at=at))
    return at


def _broadcast(alert: Alert, phase: str, body: str | None, announcing: dt.datetime) -> None:
    """Queue the push of an event; it carries the event's moment, by which the dispatcher knows who wrote it
    (buurtwacht/push/expand.py: nobody gets a push of their own message)."""
    # Only alerts that cannot wait go through quiet hours; the closing message always does.
    urgent = phase == "closed" or alert.urgency == Urgency.IMMEDIATE
    db.session().add(Broadcast(alert_id=alert.id, phase=phase, body=body, urgent=urgent, created_at=announcing))


def _check_wording(field: str, *texts: str) -> None:
    if wording.rests_on_appearance(" ".join(texts)):
        raise Invalid(
            field,
            "describe behaviour, clothing, direction and vehicle, not origin or appearance alone "
            "(beschrijf gedrag, kleding, richting en vervoer, niet alleen afkomst of uiterlijk)",
        )


def _coordinated_groups(person: Person) -> list[Group]:
    return list(
        db.session().scalars(
            select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.person_id == person.id,
                Membership.role == MembershipRole.COORDINATOR,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )


def _issuing_scope(person: Person, group_id: uuid.UUID | None) -> tuple[set[int], uuid.UUID | None]:
    """The areas this person may alert, and the group they alert for (coordinators)."""
    served = access.officer_area_ids(person)
    if served and group_id is None:
        return audience.descendants(served), None
    groups = _coordinated_groups(person)
    if group_id is not None:
        groups = [g for g in groups if g.id == group_id]
        if not groups:
            raise Forbidden("you coordinate no group with this id")
    if not groups:
        raise Forbidden("only a wijkagent (for their areas) or a coordinator (for their group's area) starts alerts")
    if len(groups) > 1:
        raise Invalid("group_id", "you coordinate several groups: say for which one")
    return audience.descendants({groups[0].area_id}), groups[0].id


def _normalise(headline: str) -> str:
    return re.sub(r"\W+", " ", headline.lower()).strip()


def _duplicate_of(reached: set[int], headline: str, now: dt.datetime) -> Alert | None:
    window = now - dt.timedelta(minutes=_settings().ALERT_DUPLICATE_MINUTES)
    candidates = db.session().scalars(
        select(Alert)
        .join(AlertArea, AlertArea.alert_id == Alert.id)
        .where(Alert.status == AlertStatus.OPEN, Alert.created_at >= window, AlertArea.area_id.in_(reached))
        .distinct()
    )
    wanted = _normalise(headline)
    for alert in candidates:
        if difflib.SequenceMatcher(None, wanted, _normalise(alert.headline)).ratio() >= SIMILAR_HEADLINE:
            return alert
    return None


def _lock_areas(area_ids: set[int]) -> None:
    """Hold the areas' rows until commit, so two like alerts for one area cannot both pass the
    duplicate check (PostgreSQL; SQLite's BEGIN IMMEDIATE already lets one writer in at a time).

    Locked in id order, so two creations over overlapping areas cannot deadlock. FOR NO KEY UPDATE
    still lets other transactions insert rows that refer to these areas (groups, subscriptions).
    """
    db.session().execute(
        select(Area.id).where(Area.id.in_(area_ids)).order_by(Area.id).with_for_update(key_share=True)
    ).all()


def _same_request(alert: Alert, data: dict[str, Any]) -> bool:
    """Whether a create with this alert's id asks for this very alert (a retry), not another one."""
    texts = ("kind", "headline", "description", "instruction", "urgency", "severity")
    if any(key in data and getattr(alert, key) != data[key] for key in texts):
        return False
    if data.get("area_ids"):
        named = db.session().scalars(
            select(AlertArea.area_id).where(AlertArea.alert_id == alert.id, AlertArea.named.is_(True))
        )
        return set(named) == set(data["area_ids"])
    circle = data.get("circle") or {}
    return alert.radius_m == circle.get("radius_m")


def create(issuer: Person, data: dict[str, Any]) -> Alert:
    session = db.session()
    now = db.utcnow()
    if data.get("id") is not None:
        existing = session.get(Alert, data["id"])
        if existing is not None:
            if existing.issuer_id == issuer.id and _same_request(existing, data):
                return existing  # a retry of the same request
            raise Conflict("a different alert exists with this id")
    allowed, group_id = _issuing_scope(issuer, data.get("group_id"))
    if data.get("area_ids"):
        named = set(data["area_ids"])
        known = set(session.scalars(select(Area.id).where(Area.id.in_(named))))
        if named - known:
            raise Invalid("area_ids", f"no area with id {sorted(named - known)[0]}")
    else:
        circle = data["circle"]
        named = audience.areas_in_circle(circle["lat"], circle["lon"], circle["radius_m"])
    if not named <= allowed:
        raise Forbidden("you may only alert the areas you serve (wijkagent) or your group's area (coordinator)")
    _check_wording("description", data["headline"], data["description"])
    # One issuer's alerts are counted one at a time (their person row, held until commit): two requests
    # at the same moment cannot both find room for one more (PostgreSQL; SQLite has one writer anyway).
    session.get(Person, issuer.id, with_for_update={"key_share": True})
    hour_ago = now - dt.timedelta(hours=1)
    recent = session.scalars(
        select(Alert.created_at)
        .where(Alert.issuer_id == issuer.id, Alert.created_at > hour_ago)
        .order_by(Alert.created_at)
    ).all()
    if len(recent) >= _settings().ALERTS_PER_HOUR:
        wait = (recent[0] + dt.timedelta(hours=1) - now).total_seconds()
        raise TooMany(f"at most {_settings().ALERTS_PER_HOUR} alerts an hour; try again later", int(wait) + 1)
    reached = audience.descendants(named)
    _lock_areas(reached)
    duplicate = _duplicate_of(reached, data["headline"], now)
    if duplicate is not None:
        raise Conflict(
            "an alert like this is already open for this area: update that one",
            {"alert": {"id": [str(duplicate.id)], "headline": [duplicate.headline]}},
        )
    circle = data.get("circle") or {}
    alert = Alert(
        issuer_id=issuer.id,
        group_id=group_id,
        kind=data["kind"],
        headline=data["headline"],
        description=data["description"],
        instruction=data["instruction"],
        urgency=data["urgency"],
        severity=data["severity"],
        centre_lat=circle.get("lat"),
        centre_lon=circle.get("lon"),
        radius_m=circle.get("radius_m"),
        status=AlertStatus.OPEN,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=data.get("expires_in_minutes") or _settings().ALERT_DEFAULT_MINUTES),
    )
    if data.get("id") is not None:
        alert.id = data["id"]
    session.add(alert)
    session.flush()
    session.add_all(AlertArea(alert_id=alert.id, area_id=a, named=a in named) for a in sorted(reached))
    _broadcast(alert, "new", None, _event(alert, "created", issuer))
    session.flush()
    return alert


# Who may see and steer an alert


def _served_areas(person: Person) -> set[int]:
    served = access.officer_area_ids(person)
    return audience.descendants(served) if served else set()


def _alert_area_ids(alert: Alert) -> set[int]:
    return set(db.session().scalars(select(AlertArea.area_id).where(AlertArea.alert_id == alert.id)))


def roles_on(person: Person, alert: Alert) -> set[str]:
    roles: set[str] = set()
    areas = _alert_area_ids(alert)
    if alert.issuer_id == person.id:
        roles.add("issuer")
    if _served_areas(person) & areas:
        roles.add("officer")
    if audience.reach_of(person.id) & areas or db.session().get(AlertRecipient, (alert.id, person.id)) is not None:
        roles.add("recipient")
    return roles


def alert_for(person: Person, alert_id: uuid.UUID, lock: bool = False) -> tuple[Alert, set[str]]:
    """The alert and the person's roles on it; `lock` holds its row until commit, so a second
    update, close or cancel at the same moment waits and then sees the status the first left."""
    if lock:
        alert = db.session().get(Alert, alert_id, with_for_update={"key_share": True}, populate_existing=True)
    else:
        alert = db.session().get(Alert, alert_id)
    if alert is None:
        raise NotFound("alert")
    roles = roles_on(person, alert)
    if not roles:
        raise NotFound("alert")
    return alert, roles


def _steer(person: Person, alert_id: uuid.UUID, lock: bool = False) -> Alert:
    alert, roles = alert_for(person, alert_id, lock)
    if not roles & {"issuer", "officer"}:
        raise Forbidden("only the issuer or the area's wijkagent steers an alert")
    return alert


def _end(alert: Alert, to: AlertStatus, actor: Person | None, body: str | None) -> None:
    kind = ALERT_TRANSITIONS.get((alert.status, to))
    if kind is None:
        raise Conflict(f"this alert is {alert.status}")
    alert.status = to
    alert.closed_at = db.utcnow()
    alert.closing_message = body
    _broadcast(alert, "closed", body, _event(alert, kind, actor, body))


def add_update(person: Person, alert_id: uuid.UUID, body: str) -> Alert:
    alert = _steer(person, alert_id, lock=True)
    if alert.status != AlertStatus.OPEN:
        raise Conflict(f"this alert is {alert.status}")
    _check_wording("text", body)
    _broadcast(alert, "update", body, _event(alert, "updated", person, body))
    db.session().flush()
    return alert


def close(person: Person, alert_id: uuid.UUID, outcome: Outcome, message: str) -> Alert:
    alert = _steer(person, alert_id, lock=True)
    alert.outcome = outcome
    _end(alert, AlertStatus.CLOSED, person, message)
    db.session().flush()
    return alert


def cancel(person: Person, alert_id: uuid.UUID, reason: str) -> Alert:
    alert = _steer(person, alert_id, lock=True)
    _end(alert, AlertStatus.CANCELLED, person, reason)
    db.session().flush()
    return alert


def expire_due(now: dt.datetime) -> int:
    """Close every open alert past its expiry, with the closing message; safe to run any time."""
    session = db.session()
    due = session.scalars(
        select(Alert).where(Alert.status == AlertStatus.OPEN, Alert.expires_at <= now).with_for_update(skip_locked=True)
    ).all()
    for alert in due:
        _end(alert, AlertStatus.EXPIRED, None, None)
    session.commit()
    return len(due)


# Tips and responders


def _must_receive(alert: Alert, roles: set[str]) -> None:
    if "recipient" not in roles:
        raise Forbidden("only people the alert reached can answer it")
    if alert.status != AlertStatus.OPEN:
        raise Conflict(f"this alert is {alert.status}")


def add_tip(person: Person, alert_id: uuid.UUID, data: dict[str, Any]) -> AlertTip:
    alert, roles = alert_for(person, alert_id)
    session = db.session()
    existing = session.get(AlertTip, data["id"])
    if existing is not None:
        if existing.alert_id == alert.id and existing.person_id == person.id and existing.text == data["text"]:
            return existing
        raise Conflict("a different tip exists with this id")
    _must_receive(alert, roles)
    _check_wording("text", data["text"])
    tip = AlertTip(
        id=data["id"],
        alert_id=alert.id,
        person_id=person.id,
        text=data["text"],
        lat=data.get("lat"),
        lon=data.get("lon"),
    )
    session.add(tip)
    session.flush()
    return tip


def tips(person: Person, alert_id: uuid.UUID, page: PaginationParameters) -> list[dict[str, Any]]:
    alert = _steer(person, alert_id)
    query = select(AlertTip).where(AlertTip.alert_id == alert.id).order_by(AlertTip.created_at, AlertTip.id)
    rows = paginate(query, page)
    people = {p.id: p for p in db.session().scalars(select(Person).where(Person.id.in_({t.person_id for t in rows})))}
    return [
        {
            "id": t.id,
            "text": t.text,
            "lat": t.lat,
            "lon": t.lon,
            "created_at": t.created_at,
            "from_name": people[t.person_id].display_name if t.person_id in people else None,
            "from_phone": people[t.person_id].phone if t.person_id in people else None,
            "has_photo": t.photo_key is not None,
        }
        for t in rows
    ]


def responders(person: Person, alert_id: uuid.UUID, page: PaginationParameters) -> list[dict[str, Any]]:
    """Who is looking now, longest first: first name and initial, their groups in the alert's areas, since when.

    For those who read its numbers (`statistics`): the issuer and the area's wijkagent."""
    alert = _steer(person, alert_id)
    session = db.session()
    query = (
        select(AlertResponder)
        .where(AlertResponder.alert_id == alert.id)
        .order_by(AlertResponder.at, AlertResponder.person_id)
    )
    rows = paginate(query, page)
    ids = {r.person_id for r in rows}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
    groups: dict[uuid.UUID, list[str]] = {}
    if ids:
        # The alert's areas and those below them: an alert for a gebied names the groups of its wijken and dorpen.
        areas = audience.descendants(
            set(session.scalars(select(AlertArea.area_id).where(AlertArea.alert_id == alert.id)))
        )
        for member_id, name in session.execute(
            select(Membership.person_id, Group.name)
            .join(Group, Group.id == Membership.group_id)
            .where(
                Membership.person_id.in_(ids),
                Membership.status == MembershipStatus.ACTIVE,
                Group.area_id.in_(areas),
            )
            .order_by(Group.name)
        ):
            groups.setdefault(member_id, []).append(name)
    return [
        {"name": people[r.person_id].short_name, "groups": groups.get(r.person_id, []), "since": r.at}
        for r in rows
        if r.person_id in people
    ]


# A tip's photo: sent after the tip (a small request that gets through first on a weak connection), by PUT on
# the tip's own id, so a retry is the same photo. Checked, bounded and stripped like a note's (notes/photos.py).


def _tip_photo_stem(tip: AlertTip, raw: bytes) -> str:
    """The stored name: the tip and a digest of the bytes sent, so the same upload again is known unread."""
    return f"tip-{tip.id.hex}-{hashlib.sha256(raw).hexdigest()[:16]}"


def tip_photo_view(tip: AlertTip) -> dict[str, Any] | None:
    """What is stored of a tip's photo: its format, size and pixels; None without one (or once it is gone)."""
    if tip.photo_key is None:
        return None
    path = photos.path_of(photos.folder(), tip.photo_key)
    try:
        with Image.open(path) as stored:  # reads the header only
            width, height = stored.size
        size = path.stat().st_size
    except OSError:
        return None
    content_type = next(t for t, suffix in photos.FORMATS.values() if tip.photo_key.endswith(suffix))
    return {"tip_id": tip.id, "content_type": content_type, "size_bytes": size, "width": width, "height": height}


def _own_tip(person: Person, alert_id: uuid.UUID, tip_id: uuid.UUID) -> tuple[Alert, AlertTip, set[str]]:
    alert, roles = alert_for(person, alert_id)
    tip = db.session().get(AlertTip, tip_id)
    if tip is None or tip.alert_id != alert.id:
        raise NotFound("tip")
    return alert, tip, roles


def set_tip_photo(person: Person, alert_id: uuid.UUID, tip_id: uuid.UUID, raw: bytes) -> dict[str, Any]:
    """The sender puts their tip's one photo, while the alert is open; the same bytes again answer what was
    stored, other bytes replace it (the old file goes with the orphan sweep, privacy/jobs.py)."""
    alert, tip, roles = _own_tip(person, alert_id, tip_id)
    if tip.person_id != person.id:
        if roles & {"issuer", "officer"}:
            raise Forbidden("only the tip's sender adds its photo")
        raise NotFound("tip")
    stem = _tip_photo_stem(tip, raw)
    if tip.photo_key is not None and tip.photo_key.startswith(stem):
        stored = tip_photo_view(tip)
        if stored is not None:
            return stored
    if alert.status != AlertStatus.OPEN:
        raise Conflict(f"this alert is {alert.status}")
    try:
        image = photos.clean(raw)
    except photos.BadImage as exc:
        raise Invalid("photo", str(exc), location="files") from exc
    # Written before the commit: a rolled-back request leaves a file without a row, which the retention job
    # removes; never a row without its file.
    tip.photo_key = photos.store(photos.folder(), image, stem)
    db.session().flush()
    return {"tip_id": tip.id, "content_type": image.content_type, "size_bytes": len(image.data),
            "width": image.width, "height": image.height}  # fmt: skip


def tip_photo_file(person: Person, alert_id: uuid.UUID, tip_id: uuid.UUID) -> tuple[Path, str]:
    """The photo, for whoever sees the tip's sender (the issuer, the area's wijkagent) and the sender."""
    _alert, tip, roles = _own_tip(person, alert_id, tip_id)
    if tip.person_id != person.id and not roles & {"issuer", "officer"}:
        raise NotFound("tip")
    view = tip_photo_view(tip)
    if view is None or tip.photo_key is None:
        raise NotFound("photo")
    return photos.path_of(photos.folder(), tip.photo_key), view["content_type"]


def set_looking(person: Person, alert_id: uuid.UUID, looking: bool) -> dict[str, Any]:
    alert, roles = alert_for(person, alert_id)
    session = db.session()
    if looking:
        _must_receive(alert, roles)
        if session.get(AlertResponder, (alert.id, person.id)) is None:
            session.add(AlertResponder(alert_id=alert.id, person_id=person.id))
    else:
        session.execute(
            delete(AlertResponder).where(AlertResponder.alert_id == alert.id, AlertResponder.person_id == person.id)
        )
    session.flush()
    return detail(person, alert_id)


# Views


# What keeps each kind of row's number once retention deleted the rows (buurtwacht/privacy/jobs.py).
KEPT_COUNT = {AlertRecipient: Alert.kept_audience, AlertResponder: Alert.kept_responders, AlertTip: Alert.kept_tips}


def _counted(rows: type[AlertRecipient | AlertResponder | AlertTip]) -> Any:
    """The number of these rows for the alert of the enclosing statement."""
    return select(func.count()).select_from(rows).where(rows.alert_id == Alert.id).correlate(Alert).scalar_subquery()


def counts_of(rows: type[AlertRecipient | AlertResponder | AlertTip], alert_ids: Any) -> dict[uuid.UUID, int]:
    """Per alert, how many rows of this kind it has; once retention deleted them, the number it kept."""
    found = db.session().execute(
        select(Alert.id, func.coalesce(KEPT_COUNT[rows], _counted(rows))).where(Alert.id.in_(alert_ids))
    )
    return {alert_id: int(number or 0) for alert_id, number in found}


def keep_counts(alert_ids: Any, rows: type[AlertRecipient | AlertResponder | AlertTip]) -> None:
    """Before retention deletes these rows: write their number onto each alert that has not kept it yet."""
    kept = KEPT_COUNT[rows]
    db.session().execute(update(Alert).where(Alert.id.in_(alert_ids), kept.is_(None)).values({kept: _counted(rows)}))


def describe(alert: Alert, person: Person, roles: set[str]) -> dict[str, Any]:
    return describe_many([(alert, roles)], person)[0]


def _roles_many(person: Person, alerts: list[Alert]) -> list[tuple[Alert, set[str]]]:
    """roles_on for a page of alerts, in four queries for the page."""
    ids = [a.id for a in alerts]
    areas: dict[uuid.UUID, set[int]] = {i: set() for i in ids}
    received: set[uuid.UUID] = set()
    if ids:
        for alert_id, area_id in db.session().execute(
            select(AlertArea.alert_id, AlertArea.area_id).where(AlertArea.alert_id.in_(ids))
        ):
            areas[alert_id].add(area_id)
        received = set(
            db.session().scalars(
                select(AlertRecipient.alert_id).where(
                    AlertRecipient.person_id == person.id, AlertRecipient.alert_id.in_(ids)
                )
            )
        )
    served, reach = _served_areas(person), audience.reach_of(person.id)
    found = []
    for alert in alerts:
        roles: set[str] = set()
        if alert.issuer_id == person.id:
            roles.add("issuer")
        if served & areas[alert.id]:
            roles.add("officer")
        if reach & areas[alert.id] or alert.id in received:
            roles.add("recipient")
        found.append((alert, roles))
    return found


def describe_many(alerts: list[tuple[Alert, set[str]]], person: Person) -> list[dict[str, Any]]:
    """Alerts with their areas, updates and counts: a handful of queries for a whole page."""
    session = db.session()
    ids = [a.id for a, _ in alerts]
    steered = [a.id for a, roles in alerts if roles & {"issuer", "officer"}]
    named: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    updates: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    looking: set[uuid.UUID] = set()
    responders: dict[uuid.UUID, int] = {}
    tips: dict[uuid.UUID, int] = {}
    if ids:
        for alert_id, area_id, name in session.execute(
            select(AlertArea.alert_id, Area.id, Area.name)
            .join(AlertArea, AlertArea.area_id == Area.id)
            .where(AlertArea.alert_id.in_(ids), AlertArea.named.is_(True))
        ):
            named[alert_id].append({"id": area_id, "name": name})
        for alert_id, body, at in session.execute(
            select(AlertEvent.alert_id, AlertEvent.text, AlertEvent.at)
            .where(AlertEvent.alert_id.in_(ids), AlertEvent.kind == "updated")
            .order_by(AlertEvent.id)
        ):
            updates[alert_id].append({"text": body, "at": at})
        looking = set(
            session.scalars(
                select(AlertResponder.alert_id).where(
                    AlertResponder.alert_id.in_(ids), AlertResponder.person_id == person.id
                )
            )
        )
    if steered:
        responders = counts_of(AlertResponder, steered)
        tips = counts_of(AlertTip, steered)
    views = []
    for alert, roles in alerts:
        steering = bool(roles & {"issuer", "officer"})
        view: dict[str, Any] = {
            "alert": alert,
            "areas": named[alert.id],
            "circle": None
            if alert.radius_m is None
            else {"lat": alert.centre_lat, "lon": alert.centre_lon, "radius_m": alert.radius_m},
            "updates": updates[alert.id],
            "i_am_looking": alert.id in looking,
            "can_steer": steering,
        }
        if steering:
            view["responders"] = responders.get(alert.id, 0)
            view["tips"] = tips.get(alert.id, 0)
        views.append(view)
    return views


def detail(person: Person, alert_id: uuid.UUID) -> dict[str, Any]:
    alert, roles = alert_for(person, alert_id)
    return describe(alert, person, roles)


def list_alerts(person: Person, filters: dict[str, Any], page: PaginationParameters) -> list[dict[str, Any]]:
    """Alerts that reached me, that I issued, or (wijkagent) of my areas; newest first."""
    areas = audience.reach_of(person.id) | _served_areas(person)
    reached = select(AlertArea.alert_id).where(AlertArea.area_id.in_(areas))
    received = select(AlertRecipient.alert_id).where(AlertRecipient.person_id == person.id)
    query = (
        select(Alert)
        .where(or_(Alert.issuer_id == person.id, Alert.id.in_(reached), Alert.id.in_(received)))
        .order_by(Alert.created_at.desc(), Alert.id)
    )
    if "status" in filters:
        query = query.where(Alert.status == filters["status"])
    return describe_many(_roles_many(person, paginate(query, page)), person)


def statistics(person: Person, alert_id: uuid.UUID) -> dict[str, Any]:
    alert = _steer(person, alert_id)
    session = db.session()
    by_status: dict[str, int] = dict(
        session.execute(
            select(Delivery.status, func.count())
            .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
            .where(Broadcast.alert_id == alert.id)
            .group_by(Delivery.status)
        ).all()
    )
    return {
        "audience": counts_of(AlertRecipient, [alert.id]).get(alert.id, 0),
        "sent": by_status.get("sent", 0),
        "failed": by_status.get("failed", 0),
        "pending": by_status.get("pending", 0),
        "skipped": by_status.get("skipped", 0),
        "tips": counts_of(AlertTip, [alert.id]).get(alert.id, 0),
        "responders": counts_of(AlertResponder, [alert.id]).get(alert.id, 0),
        "seconds_to_close": None
        if alert.closed_at is None
        else round((alert.closed_at - alert.created_at).total_seconds()),
    }


def area_month_stats(area_id: int, year: int) -> list[dict[str, Any]]:
    """Alerts per month for an area (and the areas below it), for the monthly summaries."""
    session = db.session()
    start, end = local_midnight_utc(dt.date(year, 1, 1)), local_midnight_utc(dt.date(year + 1, 1, 1))
    alerts = session.scalars(
        select(Alert)
        .join(AlertArea, AlertArea.alert_id == Alert.id)
        .where(
            AlertArea.area_id.in_(audience.descendants({area_id})),
            Alert.created_at >= start,
            Alert.created_at < end,
        )
        .distinct()
    ).all()
    ids = [a.id for a in alerts]
    tips_by = counts_of(AlertTip, ids) if ids else {}
    reach_by = counts_of(AlertRecipient, ids) if ids else {}
    months: dict[int, dict[str, Any]] = {
        m: {"month": m, "alerts": 0, "exercises": 0, "audience": 0, "tips": 0, "outcomes": {}} for m in range(1, 13)
    }
    for alert in alerts:
        row = months[to_local(alert.created_at).month]
        row["alerts"] += 1
        row["exercises"] += alert.kind == AlertKind.EXERCISE
        row["audience"] += reach_by.get(alert.id, 0)
        row["tips"] += tips_by.get(alert.id, 0)
        ending = str(alert.outcome or alert.status)
        row["outcomes"][ending] = row["outcomes"].get(ending, 0) + 1
    return list(months.values())


def require_area_reader(person: Person, area_id: int, statistics_only: bool = False) -> None:
    """Area-wide alert views: the area's wijkagent and people the area's alerts reach; admins see
    the numbers only (an alert's text can describe a person)."""
    if db.session().get(Area, area_id) is None:
        raise NotFound("area")
    if statistics_only and person.is_admin:
        return
    # An area's feed lists the alerts that reached all of it: readable by whoever those reached.
    if area_id not in audience.ancestors(audience.reach_of(person.id)) | _served_areas(person):
        raise Forbidden("you receive no alerts for this area")
