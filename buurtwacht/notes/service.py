"""Notes: recording (idempotent by the client's id), who sees what, follow-up, comments, photos, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from flask import current_app
from flask_smorest.pagination import PaginationParameters
from sqlalchemy import delete, func, insert, select

from buurtwacht import access, db, spreadsheets
from buurtwacht.access import Relation
from buurtwacht.errors import Conflict, Forbidden, Invalid, NotFound
from buurtwacht.messages import Wording, text
from buurtwacht.models import (
    Area,
    GroupCategory,
    Note,
    NoteAccess,
    NoteComment,
    NoteEvent,
    NotePhoto,
    NoteStatus,
    Patrol,
    Person,
)
from buurtwacht.models.note import NOTE_TRANSITIONS
from buurtwacht.notes import photos, places, wording
from buurtwacht.notes.categories import CATEGORIES, RECORDABLE, REFERRALS
from buurtwacht.pagination import paginate

CLOCK_SKEW = dt.timedelta(minutes=5)
HELD_REASON = "description rests on origin or appearance"
CONTENT_FIELDS = (
    "category", "what", "observed_at", "lat", "lon", "accuracy_m", "street", "area_id", "patrol_id", "called",
    "called_by", "urgency",
)  # fmt: skip


def _settings() -> Any:
    return current_app.config["BUURTWACHT"]


def _event(note: Note, kind: str, actor: Person | None, reason: str | None = None, **statuses: str) -> None:
    db.session().add(
        NoteEvent(
            note_id=note.id,
            kind=kind,
            actor_id=actor.id if actor else None,
            reason=reason,
            from_status=statuses.get("from_status"),
            to_status=statuses.get("to_status"),
        )
    )


def _history_entry(
    kind: str, at: dt.datetime, reason: str | None = None, from_status: str | None = None, to_status: str | None = None
) -> dict[str, Any]:
    """One line of a note's history, as stored (who acted is added for each reader: _with_actors)."""
    return {"kind": kind, "from_status": from_status, "to_status": to_status, "reason": reason, "at": at}


