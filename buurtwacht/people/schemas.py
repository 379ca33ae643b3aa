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
    id = ma.fields.UUID(metadata={"description": "Your person id: the `person_id` of rosters and member lists"})
    email = ma.fields.String(
        attribute="sign_in_email",
        metadata={"description": "The e-mail address of your sign-in account, in lowercase; not changed here"},
    )
    email_verified = ma.fields.Boolean(
        metadata={
            "description": "Whether Firebase vouched for the address. Until it does, nobody sees it, no e-mail goes "
            "to it and no role can be given to it: verify it, then call any endpoint again"
        }
    )
    display_name = ma.fields.String(
        metadata={
            "description": "Your full name (at first the sign-in account's name); "
            "fellow members see first name and initial",
            "example": "Anna de Vries",
        }
    )
    phone = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Your phone number; null: none given. The coordinators of your groups see it, "
            "and so do an alert's issuer and wijkagent when you send a tip",
            "example": "+31 6 12345678",
        },
    )
    locale = ma.fields.Enum(
        Locale, by_value=True, metadata={"description": "Language of pushes and e-mails: `nl` (default) or `en`"}
    )
    is_admin = ma.fields.Boolean(metadata={"description": "Municipal staff: manages areas and groups"})
    quiet_from = ma.fields.Time(
        format="%H:%M", allow_none=True, metadata={"description": "Quiet hours start (local); null: none"}
    )
    quiet_until = ma.fields.Time(format="%H:%M", allow_none=True, metadata={"description": "Quiet hours end (local)"})
    reminder_hours = REMINDER_HOURS()


class OwnMembershipSchema(Schema):
    id = ma.fields.UUID(
        metadata={"description": "The membership's id: DELETE /api/v1/groups/{group_id}/members/{id} leaves the group"}
    )
    group_id = ma.fields.UUID(metadata={"description": "The group"})
    group_name = ma.fields.String(metadata={"description": "The group's name"})
    role = ma.fields.Enum(
        MembershipRole, by_value=True, metadata={"description": "`volunteer` or `coordinator` in this group"}
    )
    status = ma.fields.Enum(
        MembershipStatus,
        by_value=True,
        metadata={
            "description": "`pending` until a coordinator approves, then `active`; "
            "`rejected`, `left` or `removed` once it ended"
        },
    )


class OfficerAreaSchema(Schema):
    id = ma.fields.Integer(metadata={"description": "The area's id"})
    code = ma.fields.String(metadata={"description": "The area's stable slug, e.g. `bargeres`"})
    name = ma.fields.String(metadata={"description": "The area's name", "example": "Bargeres"})


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
    quiet_until = ma.fields.Time(
        format="%H:%M",
        allow_none=True,
        metadata={
            "description": "Quiet hours end (local time, `HH:MM`); null, or the same as quiet_from: no quiet hours",
            "example": "07:00",
        },
    )
    display_name = ma.fields.String(
        validate=ma.validate.Length(1, 120),
        metadata={
            "description": "Your full name, 1-120 characters; fellow members see first name and initial",
            "example": "Anna de Vries",
        },
    )
    phone = ma.fields.String(
        allow_none=True,
        validate=PHONE,
        metadata={
            "description": "6-20 digits, spaces, brackets and dashes, with an optional leading +; null removes it. "
            "The coordinators of your groups see it, and so do an alert's issuer and wijkagent when you send a tip",
            "example": "+31 6 12345678",
        },
    )
    locale = ma.fields.Enum(
        Locale, by_value=True, metadata={"description": "Language of pushes and e-mails: `nl` or `en`"}
    )
    reminder_hours = REMINDER_HOURS()
