"""Outgoing notifications: written in the transaction that causes them, delivered after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """One message for one person: a kind from the message catalogue and its parameters."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Urgent ones (an overdue patrol) do not wait for the end of anyone's quiet hours.
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when a dispatcher has turned it into deliveries, one per device of the person.
    expanded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