def _with_actors(
    histories: dict[uuid.UUID, list[tuple[dict[str, Any], uuid.UUID | None]]],
    known: dict[uuid.UUID, Person],
    viewer: Person,
    full: bool,
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each note's history lines with who acted, named as this reader may see them (`_name`): coordinators the
    full name, fellow members and the wijkagent first name and initial, an erased account its pseudonym; null
    where nobody did (the municipality's answers, the forwarding's steps). People not in `known` (the authors,
    who made most lines) are read in one query for the whole page."""
    ids = {actor_id for lines in histories.values() for _, actor_id in lines if actor_id is not None}
    missing = ids - known.keys()
    people = dict(known)
    if missing:
        people.update({p.id: p for p in db.session().scalars(select(Person).where(Person.id.in_(missing)))})
    return {
        note_id: [{**entry, "by": _name(people.get(actor_id) if actor_id else None, viewer, full)}
                  for entry, actor_id in lines]
        for note_id, lines in histories.items()
    }  # fmt: skip


def _request_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps({k: data.get(k) for k in CONTENT_FIELDS}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


# Categories


def group_categories(group_id: uuid.UUID) -> list[str]:
    chosen = list(db.session().scalars(select(GroupCategory.category).where(GroupCategory.group_id == group_id)))
    return [c for c in CATEGORIES if c in chosen] if chosen else list(CATEGORIES)


def categories_of(viewer: Person, group_id: uuid.UUID) -> list[str]:
    group, _ = access.group_for(viewer, group_id, access.ANYONE_RELATED)
    return group_categories(group.id)


def choose_categories(viewer: Person, group_id: uuid.UUID, codes: list[str]) -> list[str]:
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    for index, code in enumerate(codes):
        if code not in CATEGORIES:
            raise Invalid("categories", f"item {index}: unknown category {code!r}")
    session = db.session()
    session.execute(delete(GroupCategory).where(GroupCategory.group_id == group.id))
    for code in dict.fromkeys(codes):
        session.add(GroupCategory(group_id=group.id, category=code))
    session.flush()
    return group_categories(group.id)


# Recording


def _check_content(group_id: uuid.UUID, data: dict[str, Any], now: dt.datetime) -> None:
    _check_category(data["category"])
    if data["category"] not in group_categories(group_id):
        raise unused_category()
    _check_the_rest(group_id, data, now)


def unused_category() -> Invalid:
    return Invalid("category", "this group does not use this category")


def _check_category(category: str) -> None:
    """What the category itself allows, before the group's choice of categories."""
    if category not in CATEGORIES:
        raise Invalid("category", "unknown category; see GET /api/v1/note-categories")
    if category not in RECORDABLE:
        raise Invalid(
            "category",
            "domestic violence is never recorded here: call Veilig Thuis (0800-2000), or 112 in immediate danger",
        )


def _check_the_rest(group_id: uuid.UUID, data: dict[str, Any], now: dt.datetime) -> None:
    """When, where and on which patrol, after the category."""
    observed = data["observed_at"]
    if observed > now + CLOCK_SKEW:
        raise Invalid("observed_at", "lies in the future")
    if observed < now - dt.timedelta(hours=_settings().NOTE_MAX_AGE_HOURS):
        raise Invalid("observed_at", f"lies more than {_settings().NOTE_MAX_AGE_HOURS} hours back")
    if (data.get("lat") is None) != (data.get("lon") is None):
        raise Invalid("lon" if data.get("lat") is not None else "lat", "give latitude and longitude together")
    if data.get("lat") is None and not data.get("street"):
        raise Invalid("street", "say where: a location (lat, lon) or a street description")
    if data.get("patrol_id") is not None:
        patrol = db.session().get(Patrol, data["patrol_id"])
        if patrol is None or patrol.group_id != group_id:
            raise Invalid("patrol_id", "no patrol of this group with this id")
    if data.get("area_id") is not None and db.session().get(Area, data["area_id"]) is None:
        raise Invalid("area_id", "no area with this id")


def _hold_if_needed(note: Note, actor: Person) -> None:
    held = wording.rests_on_appearance(note.what)
    if held and not note.held:
        _event(note, "held", actor, reason=HELD_REASON)
    elif note.held and not held:
        _event(note, "unheld", actor, reason="description edited")
    note.held = held


def record_note(author: Person, group_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Record a note and answer with it as its author sees it.

    A retry with the same id and body returns the same note; the same id with another body is 409.
    The note goes in with ON CONFLICT DO NOTHING, so a retry (or two at once) costs no read first and
    can never fail on the key; only when nothing went in is the note there read. A new note is
    answered from what this request made, without reading it back.
    """
    group, relations = access.group_for(author, group_id, access.MEMBERS)
    session = db.session()
    digest = _request_hash(data)
    now = db.utcnow()
    try:
        _check_content(group.id, data, now)
    except Invalid:
        # A retry from the offline queue stays the same note even when it could not be recorded today
        # (too old by now, a category the group has stopped using).
        existing = session.get(Note, data["id"])
        if existing is None:
            raise
        return _replayed(existing, author, group.id, relations, digest)
    note = Note(
        id=data["id"],
        group_id=group.id,
        author_id=author.id,
        request_hash=digest,
        created_at=now,
        updated_at=now,
        status=NoteStatus.OPEN,
        shared_with_police_at=None,
        held=wording.rests_on_appearance(data["what"]),
        **{k: data.get(k) for k in CONTENT_FIELDS},
    )
    if note.area_id is None:
        note.area_id = group.area_id
    note.place_key = places.place_key(note.street, note.lat, note.lon)
    columns = {column.key: getattr(note, column.key) for column in Note.__table__.columns}
    made = session.execute(
        db.dialect_insert(Note.__table__).values(columns).on_conflict_do_nothing().returning(Note.__table__.c.id)
    ).first()
    if made is None:
        return _replayed(session.get(Note, note.id), author, group.id, relations, digest)
    history = [_history_entry("created", now)]
    if note.held:
        history.append(_history_entry("held", now, HELD_REASON))
    session.execute(insert(NoteEvent), [{**entry, "note_id": note.id, "actor_id": author.id} for entry in history])
    history = [{**entry, "by": author.display_name} for entry in history]  # the author's own acts
    return _shaped(note, author, author, Relation.COORDINATOR in relations, history=history, comments=[], photo_ids=[])


def _replayed(
    existing: Note | None, author: Person, group_id: uuid.UUID, relations: set[Relation], digest: str
) -> dict[str, Any]:
    """The answer to a note sent again: the note as it is now if it is the same one, else 409."""
    if (
        existing is None  # made and deleted between the insert and this read
        or existing.group_id != group_id
        or existing.author_id != author.id
        or existing.request_hash != digest
    ):
        raise Conflict("a different note exists with this id")
    return view(existing, author, relations)


# Reading


def _audit(notes: list[Note], reader: Person, via: str) -> None:
    session = db.session()
    for note in notes:
        session.add(NoteAccess(note_id=note.id, reader_id=reader.id, via=via))


def note_for(viewer: Person, note_id: uuid.UUID, via: str = "detail") -> tuple[Note, set[Relation]]:
    """The note if the viewer may read it; officers' reads are written to the audit log."""
    note = db.session().get(Note, note_id)
    if note is None:
        raise NotFound("note")
    _, relations = access.group_for(viewer, note.group_id, access.ANYONE_RELATED, what="note")
    if relations & access.MEMBERS:
        if note.held and note.author_id != viewer.id and Relation.COORDINATOR not in relations:
            raise NotFound("note")
        return note, relations
    if Relation.OFFICER in relations and note.shared_with_police_at is not None and not note.held:
        _audit([note], viewer, via)
        return note, relations
    if Relation.ADMIN in relations and Relation.OFFICER not in relations:
        raise Forbidden("admins see counts of notes only")
    raise NotFound("note")


def view(note: Note, viewer: Person, relations: set[Relation]) -> dict[str, Any]:
    return views([note], viewer, relations)[0]


def views(notes: list[Note], viewer: Person, relations: set[Relation]) -> list[dict[str, Any]]:
    """Notes as their readers see them, in four queries for a whole page (not four per note)."""
    session = db.session()
    ids = [n.id for n in notes]
    full = Relation.COORDINATOR in relations
    author_ids = {n.author_id for n in notes if n.author_id is not None}
    authors = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(author_ids)))} if author_ids else {}
    events: dict[uuid.UUID, list[tuple[dict[str, Any], uuid.UUID | None]]] = {i: [] for i in ids}
    comments: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    photo_ids: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in ids}
    if ids:
        for e in session.execute(
            select(NoteEvent.note_id, NoteEvent.kind, NoteEvent.from_status, NoteEvent.to_status, NoteEvent.reason,
                   NoteEvent.at, NoteEvent.actor_id).where(NoteEvent.note_id.in_(ids)).order_by(NoteEvent.id)
        ):  # fmt: skip
            entry = _history_entry(e.kind, e.at, e.reason, e.from_status, e.to_status)
            events[e.note_id].append((entry, e.actor_id))
        for c, who in session.execute(
            select(NoteComment, Person)
            .outerjoin(Person, Person.id == NoteComment.author_id)
            .where(NoteComment.note_id.in_(ids))
            .order_by(NoteComment.created_at, NoteComment.id)
        ):
            comments[c.note_id].append(
                {"id": c.id, "text": c.text, "author": _name(who, viewer, full), "created_at": c.created_at}
            )
        for note_id, photo_id in session.execute(
            select(NotePhoto.note_id, NotePhoto.id).where(NotePhoto.note_id.in_(ids)).order_by(NotePhoto.created_at)
        ):
            photo_ids[note_id].append(photo_id)
    history = _with_actors(events, authors, viewer, full)
    return [
        _shaped(note, authors.get(note.author_id) if note.author_id is not None else None, viewer, full,
                history=history[note.id], comments=comments[note.id], photo_ids=photo_ids[note.id])
        for note in notes
    ]  # fmt: skip


