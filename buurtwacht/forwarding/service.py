"""Forwarding a note to the municipality: who may, what is sent, and what its answer does to the note.

The request only records a forward (queued); a dispatcher process sends it after the commit. One forward
per note and municipality (a unique key), so asking twice, or two coordinators at once, sends it once.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from buurtwacht import access, db
from buurtwacht.access import Relation
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.forwarding import figures, targets
from buurtwacht.forwarding.clients import RemoteStatus
from buurtwacht.forwarding.targets import Target
from buurtwacht.models import (
    Area,
    ForwardingPolicy,
    ForwardStatus,
    Group,
    Note,
    NoteEvent,
    NoteForward,
    NoteStatus,
    Person,
)
from buurtwacht.models.forward import FORWARD_TRANSITIONS
from buurtwacht.notes import service as notes
from buurtwacht.push import outbox
from buurtwacht.summaries.service import month_bounds, parse_month

# Signalen keeps a report's text to 3,000 characters; Open311 sets no limit, so the same is sent.
MAX_TEXT = 3000


def target_of_group(group: Group) -> Target | None:
    """The forwarding target of the municipality the group lies in (the root of its area tree)."""
    root_id = access.area_ancestry(group.area_id)[-1]
    root = db.session().get(Area, root_id)
    return targets.configured().get(root.code) if root is not None else None


def _policy(group_id: uuid.UUID) -> ForwardingPolicy | None:
    return db.session().get(ForwardingPolicy, group_id)


def _authors_may_forward(group_id: uuid.UUID) -> bool:
    policy = _policy(group_id)
    return bool(policy and policy.authors_may_forward)


# The group's forwarding: where to, which categories, who may


def forwarding_of(viewer: Person, group_id: uuid.UUID) -> dict[str, Any]:
    group, _ = access.group_for(viewer, group_id, access.GROUP_WIDE_READERS)
    return _forwarding_view(group)


def set_forwarding(viewer: Person, group_id: uuid.UUID, authors_may_forward: bool) -> dict[str, Any]:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    policy = _policy(group.id)
    if policy is None:
        policy = ForwardingPolicy(group_id=group.id)
        db.session().add(policy)
    policy.authors_may_forward = authors_may_forward
    policy.updated_at = db.utcnow()
    db.session().flush()
    return _forwarding_view(group)


def _forwarding_view(group: Group) -> dict[str, Any]:
    target = target_of_group(group)
    return {
        "authors_may_forward": _authors_may_forward(group.id),
        "municipality": target.name if target else None,
        "system": target.kind if target else None,
        "needs_point": target.needs_point if target else None,
        # What a note can be forwarded as: its category, or category/subject where the municipality splits it.
        "forwardable": sorted(target.categories) if target else [],
    }


# Forwarding a note


def forward_note(viewer: Person, note_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Queue the note for its municipality; the answer is its forward record (existing or new)."""
    note, relations = notes.note_for(viewer, note_id)
    is_author = note.author_id == viewer.id
    if Relation.COORDINATOR not in relations and not (is_author and _authors_may_forward(note.group_id)):
        raise Forbidden("coordinators forward notes to the municipality; authors too where their group allows it")
    if data.get("share_contact") and not is_author:
        raise Invalid("share_contact", "only the note's author can agree to be contacted by the municipality")
    if note.held:
        raise Conflict("a note held for review is not forwarded; release it first")
    session = db.session()
    group = session.get_one(Group, note.group_id)
    target = target_of_group(group)
    if target is None:
        raise Conflict("this municipality takes no forwarded notes (no forwarding target is configured)")
    existing = session.scalar(
        select(NoteForward).where(NoteForward.note_id == note.id, NoteForward.target == target.code)
    )
    if existing is not None and existing.status != ForwardStatus.FAILED:
        return view(existing, target)  # already on its way, or there: never a second report
    remote = _remote_category(target, note.category, data.get("subject"))
    lat, lon = (note.lat, note.lon) if note.lat is not None else (data.get("lat"), data.get("lon"))
    if (lat is None) != (lon is None):
        raise Invalid("lon" if lat is not None else "lat", "give latitude and longitude together")
    if lat is None and target.needs_point:
        raise Invalid(
            "lat",
            f"{target.name} places every report on the map and this note has no location: send lat and lon "
            "of the place",
        )
    if lat is None and not note.street:
        raise Invalid("lat", f"{target.name} needs to know where: send lat and lon of the place")
    now = db.utcnow()
    values = {
        "remote_category": remote,
        "lat": lat,
        "lon": lon,
        "share_contact": bool(data.get("share_contact")) and is_author,
        "requested_by_id": viewer.id,
        "status": ForwardStatus.QUEUED,
        "attempts": 0,
        "error": None,
        "next_attempt_at": now,
        "lease_until": None,
    }
    if existing is not None:  # refused before; the coordinator fixed what was refused and sends it again
        if (existing.status, ForwardStatus.QUEUED) not in FORWARD_TRANSITIONS:
            raise Conflict(f"a forward that is {existing.status} cannot be sent again")
        for key, value in values.items():
            setattr(existing, key, value)
        forward = existing
    else:
        made = session.execute(
            db.dialect_insert(NoteForward.__table__)
            .values(
                id=uuid.uuid4(),
                note_id=note.id,
                target=target.code,
                kind=target.kind,
                idempotency_key=uuid.uuid4().hex,
                created_at=now,
                photos_pending=False,
                photos_sent=0,
                **values,
            )
            .on_conflict_do_nothing()
            .returning(NoteForward.__table__.c.id)
        ).first()
        forward = session.scalars(
            select(NoteForward).where(NoteForward.note_id == note.id, NoteForward.target == target.code)
        ).one()
        if made is None:  # someone else forwarded it at the same moment: theirs stands
            return view(forward, target)
    notes.record_from_outside(note, "forward_queued", target.name)
    session.flush()
    return view(forward, target)


