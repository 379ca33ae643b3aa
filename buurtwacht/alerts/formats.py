"""Open formats: an alert as CAP 1.2 XML, and an area's alerts as an Atom feed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import select

from buurtwacht import db
from buurtwacht.localtime import to_local
from buurtwacht.messages import text
from buurtwacht.models import Alert, AlertArea, AlertEvent, AlertKind, AlertStatus, Area

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_SIZE = 50

CAP_CATEGORY = {
    AlertKind.MISSING_PERSON: "Rescue",
    AlertKind.SUSPECT: "Security",
    AlertKind.VEHICLE: "Security",
    AlertKind.BURGLARY: "Security",
    AlertKind.GENERAL_WARNING: "Safety",
    AlertKind.EXERCISE: "Other",
}
# The issuers write in Dutch, so the one info block is Dutch (nl-NL) through and through: an English
# block would carry their Dutch headline and description.
LANGUAGE = "nl"


def _cap_time(moment: dt.datetime) -> str:
    """CAP 1.2 section 3.3.2: whole seconds with an offset; Emmen's local time (+01:00, +02:00), so the
    rule that UTC is written -00:00 (never Z or +00:00) matters only when TIMEZONE is set to UTC."""
    written = to_local(moment).replace(microsecond=0).isoformat()
    return written[:-6] + "-00:00" if written.endswith("+00:00") else written


def _atom_time(moment: dt.datetime) -> str:
    """RFC 3339, in Emmen's local time."""
    return to_local(moment).replace(microsecond=0).isoformat()


def _domain() -> str:
    return str(current_app.config["BUURTWACHT"].cap_sender_domain)


def sender() -> str:
    """Globally unique by the configured domain (BUURTWACHT_CAP_SENDER_DOMAIN)."""
    return f"buurtwacht@{_domain()}"


def _identifier(alert: Alert, sequence: int) -> str:
    """The alert's n-th message (0: the Alert itself); unique worldwide by the domain, whatever id the app chose."""
    return f"alert-{alert.id}@{_domain()}" if sequence == 0 else f"alert-{alert.id}-{sequence}@{_domain()}"


def _changes(alert_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AlertEvent]]:
    """Per alert, what happened after it was sent (updates, the close, cancel or expiry), oldest first."""
    found: dict[uuid.UUID, list[AlertEvent]] = {alert_id: [] for alert_id in alert_ids}
    if alert_ids:
        events = db.session().scalars(
            select(AlertEvent)
            .where(AlertEvent.alert_id.in_(alert_ids), AlertEvent.kind != "created")
            .order_by(AlertEvent.id)
        )
        for event in events:
            found[event.alert_id].append(event)
    return found


def _ending(alert: Alert) -> str:
    """How it ended, e.g. "Gevonden. De jongen is terecht."; empty while open."""
    if alert.status == AlertStatus.OPEN:
        return ""
    outcome = text(f"alert.outcome.{alert.outcome or alert.status}", LANGUAGE)
    return f"{outcome}. {alert.closing_message or ''}".rstrip()


# What XML 1.0 cannot carry (control characters but tab and line breaks, lone surrogates, U+FFFE/U+FFFF):
# input refuses it since buurtwacht.api's text rules, but texts stored before then may hold some, and
# ElementTree writes them as they are, which makes the whole document unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _sub(parent: ET.Element, tag: str, value: str | None = None, ns: str = CAP_NS) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if value is not None:
        element.text = _xml_text(value)
    return element


