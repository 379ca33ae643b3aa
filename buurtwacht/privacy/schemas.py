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
from buurtwacht.notes.categories import CATEGORY_CODES
from buurtwacht.notes.schemas import HistorySchema
from buurtwacht.people.schemas import REMINDER_HOURS, OfficerAreaSchema
from buurtwacht.timefields import LocalDateTime

BY_YOU = ma.fields.Boolean(metadata={"description": "You did this; who else did is left out (their personal data)"})


class ProfileSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "Your person id"})
    email = ma.fields.String(metadata={"description": "Your e-mail address"})
    display_name = ma.fields.String(metadata={"description": "Your full name"})
    phone = ma.fields.String(allow_none=True, metadata={"description": "Your phone number; null: none given"})
    locale = ma.fields.Enum(Locale, by_value=True, metadata={"description": "Language of pushes and e-mails"})
    is_admin = ma.fields.Boolean(metadata={"description": "You are municipal staff (admin)"})
    created_at = LocalDateTime()
    quiet_from = ma.fields.Time(
        format="%H:%M",
        allow_none=True,
        metadata={"description": "Quiet hours start (local time, `HH:MM`); null: none", "example": "23:00"},
    )
    quiet_until = ma.fields.Time(
        format="%H:%M",
        allow_none=True,
        metadata={"description": "Quiet hours end (local time, `HH:MM`); null: none", "example": "07:00"},
    )
    reminder_hours = REMINDER_HOURS()


class MembershipEventSchema(Schema):
    kind = ma.fields.String(metadata={"description": "requested, approved, rejected, left, removed, role_changed, ..."})
    detail = ma.fields.String(
        allow_none=True,
        metadata={"description": "For `added` the role given, for `role_changed` the new role; null otherwise"},
    )
    at = LocalDateTime()
    by_you = BY_YOU


class ExportMembershipSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The membership's id"})
    group_id = ma.fields.UUID(metadata={"description": "The group"})
    group_name = ma.fields.String(metadata={"description": "The group's name"})
    role = ma.fields.Enum(MembershipRole, by_value=True, metadata={"description": "Your role in the group"})
    status = ma.fields.Enum(MembershipStatus, by_value=True, metadata={"description": "The membership's status now"})
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    history = ma.fields.List(
        ma.fields.Nested(MembershipEventSchema), metadata={"description": "Every change, oldest first"}
    )


class ExportDeviceSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The device's id, made by the app"})
    address_kind = ma.fields.Enum(
        AddressKind,
        by_value=True,
        metadata={"description": "`fid` (Firebase Installation ID) or `token` (FCM registration token)"},
    )
    platform = ma.fields.Enum(Platform, by_value=True, metadata={"description": "`android`, `ios` or `web`"})
    app_version = ma.fields.String(allow_none=True, metadata={"description": "The app's version; null: not given"})
    locale = ma.fields.String(
        allow_none=True, metadata={"description": "Language of pushes on this device; null: your own language"}
    )
    created_at = LocalDateTime()
    last_seen_at = LocalDateTime()
    dropped = ma.fields.Boolean(metadata={"description": "FCM called this address unregistered or invalid"})


class PatrolEventSchema(Schema):
    kind = ma.fields.String(metadata={"description": "signed_up, waitlisted, promoted, withdrew, checked_in, ..."})
    at = LocalDateTime()
    by_you = BY_YOU


class ExportSignupSchema(Schema):
    patrol_id = ma.fields.UUID(metadata={"description": "The patrol"})
    group_id = ma.fields.UUID(metadata={"description": "The patrol's group"})
    group_name = ma.fields.String(metadata={"description": "The group's name"})
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    meeting_point = ma.fields.String(metadata={"description": "Where the team met"})
    patrol_status = ma.fields.Enum(
        PatrolStatus,
        by_value=True,
        metadata={"description": "The patrol's status: planned, running, completed or cancelled"},
    )
    status = ma.fields.Enum(SignupStatus, by_value=True, metadata={"description": "Your place on the patrol"})
    queued_at = LocalDateTime()
    checked_in_at = LocalDateTime(allow_none=True)
    checked_out_at = LocalDateTime(allow_none=True)
    no_show = ma.fields.Boolean(metadata={"description": "A coordinator marked you as not come"})
    history = ma.fields.List(
        ma.fields.Nested(PatrolEventSchema), metadata={"description": "What happened to your place, oldest first"}
    )


class ExportSwapSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The swap's id"})
    patrol_id = ma.fields.UUID(metadata={"description": "The patrol whose place was offered"})
    other_patrol_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The patrol given in return; null for a one-way swap"}
    )
    direction = ma.fields.String(metadata={"description": "`offered` by you or `received` by you"})
    status = ma.fields.Enum(
        SwapStatus, by_value=True, metadata={"description": "offered -> accepted, declined or withdrawn"}
    )
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)


class ExportPhotoSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The photo's id"})
    content_type = ma.fields.String(metadata={"description": "The photo's format", "enum": ["image/jpeg", "image/png"]})
    size_bytes = ma.fields.Integer(metadata={"description": "Size of the stored file in bytes"})
    width = ma.fields.Integer(metadata={"description": "Width in pixels"})
    height = ma.fields.Integer(metadata={"description": "Height in pixels"})
    created_at = LocalDateTime()


class ExportCommentSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The comment's id"})
    text = ma.fields.String(metadata={"description": "The comment"})
    created_at = LocalDateTime()
    by_you = BY_YOU


class NoteEventSchema(HistorySchema):
    """A note's history as the note's own view shows it (who did it too), and whether it was the person's doing."""

    by_you = ma.fields.Boolean(metadata={"description": "You did this"})


class ExportNoteSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The note's id"})
    group_id = ma.fields.UUID(metadata={"description": "The note's group"})
    group_name = ma.fields.String(metadata={"description": "The group's name"})
    category = ma.fields.String(metadata={"description": "The category's code", "enum": CATEGORY_CODES})
    what = ma.fields.String(metadata={"description": "What happened, as you wrote it"})
    observed_at = LocalDateTime()
    lat = ma.fields.Float(allow_none=True, metadata={"description": "WGS84 latitude; null: not given"})
    lon = ma.fields.Float(allow_none=True, metadata={"description": "WGS84 longitude; null: not given"})
    accuracy_m = ma.fields.Float(allow_none=True, metadata={"description": "GPS accuracy in metres; null: not given"})
    street = ma.fields.String(allow_none=True, metadata={"description": "Where, in words; null: not given"})
    area_id = ma.fields.Integer(allow_none=True, metadata={"description": "The area it was seen in"})
    patrol_id = ma.fields.UUID(allow_none=True, metadata={"description": "The patrol it was seen on; null: none"})
    called = ma.fields.Enum(
        CalledService, by_value=True, metadata={"description": "SAAR: who was alerted (112, the police, other, none)"}
    )
    called_by = ma.fields.Enum(
        CalledBy, by_value=True, allow_none=True, metadata={"description": "Who made that call; null: not said"}
    )
    urgency = ma.fields.Enum(Urgency, by_value=True, metadata={"description": "low, normal or high"})
    status = ma.fields.Enum(
        NoteStatus, by_value=True, metadata={"description": "open -> reported -> resolved / no_action"}
    )
    held = ma.fields.Boolean(metadata={"description": "Held for the coordinator's review"})
    shared_with_police_at = LocalDateTime(allow_none=True)
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    photos = ma.fields.List(
        ma.fields.Nested(ExportPhotoSchema),
        metadata={"description": "The photos' details; each is at GET /api/v1/notes/{id}/photos/{photo_id}"},
    )
    comments = ma.fields.List(
        ma.fields.Nested(ExportCommentSchema), metadata={"description": "Everyone's comments on it, oldest first"}
    )
    history = ma.fields.List(ma.fields.Nested(NoteEventSchema), metadata={"description": "Oldest first"})


class OwnCommentSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The comment's id"})
    note_id = ma.fields.UUID(metadata={"description": "The note you commented on"})
    text = ma.fields.String(metadata={"description": "Your comment"})
    created_at = LocalDateTime()


class ExportTipPhotoSchema(Schema):
    content_type = ma.fields.String(metadata={"description": "The photo's format", "enum": ["image/jpeg", "image/png"]})
    size_bytes = ma.fields.Integer(metadata={"description": "Size of the stored file in bytes"})
    width = ma.fields.Integer(metadata={"description": "Width in pixels"})
    height = ma.fields.Integer(metadata={"description": "Height in pixels"})


class ExportTipSchema(Schema):
    id = ma.fields.UUID(attribute="tip.id", metadata={"description": "The tip's id"})
    alert_id = ma.fields.UUID(attribute="tip.alert_id", metadata={"description": "The alert you answered"})
    text = ma.fields.String(attribute="tip.text", metadata={"description": "Your tip"})
    lat = ma.fields.Float(
        attribute="tip.lat", allow_none=True, metadata={"description": "WGS84 latitude; null: not given"}
    )
    lon = ma.fields.Float(
        attribute="tip.lon", allow_none=True, metadata={"description": "WGS84 longitude; null: not given"}
    )
    created_at = LocalDateTime(attribute="tip.created_at")
    photo = ma.fields.Nested(
        ExportTipPhotoSchema,
        allow_none=True,
        metadata={"description": "Its photo's details, at GET /api/v1/alerts/{alert_id}/tips/{id}/photo; null: none"},
    )


class ReceivedAlertSchema(Schema):
    alert_id = ma.fields.UUID(metadata={"description": "The alert"})
    kind = ma.fields.Enum(AlertKind, by_value=True, metadata={"description": "What it was about"})
    created_at = LocalDateTime()
    received = ma.fields.Boolean(metadata={"description": "It was pushed to you"})
    looking = ma.fields.Boolean(metadata={"description": "You said you were looking"})
    looking_since = LocalDateTime(allow_none=True)


class IssuedAlertSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The alert's id"})
    kind = ma.fields.Enum(AlertKind, by_value=True, metadata={"description": "What it was about"})
    status = ma.fields.Enum(
        AlertStatus, by_value=True, metadata={"description": "open -> closed (with outcome), cancelled or expired"}
    )
    outcome = ma.fields.Enum(
        Outcome, by_value=True, allow_none=True, metadata={"description": "The result; null unless `closed`"}
    )
    created_at = LocalDateTime()
    closed_at = LocalDateTime(allow_none=True)


class ExportSubscriptionSchema(Schema):
    area_id = ma.fields.Integer(metadata={"description": "The wijk or dorp whose alerts you receive"})
    area_name = ma.fields.String(metadata={"description": "Its name"})
    created_at = LocalDateTime()


class ExportCalendarSchema(Schema):
    active = ma.fields.Boolean(
        metadata={"description": "Whether you have a calendar feed (its secret URL is not kept)"}
    )
    created_at = LocalDateTime(allow_none=True)


class ExportEmailSchema(Schema):
    subject = ma.fields.String(metadata={"description": "The e-mail's subject"})
    created_at = LocalDateTime()
    status = ma.fields.Enum(
        DeliveryStatus,
        by_value=True,
        metadata={"description": "`pending` (queued or retrying), `sent`, or `failed` for good"},
    )
    sent_at = LocalDateTime(allow_none=True)


class ExportNotificationSchema(Schema):
    kind = ma.fields.String(metadata={"description": "The message, e.g. patrol.promoted, patrol.reminder"})
    created_at = LocalDateTime()


class ExportNoteReadSchema(Schema):
    note_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null once retention deleted the note"})
    via = ma.fields.String(
        metadata={"description": "How you read it: `detail` (the note), `list` (a page of notes) or `photo`"}
    )
    at = LocalDateTime()


