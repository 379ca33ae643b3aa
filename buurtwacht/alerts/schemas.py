"""Request and response schemas for alerts, tips, subscriptions and their statistics."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from buurtwacht.api import Id, MultiLine, Schema
from buurtwacht.groups.schemas import AreaRefSchema
from buurtwacht.models import AlertKind, AlertStatus, Outcome, Severity
from buurtwacht.models.alert import Urgency
from buurtwacht.timefields import LocalDateTime


class CircleSchema(Schema):
    lat = ma.fields.Float(
        required=True,
        validate=ma.validate.Range(-90, 90),
        metadata={"description": "WGS84 latitude of the centre", "example": 52.7858},
    )
    lon = ma.fields.Float(
        required=True,
        validate=ma.validate.Range(-180, 180),
        metadata={"description": "WGS84 longitude of the centre", "example": 6.8975},
    )
    radius_m = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(100, 50_000),
        metadata={"description": "Radius in metres, 100-50000", "example": 1500},
    )


class AlertCreateSchema(Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Optional client-made id: a retry returns the same alert"}
    )
    kind = ma.fields.Enum(
        AlertKind,
        by_value=True,
        required=True,
        metadata={"description": "What it is about; `exercise` marks a drill, and every push then says so"},
    )
    headline = ma.fields.String(
        required=True,
        validate=ma.validate.Length(3, 140),
        metadata={"description": "E.g. 'Vermist: jongen van 8 jaar'"},
    )
    description = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 2000),
        metadata={
            "description": "Behaviour, clothing, direction, vehicle: "
            "'man, about 30, dark jacket, on a bike, towards the station'"
        },
    )
    instruction = MultiLine(
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
    severity = ma.fields.Enum(
        Severity,
        by_value=True,
        load_default=Severity.MODERATE,
        metadata={"description": "CAP severity (default `moderate`): shown in the CAP message, not used for delivery"},
    )
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
    id = ma.fields.UUID(metadata={"description": "The alert's id"})
    kind = ma.fields.Enum(AlertKind, by_value=True, metadata={"description": "What it is about"})
    headline = ma.fields.String(
        metadata={
            "description": "The short call-out, shown in the push's title. Empty, like the other texts, "
            "BUURTWACHT_ALERT_RETENTION_DAYS (365) after the alert ended: they may describe a person",
            "example": "Vermist: jongen van 8 jaar",
        }
    )
    description = ma.fields.String(
        metadata={"description": "Behaviour, clothing, direction, vehicle: who or what to look out for"}
    )
    instruction = ma.fields.String(metadata={"description": "What to do, e.g. 'Call 112 if you see him'"})
    urgency = ma.fields.Enum(
        Urgency, by_value=True, metadata={"description": "CAP urgency; only `immediate` goes through quiet hours"}
    )
    severity = ma.fields.Enum(Severity, by_value=True, metadata={"description": "CAP severity"})
    status = ma.fields.Enum(
        AlertStatus, by_value=True, metadata={"description": "open -> closed (with outcome), cancelled or expired"}
    )
    outcome = ma.fields.Enum(
        Outcome, by_value=True, allow_none=True, metadata={"description": "The result; null unless `closed`"}
    )
    closing_message = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "What everyone it reached was told at the end: the close's message or the cancel's "
            "reason; null while open and after expiry; empty once the alert's retention ended"
        },
    )
    is_exercise = ma.fields.Boolean(metadata={"description": "A drill: kind is `exercise`"})
    created_at = LocalDateTime()
    expires_at = LocalDateTime()
    closed_at = LocalDateTime(allow_none=True)


class UpdateViewSchema(Schema):
    text = ma.fields.String(metadata={"description": "The update, as pushed to everyone the alert reached"})
    at = LocalDateTime()


class AlertViewSchema(Schema):
    alert = ma.fields.Nested(AlertSchema)
    areas = ma.fields.List(ma.fields.Nested(AreaRefSchema), metadata={"description": "The areas the issuer named"})
    circle = ma.fields.Nested(
        CircleSchema,
        allow_none=True,
        metadata={"description": "The circle the issuer drew; null when areas were named"},
    )
    updates = ma.fields.List(ma.fields.Nested(UpdateViewSchema), metadata={"description": "Oldest first"})
    i_am_looking = ma.fields.Boolean(metadata={"description": 'You said "I\'m looking"'})
    can_steer = ma.fields.Boolean(metadata={"description": "You issued it, or you are the area's wijkagent"})
    responders = ma.fields.Integer(
        metadata={"description": "People looking (issuer and wijkagent only)", "optional": True}
    )
    tips = ma.fields.Integer(metadata={"description": "Tips received (issuer and wijkagent only)", "optional": True})


class AlertQuerySchema(Schema):
    status = ma.fields.Enum(AlertStatus, by_value=True)


class AlertUpdateSchema(Schema):
    text = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={
            "description": "3-1000 characters, pushed to everyone the alert reached; "
            "refused (422) when it rests on origin or appearance alone",
            "example": "Gezien bij het station, richting centrum",
        },
    )


class AlertCloseSchema(Schema):
    outcome = ma.fields.Enum(Outcome, by_value=True, required=True, metadata={"description": "The result"})
    message = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={"description": "Sent with a thank-you to everyone the alert reached"},
    )


class AlertCancelSchema(Schema):
    reason = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={"description": "3-1000 characters; sent to everyone the alert reached", "example": "Sent by mistake"},
    )


class TipCreateSchema(Schema):
    id = ma.fields.UUID(required=True, metadata={"description": "Made by the app, so a retry is the same tip"})
    text = MultiLine(
        required=True,
        validate=ma.validate.Length(2, 2000),
        metadata={
            "description": "What you saw, 2-2000 characters; refused (422) when it rests on origin or appearance alone"
        },
    )
    lat = ma.fields.Float(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Range(-90, 90),
        metadata={"description": "WGS84 latitude of where you saw it; null (the default): not given"},
    )
    lon = ma.fields.Float(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Range(-180, 180),
        metadata={"description": "WGS84 longitude; null (the default): not given"},
    )


class TipReceiptSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The tip's id, the one you sent"})
    created_at = LocalDateTime()


class TipSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The tip's id"})
    text = ma.fields.String(metadata={"description": "What the sender saw"})
    lat = ma.fields.Float(allow_none=True, metadata={"description": "WGS84 latitude; null: not given"})
    lon = ma.fields.Float(allow_none=True, metadata={"description": "WGS84 longitude; null: not given"})
    created_at = LocalDateTime()
    from_name = ma.fields.String(
        allow_none=True, metadata={"description": "The sender's full name; null once their account is gone"}
    )
    from_phone = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The sender's phone number, to call back; null if they gave none or the account is gone",
            "example": "+31 6 12345678",
        },
    )
    has_photo = ma.fields.Boolean(
        metadata={"description": "The sender added a photo: GET /api/v1/alerts/{alert_id}/tips/{id}/photo"}
    )


class ResponderSchema(Schema):
    name = ma.fields.String(
        metadata={
            "description": "First name and the initial of the last name, as fellow members see a person",
            "example": "Bram J.",
        }
    )
    groups = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "The names of their groups in the alert's areas or below them (active member), "
            "alphabetically; empty for a resident who receives the area's alerts without a group",
            "example": ["Buurtpreventie Bargeres"],
        },
    )
    since = LocalDateTime(
        metadata={
            "description": 'When they said "I\'m looking": ISO 8601 with the Europe/Amsterdam offset',
            "example": "2026-03-31T21:04:12.345678+02:00",
        }
    )


class TipPhotoSchema(Schema):
    tip_id = ma.fields.UUID(metadata={"description": "The tip the photo belongs to"})
    content_type = ma.fields.String(
        metadata={"description": "The format it was uploaded in", "enum": ["image/jpeg", "image/png"]}
    )
    size_bytes = ma.fields.Integer(metadata={"description": "Size of the stored, re-encoded file in bytes"})
    width = ma.fields.Integer(metadata={"description": "Width in pixels, after scaling to at most 2048 a side"})
    height = ma.fields.Integer(metadata={"description": "Height in pixels, after scaling to at most 2048 a side"})


class AlertStatsSchema(Schema):
    audience = ma.fields.Integer(metadata={"description": "People the alert reached"})
    sent = ma.fields.Integer(metadata={"description": "Pushes delivered to FCM"})
    failed = ma.fields.Integer(
        metadata={"description": "Pushes that failed for good (address unregistered or invalid, or out of attempts)"}
    )
    pending = ma.fields.Integer(
        metadata={"description": "Pushes still waiting to be sent or retried (non-urgent ones: until quiet hours end)"}
    )
    skipped = ma.fields.Integer(metadata={"description": "Not sent because the alert had ended"})
    tips = ma.fields.Integer(metadata={"description": "Tips received"})
    responders = ma.fields.Integer(metadata={"description": "People who say they are looking now"})
    seconds_to_close = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Seconds from the start until it was closed, cancelled or expired; null while open",
            "example": 2700,
        },
    )


class YearQuerySchema(Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(2000, 2100))


class AreaMonthSchema(Schema):
    month = ma.fields.Integer(metadata={"description": "1-12, by the local time the alert started"})
    alerts = ma.fields.Integer(
        metadata={"description": "Alerts that reached the area (or an area below it), exercises included"}
    )
    exercises = ma.fields.Integer(metadata={"description": "Of those, exercises"})
    audience = ma.fields.Integer(metadata={"description": "People reached, summed over the alerts"})
    tips = ma.fields.Integer(metadata={"description": "Tips received, summed over the alerts"})
    outcomes = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Alerts per outcome (`found`, `apprehended`, ...); those without one per status "
            "(`open`, `cancelled`, `expired`). Keys without alerts are left out"
        },
    )


class SubscriptionSchema(Schema):
    area_id = Id(metadata={"description": "The wijk or dorp whose alerts you receive"})
    area_name = ma.fields.String(metadata={"description": "Its name", "example": "Bargeres"})
