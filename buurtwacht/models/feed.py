"""A person's private Atom feed of an area's alerts: only a hash of its secret token is stored."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow


class AlertFeed(Base):
    """One secret URL per person and area, for a feed reader (which cannot send a bearer token).

    The URL grants nothing by itself: each read checks that the person may read the area's alerts now.
    """

    __tablename__ = "alert_feeds"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
