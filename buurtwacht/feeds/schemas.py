"""Schemas for the private alert feeds' settings."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Id, Schema
from buurtwacht.timefields import LocalDateTime


class AlertFeedSchema(Schema):
    area_id = Id(metadata={"description": "The area whose alerts the feed shows"})
    area_name = ma.fields.String(metadata={"description": "Its name", "example": "Bargeres"})
    created_at = LocalDateTime(metadata={"description": "When the current URL was made"})
    readable = ma.fields.Boolean(
        metadata={
            "description": "Whether the URL shows anything now: you still receive the area's alerts or serve it "
            "as wijkagent. Checked on every read; otherwise it answers 404"
        }
    )


class AlertFeedCreatedSchema(Schema):
    area_id = Id(metadata={"description": "The area whose alerts the feed shows"})
    area_name = ma.fields.String(metadata={"description": "Its name", "example": "Bargeres"})
    url = ma.fields.String(
        metadata={
            "description": "Your private Atom feed URL for a feed reader, shown only now. Anyone with it reads "
            "the area's alerts as you may: keep it to yourself, make a new one if it leaked"
        }
    )
    created_at = LocalDateTime()
