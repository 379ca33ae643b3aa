"""Notes read from Core rows: a page of a group's notes and one note, in one statement each, already dumped.

A note's answer shows its author's name, its history with who acted, its comments and its photos.
Each is fetched with the note itself, as a correlated subquery that aggregates the note's children
into JSON in the database (PostgreSQL's json_agg in the children's order; SQLite's json_group_array
over an ordered subquery), so a page of 50 notes is one statement and no ORM object. The rows are
turned into what NoteSchema would dump, key for key (tests/test_same_answers.py and
tests/notes/test_fast_reads.py hold them to the bytes of service.get_note and service.list_notes,
which are kept as they were first written).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import ColumnElement, bindparam, case, func, insert, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from buurtwacht import access, db, jsonrows
from buurtwacht.access import Relation
from buurtwacht.api import Dumped
from buurtwacht.errors import Forbidden, NotFound
from buurtwacht.localtime import local_zone
from buurtwacht.messages import text
from buurtwacht.models import Note, NoteAccess, NoteComment, NoteEvent, NotePhoto, NoteTally, Person
from buurtwacht.notes.categories import CATEGORIES, REFERRALS
from buurtwacht.notes.service import _settings
from buurtwacht.pagination import MAX_OFFSET

# What a note's answer shows of its own row, in the order of the statement's first columns.
# The enums as the text they store, which is what the answer shows.
NOTE_COLUMNS = (
    Note.id, Note.group_id, Note.author_id, Note.category, Note.what, Note.observed_at, Note.lat, Note.lon,
    Note.accuracy_m, Note.street, Note.area_id, Note.patrol_id, jsonrows.as_text(Note.called),
    jsonrows.as_text(Note.called_by), jsonrows.as_text(Note.urgency), jsonrows.as_text(Note.status), Note.held,
    Note.shared_with_police_at, Note.created_at,
)  # fmt: skip


def _name_of(person_id: Any, author_id: Any, author_name: Any) -> Any:
    """Who made a line of the note, by name: the author's name as the page read it when it is them (a note's lines
    are nearly all its author's), else that person's, read by key; NULL for nobody."""
    other = select(Person.display_name).where(Person.id == person_id).scalar_subquery()
    return case((person_id == author_id, author_name), else_=other)


def _children(note_id: ColumnElement[Any], author_id: Any, author_name: Any, postgresql: bool) -> list[Any]:
    """The note's history (with who acted), comments (with their author) and photo ids, each one JSON array.

    Each line is an array of its values; `is_viewer` tells whether the actor is the reader (named in full).
    Who acted is named by `_name_of`: a join to people per line had PostgreSQL walk the people's key index from
    its start for every note of a page (a merge join, three quarters of the page's buffer reads).
    """
    kinds = (
        (
            (NoteEvent.kind, NoteEvent.from_status, NoteEvent.to_status, NoteEvent.reason, NoteEvent.at,
             _name_of(NoteEvent.actor_id, author_id, author_name), NoteEvent.actor_id == bindparam("viewer")),
            select().select_from(NoteEvent).where(NoteEvent.note_id == note_id),
            (NoteEvent.id,),
        ),
        (
            (NoteComment.id, NoteComment.text, _name_of(NoteComment.author_id, author_id, author_name),
             NoteComment.author_id == bindparam("viewer"), NoteComment.created_at),
            select().select_from(NoteComment).where(NoteComment.note_id == note_id),
            (NoteComment.created_at, NoteComment.id),
        ),
        (
            (NotePhoto.id,),
            select().select_from(NotePhoto).where(NotePhoto.note_id == note_id),
            (NotePhoto.created_at,),
        ),
    )  # fmt: skip
    found = []
    for values, source, order in kinds:
        if postgresql:
            line = func.json_build_array(*values)
            found.append(source.add_columns(func.json_agg(aggregate_order_by(line, *order))).scalar_subquery())
        else:  # SQLite 3.40 has no ORDER BY inside an aggregate: the lines come ordered from a subquery
            lines = (
                source.add_columns(func.json_array(*values).label("line"))
                .order_by(*order)
                .correlate(note_id.table, author_name.table)
                .subquery()
            )
            found.append(select(func.json_group_array(func.json(lines.c.line))).scalar_subquery())
    return found


def _answer_of(page: Any, postgresql: bool, counted: Any = None) -> Any:
    """The notes of `page` (a select of NOTE_COLUMNS, ordered and sliced) with the author's name and children;
    with `counted`, each row ends with that total (counted once: the subquery is not correlated)."""
    rows = page.subquery("page")
    author = aliased(Person)
    total = [] if counted is None else [counted.scalar_subquery()]
    return (
        select(
            *rows.c,
            author.display_name,
            *_children(rows.c.id, rows.c.author_id, author.display_name, postgresql),
            *total,
        )
        .outerjoin(author, author.id == rows.c.author_id)
        .order_by(rows.c.observed_at.desc(), rows.c.id)
    )


# Each statement is built once per shape, its values bound at each request: building a statement of this size
# (its subquery's column proxies, the coercions) costs more than the database takes to answer it.
_STATEMENTS: dict[tuple[Any, ...], Any] = {}

# service._filtered's filters, each on a bound parameter of its own name
FILTERS = {
    "status": lambda: Note.status == bindparam("status"),
    "category": lambda: Note.category == bindparam("category"),
    "area_id": lambda: Note.area_id == bindparam("area_id"),
    "patrol_id": lambda: Note.patrol_id == bindparam("patrol_id"),
    "from": lambda: Note.observed_at >= bindparam("from_"),
    "to": lambda: Note.observed_at < bindparam("to"),
}


def _tallied(seen_as: str, held: bool | None) -> Any:
    """The number of a group's notes `seen_as` sees, without filters, from its tallies (NoteTally): at most four
    rows, where a count reads every note of the group; a volunteer's own held notes counted apart (a few)."""
    conditions: list[Any] = [NoteTally.group_id == bindparam("group_id")]
    if seen_as == "own":
        conditions.append(NoteTally.held.is_(False))
    elif seen_as == "police":
        conditions += [NoteTally.shared.is_(True), NoteTally.held.is_(False)]
    if held is not None:
        conditions.append(NoteTally.held.is_(held))
    tallied = select(func.coalesce(func.sum(NoteTally.notes), 0)).where(*conditions)
    if seen_as != "own":
        return tallied
    held_by_them = (
        select(func.count())
        .select_from(Note)
        .where(Note.group_id == bindparam("group_id"), Note.held.is_(True), Note.author_id == bindparam("viewer"))
        .correlate(None)  # counted once, not for each note of the page it is a column of
    )
    return select(tallied.scalar_subquery() + held_by_them.scalar_subquery())


def _list_statements(postgresql: bool, seen_as: str, held: bool | None, filters: Iterable[str]) -> tuple[Any, Any, Any]:
    """A first page with the total, a later page, and the total alone, of a group's notes as `seen_as` (own, all,
    police) sees them, with these filters."""
    names = tuple(name for name in FILTERS if name in filters)
    key = ("list", postgresql, seen_as, held, names)
    found = _STATEMENTS.get(key)
    if found is None:
        conditions: list[Any] = [Note.group_id == bindparam("group_id")]
        if seen_as == "own":  # a volunteer: the group's notes that are not held, and their own
            conditions.append((Note.held.is_(False)) | (Note.author_id == bindparam("viewer")))
        elif seen_as == "police":  # the wijkagent: what was shared with the police
            conditions += [Note.shared_with_police_at.is_not(None), Note.held.is_(False)]
        if held is not None:  # a coordinator's choice of held or released notes
            conditions.append(Note.held.is_(held))
        conditions += [FILTERS[name]() for name in names]
        page = (
            select(*NOTE_COLUMNS)
            .where(*conditions)
            .order_by(Note.observed_at.desc(), Note.id)
            .offset(bindparam("offset"))
            .limit(bindparam("limit"))
        )
        counted = _tallied(seen_as, held) if not names else select(func.count()).select_from(Note).where(*conditions)
        found = _STATEMENTS[key] = (_answer_of(page, postgresql, counted), _answer_of(page, postgresql), counted)
    return found


def _note_statement(postgresql: bool) -> Any:
    key = ("note", postgresql)
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = _answer_of(select(*NOTE_COLUMNS).where(Note.id == bindparam("note_id")), postgresql)
    return found


# Turning rows into answers


def _short(name: str) -> str:
    """Person.short_name for a name alone: first name and the initial of the last."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0].upper()}."


_REFERRALS_OF: dict[str, list[dict[str, Any]]] = {}


def _referrals(category: str) -> list[dict[str, Any]]:
    """The category's referrals as ReferralSchema dumps them; reference data, made once per category."""
    found = _REFERRALS_OF.get(category)
    if found is None:
        found = _REFERRALS_OF[category] = [
            {"code": r.code, "name": dict(r.name), "when": dict(r.when), "phone": r.phone, "url": r.url}
            for r in (REFERRALS[code] for code in CATEGORIES[category].referrals)
        ]
    return found


class _Shaper:
    """Rows of `_answer_of` as NoteSchema dumps notes for one reader."""

    def __init__(self, viewer: Person, full: bool) -> None:
        self.viewer_id = viewer.id
        self.full = full
        self.zone = local_zone()
        self.edit_window = dt.timedelta(minutes=_settings().NOTE_EDIT_MINUTES)
        self.review_message = text("note.held", viewer.locale)
        self.short: dict[str, str] = {}

    def name(self, display_name: str | None, is_viewer: Any) -> str | None:
        """service._name: coordinators and the person themselves see the full name, the rest first name and initial."""
        if display_name is None:
            return None
        if self.full or is_viewer:
            return display_name
        short = self.short.get(display_name)
        if short is None:
            short = self.short[display_name] = _short(display_name)
        return short

    def note(self, row: Sequence[Any]) -> dict[str, Any]:
        (id_, group_id, author_id, category, what, observed_at, lat, lon, accuracy_m, street, area_id, patrol_id,
         called, called_by, urgency, status, held, shared_at, created_at, author_name, events, comments,
         photo_ids) = row  # fmt: skip
        zone = self.zone
        answer: dict[str, Any] = {
            "what": what,
            "observed_at": observed_at.astimezone(zone),
            "lat": None if lat is None else float(lat),
            "lon": None if lon is None else float(lon),
            "accuracy_m": None if accuracy_m is None else float(accuracy_m),
            "street": street,
            "area_id": area_id,
            "patrol_id": patrol_id,
            "called": called,
            "called_by": called_by,
            "urgency": urgency,
            "id": id_,
            "group_id": group_id,
            "category": category,
            "status": status,
            "held": bool(held),
        }
        if held:
            answer["review_message"] = self.review_message
        mine = author_name is not None and author_id == self.viewer_id
        answer.update(
            shared_with_police=shared_at is not None,
            author=self.name(author_name, mine),
            mine=mine,
            created_at=created_at.astimezone(zone),
            editable_until=(created_at + self.edit_window).astimezone(zone),
            referrals=_referrals(category),
            history=[
                {"kind": kind, "from_status": before, "to_status": after, "reason": reason,
                 "at": jsonrows.moment(at).astimezone(zone), "by": self.name(actor_name, is_viewer)}
                for kind, before, after, reason, at, actor_name, is_viewer in jsonrows.rows(events)
            ],
            comments=[
                {"id": jsonrows.uuid_text(comment_id), "text": body, "author": self.name(commenter_name, is_viewer),
                 "created_at": jsonrows.moment(at).astimezone(zone)}
                for comment_id, body, commenter_name, is_viewer, at in jsonrows.rows(comments)
            ],
            photo_ids=[jsonrows.uuid_text(photo_id) for (photo_id,) in jsonrows.rows(photo_ids)],
        )  # fmt: skip
        return answer


def _audit(note_ids: Iterable[uuid.UUID], reader: Person, via: str) -> None:
    """service._audit in one statement: the wijkagent's reads, one row per note."""
    rows = [{"note_id": note_id, "reader_id": reader.id, "via": via} for note_id in note_ids]
    if rows:
        db.session().execute(insert(NoteAccess), rows)


# The reads


def list_notes(viewer: Person, group_id: uuid.UUID, filters: dict[str, Any], page: PaginationParameters) -> Any:
    """service.list_notes from Core rows: the first page with its total in one statement; a later page, and its
    total when that page is full."""
    group, relations = access.group_for(viewer, group_id, access.MEMBERS_AND_OFFICERS)
    held = None
    if relations & access.MEMBERS:
        if Relation.COORDINATOR not in relations:
            seen_as = "own"
        else:
            seen_as, held = "all", filters.get("held")
    else:  # the wijkagent: what was shared with the police, and every read is logged
        seen_as = "police"
    if seen_as != "police":
        db.read_only()  # a member's list writes nothing: no BEGIN and COMMIT
    first_with_total, later, counted = _list_statements(jsonrows.on_postgresql(), seen_as, held, filters)
    values = {"from_" if name == "from" else name: value for name, value in filters.items() if name in FILTERS}
    values.update(group_id=group.id, viewer=viewer.id)
    sliced = {**values, "offset": page.first_item, "limit": page.page_size}
    rows: list[Any] = []
    if page.first_item == 0:
        # The first page, the one nearly every request asks for, carries the total: a group with fewer notes than
        # a page counts those few rows, a larger one needs its count anyway; one round trip either way.
        found = db.fetch_all(first_with_total, sliced)
        page.item_count = found[0][-1] if found else 0
        rows = [row[:-1] for row in found]
    else:
        # As pagination.paginate: a later page shorter than the page size tells the total itself.
        if page.first_item < MAX_OFFSET:
            rows = list(db.fetch_all(later, sliced))
        if page.first_item < MAX_OFFSET and rows and len(rows) < page.page_size:
            page.item_count = page.first_item + len(rows)
        else:
            page.item_count = db.connection().scalar(counted, values) or 0
    if seen_as == "police":
        _audit((row[0] for row in rows), viewer, "list")
    shaper = _Shaper(viewer, Relation.COORDINATOR in relations)
    return Dumped(shaper.note(row) for row in rows)


def get_note(viewer: Person, note_id: uuid.UUID) -> Any:
    """service.get_note from Core rows: the note with its children in one statement, then who may read it."""
    found = db.fetch_all(_note_statement(jsonrows.on_postgresql()), {"note_id": note_id, "viewer": viewer.id})
    if not found:
        raise NotFound("note")
    row = found[0]
    group_id, author_id, held, shared_at = row[1], row[2], row[16], row[17]
    # service.note_for's rules, on the row read
    _, relations = access.group_for(viewer, group_id, access.ANYONE_RELATED, what="note")
    if relations & access.MEMBERS:
        if held and author_id != viewer.id and Relation.COORDINATOR not in relations:
            raise NotFound("note")
    elif Relation.OFFICER in relations and shared_at is not None and not held:
        _audit([note_id], viewer, "detail")
    elif Relation.ADMIN in relations and Relation.OFFICER not in relations:
        raise Forbidden("admins see counts of notes only")
    else:
        raise NotFound("note")
    return Dumped.one(_Shaper(viewer, Relation.COORDINATOR in relations).note(row))
