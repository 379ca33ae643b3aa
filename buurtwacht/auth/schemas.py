"""Schemas of the development sign-in (AUTH_MODE=local only)."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.timefields import LocalDateTime


class DevPersonSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The person id to ask a token for"})
    display_name = ma.fields.String(metadata={"example": "Anna de Vries"})
    email = ma.fields.String(metadata={"description": "The sign-in address"})
    roles = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(["admin", "officer", "coordinator", "volunteer"])),
        metadata={"description": "What the person does: `admin`, `officer`, `coordinator`, `volunteer` (any of them)"},
    )


class DevTokenRequestSchema(Schema):
    person_id = ma.fields.UUID(required=True, metadata={"description": "One of GET /api/v1/dev/people"})
    lifetime_minutes = ma.fields.Integer(
        load_default=60,
        validate=ma.validate.Range(1, 720),
        metadata={"description": "How long the token is valid, 1-720 minutes (default 60)"},
    )


class DevTokenSchema(Schema):
    id_token = ma.fields.String(metadata={"description": "Send it as `Authorization: Bearer <id_token>`"})
    expires_at = LocalDateTime(metadata={"description": "When the token, and so the console's session, ends"})
