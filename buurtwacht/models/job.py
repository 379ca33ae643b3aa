"""Scheduled work that must happen exactly once: each run of a job per time slot, and each mark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow


class JobRun(Base):
    """A job's run for one slot, claimed before it starts. The slot is local wall-clock time, so
    the hour that repeats when summer time ends cannot run a slot twice."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    slot: Mapped[str] = mapped_column(String(48))  # e.g. 2026-12-01T07:00 (Europe/Amsterdam)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str | None] = mapped_column(String(120))


class JobMark(Base):
    """That something was done once (a reminder for a sign-up, a warning for a patrol): a unique key."""

    __tablename__ = "job_marks"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_job_marks_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48))
    key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