def _shaped(
    note: Note,
    author: Person | None,
    viewer: Person,
    full: bool,
    history: list[dict[str, Any]],
    comments: list[dict[str, Any]],
    photo_ids: list[uuid.UUID],
) -> dict[str, Any]:
    """A note as this viewer sees it, from what is already loaded."""
    result: dict[str, Any] = {
        **{k: getattr(note, k) for k in (*CONTENT_FIELDS, "id", "group_id", "status", "held", "created_at")},
        "shared_with_police": note.shared_with_police_at is not None,
        "author": _name(author, viewer, full),
        "mine": author is not None and author.id == viewer.id,
        "editable_until": note.created_at + dt.timedelta(minutes=_settings().NOTE_EDIT_MINUTES),
        "referrals": [REFERRALS[code] for code in CATEGORIES[note.category].referrals],
        "history": history,
        "comments": comments,
        "photo_ids": photo_ids,
    }
    if note.held:
        result["review_message"] = text("note.held", viewer.locale)
    return result


def _name(person: Person | None, viewer: Person, full: bool) -> str | None:
    """Fellow readers see first name and initial; coordinators, and the person themselves, the full name."""
    if person is None:
        return None
    return person.display_name if full or person.id == viewer.id else person.short_name


def get_note(viewer: Person, note_id: uuid.UUID) -> dict[str, Any]:
    note, relations = note_for(viewer, note_id)
    return view(note, viewer, relations)


