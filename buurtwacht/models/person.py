"""A person: linked to the identity provider's uid, with the little we need to reach them."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, String, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class Locale(enum.StrEnum):
    NL = "nl"
    EN = "en"


class Person(Base):
    __tablename__ = "people"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Null until the person first signs in: an admin may name a coordinator by e-mail before that.
    firebase_uid: Mapped[str | None] = mapped_column(String(128), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[Locale] = mapped_column(str_enum(Locale, "locale"), default=Locale.NL)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Non-urgent pushes wait until the quiet hours (local time) end; alerts do not wait.
    quiet_from: Mapped[dt.time | None] = mapped_column(Time, default=dt.time(23, 0))
    quiet_until: Mapped[dt.time | None] = mapped_column(Time, default=dt.time(7, 0))
    # Hours before a patrol to be reminded, e.g. "24,2"; empty: no reminders.
    reminder_hours: Mapped[str] = mapped_column(String(32), default="24,2", server_default="24,2")

    @property
    def reminder_leads(self) -> list[int]:
        """The reminder hours as numbers, longest lead first."""
        return sorted({int(part) for part in self.reminder_hours.split(",") if part.strip().isdigit()}, reverse=True)

    @reminder_leads.setter
    def reminder_leads(self, hours: list[int]) -> None:
        self.reminder_hours = ",".join(str(h) for h in sorted(set(hours), reverse=True))

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name, as fellow members see a person."""
        parts = self.display_name.split()
        if len(parts) < 2:
            return self.display_name
        return f"{parts[0]} {parts[-1][0].upper()}."
