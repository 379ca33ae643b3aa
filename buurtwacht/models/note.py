"""Notes (waarnemingen): what volunteers record, its follow-up, comments, photos and who read it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class NoteStatus(enum.StrEnum):
    OPEN = "open"
    REPORTED = "reported"  # passed on to where it belongs (police, municipality, ...)
    RESOLVED = "resolved"
    NO_ACTION = "no_action"


N = NoteStatus
# Every allowed move of a note's follow-up, each recorded with who, when and why.
NOTE_TRANSITIONS: frozenset[tuple[NoteStatus, NoteStatus]] = frozenset(
    {
        (N.OPEN, N.REPORTED),
        (N.OPEN, N.RESOLVED),
        (N.OPEN, N.NO_ACTION),
        (N.REPORTED, N.RESOLVED),
        (N.REPORTED, N.NO_ACTION),
    }
)


class Urgency(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class CalledService(enum.StrEnum):
    """SAAR: who was alerted (alarmeren) before or after writing this."""

    NONE = "none"
    EMERGENCY_112 = "emergency_112"
    POLICE = "police"
    OTHER = "other"


class CalledBy(enum.StrEnum):
    ME = "me"
    TEAM = "team"
    RESIDENT = "resident"
    OTHER = "other"


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        # Covers the monthly summary's counts (category, status, place), so they are read from the
        # index alone; its first columns serve every list of a group's notes by time.
        Index("ix_notes_group_observed_counts", "group_id", "observed_at", "category", "status", "place_key"),
        Index("ix_notes_group_category_observed", "group_id", "category", "observed_at"),
        # A volunteer's list counts the group's notes that are not held, and their own: from this
        # index alone (measured: 0.9 ms against 7.8 ms for 6,000 notes).
        Index("ix_notes_group_held_author", "group_id", "held", "author_id"),
    )

    # Made by the phone, so a retry from its offline queue is the same note.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # Null once the author's account is deleted: the note stays with the group.
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    what: Mapped[str] = mapped_column(Text)
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    street: Mapped[str | None] = mapped_column(String(200))
    # The street without house numbers, or a ~250 m map cell: what the monthly summary counts.
    place_key: Mapped[str | None] = mapped_column(String(120))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    patrol_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("patrols.id", ondelete="SET NULL"), index=True)
    called: Mapped[CalledService] = mapped_column(str_enum(CalledService, "called_service"), default=CalledService.NONE)
    called_by: Mapped[CalledBy | None] = mapped_column(str_enum(CalledBy, "called_by"))
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "urgency"), default=Urgency.NORMAL)
    status: Mapped[NoteStatus] = mapped_column(str_enum(NoteStatus, "note_status"), default=NoteStatus.OPEN)
    # Held for the coordinator's review when the description rests on origin or appearance.
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_with_police_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A hash of the body that created the note: a retry with another body is a conflict.
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# A page of a group's notes is newest first, ties by id (notes/reads.py): read in that order from here,
# with no sort. Without it a group's notes of one moment were all sorted for every page (3,000 notes made
# at the same second: 1.09 ms for the page's rows, 0.14 ms with it).
Index("ix_notes_group_newest", Note.group_id, Note.observed_at.desc(), Note.id)


class NoteTally(Base):
    """How many notes a group has, by whether they are held and whether they were shared with the police: what
    a page of notes without filters needs for its total, read from a few rows instead of counted note by note
    (20,000 notes of a group at 10x data: 2.1 ms a count). Kept by the database itself: triggers on notes
    (migration 0020) follow every insert, deletion and change of group, hold or sharing, whoever makes it
    (the API, the retention jobs, a cascade)."""

    __tablename__ = "note_tallies"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    held: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    shared: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    notes: Mapped[int] = mapped_column(Integer)


class NoteEvent(Base):
    """Append-only history: status changes, sharing, review, edits; with who, when and why."""

    __tablename__ = "note_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(1000))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteComment(Base):
    """Later additions to a note, once its author's edit window has passed. Never edited."""

    __tablename__ = "note_comments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotePhoto(Base):
    """A photo, re-encoded without EXIF or location metadata, in the photo storage folder."""

    __tablename__ = "note_photos"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteAccess(Base):
    """The audit log: every read of a shared note by an officer. Kept as long as the law requires."""

    __tablename__ = "note_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: the audit of a read outlives the note (kept AUDIT_RETENTION_DAYS, notes far shorter).
    note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("notes.id", ondelete="SET NULL"), index=True)
    reader_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    via: Mapped[str] = mapped_column(String(16))  # detail, list, photo, export
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class GroupCategory(Base):
    """The categories a group chose to use (maatwerk per wijk/dorp); none chosen means all."""

    __tablename__ = "group_categories"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
