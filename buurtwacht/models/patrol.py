"""Patrols (surveillancerondes): schedules that make them, the roster, swaps, and their history."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class PatrolStatus(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


P = PatrolStatus
# Every allowed move of a patrol. Running starts at the first check-in.
PATROL_TRANSITIONS: dict[tuple[PatrolStatus, PatrolStatus], str] = {
    (P.PLANNED, P.RUNNING): "started",
    (P.PLANNED, P.CANCELLED): "cancelled",
    (P.RUNNING, P.COMPLETED): "completed",
}


class SignupStatus(enum.StrEnum):
    CONFIRMED = "confirmed"  # on the team
    WAITLISTED = "waitlisted"  # in line for a place
    WITHDRAWN = "withdrawn"  # took themselves off
    REMOVED = "removed"  # taken off by a coordinator
    SWAPPED = "swapped"  # gave their place to someone else


HOLDING_A_PLACE = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


class SwapStatus(enum.StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class PatrolSchedule(Base):
    """A recurrence rule ("every Tuesday and Friday, 20:00-22:00") in local time."""

    __tablename__ = "patrol_schedules"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    rrule: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    start_time: Mapped[dt.time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    meeting_point: Mapped[str] = mapped_column(String(200))
    route: Mapped[str | None] = mapped_column(String(500))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    min_team: Mapped[int] = mapped_column(Integer)
    max_team: Mapped[int] = mapped_column(Integer)
    briefing: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Patrol(Base):
    __tablename__ = "patrols"
    __table_args__ = (
        UniqueConstraint("schedule_id", "occurrence", name="uq_patrols_schedule_occurrence"),
        Index("ix_patrols_group_starts", "group_id", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("patrol_schedules.id", ondelete="SET NULL"))
    # The schedule's local date this patrol was made for: the key that makes generation idempotent.
    occurrence: Mapped[dt.date | None] = mapped_column(Date)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    meeting_point: Mapped[str] = mapped_column(String(200))
    route: Mapped[str | None] = mapped_column(String(500))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="SET NULL"))
    min_team: Mapped[int] = mapped_column(Integer)
    max_team: Mapped[int] = mapped_column(Integer)
    briefing: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PatrolStatus] = mapped_column(str_enum(PatrolStatus, "patrol_status"), default=PatrolStatus.PLANNED)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # The message-catalogue key when the system cancelled it (a schedule change), so each reader is
    # shown the reason in their own language; null for a coordinator's own words.
    cancel_reason_key: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PatrolEvent(Base):
    """Append-only history of a patrol and its roster: who did what, when."""

    __tablename__ = "patrol_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    patrol_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patrols.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    detail: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PatrolSignup(Base):
    """A person's place on a patrol: one row per (patrol, person), reused if they sign up again."""

    __tablename__ = "patrol_signups"
    __table_args__ = (
        UniqueConstraint("patrol_id", "person_id", name="uq_patrol_signups_patrol_person"),
        Index("ix_patrol_signups_person_status", "person_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patrol_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patrols.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[SignupStatus] = mapped_column(str_enum(SignupStatus, "signup_status"))
    # Order on the waiting list: the time the person joined it.
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    no_show: Mapped[bool] = mapped_column(default=False)


class SwapRequest(Base):
    """One volunteer offers their place to another, optionally taking the other's place in return."""

    __tablename__ = "patrol_swaps"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    patrol_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patrols.id", ondelete="CASCADE"), index=True)
    from_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    to_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    other_patrol_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("patrols.id", ondelete="CASCADE"))
    status: Mapped[SwapStatus] = mapped_column(str_enum(SwapStatus, "swap_status"), default=SwapStatus.OFFERED)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