def _remote_category(target: Target, category: str, subject: str | None) -> str:
    remote = target.remote_category(category, subject)
    if remote is not None:
        return remote
    subjects = [s for s in target.subjects(category) if s]
    if subject:
        known = ", ".join(subjects) or "none"
        raise Invalid("subject", f"{target.name} has no counterpart for {category}/{subject}; subjects: {known}")
    if subjects:
        raise Invalid("subject", f"say what it is, for {target.name}: one of {', '.join(subjects)}")
    raise Invalid("category", f"{target.name} takes no notes of category {category} from here")


def forwards_of(viewer: Person, note_id: uuid.UUID) -> list[dict[str, Any]]:
    note, _ = notes.note_for(viewer, note_id)
    configured = targets.configured()
    rows = db.session().scalars(
        select(NoteForward).where(NoteForward.note_id == note.id).order_by(NoteForward.created_at)
    )
    return [view(f, configured.get(f.target)) for f in rows]


def view(forward: NoteForward, target: Target | None) -> dict[str, Any]:
    return {
        "id": forward.id,
        "municipality": target.name if target else forward.target,
        "system": forward.kind,
        "remote_category": forward.remote_category,
        "status": forward.status,
        "remote_id": forward.remote_display or forward.remote_id,
        "remote_state": forward.remote_state,
        "remote_status_text": forward.remote_status_text,
        "error": forward.error,
        "attempts": forward.attempts,
        "next_attempt_at": forward.next_attempt_at if forward.status == ForwardStatus.QUEUED else None,
        "share_contact": forward.share_contact,
        "created_at": forward.created_at,
        "sent_at": forward.sent_at,
        "last_checked_at": forward.last_checked_at,
        "closed_at": forward.closed_at,
        "fixed_yet": {
            "asked_at": forward.fixed_yet_asked_at,
            "answer": None if forward.fixed_yet_fixed is None else FIXED if forward.fixed_yet_fixed else STILL_THERE,
            "answered_at": forward.fixed_yet_answered_at,
        },
    }


# "Fixed yet?": the author's answer, some weeks after the note went to the municipality

FIXED, STILL_THERE = "fixed", "still_there"


