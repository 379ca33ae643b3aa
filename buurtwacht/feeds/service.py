"""Feed tokens (only their hash is stored; a new one revokes the old), and what a token may read, checked each time."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.alerts import formats
from buurtwacht.alerts import service as alerts
from buurtwacht.errors import DomainError, NotFound
from buurtwacht.models import Alert, AlertArea, AlertFeed, Area, Person


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_read(person: Person, area_id: int) -> bool:
    try:
        alerts.require_area_reader(person, area_id)
    except DomainError:
        return False
    return True


def mine(person: Person) -> list[dict[str, Any]]:
    """My feeds (never their secret), and whether each still shows anything: access is checked on every read."""
    rows = db.session().execute(
        select(AlertFeed, Area.name)
        .join(Area, Area.id == AlertFeed.area_id)
        .where(AlertFeed.person_id == person.id)
        .order_by(Area.name)
    )
    return [
        {
            "area_id": feed.area_id,
            "area_name": name,
            "created_at": feed.created_at,
            "readable": _may_read(person, feed.area_id),
        }
        for feed, name in rows
    ]


def rotate(person: Person, area_id: int) -> dict[str, Any]:
    """A new secret token for the area's feed; the area's previous URL stops at once. Shown only now.

    Only for an area whose alerts the person may read (403 otherwise, 404 for an unknown area).
    """
    alerts.require_area_reader(person, area_id)
    session = db.session()
    token = secrets.token_urlsafe(32)
    feed = session.get(AlertFeed, (person.id, area_id))
    if feed is None:
        feed = AlertFeed(person_id=person.id, area_id=area_id, token_hash=_hash(token), created_at=db.utcnow())
        session.add(feed)
    else:
        feed.token_hash, feed.created_at = _hash(token), db.utcnow()
    session.flush()
    area = session.get_one(Area, area_id)
    return {"token": token, "area_id": area_id, "area_name": area.name, "created_at": feed.created_at}


def revoke(person: Person, area_id: int) -> None:
    feed = db.session().get(AlertFeed, (person.id, area_id))
    if feed is None:
        raise NotFound("alert feed")
    db.session().delete(feed)
    db.session().flush()


def _reader(token: str) -> tuple[Person, Area]:
    """The feed's person and area, if the person may read the area's alerts now; 404 for anything else,
    so a URL that outlived its owner's access says nothing about the area."""
    session = db.session()
    feed = session.scalars(select(AlertFeed).where(AlertFeed.token_hash == _hash(token))).one_or_none()
    if feed is None:
        raise NotFound("alert feed")
    person = session.get_one(Person, feed.person_id)
    if not _may_read(person, feed.area_id):
        raise NotFound("alert feed")
    return person, session.get_one(Area, feed.area_id)


def feed(token: str, self_url: str, cap_url: Any) -> bytes:
    """The area's Atom feed, as its owner may see it at this moment."""
    _, area = _reader(token)
    return formats.atom_feed(area, formats.area_alerts(area.id), self_url, cap_url)


def cap(token: str, alert_id: uuid.UUID) -> bytes:
    """The CAP message of an alert in the feed (an entry's link): only alerts that reached the feed's area."""
    _, area = _reader(token)
    listed = db.session().scalar(
        select(AlertArea.alert_id).where(AlertArea.alert_id == alert_id, AlertArea.area_id == area.id)
    )
    if listed is None:
        raise NotFound("alert")
    return formats.cap_message(db.session().get_one(Alert, alert_id))
