"""Request and response schemas for memberships, invite codes and joining."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app

from buurtwacht.api import Schema
from buurtwacht.models import MembershipRole, MembershipStatus
from buurtwacht.timefields import LocalDateTime


class MemberSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The membership's id"})
    person_id = ma.fields.UUID(metadata={"description": "The member's person id, as in patrol teams"})
    name = ma.fields.String(metadata={"description": "First name and initial; the full name for coordinators"})
    role = ma.fields.Enum(
        MembershipRole, by_value=True, metadata={"description": "`volunteer` or `coordinator` in this group"}
    )
    status = ma.fields.Enum(
        MembershipStatus,
        by_value=True,
        metadata={
            "description": "`active`; coordinators also see `pending` (asks to join), `rejected`, `left` and `removed`"
        },
    )
    since = LocalDateTime(metadata={"description": "When the membership last changed status or role"})
    email = ma.fields.String(
        metadata={"description": "Coordinators only; absent while the member's address is unverified", "optional": True}
    )
    phone = ma.fields.String(
        allow_none=True, metadata={"description": "Coordinators only (null: none given)", "optional": True}
    )


class MemberQuerySchema(Schema):
    status = ma.fields.Enum(
        MembershipStatus,
        by_value=True,
        load_default=MembershipStatus.ACTIVE,
        metadata={
            "description": "`active` (default); coordinators may also list `pending` requests and former members"
        },
    )


class RoleChangeSchema(Schema):
    role = ma.fields.Enum(
        MembershipRole,
        by_value=True,
        required=True,
        metadata={
            "description": "The new role, `coordinator` or `volunteer`, of an active member; "
            "the group's last coordinator cannot become a volunteer (409)"
        },
    )


def _max_invite_days() -> int:
    return int(current_app.config["BUURTWACHT"].INVITE_MAX_TTL_DAYS)


def _validate_days(value: int) -> None:
    maximum = _max_invite_days()
    if not 1 <= value <= maximum:
        raise ma.ValidationError(f"must be between 1 and {maximum} days")


class InviteCreateSchema(Schema):
    valid_days = ma.fields.Integer(
        load_default=None,
        validate=_validate_days,
        metadata={"description": "How long the code works; default from BUURTWACHT_INVITE_TTL_DAYS"},
    )


class InviteSchema(Schema):
    code = ma.fields.String(
        metadata={"description": "8 characters, no 0/O or 1/I/L; share it by word of mouth or on paper"}
    )
    created_at = LocalDateTime()
    expires_at = LocalDateTime()


class JoinSchema(Schema):
    code = ma.fields.String(
        required=True,
        validate=ma.validate.Length(4, 40),
        metadata={"description": "The group's invite code; case, spaces and dashes are ignored"},
    )


class JoinResultSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The membership's id"})
    group_id = ma.fields.UUID(metadata={"description": "The group the code belongs to"})
    group_name = ma.fields.String(metadata={"description": "The group's name"})
    role = ma.fields.Enum(
        MembershipRole,
        by_value=True,
        metadata={"description": "Always `volunteer` on joining; a coordinator may make you coordinator later"},
    )
    status = ma.fields.Enum(
        MembershipStatus,
        by_value=True,
        metadata={"description": "`pending` until a coordinator approves (then `active`) or rejects it"},
    )
