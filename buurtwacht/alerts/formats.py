"""Open formats: an alert as CAP 1.2 XML, and an area's alerts as an Atom feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

from sqlalchemy import select

from buurtwacht import db
from buurtwacht.messages import text
from buurtwacht.models import Alert, AlertArea, AlertEvent, AlertKind, AlertStatus, Area

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
SENDER = "buurtwacht"

CAP_CATEGORY = {
    AlertKind.MISSING_PERSON: "Rescue",
    AlertKind.SUSPECT: "Security",
    AlertKind.VEHICLE: "Security",
    AlertKind.BURGLARY: "Security",
    AlertKind.GENERAL_WARNING: "Safety",
    AlertKind.EXERCISE: "Other",
}
KIND_LABEL = {
    AlertKind.MISSING_PERSON: "Vermissing",
    AlertKind.SUSPECT: "Verdachte",
    AlertKind.VEHICLE: "Voertuig",
    AlertKind.BURGLARY: "Inbraak",
    AlertKind.GENERAL_WARNING: "Waarschuwing",
    AlertKind.EXERCISE: "Oefening",
}


def _cap_time(moment: dt.datetime) -> str:
    # CAP wants an explicit offset and no fractions: 2026-11-03T20:15:00+00:00.
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _identifier(alert: Alert, sequence: int) -> str:
    return f"urn:uuid:{alert.id}" if sequence == 0 else f"urn:uuid:{alert.id}:{sequence}"


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

    An Update or Cancel references the original Alert message, as CAP 1.2 asks.
    """
    session = db.session()
    events = session.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert.id).order_by(AlertEvent.id)).all()
    changes = [e for e in events if e.kind != "created"]
    sequence = len(changes)
    if alert.status == AlertStatus.CANCELLED:
        msg_type = "Cancel"
    elif changes:
        msg_type = "Update"
    else:
        msg_type = "Alert"
    sent = changes[-1].at if changes else alert.created_at
    ET.register_namespace("", CAP_NS)
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(root, "identifier", _identifier(alert, sequence))
    _sub(root, "sender", SENDER)
    _sub(root, "sent", _cap_time(sent))
    _sub(root, "status", "Exercise" if alert.is_exercise else "Actual")
    _sub(root, "msgType", msg_type)
    _sub(root, "scope", "Restricted")
    _sub(root, "restriction", "Deelnemers van buurtwacht in het gebied / buurtwacht participants in the area")
    if msg_type != "Alert":
        _sub(root, "references", f"{SENDER},{_identifier(alert, 0)},{_cap_time(alert.created_at)}")
    info = _sub(root, "info")
    _sub(info, "language", "nl-NL")
    _sub(info, "category", CAP_CATEGORY[alert.kind])
    _sub(info, "event", KIND_LABEL[alert.kind])
    _sub(info, "responseType", "AllClear" if alert.status != AlertStatus.OPEN else "Monitor")
    _sub(info, "urgency", "Past" if alert.status != AlertStatus.OPEN else str(alert.urgency).capitalize())
    _sub(info, "severity", str(alert.severity).capitalize())
    _sub(info, "certainty", "Observed")
    _sub(info, "effective", _cap_time(alert.created_at))
    _sub(info, "expires", _cap_time(alert.closed_at or alert.expires_at))
    _sub(info, "senderName", "Buurtwacht")
    prefix = text("alert.exercise_prefix", "nl") if alert.is_exercise else ""
    _sub(info, "headline", prefix + alert.headline)
    description = alert.description
    updates = [e.text for e in changes if e.kind == "updated" and e.text]
    if updates:
        description += "\n\nUpdates:\n" + "\n".join(f"- {u}" for u in updates)
    if alert.status != AlertStatus.OPEN:
        ending = str(alert.outcome or alert.status)
        description += f"\n\n{text(f'alert.outcome.{ending}', 'nl')}. {alert.closing_message or ''}".rstrip()
    _sub(info, "description", description)
    _sub(info, "instruction", f"{alert.instruction} {text('alert.saar', 'nl')}")
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


def atom_feed(area: Area, alerts: list[Alert], self_url: str, alert_url: Any) -> bytes:
    """An Atom 1.0 feed of the area's alerts, newest first; each entry links its CAP message."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", f"urn:buurtwacht:area:{area.code}:alerts", ATOM_NS)
    _sub(feed, "title", f"Buurtwacht-meldingen {area.name}", ATOM_NS)
    updated = max((a.closed_at or a.created_at for a in alerts), default=db.utcnow())
    _sub(feed, "updated", _cap_time(updated), ATOM_NS)
    link = _sub(feed, "link", None, ATOM_NS)
    link.set("rel", "self")
    link.set("href", _xml_text(self_url))
    author = _sub(feed, "author", None, ATOM_NS)
    _sub(author, "name", "Buurtwacht", ATOM_NS)
    for alert in alerts:
        entry = _sub(feed, "entry", None, ATOM_NS)
        _sub(entry, "id", f"urn:uuid:{alert.id}", ATOM_NS)
        prefix = text("alert.exercise_prefix", "nl") if alert.is_exercise else ""
        _sub(entry, "title", f"{prefix}{alert.headline}", ATOM_NS)
        _sub(entry, "published", _cap_time(alert.created_at), ATOM_NS)
        _sub(entry, "updated", _cap_time(alert.closed_at or alert.created_at), ATOM_NS)
        summary = alert.description
        if alert.status != AlertStatus.OPEN:
            summary += f" ({text(f'alert.outcome.{alert.outcome or alert.status}', 'nl')})"
        _sub(entry, "summary", summary, ATOM_NS)
        category = _sub(entry, "category", None, ATOM_NS)
        category.set("term", str(alert.kind))
        cap = _sub(entry, "link", None, ATOM_NS)
        cap.set("rel", "alternate")
        cap.set("type", "application/cap+xml")
        cap.set("href", _xml_text(alert_url(alert)))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