def cap_message(alert: Alert) -> bytes:
    """The alert's current CAP message: Alert while unchanged, Update after updates or a close, Cancel when cancelled.

    Every message after the first references all earlier ones (sender,identifier,sent), as CAP 1.2 asks.
    """
    session = db.session()
    changes = _changes([alert.id])[alert.id]
    messages = [
        (_identifier(alert, n), _cap_time(at)) for n, at in enumerate([alert.created_at, *(e.at for e in changes)])
    ]
    identifier, sent = messages[-1]
    if alert.status == AlertStatus.CANCELLED:
        msg_type = "Cancel"
    elif changes:
        msg_type = "Update"
    else:
        msg_type = "Alert"
    ET.register_namespace("", CAP_NS)
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(root, "identifier", identifier)
    _sub(root, "sender", sender())
    _sub(root, "sent", sent)
    _sub(root, "status", "Exercise" if alert.is_exercise else "Actual")
    _sub(root, "msgType", msg_type)
    _sub(root, "scope", "Restricted")
    _sub(root, "restriction", f"{text('cap.restriction', 'nl')} / {text('cap.restriction', 'en')}")
    if len(messages) > 1:
        _sub(root, "references", " ".join(f"{sender()},{earlier},{at}" for earlier, at in messages[:-1]))
    info = _sub(root, "info")
    _sub(info, "language", "nl-NL")
    _sub(info, "category", CAP_CATEGORY[alert.kind])
    _sub(info, "event", text(f"alert.kind.{alert.kind}", LANGUAGE))
    _sub(info, "responseType", "AllClear" if alert.status != AlertStatus.OPEN else "Monitor")
    _sub(info, "urgency", "Past" if alert.status != AlertStatus.OPEN else str(alert.urgency).capitalize())
    _sub(info, "severity", str(alert.severity).capitalize())
    _sub(info, "certainty", "Observed")
    _sub(info, "effective", _cap_time(alert.created_at))
    _sub(info, "expires", _cap_time(alert.closed_at or alert.expires_at))
    _sub(info, "senderName", "Buurtwacht")
    prefix = text("alert.exercise_prefix", LANGUAGE) if alert.is_exercise else ""
    _sub(info, "headline", prefix + alert.headline)
    description = alert.description
    updates = [e.text for e in changes if e.kind == "updated" and e.text]
    if updates:
        description += f"\n\n{text('alert.additions', LANGUAGE)}\n" + "\n".join(f"- {u}" for u in updates)
    if ending := _ending(alert):
        description += f"\n\n{ending}"
    _sub(info, "description", description)
    _sub(info, "instruction", f"{alert.instruction} {text('alert.saar', LANGUAGE)}")
    areas = session.scalars(
        select(Area)
        .join(AlertArea, AlertArea.area_id == Area.id)
        .where(AlertArea.alert_id == alert.id, AlertArea.named.is_(True))
    ).all()
    area = _sub(info, "area")
    _sub(area, "areaDesc", ", ".join(a.name for a in areas) or "-")
    for named in areas:
        for polygon in _polygons(named.boundary):
            _sub(area, "polygon", polygon)
    if alert.radius_m is not None:
        _sub(area, "circle", f"{alert.centre_lat},{alert.centre_lon} {alert.radius_m / 1000:g}")
    for named in areas:
        code = _sub(area, "geocode")
        _sub(code, "valueName", "buurtwacht:area")
        _sub(code, "value", named.code)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _polygons(boundary: dict[str, Any] | None) -> list[str]:
    """CAP polygons ("lat,lon lat,lon ...") from a GeoJSON Polygon or MultiPolygon's outer rings."""
    if not boundary:
        return []
    polygons = [boundary["coordinates"]] if boundary["type"] == "Polygon" else boundary["coordinates"]
    return [" ".join(f"{lat},{lon}" for lon, lat, *_ in polygon[0]) for polygon in polygons]


def area_alerts(area_id: int) -> list[Alert]:
    """The alerts that reached the area, newest first: what its feed lists."""
    query = (
        select(Alert)
        .join(AlertArea, AlertArea.alert_id == Alert.id)
        .where(AlertArea.area_id == area_id)
        .order_by(Alert.created_at.desc(), Alert.id)
        .limit(FEED_SIZE)
    )
    return list(db.session().scalars(query))


def _summary(alert: Alert, changes: list[AlertEvent]) -> str:
    """What a feed reader shows under the title: how it ended or the latest addition first, then the description."""
    lines = [_ending(alert)]
    updates = [e.text for e in changes if e.kind == "updated" and e.text]
    if updates:
        lines.append(text("alert.latest_addition", LANGUAGE, text=updates[-1]))
    lines.append(alert.description)
    return "\n\n".join(line for line in lines if line)


def atom_feed(area: Area, alerts: list[Alert], self_url: str, cap_url: Callable[[Alert], str]) -> bytes:
    """An Atom 1.0 feed of the area's alerts, newest first; each entry links its CAP message.

    An entry's `updated` and summary change with every update, the close, a cancel or the expiry.
    """
    changes = _changes([a.id for a in alerts])
    changed_at = {a.id: max([a.created_at, *(e.at for e in changes[a.id])]) for a in alerts}
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: "nl-NL"})
    _sub(feed, "id", f"tag:{_domain()},2026:alerts:{area.code}", ATOM_NS)
    _sub(feed, "title", text("feed.title", LANGUAGE, area=area.name), ATOM_NS)
    _sub(feed, "updated", _atom_time(max(changed_at.values(), default=db.utcnow())), ATOM_NS)
    link = _sub(feed, "link", None, ATOM_NS)
    link.set("rel", "self")
    link.set("type", "application/atom+xml")
    link.set("href", _xml_text(self_url))
    author = _sub(feed, "author", None, ATOM_NS)
    _sub(author, "name", "Buurtwacht", ATOM_NS)
    for alert in alerts:
        entry = _sub(feed, "entry", None, ATOM_NS)
        _sub(entry, "id", f"urn:uuid:{alert.id}", ATOM_NS)
        prefix = text("alert.exercise_prefix", LANGUAGE) if alert.is_exercise else ""
        _sub(entry, "title", f"{prefix}{alert.headline}", ATOM_NS)
        _sub(entry, "published", _atom_time(alert.created_at), ATOM_NS)
        _sub(entry, "updated", _atom_time(changed_at[alert.id]), ATOM_NS)
        _sub(entry, "summary", _summary(alert, changes[alert.id]), ATOM_NS)
        category = _sub(entry, "category", None, ATOM_NS)
        category.set("term", str(alert.kind))
        category.set("label", text(f"alert.kind.{alert.kind}", LANGUAGE))
        cap = _sub(entry, "link", None, ATOM_NS)
        cap.set("rel", "alternate")
        cap.set("type", "application/cap+xml")
        cap.set("href", _xml_text(cap_url(alert)))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
