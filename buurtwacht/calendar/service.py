"""Feed tokens (only their hash is stored; rotating revokes the old one) and the feed itself.

Each round's SEQUENCE and LAST-MODIFIED come from the patrol's append-only history (PatrolEvent): the
changes to the round itself (moved, edited, cancelled) and to the reader's own place on it (signed up,
waiting list, promoted, ...), so a calendar app replaces its copy whenever what the person sees changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

import icalendar
from sqlalchemy import and_, func, or_, select

from buurtwacht import db
from buurtwacht.calendar.timezone import vtimezone
from buurtwacht.errors import NotFound
from buurtwacht.localtime import local_zone, to_local
from buurtwacht.messages import text
from buurtwacht.models import (
    CalendarFeed,
    Group,
    Patrol,
    PatrolEvent,
    PatrolSignup,
    PatrolStatus,
    Person,
    SignupStatus,
)
from buurtwacht.models.patrol import HOLDING_A_PLACE

PAST = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=183)
LONGEST_ROUND = dt.timedelta(hours=12)  # a round starting inside the window may end this much later

# History that changes a round for everyone on it: its time, its place or text, its status.
ROUND_CHANGES = ("moved", "edited", "cancelled")
# A person's own history that changes nothing their calendar shows.
NOT_IN_THE_CALENDAR = ("checked_in", "checked_out", "no_show")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def status(person: Person) -> dict[str, Any]:
    feed = db.session().get(CalendarFeed, person.id)
    return {"active": feed is not None, "created_at": feed.created_at if feed else None}


def rotate(person: Person) -> str:
    """A new secret token; the previous URL stops working at once. The token is shown only now."""
    session = db.session()
    token = secrets.token_urlsafe(32)
    feed = session.get(CalendarFeed, person.id)
    if feed is None:
        session.add(CalendarFeed(person_id=person.id, token_hash=_hash(token), created_at=db.utcnow()))
    else:
        feed.token_hash, feed.created_at = _hash(token), db.utcnow()
    session.flush()
    return token


def revoke(person: Person) -> None:
    feed = db.session().get(CalendarFeed, person.id)
    if feed is None:
        raise NotFound("calendar feed")
    db.session().delete(feed)
    db.session().flush()


_ICAL_STATUS = {SignupStatus.CONFIRMED: "CONFIRMED", SignupStatus.WAITLISTED: "TENTATIVE"}


def _revisions(person: Person, patrol_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, dt.datetime]]:
    """Per patrol: how many changes the person has seen to it (SEQUENCE) and when the last one was made."""
    if not patrol_ids:
        return {}
    rows = db.session().execute(
        select(PatrolEvent.patrol_id, func.count(), func.max(PatrolEvent.at))
        .where(
            PatrolEvent.patrol_id.in_(patrol_ids),
            or_(
                PatrolEvent.kind.in_(ROUND_CHANGES),
                and_(PatrolEvent.person_id == person.id, PatrolEvent.kind.not_in(NOT_IN_THE_CALENDAR)),
            ),
        )
        .group_by(PatrolEvent.patrol_id)
    )
    return {patrol_id: (count, last) for patrol_id, count, last in rows}


def _moment(moment: dt.datetime) -> dt.datetime:
    """Local time (with the feed's TZID), or UTC for a time in the repeated autumn hour.

    A wall time such as 02:30 on the last Sunday of October happens twice: RFC 5545 reads it as the
    first, ical.js as the second. Only UTC means the same moment to both.
    """
    local = to_local(moment)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return moment.astimezone(dt.UTC)
    return local


def _cancel_reason(patrol: Patrol, locale: str | None) -> str:
    if patrol.cancel_reason_key is not None:
        return text(patrol.cancel_reason_key, locale)
    return patrol.cancel_reason or ""


def feed(token: str) -> bytes:
    session = db.session()
    found = session.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).one_or_none()
    if found is None:
        raise NotFound("calendar feed")
    person = session.get_one(Person, found.person_id)
    now = db.utcnow()
    rows = session.execute(
        select(Patrol, PatrolSignup.status, Group.name)
        .join(PatrolSignup, PatrolSignup.patrol_id == Patrol.id)
        .join(Group, Group.id == Patrol.group_id)
        .where(
            PatrolSignup.person_id == person.id,
            PatrolSignup.status.in_(HOLDING_A_PLACE),
            Patrol.starts_at > now - PAST,
            Patrol.starts_at < now + AHEAD,
        )
        .order_by(Patrol.starts_at)
    ).all()
    revisions = _revisions(person, [patrol.id for patrol, _, _ in rows])
    locale = person.locale
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//buurtwacht//patrols//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", text("calendar.name", locale))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    zone = local_zone()
    calendar.add_component(vtimezone(zone.key, now - PAST, now + AHEAD + LONGEST_ROUND))
    for patrol, signup_status, group_name in rows:
        sequence, last_modified = revisions.get(patrol.id, (0, patrol.created_at))
        cancelled = patrol.status == PatrolStatus.CANCELLED
        event = icalendar.Event()
        event.add("uid", f"{patrol.id}@buurtwacht")
        # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2): the same bytes
        # until something changes, so calendar apps have nothing to redo.
        event.add("dtstamp", last_modified)
        event.add("last-modified", last_modified)
        event.add("sequence", sequence)
        event.add("dtstart", _moment(patrol.starts_at))
        event.add("dtend", _moment(patrol.ends_at))
        title = text("patrol.title", locale, group=group_name)
        if signup_status == SignupStatus.WAITLISTED:
            title = text("calendar.waitlisted", locale, title=title)
        if cancelled:
            title = text("calendar.cancelled", locale, title=title)
        event.add("summary", title)
        event.add("location", patrol.meeting_point)
        description = [patrol.briefing] if patrol.briefing else []
        if cancelled:
            description.insert(0, text("calendar.cancel_reason", locale, reason=_cancel_reason(patrol, locale)))
        if description:
            event.add("description", "\n\n".join(description))
        event.add("status", "CANCELLED" if cancelled else _ICAL_STATUS[signup_status])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
