"""Privacy rights (AVG/GDPR): a person's own data as an export, erasing an account, and the audit log.

Erasing keeps the group's history sound: the person's row stays as a pseudonymous tombstone (no
name, e-mail, phone or sign-in uid) wherever history points at it (notes, walked patrols, alert
numbers), so counts never shrink and no foreign key dangles; a row nothing points at is deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from buurtwacht import db
from buurtwacht.alerts import service as alerts
from buurtwacht.auth.service import current_person
from buurtwacht.devices import service as devices
from buurtwacht.errors import Conflict
from buurtwacht.members import service as members
from buurtwacht.models import (
    Alert,
    AlertFeed,
    AlertRecipient,
    AlertResponder,
    AlertTip,
    Area,
    AreaSubscription,
    CalendarFeed,
    Device,
    Email,
    ErasedAccount,
    Group,
    Membership,
    MembershipEvent,
    MembershipRole,
    MembershipStatus,
    Note,
    NoteAccess,
    NoteComment,
    NoteEvent,
    NotePhoto,
    Notification,
    OfficerAssignment,
    Patrol,
    PatrolEvent,
    PatrolSignup,
    Person,
    SwapRequest,
    SwapStatus,
)
from buurtwacht.models.erasure import ERASURE_MEMORY, uid_hash
from buurtwacht.notes import photos
from buurtwacht.pagination import paginate

# What group members, coordinators and the audit log show where an erased person's name was. One word,
# so the short name fellow members see is the same; the same for everyone, so it links nothing.
PSEUDONYM = "Oud-deelnemer"


# The export


def _by(actor_id: uuid.UUID | None, person: Person) -> bool:
    return actor_id == person.id


def _profile(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.verified_email or person.unverified_email,
        "display_name": person.display_name,
        "phone": person.phone,
        "locale": person.locale,
        "is_admin": person.is_admin,
        "created_at": person.created_at,
        "quiet_from": person.quiet_from,
        "quiet_until": person.quiet_until,
        "reminder_leads": person.reminder_leads,
    }


def _memberships(person: Person) -> list[dict[str, Any]]:
    session = db.session()
    rows = session.execute(
        select(Membership, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == person.id)
        .order_by(Membership.created_at, Membership.id)
    ).all()
    history: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for event in session.scalars(
        select(MembershipEvent)
        .where(MembershipEvent.membership_id.in_([m.id for m, _ in rows]))
        .order_by(MembershipEvent.at, MembershipEvent.id)
    ):
        history[event.membership_id].append(
            {"kind": event.kind, "detail": event.detail, "at": event.at, "by_you": _by(event.actor_id, person)}
        )
    return [
        {
            "id": m.id,
            "group_id": m.group_id,
            "group_name": name,
            "role": m.role,
            "status": m.status,
            "created_at": m.created_at,
            "updated_at": m.updated_at,
            "history": history[m.id],
        }
        for m, name in rows
    ]


def _devices(person: Person) -> list[dict[str, Any]]:
    rows = db.session().scalars(select(Device).where(Device.person_id == person.id).order_by(Device.created_at))
    return [{**devices.view(d), "created_at": d.created_at} for d in rows]


def _patrols(person: Person) -> list[dict[str, Any]]:
    session = db.session()
    rows = session.execute(
        select(PatrolSignup, Patrol, Group.name)
        .join(Patrol, Patrol.id == PatrolSignup.patrol_id)
        .join(Group, Group.id == Patrol.group_id)
        .where(PatrolSignup.person_id == person.id)
        .order_by(Patrol.starts_at, Patrol.id)
    ).all()
    # Only the events about this person; an event about someone else on the same patrol is theirs.
    history: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for event in session.scalars(
        select(PatrolEvent).where(PatrolEvent.person_id == person.id).order_by(PatrolEvent.at, PatrolEvent.id)
    ):
        history[event.patrol_id].append({"kind": event.kind, "at": event.at, "by_you": _by(event.actor_id, person)})
    return [
        {
            "patrol_id": patrol.id,
            "group_id": patrol.group_id,
            "group_name": name,
            "starts_at": patrol.starts_at,
            "ends_at": patrol.ends_at,
            "meeting_point": patrol.meeting_point,
            "patrol_status": patrol.status,
            "status": signup.status,
            "queued_at": signup.queued_at,
            "checked_in_at": signup.checked_in_at,
            "checked_out_at": signup.checked_out_at,
            "no_show": signup.no_show,
            "history": history[patrol.id],
        }
        for signup, patrol, name in rows
    ]


def _swaps(person: Person) -> list[dict[str, Any]]:
    rows = db.session().scalars(
        select(SwapRequest)
        .where(or_(SwapRequest.from_person_id == person.id, SwapRequest.to_person_id == person.id))
        .order_by(SwapRequest.created_at, SwapRequest.id)
    )
    return [
        {
            "id": s.id,
            "patrol_id": s.patrol_id,
            "other_patrol_id": s.other_patrol_id,
            "direction": "offered" if s.from_person_id == person.id else "received",
            "status": s.status,
            "created_at": s.created_at,
            "decided_at": s.decided_at,
        }
        for s in rows
    ]


NOTE_FIELDS = (
    "id", "group_id", "category", "what", "observed_at", "lat", "lon", "accuracy_m", "street", "area_id",
    "patrol_id", "called", "called_by", "urgency", "status", "held", "shared_with_police_at", "created_at",
    "updated_at",
)  # fmt: skip


def _notes(person: Person) -> list[dict[str, Any]]:
    session = db.session()
    rows = session.execute(
        select(Note, Group.name)
        .join(Group, Group.id == Note.group_id)
        .where(Note.author_id == person.id)
        .order_by(Note.observed_at, Note.id)
    ).all()
    ids = [note.id for note, _ in rows]
    photos: dict[uuid.UUID, list[NotePhoto]] = defaultdict(list)
    for photo in session.scalars(
        select(NotePhoto).where(NotePhoto.note_id.in_(ids)).order_by(NotePhoto.created_at, NotePhoto.id)
    ):
        photos[photo.note_id].append(photo)
    comments: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for comment in session.scalars(
        select(NoteComment).where(NoteComment.note_id.in_(ids)).order_by(NoteComment.created_at, NoteComment.id)
    ):
        comments[comment.note_id].append(
            {
                "id": comment.id,
                "text": comment.text,
                "created_at": comment.created_at,
                "by_you": _by(comment.author_id, person),
            }
        )
    # Who acted, named as the note's own view names them for this person: the full name in a group they
    # coordinate, else first name and initial; an erased account as its pseudonym.
    group_of = {note.id: note.group_id for note, _ in rows}
    coordinated = set(
        session.scalars(
            select(Membership.group_id).where(
                Membership.person_id == person.id,
                Membership.role == MembershipRole.COORDINATOR,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    history: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for event, actor in session.execute(
        select(NoteEvent, Person)
        .outerjoin(Person, Person.id == NoteEvent.actor_id)
        .where(NoteEvent.note_id.in_(ids))
        .order_by(NoteEvent.at, NoteEvent.id)
    ):
        full = actor is not None and (actor.id == person.id or group_of[event.note_id] in coordinated)
        history[event.note_id].append(
            {
                "kind": event.kind,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "reason": event.reason,
                "at": event.at,
                "by": None if actor is None else actor.display_name if full else actor.short_name,
                "by_you": _by(event.actor_id, person),
            }
        )
    return [
        {
            **{field: getattr(note, field) for field in NOTE_FIELDS},
            "group_name": name,
            "photos": photos[note.id],
            "comments": comments[note.id],
            "history": history[note.id],
        }
        for note, name in rows
    ]


def _comments_on_other_notes(person: Person) -> list[NoteComment]:
    return list(
        db.session().scalars(
            select(NoteComment)
            .join(Note, Note.id == NoteComment.note_id)
            .where(NoteComment.author_id == person.id, or_(Note.author_id.is_(None), Note.author_id != person.id))
            .order_by(NoteComment.created_at, NoteComment.id)
        )
    )


def _alerts_received(person: Person) -> list[dict[str, Any]]:
    session = db.session()
    received = set(session.scalars(select(AlertRecipient.alert_id).where(AlertRecipient.person_id == person.id)))
    looking = {
        alert_id: at
        for alert_id, at in session.execute(
            select(AlertResponder.alert_id, AlertResponder.at).where(AlertResponder.person_id == person.id)
        )
    }
    alerts = session.scalars(
        select(Alert).where(Alert.id.in_(received | set(looking))).order_by(Alert.created_at, Alert.id)
    )
    return [
        {
            "alert_id": a.id,
            "kind": a.kind,
            "created_at": a.created_at,
            "received": a.id in received,
            "looking": a.id in looking,
            "looking_since": looking.get(a.id),
        }
        for a in alerts
    ]


def _areas_of(person: Person, model: type[AreaSubscription] | type[AlertFeed]) -> list[dict[str, Any]]:
    """The areas of a person's subscriptions or alert feeds, with when each was made."""
    rows = db.session().execute(
        select(Area.id, Area.name, model.created_at)
        .join(model, model.area_id == Area.id)
        .where(model.person_id == person.id)
        .order_by(Area.name)
    )
    return [{"area_id": i, "area_name": n, "created_at": at} for i, n, at in rows]


