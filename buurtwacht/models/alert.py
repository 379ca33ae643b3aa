"""Burgernet-style alerts: the call-out, its target, updates, tips, responders and its audience."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class AlertKind(enum.StrEnum):
    MISSING_PERSON = "missing_person"
    SUSPECT = "suspect"
    VEHICLE = "vehicle"
    BURGLARY = "burglary"
    GENERAL_WARNING = "general_warning"
    EXERCISE = "exercise"


class AlertStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # with an outcome
    CANCELLED = "cancelled"
    EXPIRED = "expired"


A = AlertStatus
# Every allowed move; updates keep an alert open. Every end sends the closing message.
ALERT_TRANSITIONS: dict[tuple[AlertStatus, AlertStatus], str] = {
    (A.OPEN, A.CLOSED): "closed",
    (A.OPEN, A.CANCELLED): "cancelled",
    (A.OPEN, A.EXPIRED): "expired",
}


class Outcome(enum.StrEnum):
    FOUND = "found"
    APPREHENDED = "apprehended"
    RESOLVED = "resolved"
    FALSE_ALARM = "false_alarm"
    NO_RESULT = "no_result"


class Urgency(enum.StrEnum):
    """CAP 1.2 urgency."""

    IMMEDIATE = "immediate"
    EXPECTED = "expected"
    FUTURE = "future"


class Severity(enum.StrEnum):
    """CAP 1.2 severity."""

    EXTREME = "extreme"
    SEVERE = "severe"
    MODERATE = "moderate"
    MINOR = "minor"


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_expires", "status", "expires_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    issuer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    # The coordinator's group when a coordinator issued it; null for the police.
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind, "alert_kind"))
    headline: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text)
    instruction: Mapped[str] = mapped_column(Text)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "alert_urgency"))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "alert_severity"))
    # A circle target; area targets are rows in alert_areas. Deleted with retention.
    centre_lat: Mapped[float | None] = mapped_column(Float)
    centre_lon: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[AlertStatus] = mapped_column(str_enum(AlertStatus, "alert_status"), default=AlertStatus.OPEN)
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, "alert_outcome"))
    closing_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Counted when retention deleted the rows behind them (recipients and responders after
    # ALERT_RETENTION_DAYS, tips after PHOTO_RETENTION_DAYS), so an alert's numbers never shrink;
    # null while the rows are there to count.
    kept_audience: Mapped[int | None] = mapped_column(Integer)
    kept_responders: Mapped[int | None] = mapped_column(Integer)
    kept_tips: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_exercise(self) -> bool:
        return self.kind == AlertKind.EXERCISE


class AlertArea(Base):
    """The areas an alert reaches: those the issuer named, and every area below them."""

    __tablename__ = "alert_areas"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True)
    named: Mapped[bool] = mapped_column(Boolean, default=False)


class AlertEvent(Base):
    """Append-only history of an alert: created, updated, closed, cancelled, expired."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertRecipient(Base):
    """Who received the alert: fixed when it is first sent, so updates and the close reach the same people."""

    __tablename__ = "alert_recipients"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AlertTip(Base):
    """A recipient's answer. Only the issuer and the wijkagent of its areas see who sent it."""

    __tablename__ = "alert_tips"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    photo_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertResponder(Base):
    """Someone who said "I'm looking"."""

    __tablename__ = "alert_responders"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Broadcast(Base):
    """Delivery work for one alert message (new, update, closed): written with the alert, expanded later."""

    __tablename__ = "broadcasts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(16))  # new, update, closed
    body: Mapped[str | None] = mapped_column(Text)  # the update's or the closing text
    urgent: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expanded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