def answer_fixed_yet(viewer: Person, note_id: uuid.UUID, fixed: bool) -> dict[str, Any]:
    """Record the author's answer on the forward and in the note's history; the same answer again changes nothing,
    another replaces it (both stay in the history)."""
    note, _ = notes.note_for(viewer, note_id)
    if note.author_id != viewer.id:
        raise Forbidden("only the note's author answers whether it is fixed")
    session = db.session()
    forward = session.scalars(
        select(NoteForward)
        .where(NoteForward.note_id == note.id, NoteForward.fixed_yet_asked_at.is_not(None))
        .order_by(NoteForward.fixed_yet_asked_at.desc(), NoteForward.id)
        .limit(1)
    ).first()
    if forward is None:
        raise Conflict("this note was not asked whether it is fixed")
    if forward.fixed_yet_fixed is not fixed:
        forward.fixed_yet_fixed, forward.fixed_yet_answered_at = fixed, db.utcnow()
        # The author's word, with the author as its actor; the note's follow-up stays the coordinator's.
        session.add(
            NoteEvent(note_id=note.id, kind="fixed_yet", actor_id=viewer.id, reason=FIXED if fixed else STILL_THERE)
        )
        session.flush()
    return view(forward, targets.configured().get(forward.target))


def area_figures(area_id: int, month: str) -> dict[str, Any]:
    """The admin's anonymous forwarding figures of an area (and the areas below it) for a month."""
    try:
        year, number = parse_month(month)
    except Invalid:
        raise Invalid("month", "a month as YYYY-MM, e.g. 2026-11", location="query") from None
    area = db.session().get(Area, area_id)
    if area is None:
        raise NotFound("area")
    return {"area": area.name, "month": month, **figures.of_area(area.id, *month_bounds(year, number))}


# What goes to the municipality: the minimum it needs


def _contact(note: Note, forward: NoteForward) -> Person | None:
    if not forward.share_contact or note.author_id is None:
        return None
    return db.session().get(Person, note.author_id)


def _text(note: Note) -> str:
    place = f"\n\nPlek: {note.street}" if note.street else ""
    return (note.what.strip() + place)[:MAX_TEXT]


def signalen_payload(note: Note, forward: NoteForward, category_url: str) -> dict[str, Any]:
    """Signalen's public create (V1PublicSignalPost): text, a GeoJSON point, the sub-category, when."""
    payload: dict[str, Any] = {
        "text": _text(note),
        "location": {"geometrie": {"type": "Point", "coordinates": [forward.lon, forward.lat]}},
        "category": {"sub_category": category_url},
        "incident_date_start": note.observed_at.isoformat(),
    }
    person = _contact(note, forward)
    if person is not None:
        reporter = {k: v for k, v in (("email", person.verified_email), ("phone", person.phone)) if v}
        if reporter:
            payload["reporter"] = reporter
    return payload


def open311_payload(note: Note, forward: NoteForward) -> dict[str, Any]:
    """GeoReport v2's POST requests: service_code, where (lat/long, else the street), the description."""
    payload: dict[str, Any] = {"service_code": forward.remote_category, "description": _text(note)}
    if forward.lat is not None:
        payload["lat"], payload["long"] = forward.lat, forward.lon
    else:
        payload["address_string"] = note.street
    person = _contact(note, forward)
    if person is not None:
        first, _, last = person.display_name.partition(" ")
        contact = {"first_name": first, "last_name": last, "email": person.verified_email, "phone": person.phone}
        payload.update({k: v for k, v in contact.items() if v})
    return payload


# The municipality's answer


def apply_remote_status(forward: NoteForward, target: Target, status: RemoteStatus) -> bool:
    """Record the municipality's status; a change goes into the note's history and to its author. True if changed."""
    forward.last_checked_at = db.utcnow()
    if (forward.remote_state, forward.remote_status_text) == (status.state, status.text):
        return False
    forward.remote_state, forward.remote_status_text = status.state, status.text[:1000]
    forward.answered_at = forward.answered_at or forward.last_checked_at
    closed = status.state == "closed"
    new = ForwardStatus.CLOSED if closed else ForwardStatus.ACKNOWLEDGED
    if (forward.status, new) in FORWARD_TRANSITIONS:
        forward.status = new
        forward.closed_at = forward.last_checked_at if closed else None
    note = db.session().get(Note, forward.note_id)
    if note is None:
        return True
    notes.record_from_outside(
        note, "municipality", f"{target.name}: {status.text}", NoteStatus.RESOLVED if closed else NoteStatus.REPORTED
    )
    if note.author_id is not None:
        outbox.queue(
            note.author_id, "forward.municipality_says", municipality=target.name, status=status.text, note_id=note.id
        )
    return True
