"""Recording a note in as few statements as it takes: the note with its history in one, answered from what went in.

service.record_note, kept as first written, reads the group's categories, inserts the note, then its
history, and has the schema dump the note. Here the group's choice of categories is a condition of the
insert itself (only when nothing went in is it read, to tell a retry from a refusal), the history goes
in with the note (one statement on PostgreSQL: a data-modifying WITH; two on SQLite), and the answer is
built as NoteSchema dumps it (tests/notes/test_fast_recording.py holds it to the old answer's bytes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Insert, Table, bindparam, exists, insert, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from buurtwacht import access, db, readcache
from buurtwacht.api import Dumped
from buurtwacht.errors import Invalid
from buurtwacht.localtime import local_zone
from buurtwacht.messages import text
from buurtwacht.models import GroupCategory, Note, NoteEvent, NoteStatus, Person
from buurtwacht.notes import places, reads, service, wording

NOTES: Table = Note.__table__  # type: ignore[assignment]
EVENTS: Table = NoteEvent.__table__  # type: ignore[assignment]
EVENT_COLUMNS = ("note_id", "kind", "actor_id", "reason", "at")

_STATEMENTS: dict[tuple[str, bool, bool], Any] = {}
WRITTEN = ("note_events", "notes")  # the tables the statement writes


def _insert_note(dialect: Any) -> Insert:
    """INSERT the note (every column a bound parameter of its name) if the group uses its category, and its id
    is new: ON CONFLICT DO NOTHING RETURNING id."""
    chosen = select(GroupCategory.category).where(GroupCategory.group_id == bindparam("group_id"))
    allowed = or_(~exists(chosen), exists(chosen.where(GroupCategory.category == bindparam("category"))))
    row = select(*(bindparam(column.key, type_=column.type) for column in NOTES.columns)).where(allowed)
    statement: Insert = dialect.insert(NOTES).from_select([c.key for c in NOTES.columns], row)
    return statement.on_conflict_do_nothing()  # type: ignore[attr-defined, no-any-return]


def _statement(dialect_name: str, held: bool, alone: bool) -> Any:
    """PostgreSQL: the note and its history lines in one statement, answering a row per line when the note went
    in; `alone` (db.one_statement_write), with the tables' versions advanced and the change notice sent in it
    too, so that it commits by itself. SQLite (no INSERT inside WITH): the note alone, answering its id when it
    went in."""
    key = (dialect_name, held, alone)
    found = _STATEMENTS.get(key)
    if found is None:
        if dialect_name != "postgresql":
            found = _insert_note(sqlite).returning(NOTES.c.id)
        else:
            made = _insert_note(postgresql).returning(NOTES.c.id).cte("made")
            author_id, at = (
                bindparam("author_id", type_=NOTES.c.author_id.type),
                bindparam("at", type_=EVENTS.c.at.type),
            )
            created = select(made.c.id, literal("created"), author_id, literal(None), at)
            lines: Any = created
            if held:
                lines = created.union_all(
                    select(made.c.id, literal("held"), author_id, literal(service.HELD_REASON), at)
                )  # fmt: skip
            found = insert(EVENTS).from_select(EVENT_COLUMNS, lines).returning(EVENTS.c.note_id)
            if alone:
                written = found.cte("lines")
                found = select(written.c.note_id).add_cte(readcache.advancing(made, WRITTEN))
        _STATEMENTS[key] = found
    return found


def record_note(author: Person, group_id: uuid.UUID, data: dict[str, Any]) -> Any:
    """service.record_note: a new note answered as its author sees it; a retry with the same id and body returns
    the note as it is (its old answer), another body under that id is 409."""
    alone = db.one_statement_write()  # before any statement: the note goes in with one that commits itself
    group, relations = access.group_for(author, group_id, access.MEMBERS)
    digest = service._request_hash(data)
    now = db.utcnow()
    try:
        service._check_category(data["category"])
        try:
            service._check_the_rest(group.id, data, now)
        except Invalid:
            if data["category"] not in service.group_categories(group.id):
                raise service.unused_category() from None  # the category's refusal comes first, as before
            raise
    except Invalid:
        # A retry from the offline queue stays the same note even when it could not be recorded today.
        existing = db.session().get(Note, data["id"])
        if existing is None:
            raise
        return service._replayed(existing, author, group.id, relations, digest)
    held = wording.rests_on_appearance(data["what"])
    values = {k: data.get(k) for k in service.CONTENT_FIELDS}
    values.update(
        id=data["id"], group_id=group.id, author_id=author.id, request_hash=digest, created_at=now, updated_at=now,
        status=NoteStatus.OPEN, shared_with_police_at=None, held=held,
        area_id=group.area_id if values["area_id"] is None else values["area_id"],
        place_key=places.place_key(values["street"], values["lat"], values["lon"]), at=now,
    )  # fmt: skip
    engine = db.database().engine
    dialect_name = engine.dialect.name
    made = next(iter(db.fetch_all(_statement(dialect_name, held, alone), values)), None)
    if made is not None and alone:
        readcache.advanced_here(engine, WRITTEN)
    if made is not None and dialect_name != "postgresql":
        history: list[dict[str, Any]] = [{"kind": "created", "reason": None}]
        if held:
            history.append({"kind": "held", "reason": service.HELD_REASON})
        db.session().execute(insert(NoteEvent), [{**line, "note_id": data["id"], "actor_id": author.id, "at": now}
                                            for line in history])  # fmt: skip
    if made is None:
        existing = db.session().get(Note, data["id"])
        if existing is None and data["category"] not in service.group_categories(group.id):
            raise service.unused_category()
        return service._replayed(existing, author, group.id, relations, digest)
    return Dumped.one(_answer(values, author, held, now))


def _answer(values: dict[str, Any], author: Person, held: bool, now: dt.datetime) -> dict[str, Any]:
    """The new note as NoteSchema dumps it for its author, from the values that went in."""
    zone = local_zone()
    at = now.astimezone(zone)  # ids as UUIDs and moments as datetimes: orjson writes them as the schema (Dumped)
    lat, lon, accuracy_m, patrol_id, called_by = (values[k] for k in ("lat", "lon", "accuracy_m", "patrol_id",
                                                                          "called_by"))  # fmt: skip
    answer: dict[str, Any] = {
        "what": values["what"],
        "observed_at": values["observed_at"].astimezone(zone),
        "lat": None if lat is None else float(lat),
        "lon": None if lon is None else float(lon),
        "accuracy_m": None if accuracy_m is None else float(accuracy_m),
        "street": values["street"],
        "area_id": values["area_id"],
        "patrol_id": patrol_id,
        "called": values["called"].value,
        "called_by": None if called_by is None else called_by.value,
        "urgency": values["urgency"].value,
        "id": values["id"],
        "group_id": values["group_id"],
        "category": values["category"],
        "status": NoteStatus.OPEN.value,
        "held": held,
    }
    if held:
        answer["review_message"] = text("note.held", author.locale)
    history = [{"kind": "created", "from_status": None, "to_status": None, "reason": None, "at": at,
                "by": author.display_name}]  # fmt: skip
    if held:
        history.append({**history[0], "kind": "held", "reason": service.HELD_REASON})
    answer.update(
        shared_with_police=False,
        author=author.display_name,
        mine=True,
        created_at=at,
        editable_until=(now + dt.timedelta(minutes=service._settings().NOTE_EDIT_MINUTES)).astimezone(zone),
        referrals=reads._referrals(values["category"]),
        history=history,
        comments=[],
        photo_ids=[],
    )
    return answer
