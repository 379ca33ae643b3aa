"""Request and response schemas for forwarding notes to the municipality."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.models import ForwardStatus
from buurtwacht.notes.categories import CATEGORY_CODES
from buurtwacht.timefields import LocalDateTime


class ForwardCreateSchema(Schema):
    subject = ma.fields.String(
        validate=ma.validate.Length(1, 40),
        metadata={
            "description": "What it is, where the municipality splits the note's category (see GET "
            "/groups/{group_id}/forwarding, `forwardable`: `category/subject`), e.g. `street_light`"
        },
    )
    lat = ma.fields.Float(
        validate=ma.validate.Range(-90, 90),
        metadata={"description": "Where it is, for a note without a location (Signalen needs a point)"},
    )
    lon = ma.fields.Float(validate=ma.validate.Range(-180, 180))
    share_contact = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The author agrees that the municipality may contact them: their name, e-mail "
            "address and phone go along. Only the author can agree; otherwise nobody's name is sent."
        },
    )


class FixedYetStateSchema(Schema):
    asked_at = LocalDateTime(
        allow_none=True,
        metadata={"description": "When the author was asked (once) whether it is fixed yet; null: not asked"},
    )
    answer = ma.fields.String(
        allow_none=True,
        metadata={"description": "The author's answer; null until they answer", "enum": ["fixed", "still_there", None]},
    )
    answered_at = LocalDateTime(allow_none=True)


class ForwardSchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    municipality = ma.fields.String(metadata={"description": "Where it went, e.g. Gemeente Emmen"})
    system = ma.fields.String(metadata={"description": "`signalen` or `open311`"})
    remote_category = ma.fields.String(metadata={"description": "The municipality's category or service code"})
    status = ma.fields.Enum(
        ForwardStatus,
        by_value=True,
        metadata={
            "description": "queued -> sent -> acknowledged -> closed, or failed (see `error`); a failed "
            "forward is sent again by forwarding the note again"
        },
    )
    remote_id = ma.fields.String(allow_none=True, metadata={"description": "The municipality's number for it"})
    remote_state = ma.fields.String(allow_none=True, metadata={"description": "`open` or `closed`, as it says"})
    remote_status_text = ma.fields.String(allow_none=True, metadata={"description": "What the municipality says"})
    error = ma.fields.String(
        allow_none=True,
        metadata={"description": "Why the last attempt failed: the municipality's own message for a refusal"},
    )
    attempts = ma.fields.Integer()
    next_attempt_at = LocalDateTime(allow_none=True, metadata={"description": "When it is tried again (queued)"})
    share_contact = ma.fields.Boolean()
    created_at = LocalDateTime()
    sent_at = LocalDateTime(allow_none=True)
    last_checked_at = LocalDateTime(allow_none=True)
    closed_at = LocalDateTime(allow_none=True)
    fixed_yet = ma.fields.Nested(
        FixedYetStateSchema,
        metadata={
            "description": '"Fixed yet?": asked of the author, once, some weeks after sending while the '
            "municipality has not closed it (the setting FIXED_YET_WEEKS, 4)"
        },
    )


class FixedYetAnswerSchema(Schema):
    fixed = ma.fields.Boolean(required=True, metadata={"description": "true: it is fixed; false: it is still there"})


class ForwardingChangeSchema(Schema):
    authors_may_forward = ma.fields.Boolean(
        required=True, metadata={"description": "Authors may forward their own notes (coordinators always may)"}
    )


class ForwardingSchema(Schema):
    authors_may_forward = ma.fields.Boolean(
        metadata={"description": "Authors may forward their own notes (coordinators always may)"}
    )
    municipality = ma.fields.String(dump_only=True, allow_none=True, metadata={"description": "null: none set up"})
    system = ma.fields.String(dump_only=True, allow_none=True)
    needs_point = ma.fields.Boolean(
        dump_only=True, allow_none=True, metadata={"description": "Every forwarded note needs lat and lon"}
    )
    forwardable = ma.fields.List(
        ma.fields.String(),
        dump_only=True,
        metadata={"description": "Categories (or `category/subject`) the municipality takes from here"},
    )


_FIGURES = {
    "forwarded": "Notes sent to the municipality this month",
    "answered": "Forwards the municipality first answered this month",
    "fixed": 'Forwards fixed this month: closed by the municipality, or the author answered "fixed" to '
    '"Fixed yet?" (whichever came first)',
    "fixed_by_author": "Of those fixed, the ones the author's answer counted as fixed first",
    "still_open": "Forwards sent by the month's end and not fixed by then",
}


class _FigureFields(Schema):
    forwarded = ma.fields.Integer(metadata={"description": _FIGURES["forwarded"]})
    answered = ma.fields.Integer(metadata={"description": _FIGURES["answered"]})
    fixed = ma.fields.Integer(metadata={"description": _FIGURES["fixed"]})
    fixed_by_author = ma.fields.Integer(metadata={"description": _FIGURES["fixed_by_author"]})
    still_open = ma.fields.Integer(metadata={"description": _FIGURES["still_open"]})
    median_days_to_fix = ma.fields.Float(
        allow_none=True,
        metadata={"description": "Median days from sending to fixed, of those fixed this month; null: none"},
    )


class ForwardFiguresRowSchema(_FigureFields):
    category = ma.fields.String(metadata={"description": "The note's category", "enum": CATEGORY_CODES})
    label = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(), metadata={"description": "The category's label: nl, en"}
    )


class ForwardFiguresSchema(_FigureFields):
    """The month's forwarding figures: the monthly summary's and the admin's (one computation)."""

    by_category = ma.fields.List(
        ma.fields.Nested(ForwardFiguresRowSchema),
        metadata={"description": "Per category with any figure this month, most forwarded first"},
    )


class AreaForwardFiguresSchema(ForwardFiguresSchema):
    area = ma.fields.String(metadata={"description": "The area's name, e.g. Emmen Zuid"})
    month = ma.fields.String(metadata={"description": "YYYY-MM"})


class MonthQuerySchema(Schema):
    month = ma.fields.String(
        required=True,
        metadata={"description": "The month, YYYY-MM (local time)", "example": "2026-11"},
    )
