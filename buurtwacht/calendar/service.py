"""Feed tokens (only their hash is stored; rotating revokes the old one) and the feed itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import icalendar
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.errors import NotFound
from buurtwacht.localtime import to_local
from buurtwacht.messages import text
from buurtwacht.models import CalendarFeed, Group, Patrol, PatrolSignup, PatrolStatus, Person, SignupStatus
from buurtwacht.models.patrol import HOLDING_A_PLACE

PAST = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=183)


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
    locale = person.locale
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//buurtwacht//patrols//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", text("calendar.name", locale))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for patrol, signup_status, group_name in rows:
        event = icalendar.Event()
        event.add("uid", f"{patrol.id}@buurtwacht")
        event.add("dtstamp", now)
        event.add("dtstart", to_local(patrol.starts_at))
        event.add("dtend", to_local(patrol.ends_at))
        title = text("patrol.title", locale, group=group_name)
        if signup_status == SignupStatus.WAITLISTED:
            title = text("calendar.waitlisted", locale, title=title)
        event.add("summary", title)
        event.add("location", patrol.meeting_point)
        if patrol.briefing:
            event.add("description", patrol.briefing)
        event.add("status", "CANCELLED" if patrol.status == PatrolStatus.CANCELLED else _ICAL_STATUS[signup_status])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
