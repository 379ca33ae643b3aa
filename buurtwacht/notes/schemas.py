"""Request and response schemas for notes, categories and their referrals."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Id, Schema
from buurtwacht.models import CalledBy, CalledService, NoteStatus, Urgency
from buurtwacht.timefields import LocalDateTime

LOCALISED = ma.fields.Dict(
    keys=ma.fields.String(), values=ma.fields.String(), metadata={"description": "`nl` and `en`"}
)


class ReferralSchema(Schema):
    code = ma.fields.String()
    name = LOCALISED
    when = LOCALISED
    phone = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True)


class CategorySchema(Schema):
    code = ma.fields.String()
    label = LOCALISED
    examples = LOCALISED
    recordable = ma.fields.Boolean(metadata={"description": "False for domestic violence: only the referral is given"})
    referrals = ma.fields.List(
        ma.fields.Nested(ReferralSchema), metadata={"description": "Where a report belongs, first first"}
    )


class GroupCategoriesSchema(Schema):
    categories = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "Category codes the group uses; an empty list means all"},
    )


class NoteContentMixin:
    what = ma.fields.String(
        validate=ma.validate.Length(3, 4000),
        metadata={
            "description": "What happened: describe behaviour (what someone did, where, when), not who someone is. "
            "A description resting on origin or appearance alone is held for the coordinator's review."
        },
    )
    observed_at = LocalDateTime(metadata={"description": "When it was seen; not in the future, at most a week back"})
    lat = ma.fields.Float(allow_none=True, validate=ma.validate.Range(-90, 90))
    lon = ma.fields.Float(allow_none=True, validate=ma.validate.Range(-180, 180))
    accuracy_m = ma.fields.Float(
        allow_none=True, validate=ma.validate.Range(0, 100_000), metadata={"description": "GPS accuracy in metres"}
    )
    street = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(1, 200),
        metadata={"description": "Where, in words: 'Hoek Kapelstraat / Wilhelminastraat'"},
    )
    area_id = Id(allow_none=True, metadata={"description": "Default: the group's wijk or dorp"})
    patrol_id = ma.fields.UUID(allow_none=True, metadata={"description": "The patrol it was seen on"})
    called = ma.fields.Enum(
        CalledService,
        by_value=True,
        metadata={"description": "SAAR: who was alerted (112, the police, another service, none)"},
    )
    called_by = ma.fields.Enum(CalledBy, by_value=True, allow_none=True)
    urgency = ma.fields.Enum(Urgency, by_value=True)


class NoteCreateSchema(NoteContentMixin, Schema):
    id = ma.fields.UUID(
        required=True, metadata={"description": "Made by the app, so a retry from the offline queue is the same note"}
    )
    category = ma.fields.String(required=True, metadata={"description": "A code from GET /api/v1/note-categories"})
    what = ma.fields.String(required=True, validate=ma.validate.Length(3, 4000))
    observed_at = LocalDateTime(required=True)
    called = ma.fields.Enum(CalledService, by_value=True, load_default=CalledService.NONE)
    urgency = ma.fields.Enum(Urgency, by_value=True, load_default=Urgency.NORMAL)


class NoteUpdateSchema(NoteContentMixin, Schema):
    category = ma.fields.String()


class HistorySchema(Schema):
    kind = ma.fields.String(
        metadata={"description": "created, edited, held, unheld, released, shared, status, photo_added"}
    )
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    at = LocalDateTime()


class CommentSchema(Schema):
    id = ma.fields.UUID()
    text = ma.fields.String()
    author = ma.fields.String(allow_none=True)
    created_at = LocalDateTime()


class NoteSchema(NoteContentMixin, Schema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    category = ma.fields.String()
    status = ma.fields.Enum(
        NoteStatus, by_value=True, metadata={"description": "open -> reported -> resolved / no_action"}
    )
    held = ma.fields.Boolean(
        metadata={"description": "Held for the coordinator's review; seen only by its author and coordinators"}
    )
    review_message = ma.fields.String(
        metadata={"description": "Why it is held, in the reader's language (only when held)"}
    )
    shared_with_police = ma.fields.Boolean()
    author = ma.fields.String(
        allow_none=True, metadata={"description": "First name and initial (full for coordinators)"}
    )
    mine = ma.fields.Boolean()
    created_at = LocalDateTime()
    editable_until = LocalDateTime(metadata={"description": "The author may edit until then; later, comments only"})
    referrals = ma.fields.List(
        ma.fields.Nested(ReferralSchema), metadata={"description": "Where this belongs and how to report it"}
    )
    history = ma.fields.List(ma.fields.Nested(HistorySchema))
    comments = ma.fields.List(ma.fields.Nested(CommentSchema))
    photo_ids = ma.fields.List(ma.fields.UUID())


class NoteQuerySchema(Schema):
    status = ma.fields.Enum(NoteStatus, by_value=True)
    category = ma.fields.String()
    from_ = LocalDateTime(data_key="from", attribute="from", metadata={"description": "Observed at or after"})
    to = LocalDateTime(metadata={"description": "Observed before"})
    area_id = Id()
    patrol_id = ma.fields.UUID()
    held = ma.fields.Boolean(metadata={"description": "Coordinators: only held (true) or only released (false) notes"})


class NoteCountsSchema(Schema):
    total = ma.fields.Integer()
    by_category = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    by_status = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class StatusChangeSchema(Schema):
    status = ma.fields.Enum(NoteStatus, by_value=True, required=True)
    reason = ma.fields.String(
        required=True, validate=ma.validate.Length(3, 1000), metadata={"description": "Why: kept in the note's history"}
    )


class ReviewSchema(Schema):
    decision = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(["release", "close"]),
        metadata={"description": "`release` to the group, or `close` without action"},
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(3, 1000))


class CommentCreateSchema(Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 4000))


class PhotoUploadSchema(Schema):
    photo = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "JPEG or PNG"})


class PhotoSchema(Schema):
    id = ma.fields.UUID()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    width = ma.fields.Integer()
    height = ma.fields.Integer()
