"""Schemas of the monthly summary."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.timefields import LocalDateTime

LOCALISED = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class GroupRefSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    area = ma.fields.String()


class PatrolTotalsSchema(Schema):
    planned = ma.fields.Integer()
    walked = ma.fields.Integer()
    cancelled = ma.fields.Integer()
    hours = ma.fields.Float()
    active_volunteers = ma.fields.Integer()


class CategoryRowSchema(Schema):
    category = ma.fields.String()
    label = LOCALISED
    count = ma.fields.Integer()
    previous_month = ma.fields.Integer()
    same_month_last_year = ma.fields.Integer()


class NoteTotalsSchema(Schema):
    total = ma.fields.Integer()
    previous_month_total = ma.fields.Integer()
    same_month_last_year_total = ma.fields.Integer()
    by_category = ma.fields.List(ma.fields.Nested(CategoryRowSchema))


class PlaceSchema(Schema):
    place = ma.fields.String(metadata={"description": "A street (no house numbers) or a map cell of about 250 m"})
    count = ma.fields.Integer()


class WhereSchema(Schema):
    places = ma.fields.List(
        ma.fields.Nested(PlaceSchema), metadata={"description": "Only places with at least 3 notes"}
    )
    elsewhere = ma.fields.Integer(metadata={"description": "Notes at places with fewer than 3"})


class FollowUpSchema(Schema):
    open = ma.fields.Integer()
    reported = ma.fields.Integer()
    resolved = ma.fields.Integer()
    no_action = ma.fields.Integer()


class SummaryAlertSchema(Schema):
    headline = ma.fields.String()
    kind = ma.fields.String()
    status = ma.fields.String()
    outcome = ma.fields.String(allow_none=True)
    created_at = LocalDateTime()


class PrioritySchema(Schema):
    category = ma.fields.String()
    label = LOCALISED
    count = ma.fields.Integer()


class SummarySchema(Schema):
    group = ma.fields.Nested(GroupRefSchema)
    month = ma.fields.String(metadata={"description": "YYYY-MM"})
    patrols = ma.fields.Nested(PatrolTotalsSchema)
    notes = ma.fields.Nested(NoteTotalsSchema)
    where = ma.fields.Nested(WhereSchema)
    follow_up = ma.fields.Nested(FollowUpSchema)
    alerts = ma.fields.List(ma.fields.Nested(SummaryAlertSchema))
    priorities = ma.fields.List(
        ma.fields.Nested(PrioritySchema), metadata={"description": "The group's chosen categories beside what was seen"}
    )


class ResendSchema(Schema):
    queued = ma.fields.Integer(metadata={"description": "E-mails queued, one per recipient"})
