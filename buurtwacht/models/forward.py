"""Notes forwarded to the municipality's public-space reports (Signalen, Open311), and who may forward."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class ForwardStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for a dispatcher (again, after a 5xx or a timeout)
    SENT = "sent"  # the municipality took it and gave it an id
    ACKNOWLEDGED = "acknowledged"  # the municipality says it is open, being handled
    CLOSED = "closed"  # the municipality says it is done
    FAILED = "failed"  # refused (4xx, with the target's message) or out of attempts


F = ForwardStatus
# Every allowed move of a forward. A failed one may be queued again (after the coordinator fixed what the
# municipality refused); a closed one opens again when the municipality reopens it.
FORWARD_TRANSITIONS: frozenset[tuple[ForwardStatus, ForwardStatus]] = frozenset(
    {
        (F.QUEUED, F.SENT),
        (F.QUEUED, F.FAILED),
        (F.FAILED, F.QUEUED),
        (F.SENT, F.ACKNOWLEDGED),
        (F.SENT, F.CLOSED),
        (F.ACKNOWLEDGED, F.CLOSED),
        (F.CLOSED, F.ACKNOWLEDGED),
    }
)
OPEN_AT_MUNICIPALITY = frozenset({F.SENT, F.ACKNOWLEDGED})


class NoteForward(Base):
    """One note at one municipality's target: at most one per pair, so a note is never sent there twice."""

    __tablename__ = "note_forwards"
    __table_args__ = (
        UniqueConstraint("note_id", "target", name="uq_note_forwards_note_target"),
        Index("ix_note_forwards_due", "status", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    # The configured target's name (the municipality's area code); its address and keys live in settings.
    target: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # signalen, open311
    # The target's category (Signalen sub-category slug, Open311 service code) the note was sent as.
    remote_category: Mapped[str] = mapped_column(String(200))
    # Sent with every attempt (Idempotency-Key), so a target that honours it never makes two reports.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[ForwardStatus] = mapped_column(str_enum(ForwardStatus, "forward_status"), default=F.QUEUED)
    # Where the municipality should look when the note has no point of its own (asked of the forwarder).
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # The author agreed to be contacted by the municipality: only then their name and address go along.
    share_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    remote_id: Mapped[str | None] = mapped_column(String(120))
    remote_display: Mapped[str | None] = mapped_column(String(120))  # e.g. SIG-123, as the municipality says it
    remote_state: Mapped[str | None] = mapped_column(String(40))
    remote_status_text: Mapped[str | None] = mapped_column(String(1000))
    error: Mapped[str | None] = mapped_column(String(1000))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A dispatcher's lease: others leave the row alone until it runs out (then that dispatcher was killed).
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Photos go after the report itself; set until each has gone, so a retry sends only the rest.
    photos_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    photos_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The municipality's first answer, whatever it said: "answered" in the monthly figures.
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "Fixed yet?": the author was asked once (FIXED_YET_WEEKS after sending, still open at the municipality),
    # and what they answered: True fixed, False still there; null until they answer.
    fixed_yet_asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    fixed_yet_fixed: Mapped[bool | None] = mapped_column(Boolean)
    fixed_yet_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ForwardingPolicy(Base):
    """A group's choice: may authors forward their own notes (coordinators always may)."""

    __tablename__ = "forwarding_policies"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    authors_may_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
