"""Schemas for the calendar feed's settings."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.timefields import LocalDateTime


class FeedStatusSchema(Schema):
    active = ma.fields.Boolean(metadata={"description": "Whether you have a feed URL that works"})
    created_at = LocalDateTime(allow_none=True)


class FeedCreatedSchema(Schema):
    url = ma.fields.String(
        metadata={"description": "Your private feed URL, shown only now. Anyone with it sees your patrols"}
    )
    created_at = LocalDateTime()