class ExportSchema(Schema):
    exported_at = LocalDateTime()
    profile = ma.fields.Nested(ProfileSchema, metadata={"description": "Who you are, your quiet hours and reminders"})
    officer_areas = ma.fields.List(
        ma.fields.Nested(OfficerAreaSchema),
        metadata={"description": "The areas you serve as wijkagent (empty for everyone else)"},
    )
    memberships = ma.fields.List(ma.fields.Nested(ExportMembershipSchema), metadata={"description": "With history"})
    devices = ma.fields.List(
        ma.fields.Nested(ExportDeviceSchema), metadata={"description": "Without the push address (a secret)"}
    )
    patrols = ma.fields.List(
        ma.fields.Nested(ExportSignupSchema),
        metadata={"description": "Your sign-ups and check-ins; the rest of the team is left out"},
    )
    swaps = ma.fields.List(
        ma.fields.Nested(ExportSwapSchema), metadata={"description": "Swaps you offered or were offered"}
    )
    notes = ma.fields.List(
        ma.fields.Nested(ExportNoteSchema),
        metadata={
            "description": "Notes you wrote, with comments and history (who followed them up named as the note "
            "shows it to you; comments without other people's names)"
        },
    )
    comments = ma.fields.List(
        ma.fields.Nested(OwnCommentSchema), metadata={"description": "Comments you wrote on other people's notes"}
    )
    tips = ma.fields.List(ma.fields.Nested(ExportTipSchema), metadata={"description": "Tips you sent on alerts"})
    alerts_received = ma.fields.List(
        ma.fields.Nested(ReceivedAlertSchema),
        metadata={"description": "Alerts that reached you or that you were looking for"},
    )
    alerts_issued = ma.fields.List(ma.fields.Nested(IssuedAlertSchema), metadata={"description": "Alerts you started"})
    subscriptions = ma.fields.List(
        ma.fields.Nested(ExportSubscriptionSchema),
        metadata={"description": "Areas whose alerts you receive as a resident"},
    )
    calendar_feed = ma.fields.Nested(ExportCalendarSchema)
    alert_feeds = ma.fields.List(
        ma.fields.Nested(ExportSubscriptionSchema),
        metadata={"description": "Areas whose alerts you follow in a feed reader (their secret URLs are not kept)"},
    )
    emails = ma.fields.List(
        ma.fields.Nested(ExportEmailSchema), metadata={"description": "E-mails queued to you: subject, date, status"}
    )
    notifications = ma.fields.List(
        ma.fields.Nested(ExportNotificationSchema),
        metadata={"description": "Pushes queued to you (patrols, swaps, reminders to close an alert): what and when"},
    )
    note_reads = ma.fields.List(
        ma.fields.Nested(ExportNoteReadSchema),
        metadata={"description": "As wijkagent: your reads of shared notes, from the audit log"},
    )


class AuditQuerySchema(Schema):
    from_ = LocalDateTime(data_key="from", attribute="from", metadata={"description": "Reads at or after"})
    to = LocalDateTime(metadata={"description": "Reads before"})
    reader_id = ma.fields.UUID(metadata={"description": "Only this officer's reads"})


class NamedPersonSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The officer's person id (for the reader_id filter)"})
    name = ma.fields.String(metadata={"description": "The officer's full name"})


class NamedGroupSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The group's id"})
    name = ma.fields.String(metadata={"description": "The group's name"})


class AuditEntrySchema(Schema):
    id = ma.fields.Integer(metadata={"description": "The entry's number in the audit log"})
    at = LocalDateTime()
    reader = ma.fields.Nested(
        NamedPersonSchema, allow_none=True, metadata={"description": "Null if the account no longer exists"}
    )
    via = ma.fields.String(metadata={"description": "detail, list, photo or export"})
    note_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null once retention deleted the note"})
    group = ma.fields.Nested(
        NamedGroupSchema, allow_none=True, metadata={"description": "The note's group; null once the note is gone"}
    )