def _filtered(query: Any, filters: dict[str, Any]) -> Any:
    for name, column in (
        ("status", Note.status),
        ("category", Note.category),
        ("area_id", Note.area_id),
        ("patrol_id", Note.patrol_id),
    ):
        if name in filters:
            query = query.where(column == filters[name])
    if "from" in filters:
        query = query.where(Note.observed_at >= filters["from"])
    if "to" in filters:
        query = query.where(Note.observed_at < filters["to"])
    return query


def list_notes(
    viewer: Person, group_id: uuid.UUID, filters: dict[str, Any], page: PaginationParameters
) -> list[dict[str, Any]]:
    group, relations = access.group_for(viewer, group_id, access.MEMBERS_AND_OFFICERS)
    query = select(Note).where(Note.group_id == group.id).order_by(Note.observed_at.desc(), Note.id)
    if relations & access.MEMBERS:
        if Relation.COORDINATOR not in relations:
            query = query.where((Note.held.is_(False)) | (Note.author_id == viewer.id))
        elif "held" in filters:
            query = query.where(Note.held.is_(filters["held"]))
    else:  # the wijkagent: what was shared with the police, and every read is logged
        query = query.where(Note.shared_with_police_at.is_not(None), Note.held.is_(False))
    notes = paginate(_filtered(query, filters), page)
    if not relations & access.MEMBERS:
        _audit(notes, viewer, "list")
    return views(notes, viewer, relations)


def counts(viewer: Person, group_id: uuid.UUID, filters: dict[str, Any]) -> dict[str, Any]:
    """Numbers only: by category and by status. What admins (and everyone related) may see."""
    group, _ = access.group_for(viewer, group_id, access.GROUP_WIDE_READERS)
    base = _filtered(select(Note.category, Note.status, func.count()).where(Note.group_id == group.id), filters)
    rows = db.session().execute(base.group_by(Note.category, Note.status)).all()
    by_category: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for category, status, n in rows:
        by_category[category] = by_category.get(category, 0) + n
        by_status[str(status)] = by_status.get(str(status), 0) + n
    return {"total": sum(by_category.values()), "by_category": by_category, "by_status": by_status}


# Changing