def export() -> dict[str, Any]:
    """Everything held about the signed-in person, and nothing about anyone else."""
    person = current_person()
    session = db.session()
    feed = session.get(CalendarFeed, person.id)
    return {
        "exported_at": db.utcnow(),
        "profile": _profile(person),
        "officer_areas": session.scalars(
            select(Area)
            .join(OfficerAssignment, OfficerAssignment.area_id == Area.id)
            .where(OfficerAssignment.person_id == person.id)
            .order_by(Area.name)
        ).all(),
        "memberships": _memberships(person),
        "devices": _devices(person),
        "patrols": _patrols(person),
        "swaps": _swaps(person),
        "notes": _notes(person),
        "comments": _comments_on_other_notes(person),
        "tips": [
            {"tip": tip, "photo": alerts.tip_photo_view(tip)}
            for tip in session.scalars(
                select(AlertTip).where(AlertTip.person_id == person.id).order_by(AlertTip.created_at, AlertTip.id)
            )
        ],
        "alerts_received": _alerts_received(person),
        "alerts_issued": session.scalars(
            select(Alert).where(Alert.issuer_id == person.id).order_by(Alert.created_at, Alert.id)
        ).all(),
        "subscriptions": _areas_of(person, AreaSubscription),
        "calendar_feed": {"active": feed is not None, "created_at": feed.created_at if feed else None},
        "alert_feeds": _areas_of(person, AlertFeed),
        "emails": session.scalars(
            select(Email).where(Email.person_id == person.id).order_by(Email.created_at, Email.id)
        ).all(),
        "notifications": session.scalars(
            select(Notification)
            .where(Notification.person_id == person.id)
            .order_by(Notification.created_at, Notification.id)
        ).all(),
        "note_reads": session.scalars(
            select(NoteAccess).where(NoteAccess.reader_id == person.id).order_by(NoteAccess.at, NoteAccess.id)
        ).all(),
    }


