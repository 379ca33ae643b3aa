"""A person: linked to the identity provider's uid, with the little we need to reach them."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Boolean, String, Time, Uuid
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import ColumnElement

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
    # The one address we write to and that an admin's invite is matched against: vouched for by Firebase
    # (email_verified), or named by an admin before the first sign-in. Null while the sign-in's is unverified.
    verified_email: Mapped[str | None] = mapped_column("email", String(254), unique=True)
    # What a token claimed without vouching for it: shown to its owner, never matched, never written to.
    unverified_email: Mapped[str | None] = mapped_column(String(254))
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

    @hybrid_property
    def email(self) -> str:
        """The address to write to; empty while unverified (no role can be given to such a person)."""
        return self.verified_email or ""

    @email.inplace.setter
    def _email_setter(self, address: str) -> None:
        self.verified_email = address

    @email.inplace.expression
    @classmethod
    def _email_expression(cls) -> ColumnElement[str]:
        return cls.verified_email  # type: ignore[return-value]

    @property
    def sign_in_email(self) -> str | None:
        """The address the person signs in with, verified or not (for their own eyes only)."""
        return self.verified_email or self.unverified_email

    @property
    def email_verified(self) -> bool:
        return self.verified_email is not None

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
