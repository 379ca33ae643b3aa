"""Schemas for privacy rights: the export of a person's own data, and the audit log of officers' reads."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.models import (
    AddressKind,
    AlertKind,
    AlertStatus,
    CalledBy,
    CalledService,
    DeliveryStatus,
    Locale,
    MembershipRole,
    MembershipStatus,
    NoteStatus,
    Outcome,
    PatrolStatus,
    Platform,
    SignupStatus,
    SwapStatus,
    Urgency,
)
from buurtwacht.people.schemas import REMINDER_HOURS, OfficerAreaSchema
from buurtwacht.timefields import LocalDateTime

BY_YOU = ma.fields.Boolean(metadata={"description": "You did this; who else did is left out (their personal data)"})


class ProfileSchema(Schema):
    id = ma.fields.UUID()
    email = ma.fields.String()
    display_name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    locale = ma.fields.Enum(Locale, by_value=True)
    is_admin = ma.fields.Boolean()
    created_at = LocalDateTime()
    quiet_from = ma.fields.Time(format="%H:%M", allow_none=True)
    quiet_until = ma.fields.Time(format="%H:%M", allow_none=True)
    reminder_hours = REMINDER_HOURS()


class MembershipEventSchema(Schema):
    kind = ma.fields.String(metadata={"description": "requested, approved, rejected, left, removed, role_changed, ..."})
    detail = ma.fields.String(allow_none=True)
    at = LocalDateTime()
    by_you = BY_YOU


class ExportMembershipSchema(Schema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    group_name = ma.fields.String()
    role = ma.fields.Enum(MembershipRole, by_value=True)
    status = ma.fields.Enum(MembershipStatus, by_value=True)
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    history = ma.fields.List(ma.fields.Nested(MembershipEventSchema))


class ExportDeviceSchema(Schema):
    id = ma.fields.UUID()
    address_kind = ma.fields.Enum(AddressKind, by_value=True)
    platform = ma.fields.Enum(Platform, by_value=True)
    app_version = ma.fields.String(allow_none=True)
    locale = ma.fields.String(allow_none=True)
    created_at = LocalDateTime()
    last_seen_at = LocalDateTime()
    dropped = ma.fields.Boolean()


class PatrolEventSchema(Schema):
    kind = ma.fields.String(metadata={"description": "signed_up, waitlisted, promoted, withdrew, checked_in, ..."})
    at = LocalDateTime()
    by_you = BY_YOU


class ExportSignupSchema(Schema):
    patrol_id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    group_name = ma.fields.String()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    meeting_point = ma.fields.String()
    patrol_status = ma.fields.Enum(PatrolStatus, by_value=True)
    status = ma.fields.Enum(SignupStatus, by_value=True, metadata={"description": "Your place on the patrol"})
    queued_at = LocalDateTime()
    checked_in_at = LocalDateTime(allow_none=True)
    checked_out_at = LocalDateTime(allow_none=True)
    no_show = ma.fields.Boolean()
    history = ma.fields.List(ma.fields.Nested(PatrolEventSchema))


class ExportSwapSchema(Schema):
    id = ma.fields.UUID()
    patrol_id = ma.fields.UUID()
    other_patrol_id = ma.fields.UUID(allow_none=True)
    direction = ma.fields.String(metadata={"description": "`offered` by you or `received` by you"})
    status = ma.fields.Enum(SwapStatus, by_value=True)
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)


class ExportPhotoSchema(Schema):
    id = ma.fields.UUID()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    created_at = LocalDateTime()


class ExportCommentSchema(Schema):
    id = ma.fields.UUID()
    text = ma.fields.String()
    created_at = LocalDateTime()
    by_you = BY_YOU


class NoteEventSchema(Schema):
    kind = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    at = LocalDateTime()
    by_you = BY_YOU


class ExportNoteSchema(Schema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    group_name = ma.fields.String()
    category = ma.fields.String()
    what = ma.fields.String()
    observed_at = LocalDateTime()
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    accuracy_m = ma.fields.Float(allow_none=True)
    street = ma.fields.String(allow_none=True)
    area_id = ma.fields.Integer(allow_none=True)
    patrol_id = ma.fields.UUID(allow_none=True)
    called = ma.fields.Enum(CalledService, by_value=True)
    called_by = ma.fields.Enum(CalledBy, by_value=True, allow_none=True)
    urgency = ma.fields.Enum(Urgency, by_value=True)
    status = ma.fields.Enum(NoteStatus, by_value=True)
    held = ma.fields.Boolean()
    shared_with_police_at = LocalDateTime(allow_none=True)
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    photos = ma.fields.List(
        ma.fields.Nested(ExportPhotoSchema),
        metadata={"description": "The photos' details; each is at GET /api/v1/notes/{id}/photos/{photo_id}"},
    )
    comments = ma.fields.List(ma.fields.Nested(ExportCommentSchema))
    history = ma.fields.List(ma.fields.Nested(NoteEventSchema))


class OwnCommentSchema(Schema):
    id = ma.fields.UUID()
    note_id = ma.fields.UUID()
    text = ma.fields.String()
    created_at = LocalDateTime()


class ExportTipSchema(Schema):
    id = ma.fields.UUID()
    alert_id = ma.fields.UUID()
    text = ma.fields.String()
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    created_at = LocalDateTime()


class ReceivedAlertSchema(Schema):
    alert_id = ma.fields.UUID()
    kind = ma.fields.Enum(AlertKind, by_value=True)
    created_at = LocalDateTime()
    received = ma.fields.Boolean(metadata={"description": "It was pushed to you"})
    looking = ma.fields.Boolean(metadata={"description": "You said you were looking"})
    looking_since = LocalDateTime(allow_none=True)


class IssuedAlertSchema(Schema):
    id = ma.fields.UUID()
    kind = ma.fields.Enum(AlertKind, by_value=True)
    status = ma.fields.Enum(AlertStatus, by_value=True)
    outcome = ma.fields.Enum(Outcome, by_value=True, allow_none=True)
    created_at = LocalDateTime()
    closed_at = LocalDateTime(allow_none=True)


class ExportSubscriptionSchema(Schema):
    area_id = ma.fields.Integer()
    area_name = ma.fields.String()
    created_at = LocalDateTime()


class ExportCalendarSchema(Schema):
    active = ma.fields.Boolean(
        metadata={"description": "Whether you have a calendar feed (its secret URL is not kept)"}
    )
    created_at = LocalDateTime(allow_none=True)


class ExportEmailSchema(Schema):
    subject = ma.fields.String()
    created_at = LocalDateTime()
    status = ma.fields.Enum(DeliveryStatus, by_value=True)
    sent_at = LocalDateTime(allow_none=True)


class ExportNotificationSchema(Schema):
    kind = ma.fields.String(metadata={"description": "The message, e.g. patrol.promoted, patrol.reminder"})
    created_at = LocalDateTime()


class ExportNoteReadSchema(Schema):
    note_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null once retention deleted the note"})
    via = ma.fields.String()
    at = LocalDateTime()


class ExportSchema(Schema):
    exported_at = LocalDateTime()
    profile = ma.fields.Nested(ProfileSchema, metadata={"description": "Who you are, your quiet hours and reminders"})
    officer_areas = ma.fields.List(ma.fields.Nested(OfficerAreaSchema))
    memberships = ma.fields.List(ma.fields.Nested(ExportMembershipSchema), metadata={"description": "With history"})
    devices = ma.fields.List(
        ma.fields.Nested(ExportDeviceSchema), metadata={"description": "Without the push address (a secret)"}
    )
    patrols = ma.fields.List(
        ma.fields.Nested(ExportSignupSchema),
        metadata={"description": "Your sign-ups and check-ins; the rest of the team is left out"},
    )
    swaps = ma.fields.List(ma.fields.Nested(ExportSwapSchema))
    notes = ma.fields.List(
        ma.fields.Nested(ExportNoteSchema),
        metadata={"description": "Notes you wrote, with comments and history (without other people's names)"},
    )
    comments = ma.fields.List(
        ma.fields.Nested(OwnCommentSchema), metadata={"description": "Comments you wrote on other people's notes"}
    )
    tips = ma.fields.List(ma.fields.Nested(ExportTipSchema))
    alerts_received = ma.fields.List(ma.fields.Nested(ReceivedAlertSchema))
    alerts_issued = ma.fields.List(ma.fields.Nested(IssuedAlertSchema))
    subscriptions = ma.fields.List(ma.fields.Nested(ExportSubscriptionSchema))
    calendar_feed = ma.fields.Nested(ExportCalendarSchema)
    emails = ma.fields.List(
        ma.fields.Nested(ExportEmailSchema), metadata={"description": "E-mails queued to you: subject, date, status"}
    )
    notifications = ma.fields.List(ma.fields.Nested(ExportNotificationSchema))
    note_reads = ma.fields.List(
        ma.fields.Nested(ExportNoteReadSchema),
        metadata={"description": "As wijkagent: your reads of shared notes, from the audit log"},
    )


class AuditQuerySchema(Schema):
    from_ = LocalDateTime(data_key="from", attribute="from", metadata={"description": "Reads at or after"})
    to = LocalDateTime(metadata={"description": "Reads before"})
    reader_id = ma.fields.UUID(metadata={"description": "Only this officer's reads"})


class NamedPersonSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class NamedGroupSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class AuditEntrySchema(Schema):
    id = ma.fields.Integer()
    at = LocalDateTime()
    reader = ma.fields.Nested(
        NamedPersonSchema, allow_none=True, metadata={"description": "Null if the account no longer exists"}
    )
    via = ma.fields.String(metadata={"description": "detail, list, photo or export"})
    note_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null once retention deleted the note"})
    group = ma.fields.Nested(
        NamedGroupSchema, allow_none=True, metadata={"description": "The note's group; null once the note is gone"}
    )
