"""A volunteer group (buurtpreventieteam) in one wijk or dorp, and its invite codes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The group's own patrol rules ("maatwerk per wijk/dorp").
    signup_opens_days: Mapped[int] = mapped_column(Integer, default=28, server_default="28")
    withdraw_until_hours: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    schedule_weeks_ahead: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    # With this many no-shows in the last 90 days, a person may hold one upcoming patrol at a time.
    no_show_limit: Mapped[int | None] = mapped_column(Integer)
    # How long notes are kept (months, at most 24); summaries keep their counts after that.
    note_retention_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")


class GroupInvite(Base):
    """A shareable join code; rotating revokes the previous one, so at most one is live."""

    __tablename__ = "group_invites"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def is_live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
