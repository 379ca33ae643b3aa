"""Membership of a person in a group, its explicit state machine, and its append-only history."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class MembershipRole(enum.StrEnum):
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    LEFT = "left"
    REMOVED = "removed"


S = MembershipStatus
# Every allowed move, and the history event it writes. Anything else is refused.
MEMBERSHIP_TRANSITIONS: dict[tuple[MembershipStatus, MembershipStatus], str] = {
    (S.PENDING, S.ACTIVE): "approved",
    (S.PENDING, S.REJECTED): "rejected",
    (S.PENDING, S.LEFT): "withdrew",
    (S.ACTIVE, S.LEFT): "left",
    (S.ACTIVE, S.REMOVED): "removed",
    (S.REJECTED, S.PENDING): "requested",
    (S.LEFT, S.PENDING): "requested",
    (S.REMOVED, S.PENDING): "requested",
}


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "person_id", name="uq_memberships_group_person"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(str_enum(MembershipRole, "membership_role"))
    status: Mapped[MembershipStatus] = mapped_column(str_enum(MembershipStatus, "membership_status"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MembershipEvent(Base):
    """One row per change of a membership: who did what, when. Never updated or deleted by the app."""

    __tablename__ = "membership_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
