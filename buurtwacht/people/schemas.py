"""Schemas for the signed-in person's own data."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.models import Locale, MembershipRole, MembershipStatus

PHONE = ma.validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="use digits, spaces and an optional leading +")


def _distinct(values: list[int]) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("each number only once")


def REMINDER_HOURS() -> ma.fields.List[int]:
    return ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(1, 72)),
        attribute="reminder_leads",
        validate=[ma.validate.Length(max=4), _distinct],
        data_key="reminder_hours",
        metadata={
            "description": "Patrol reminders, in hours before the start (1-72, at most 4; default [24, 2]); "
            "[] turns them off. A whole number of days (24, 48) comes at the same local time of day."
        },
    )


class PersonSelfSchema(Schema):
    id = ma.fields.UUID()
    email = ma.fields.String()
    display_name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    locale = ma.fields.Enum(Locale, by_value=True)
    is_admin = ma.fields.Boolean(metadata={"description": "Municipal staff: manages areas and groups"})
    quiet_from = ma.fields.Time(
        format="%H:%M", allow_none=True, metadata={"description": "Quiet hours start (local); null: none"}
    )
    quiet_until = ma.fields.Time(format="%H:%M", allow_none=True, metadata={"description": "Quiet hours end (local)"})
    reminder_hours = REMINDER_HOURS()


class OwnMembershipSchema(Schema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    group_name = ma.fields.String()
    role = ma.fields.Enum(MembershipRole, by_value=True)
    status = ma.fields.Enum(MembershipStatus, by_value=True)


class OfficerAreaSchema(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()


class MeSchema(Schema):
    person = ma.fields.Nested(PersonSelfSchema)
    memberships = ma.fields.List(
        ma.fields.Nested(OwnMembershipSchema),
        metadata={"description": "Every group you are in or asked to join, with its status"},
    )
    officer_areas = ma.fields.List(
        ma.fields.Nested(OfficerAreaSchema),
        metadata={"description": "The areas you serve as wijkagent (empty for everyone else)"},
    )


class MeUpdateSchema(Schema):
    quiet_from = ma.fields.Time(
        format="%H:%M",
        allow_none=True,
        metadata={"description": "Non-urgent pushes wait while quiet (default 23:00-07:00)"},
    )
    quiet_until = ma.fields.Time(format="%H:%M", allow_none=True)
    display_name = ma.fields.String(validate=ma.validate.Length(1, 120))
    phone = ma.fields.String(allow_none=True, validate=PHONE)
    locale = ma.fields.Enum(
        Locale, by_value=True, metadata={"description": "Language of pushes and e-mails: `nl` or `en`"}
    )
    reminder_hours = REMINDER_HOURS()