# Erasure


def _groups_left_without_coordinator(person: Person) -> list[str]:
    """Names of the groups in which the person is the only active coordinator."""
    colleague = aliased(Membership)
    other = select(colleague.id).where(
        colleague.group_id == Group.id,
        colleague.role == MembershipRole.COORDINATOR,
        colleague.status == MembershipStatus.ACTIVE,
        colleague.person_id != person.id,
    )
    return list(
        db.session().scalars(
            select(Group.name)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.person_id == person.id,
                Membership.role == MembershipRole.COORDINATOR,
                Membership.status == MembershipStatus.ACTIVE,
                ~exists(other),
            )
            .order_by(Group.name)
        )
    )


def _referenced(person_id: uuid.UUID) -> bool:
    """Whether any row still points at the person (history that must keep its foreign key)."""
    session = db.session()
    people = Person.__table__
    for table in db.Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is people and session.scalar(select(exists().where(fk.parent == person_id))):
                return True
    return False


def delete_me() -> None:
    """Erase the signed-in person's account, in this one transaction.

    Memberships end as if they left (their places on planned patrols go to the waiting list);
    devices, tips, "I'm looking", subscriptions, the calendar and alert feeds, officer areas, e-mails and queued
    pushes go; notes, comments and walked patrols stay with the group under the pseudonym. A person nothing points
    at is deleted.
    """
    person = current_person()
    session = db.session()
    sole = _groups_left_without_coordinator(person)
    if sole:
        raise Conflict(
            f"you are the last coordinator of {', '.join(sole)}: make another member coordinator first, "
            "then delete your account"
        )
    for membership in session.scalars(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.PENDING)),
        )
    ).all():
        # As leaving the group: the last-coordinator rule is checked again under the group's lock.
        members.end_membership(person, membership.group_id, membership.id)
    session.execute(
        update(SwapRequest)
        .where(
            SwapRequest.status == SwapStatus.OFFERED,
            or_(SwapRequest.from_person_id == person.id, SwapRequest.to_person_id == person.id),
        )
        .values(status=SwapStatus.WITHDRAWN, decided_at=db.utcnow())
    )
    devices.remove(Device.person_id == person.id)
    tip_photos = [
        key for key in session.scalars(select(AlertTip.photo_key).where(AlertTip.person_id == person.id)) if key
    ]
    for model in (AlertTip, AlertResponder, AreaSubscription, CalendarFeed, AlertFeed, OfficerAssignment, Notification):
        session.execute(delete(model).where(model.person_id == person.id))
    # Queued mail would still reach the old address; sent mail holds it in its headers.
    mailed = Email.person_id == person.id
    if person.verified_email:
        mailed = or_(mailed, func.lower(Email.to_address) == person.verified_email.lower())
    session.execute(delete(Email).where(mailed))
    _remember_erasure(person)
    _erase(person)
    session.flush()
    if not _referenced(person.id):
        session.delete(person)
        session.flush()
    # The tips' photos go now, not with the nightly sweep of files without a row: the erasure is immediate.
    for key in tip_photos:
        photos.path_of(photos.folder(), key).unlink(missing_ok=True)


