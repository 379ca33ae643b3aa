"""Request and response schemas for alerts, tips, subscriptions and their statistics."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from buurtwacht.api import Id, Schema
from buurtwacht.groups.schemas import AreaRefSchema
from buurtwacht.models import AlertKind, AlertStatus, Outcome, Severity
from buurtwacht.models.alert import Urgency
from buurtwacht.timefields import LocalDateTime


class CircleSchema(Schema):
    lat = ma.fields.Float(required=True, validate=ma.validate.Range(-90, 90))
    lon = ma.fields.Float(required=True, validate=ma.validate.Range(-180, 180))
    radius_m = ma.fields.Integer(required=True, validate=ma.validate.Range(100, 50_000))


class AlertCreateSchema(Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Optional client-made id: a retry returns the same alert"}
    )
    kind = ma.fields.Enum(AlertKind, by_value=True, required=True)
    headline = ma.fields.String(
        required=True,
        validate=ma.validate.Length(3, 140),
        metadata={"description": "E.g. 'Vermist: jongen van 8 jaar'"},
    )
    description = ma.fields.String(
        required=True,
        validate=ma.validate.Length(3, 2000),
        metadata={
            "description": "Behaviour, clothing, direction, vehicle: "
            "'man, about 30, dark jacket, on a bike, towards the station'"
        },
    )
    instruction = ma.fields.String(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={"description": "What to do: 'Call 112 if you see him; do not act yourself'"},
    )
    area_ids = ma.fields.List(
        Id(),
        validate=ma.validate.Length(1, 50),
        metadata={"description": "Target areas (with everything below them)"},
    )
    circle = ma.fields.Nested(
        CircleSchema, metadata={"description": "Or a circle: reaches the wijken and dorpen whose centre lies in it"}
    )
    urgency = ma.fields.Enum(
        Urgency,
        by_value=True,
        load_default=Urgency.IMMEDIATE,
        metadata={"description": "CAP urgency; only `immediate` goes through quiet hours"},
    )
    severity = ma.fields.Enum(Severity, by_value=True, load_default=Severity.MODERATE)
    expires_in_minutes = ma.fields.Integer(
        load_default=None, validate=ma.validate.Range(5, 24 * 60), metadata={"description": "Default two hours"}
    )
    group_id = ma.fields.UUID(
        load_default=None, metadata={"description": "Coordinators of several groups: the group the alert is for"}
    )

    @ma.validates_schema
    def one_target(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if bool(data.get("area_ids")) == bool(data.get("circle")):
            raise ma.ValidationError("give either area_ids or circle", "area_ids")


class AlertSchema(Schema):
    id = ma.fields.UUID()
    kind = ma.fields.Enum(AlertKind, by_value=True)
    headline = ma.fields.String()
    description = ma.fields.String()
    instruction = ma.fields.String()
    urgency = ma.fields.Enum(Urgency, by_value=True)
    severity = ma.fields.Enum(Severity, by_value=True)
    status = ma.fields.Enum(
        AlertStatus, by_value=True, metadata={"description": "open -> closed (with outcome), cancelled or expired"}
    )
    outcome = ma.fields.Enum(Outcome, by_value=True, allow_none=True)
    closing_message = ma.fields.String(allow_none=True)
    is_exercise = ma.fields.Boolean()
    created_at = LocalDateTime()
    expires_at = LocalDateTime()
    closed_at = LocalDateTime(allow_none=True)


class UpdateViewSchema(Schema):
    text = ma.fields.String()
    at = LocalDateTime()


class AlertViewSchema(Schema):
    alert = ma.fields.Nested(AlertSchema)
    areas = ma.fields.List(ma.fields.Nested(AreaRefSchema), metadata={"description": "The areas the issuer named"})
    circle = ma.fields.Nested(CircleSchema, allow_none=True)
    updates = ma.fields.List(ma.fields.Nested(UpdateViewSchema))
    i_am_looking = ma.fields.Boolean()
    can_steer = ma.fields.Boolean(metadata={"description": "You issued it, or you are the area's wijkagent"})
    responders = ma.fields.Integer(metadata={"description": "People looking (issuer and wijkagent only)"})
    tips = ma.fields.Integer(metadata={"description": "Tips received (issuer and wijkagent only)"})


class AlertQuerySchema(Schema):
    status = ma.fields.Enum(AlertStatus, by_value=True)


class AlertUpdateSchema(Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(3, 1000))


class AlertCloseSchema(Schema):
    outcome = ma.fields.Enum(Outcome, by_value=True, required=True)
    message = ma.fields.String(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={"description": "Sent with a thank-you to everyone the alert reached"},
    )


class AlertCancelSchema(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(3, 1000))


class TipCreateSchema(Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the app, so a retry is the same tip"})
    text = ma.fields.String(required=True, validate=ma.validate.Length(2, 2000))
    lat = ma.fields.Float(load_default=None, allow_none=True, validate=ma.validate.Range(-90, 90))
    lon = ma.fields.Float(load_default=None, allow_none=True, validate=ma.validate.Range(-180, 180))


class TipReceiptSchema(Schema):
    id = ma.fields.UUID()
    created_at = LocalDateTime()


class TipSchema(Schema):
    id = ma.fields.UUID()
    text = ma.fields.String()
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    created_at = LocalDateTime()
    from_name = ma.fields.String(allow_none=True)
    from_phone = ma.fields.String(allow_none=True)


class AlertStatsSchema(Schema):
    audience = ma.fields.Integer(metadata={"description": "People the alert reached"})
    sent = ma.fields.Integer(metadata={"description": "Pushes delivered to FCM"})
    failed = ma.fields.Integer()
    pending = ma.fields.Integer()
    skipped = ma.fields.Integer(metadata={"description": "Not sent because the alert had ended"})
    tips = ma.fields.Integer()
    responders = ma.fields.Integer()
    seconds_to_close = ma.fields.Integer(allow_none=True)


class YearQuerySchema(Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(2000, 2100))


class AreaMonthSchema(Schema):
    month = ma.fields.Integer()
    alerts = ma.fields.Integer()
    exercises = ma.fields.Integer()
    audience = ma.fields.Integer()
    tips = ma.fields.Integer()
    outcomes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class SubscriptionSchema(Schema):
    area_id = Id()
    area_name = ma.fields.String()
