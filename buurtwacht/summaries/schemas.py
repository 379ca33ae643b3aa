"""Schemas of the monthly summary."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.forwarding.schemas import ForwardFiguresSchema
from buurtwacht.models import AlertKind, AlertStatus, Outcome
from buurtwacht.notes.categories import CATEGORY_CODES
from buurtwacht.timefields import LocalDateTime

LOCALISED = ma.fields.Dict(
    keys=ma.fields.String(), values=ma.fields.String(), metadata={"description": "The category's label: `nl` and `en`"}
)


class GroupRefSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The group's id"})
    name = ma.fields.String(metadata={"description": "The group's name"})
    area = ma.fields.String(metadata={"description": "The name of the group's wijk or dorp", "example": "Bargeres"})


class PatrolTotalsSchema(Schema):
    planned = ma.fields.Integer(
        metadata={"description": "Patrols starting in the month (local time), cancelled ones included"}
    )
    walked = ma.fields.Integer(metadata={"description": "Patrols with at least one check-in"})
    cancelled = ma.fields.Integer(metadata={"description": "Patrols that were cancelled"})
    hours = ma.fields.Float(
        metadata={
            "description": "Volunteer hours, rounded to 1 decimal: check-in to check-out (without a check-out: "
            "to the patrol's completion, else its planned end), summed over people",
            "example": 37.5,
        }
    )
    active_volunteers = ma.fields.Integer(metadata={"description": "People who checked in at least once"})


class CategoryRowSchema(Schema):
    category = ma.fields.String(metadata={"description": "The category's code", "enum": CATEGORY_CODES})
    label = LOCALISED
    count = ma.fields.Integer(metadata={"description": "Notes in this category this month"})
    previous_month = ma.fields.Integer(metadata={"description": "Notes in it the month before"})
    same_month_last_year = ma.fields.Integer(metadata={"description": "Notes in it in the same month a year earlier"})


class NoteTotalsSchema(Schema):
    total = ma.fields.Integer(
        metadata={
            "description": "Notes seen this month (by local observed time); notes deleted by retention still count"
        }
    )
    previous_month_total = ma.fields.Integer(metadata={"description": "Notes seen the month before"})
    same_month_last_year_total = ma.fields.Integer(
        metadata={"description": "Notes seen in the same month a year earlier"}
    )
    by_category = ma.fields.List(
        ma.fields.Nested(CategoryRowSchema),
        metadata={
            "description": "Every category with notes this month, the month before or a year earlier; "
            "most notes this month first"
        },
    )


class PlaceSchema(Schema):
    place = ma.fields.String(metadata={"description": "A street (no house numbers) or a map cell of about 250 m"})
    count = ma.fields.Integer(metadata={"description": "Notes at this place this month (at least 3)"})


class WhereSchema(Schema):
    places = ma.fields.List(
        ma.fields.Nested(PlaceSchema), metadata={"description": "Only places with at least 3 notes"}
    )
    elsewhere = ma.fields.Integer(metadata={"description": "Notes at places with fewer than 3"})


class FollowUpSchema(Schema):
    open = ma.fields.Integer(metadata={"description": "This month's notes still open (status now)"})
    reported = ma.fields.Integer(metadata={"description": "This month's notes passed on to where they belong"})
    resolved = ma.fields.Integer(metadata={"description": "This month's notes resolved"})
    no_action = ma.fields.Integer(metadata={"description": "This month's notes closed without action"})


class SummaryAlertSchema(Schema):
    headline = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The alert's headline; null for a municipal admin who is not also a coordinator "
            "of the group or its wijkagent (admins see alert numbers, not their texts); empty once the "
            "alert's retention emptied its texts"
        },
    )
    kind = ma.fields.String(metadata={"description": "The alert's kind", "enum": list(AlertKind)})
    status = ma.fields.String(metadata={"description": "Its status now", "enum": list(AlertStatus)})
    outcome = ma.fields.String(
        allow_none=True, metadata={"description": "The result; null unless closed", "enum": [*Outcome, None]}
    )
    created_at = LocalDateTime()


class PrioritySchema(Schema):
    category = ma.fields.String(metadata={"description": "The category's code", "enum": CATEGORY_CODES})
    label = LOCALISED
    count = ma.fields.Integer(metadata={"description": "Notes in it this month"})


class SummarySchema(Schema):
    group = ma.fields.Nested(GroupRefSchema)
    month = ma.fields.String(metadata={"description": "YYYY-MM"})
    patrols = ma.fields.Nested(PatrolTotalsSchema)
    notes = ma.fields.Nested(NoteTotalsSchema)
    where = ma.fields.Nested(WhereSchema)
    follow_up = ma.fields.Nested(FollowUpSchema)
    forwarding = ma.fields.Nested(
        ForwardFiguresSchema,
        metadata={
            "description": "Notes forwarded to the municipality and what became of them: the same numbers as "
            "the admin's GET /areas/{area_id}/forwarding-stats"
        },
    )
    alerts = ma.fields.List(
        ma.fields.Nested(SummaryAlertSchema),
        metadata={"description": "Alerts that reached the group's area, started this month, oldest first"},
    )
    priorities = ma.fields.List(
        ma.fields.Nested(PrioritySchema), metadata={"description": "The group's chosen categories beside what was seen"}
    )


class ResendSchema(Schema):
    queued = ma.fields.Integer(metadata={"description": "E-mails queued, one per recipient"})