def update_note(author: Person, note_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    note, relations = note_for(author, note_id)
    if note.author_id != author.id:
        raise Forbidden("only the author edits a note; add a comment instead")
    if db.utcnow() > note.created_at + dt.timedelta(minutes=_settings().NOTE_EDIT_MINUTES):
        raise Conflict(f"notes can be edited for {_settings().NOTE_EDIT_MINUTES} minutes; add a comment instead")
    merged = {k: changes.get(k, getattr(note, k)) for k in CONTENT_FIELDS}
    _check_content(note.group_id, merged, note.created_at)
    for key, value in changes.items():
        setattr(note, key, value)
    note.place_key = places.place_key(note.street, note.lat, note.lon)
    note.updated_at = db.utcnow()
    _event(note, "edited", author)
    if "what" in changes:  # a released note stays released when only its place or time is corrected
        _hold_if_needed(note, author)
    db.session().flush()
    return view(note, author, relations)


def share_with_police(viewer: Person, note_id: uuid.UUID) -> dict[str, Any]:
    note, relations = note_for(viewer, note_id)
    if note.author_id != viewer.id and Relation.COORDINATOR not in relations:
        raise Forbidden("the author or a coordinator shares a note with the wijkagent")
    if note.held:
        raise Conflict("a note held for review cannot be shared; edit it or ask your coordinator")
    if note.shared_with_police_at is None:
        note.shared_with_police_at = db.utcnow()
        _event(note, "shared", viewer)
        db.session().flush()
    return view(note, viewer, relations)


def change_status(viewer: Person, note_id: uuid.UUID, to: NoteStatus, reason: str) -> dict[str, Any]:
    note, relations = note_for(viewer, note_id)
    if Relation.COORDINATOR not in relations:
        raise Forbidden("coordinators follow notes up")
    if (note.status, to) not in NOTE_TRANSITIONS:
        raise Conflict(f"a note that is {note.status} cannot become {to}")
    _event(note, "status", viewer, reason=reason, from_status=str(note.status), to_status=str(to))
    note.status = to
    note.updated_at = db.utcnow()
    db.session().flush()
    return view(note, viewer, relations)


def record_from_outside(note: Note, kind: str, reason: str, to: NoteStatus | None = None) -> bool:
    """Append what happened to the note elsewhere (the municipality's answer) to its history, with no
    actor; move its follow-up to `to` where the transitions allow. True when the status moved."""
    if to is None or to == note.status or (note.status, to) not in NOTE_TRANSITIONS:
        _event(note, kind, None, reason=reason[:1000])
        return False
    _event(note, kind, None, reason=reason[:1000], from_status=str(note.status), to_status=str(to))
    note.status = to
    note.updated_at = db.utcnow()
    return True


def review(viewer: Person, note_id: uuid.UUID, release: bool, reason: str) -> dict[str, Any]:
    """A coordinator releases a held note to the group, or closes it without action."""
    note, relations = note_for(viewer, note_id)
    if Relation.COORDINATOR not in relations:
        raise Forbidden("coordinators review held notes")
    if not note.held:
        raise Conflict("this note is not held for review")
    if release:
        note.held = False
        _event(note, "released", viewer, reason=reason)
    else:
        if (note.status, NoteStatus.NO_ACTION) not in NOTE_TRANSITIONS:
            raise Conflict(f"a note that is {note.status} cannot be closed")
        _event(note, "status", viewer, reason=reason, from_status=str(note.status), to_status=str(NoteStatus.NO_ACTION))
        note.status = NoteStatus.NO_ACTION
    db.session().flush()
    return view(note, viewer, relations)


def add_comment(viewer: Person, note_id: uuid.UUID, body: str) -> dict[str, Any]:
    note, relations = note_for(viewer, note_id)
    if wording.rests_on_appearance(body):
        raise Invalid("text", Wording("note.held"))
    db.session().add(NoteComment(note_id=note.id, author_id=viewer.id, text=body))
    db.session().flush()
    return view(note, viewer, relations)


# Photos


def _photo_dir() -> Path:
    folder = Path(_settings().PHOTO_DIR)
    return folder if folder.is_absolute() else Path(current_app.instance_path) / folder


def add_photo(author: Person, note_id: uuid.UUID, raw: bytes) -> NotePhoto:
    note, _ = note_for(author, note_id)
    if note.author_id != author.id:
        raise Forbidden("only the author adds photos")
    if db.utcnow() > note.created_at + dt.timedelta(minutes=_settings().NOTE_EDIT_MINUTES):
        raise Conflict("photos can be added while the note can be edited")
    session = db.session()
    count = session.scalar(select(func.count()).where(NotePhoto.note_id == note.id)) or 0
    if count >= _settings().PHOTOS_PER_NOTE:
        raise Conflict(f"a note takes at most {_settings().PHOTOS_PER_NOTE} photos")
    try:
        image = photos.clean(raw)
    except photos.BadImage as exc:
        raise Invalid("photo", str(exc), location="files") from exc
    # Written before the commit: a rolled-back request leaves a file without a row, which the
    # retention job removes; never a row without its file.
    key = photos.store(_photo_dir(), image)
    photo = NotePhoto(
        note_id=note.id,
        storage_key=key,
        content_type=image.content_type,
        size_bytes=len(image.data),
        width=image.width,
        height=image.height,
    )
    session.add(photo)
    _event(note, "photo_added", author)
    session.flush()
    return photo


def photo_file(viewer: Person, note_id: uuid.UUID, photo_id: uuid.UUID) -> tuple[Path, str]:
    note, _ = note_for(viewer, note_id, via="photo")
    photo = db.session().get(NotePhoto, photo_id)
    if photo is None or photo.note_id != note.id:
        raise NotFound("photo")
    return photos.path_of(_photo_dir(), photo.storage_key), photo.content_type


# Export


EXPORT_COLUMNS = (
    "id", "observed_at", "category", "what", "street", "lat", "lon", "status", "urgency", "called",
    "shared_with_police", "held",
)  # fmt: skip


def export_csv(viewer: Person, group_id: uuid.UUID, filters: dict[str, Any]) -> tuple[bytes, str]:
    """The period's notes as a spreadsheet opens them, in the coordinator's language; and the file's name."""
    group, _ = access.group_for(viewer, group_id, access.COORDINATORS)
    locale = str(viewer.locale)
    query = _filtered(select(Note).where(Note.group_id == group.id), filters).order_by(Note.observed_at, Note.id)
    rows = (
        (
            str(note.id),
            note.observed_at,
            CATEGORIES[note.category].label[locale] if note.category in CATEGORIES else note.category,
            note.what,
            note.street,
            note.lat,
            note.lon,
            text(f"summary.status.{note.status}", locale),
            text(f"note.urgency.{note.urgency}", locale),
            text(f"note.called.{note.called}", locale),
            note.shared_with_police_at is not None,
            bool(note.held),
        )
        for note in db.session().scalars(query)
    )
    header = [text(f"export.note.{column}", locale) for column in EXPORT_COLUMNS]
    return spreadsheets.csv_bytes(header, rows, locale), text("export.notes.filename", locale)
