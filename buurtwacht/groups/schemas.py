"""Request and response schemas for groups."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.access import Relation
from buurtwacht.api import Email, Id, MultiLine, Schema


class AreaRefSchema(Schema):
    id = ma.fields.Integer(metadata={"description": "The area's id"})
    name = ma.fields.String(metadata={"description": "The area's name", "example": "Bargeres"})


class PatrolSettingsSchema(Schema):
    signup_opens_days = ma.fields.Integer(
        validate=ma.validate.Range(1, 180),
        metadata={"description": "Sign-up opens this many days before a patrol (default 28)"},
    )
    withdraw_until_hours = ma.fields.Integer(
        validate=ma.validate.Range(0, 168),
        metadata={"description": "Withdrawing closes this many hours before the start (default 12)"},
    )
    schedule_weeks_ahead = ma.fields.Integer(
        validate=ma.validate.Range(1, 26),
        metadata={"description": "Schedules make patrols this many weeks ahead (default 6)"},
    )
    no_show_limit = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(1, 20),
        metadata={
            "description": "With this many no-shows in 90 days, a person holds one upcoming patrol at a time; "
            "null: no cap"
        },
    )


class PatrolSettingsChangeSchema(PatrolSettingsSchema):
    """The patrol rules to change: each may be left out."""


class GroupSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The group's id"})
    name = ma.fields.String(metadata={"description": "The group's name", "example": "Buurtpreventie Bargeres"})
    description = ma.fields.String(
        metadata={"description": "What the group is about, in its own words; an empty string if none"}
    )
    area = ma.fields.Nested(AreaRefSchema)
    member_count = ma.fields.Integer(metadata={"description": "Active members, coordinators included"})
    coordinators = ma.fields.List(
        ma.fields.String(), metadata={"description": "Coordinators as first name and initial"}
    )
    patrol_settings = ma.fields.Nested(PatrolSettingsSchema)
    note_retention_months = ma.fields.Integer(
        metadata={"description": "Notes (and their photos) are deleted this many months after they were made"}
    )
    your_relations = ma.fields.List(
        ma.fields.Enum(Relation, by_value=True),
        metadata={
            "description": "How you relate to this group: coordinator, volunteer, "
            "officer (wijkagent of its area), admin"
        },
    )


class CoordinatorInviteSchema(Schema):
    email = Email(
        required=True,
        metadata={"description": "The coordinator's e-mail address (at most 254 characters; case is ignored)"},
    )
    display_name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 120),
        metadata={
            "description": "Their full name, 1-120 characters; only used when nobody has this e-mail yet "
            "(an existing person keeps their own name)",
            "example": "Anna de Vries",
        },
    )


class GroupCreateSchema(Schema):
    name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 120),
        metadata={"description": "The group's name, 1-120 characters", "example": "Buurtpreventie Bargeres"},
    )
    description = MultiLine(
        load_default="",
        validate=ma.validate.Length(0, 4000),
        metadata={"description": "What the group is about, at most 4000 characters (default empty)"},
    )
    area_id = Id(required=True, metadata={"description": "A wijk (neighbourhood) or dorp (village)"})
    coordinator = ma.fields.Nested(
        CoordinatorInviteSchema,
        required=True,
        metadata={"description": "The first coordinator, by e-mail: linked when they first sign in with that address"},
    )


class GroupUpdateSchema(Schema):
    name = ma.fields.String(
        validate=ma.validate.Length(1, 120),
        metadata={"description": "Coordinators and admins: the group's name, 1-120 characters"},
    )
    description = MultiLine(
        validate=ma.validate.Length(0, 4000),
        metadata={"description": "Coordinators and admins: what the group is about, at most 4000 characters"},
    )
    area_id = Id(metadata={"description": "Admins only: move the group to another wijk or dorp"})
    note_retention_months = ma.fields.Integer(
        validate=ma.validate.Range(1, 24),
        metadata={"description": "Coordinators: how long notes are kept, 1-24 months (default 12)"},
    )
    patrol_settings = ma.fields.Nested(
        PatrolSettingsChangeSchema, metadata={"description": "Coordinators: the group's patrol rules"}
    )


class GroupQuerySchema(Schema):
    area_id = Id(metadata={"description": "Only groups in this area"})
