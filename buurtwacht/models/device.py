"""Devices that receive pushes, and residents' subscriptions to alerts for their own area."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class AddressKind(enum.StrEnum):
    FID = "fid"  # Firebase Installation ID: what firebase-admin 7 prefers
    TOKEN = "token"  # noqa: S105 - FCM registration token: still what most apps have


class Platform(enum.StrEnum):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("address_kind", "address", name="uq_devices_address"),)

    # Made by the app (one per installation), so refreshing a token keeps the same device.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    address_kind: Mapped[AddressKind] = mapped_column(str_enum(AddressKind, "address_kind"))
    address: Mapped[str] = mapped_column(String(4096))
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, "platform"))
    app_version: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when FCM calls the address unregistered or invalid: never sent to again.
    dropped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AreaSubscription(Base):
    """A resident who receives alerts for their wijk or dorp without joining a group.

    Their address is kept only as the area: nothing finer.
    """

    __tablename__ = "area_subscriptions"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