def _remember_erasure(person: Person) -> None:
    """Keep the uid's hash and the time, so the ID tokens still out there cannot make the person again."""
    session = db.session()
    now = db.utcnow()
    forget_erasures(now)
    if person.firebase_uid is not None:
        key = uid_hash(person.firebase_uid)
        record = session.get(ErasedAccount, key)
        if record is None:
            session.add(ErasedAccount(uid_hash=key, erased_at=now))
        else:
            record.erased_at = now
        session.flush()


def forget_erasures(now: dt.datetime) -> int:
    """Drop the erasure records whose tokens have all expired (ERASURE_MEMORY); returns how many."""
    result = db.session().execute(delete(ErasedAccount).where(ErasedAccount.erased_at < now - ERASURE_MEMORY))
    return int(getattr(result, "rowcount", 0) or 0)


def _erase(person: Person) -> None:
    person.firebase_uid = None  # the same Firebase account signing in again is a new person
    person.verified_email = None
    person.unverified_email = None
    person.display_name = PSEUDONYM
    person.phone = None
    person.is_admin = False
    person.quiet_from = None
    person.quiet_until = None
    person.reminder_hours = ""


# The audit log


def audit_log(filters: dict[str, Any], page: PaginationParameters) -> list[dict[str, Any]]:
    """Officers' reads of shared notes, newest first (admins)."""
    query = select(NoteAccess).order_by(NoteAccess.at.desc(), NoteAccess.id.desc())
    if "from" in filters:
        query = query.where(NoteAccess.at >= filters["from"])
    if "to" in filters:
        query = query.where(NoteAccess.at < filters["to"])
    if "reader_id" in filters:
        query = query.where(NoteAccess.reader_id == filters["reader_id"])
    reads: list[NoteAccess] = paginate(query, page)
    session = db.session()
    readers = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.id.in_({r.reader_id for r in reads if r.reader_id})))
    }
    groups = {
        note_id: group
        for note_id, group in session.execute(
            select(Note.id, Group)
            .join(Group, Group.id == Note.group_id)
            .where(Note.id.in_({r.note_id for r in reads if r.note_id}))
        )
    }
    return [
        {
            "id": r.id,
            "at": r.at,
            "via": r.via,
            "note_id": r.note_id,
            "reader": _named(readers.get(r.reader_id)) if r.reader_id else None,
            "group": _group(groups.get(r.note_id)) if r.note_id else None,
        }
        for r in reads
    ]


def _named(person: Person | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.id, "name": person.display_name}


def _group(group: Group | None) -> dict[str, Any] | None:
    return None if group is None else {"id": group.id, "name": group.name}
