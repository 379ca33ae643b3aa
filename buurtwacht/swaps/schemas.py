"""Request and response schemas for swaps."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.models import SwapStatus
from buurtwacht.timefields import LocalDateTime


class SwapOfferSchema(Schema):
    to_person_id = ma.fields.UUID(required=True, metadata={"description": "A fellow member who takes your place"})
    other_patrol_id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Optional: a patrol of theirs you take in return (a two-way swap)"},
    )


class SwapSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The swap's id"})
    patrol_id = ma.fields.UUID(metadata={"description": "The patrol whose place is offered"})
    other_patrol_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "The receiver's patrol the offerer takes in return; null for a one-way swap"},
    )
    from_person_id = ma.fields.UUID(metadata={"description": "Who offers their place (and may withdraw the offer)"})
    to_person_id = ma.fields.UUID(metadata={"description": "Who is offered the place (and accepts or declines)"})
    status = ma.fields.Enum(
        SwapStatus, by_value=True, metadata={"description": "offered -> accepted, declined or withdrawn"}
    )
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
