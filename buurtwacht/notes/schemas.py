"""Request and response schemas for notes, categories and their referrals."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from buurtwacht.api import Id, MultiLine, Schema
from buurtwacht.models import CalledBy, CalledService, NoteStatus, Urgency
from buurtwacht.notes.categories import CATEGORY_CODES, RECORDABLE_CODES, REFERRAL_CODES, REFERRALS
from buurtwacht.timefields import LocalDateTime

LOCALISED = ma.fields.Dict(
    keys=ma.fields.String(), values=ma.fields.String(), metadata={"description": "`nl` and `en`"}
)


class ReferralSchema(Schema):
    code = ma.fields.String(
        metadata={"description": "The referral's code, e.g. `police` or `municipality`", "enum": REFERRAL_CODES}
    )
    name = LOCALISED
    when = LOCALISED
    phone = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The number to call, as dialled in the Netherlands; null: none",
            "example": "0900-8844",
        },
    )
    url = ma.fields.String(
        allow_none=True, metadata={"description": "Their website; null: none", "example": "https://www.politie.nl"}
    )

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        """A referral of the reference data (notes.categories.REFERRALS) is dumped once and kept: a page
        of 50 notes names the same few referrals about 150 times, each with two texts in two languages."""
        code = getattr(obj, "code", None)
        if many or not isinstance(code, str) or REFERRALS.get(code) is not obj:
            return super()._serialize(obj, many=many)
        kept: dict[str, Any] = self.__dict__.setdefault("_kept", {})
        if code not in kept:
            kept[code] = super()._serialize(obj)
        return kept[code]


class CategorySchema(Schema):
    code = ma.fields.String(
        metadata={
            "description": "The category's code: what a note's `category` takes, e.g. `youth_nuisance`",
            "enum": CATEGORY_CODES,
        }
    )
    label = LOCALISED
    examples = LOCALISED
    recordable = ma.fields.Boolean(metadata={"description": "False for domestic violence: only the referral is given"})
    referrals = ma.fields.List(
        ma.fields.Nested(ReferralSchema), metadata={"description": "Where a report belongs, first first"}
    )


class GroupCategoriesSchema(Schema):
    categories = ma.fields.List(
        ma.fields.String(metadata={"enum": CATEGORY_CODES}),
        required=True,
        metadata={"description": "Category codes the group uses; an empty list means all"},
    )


class NoteContentMixin:
    what = MultiLine(
        validate=ma.validate.Length(3, 4000),
        metadata={
            "description": "What happened: describe behaviour (what someone did, where, when), not who someone is. "
            "A description resting on origin or appearance alone is held for the coordinator's review."
        },
    )
    observed_at = LocalDateTime(metadata={"description": "When it was seen; not in the future, at most a week back"})
    lat = ma.fields.Float(
        allow_none=True,
        validate=ma.validate.Range(-90, 90),
        metadata={
            "description": "WGS84 latitude of where it was seen, together with lon; without a location, "
            "`street` is required. Null: not given",
            "example": 52.7858,
        },
    )
    lon = ma.fields.Float(
        allow_none=True,
        validate=ma.validate.Range(-180, 180),
        metadata={"description": "WGS84 longitude, together with lat; null: not given", "example": 6.8975},
    )
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
    called_by = ma.fields.Enum(
        CalledBy,
        by_value=True,
        allow_none=True,
        metadata={"description": "Who made that call: `me`, `team`, `resident` or `other`; null: not said"},
    )
    urgency = ma.fields.Enum(
        Urgency, by_value=True, metadata={"description": "How urgent the follow-up is: `low`, `normal` or `high`"}
    )


class NoteCreateSchema(NoteContentMixin, Schema):
    id = ma.fields.UUID(
        required=True, metadata={"description": "Made by the app, so a retry from the offline queue is the same note"}
    )
    category = ma.fields.String(
        required=True,
        metadata={"description": "A code from GET /api/v1/note-categories", "enum": RECORDABLE_CODES},
    )
    what = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 4000),
        metadata={
            "description": "3-4000 characters. What happened: describe behaviour (what someone did, where, when), "
            "not who someone is. A description resting on origin or appearance alone is held for the "
            "coordinator's review."
        },
    )
    observed_at = LocalDateTime(
        required=True,
        metadata={
            "description": "When it was seen: not in the future, at most a week (BUURTWACHT_NOTE_MAX_AGE_HOURS) "
            "back. ISO 8601; without an offset it is read as Europe/Amsterdam time",
            "example": "2026-03-31T21:40:00+02:00",
        },
    )
    called = ma.fields.Enum(
        CalledService,
        by_value=True,
        load_default=CalledService.NONE,
        metadata={"description": "SAAR: who was alerted: `emergency_112`, `police`, `other` or `none` (the default)"},
    )
    urgency = ma.fields.Enum(
        Urgency,
        by_value=True,
        load_default=Urgency.NORMAL,
        metadata={"description": "How urgent the follow-up is: `low`, `normal` (the default) or `high`"},
    )


class NoteUpdateSchema(NoteContentMixin, Schema):
    category = ma.fields.String(
        metadata={
            "description": "A code from GET /api/v1/note-categories that the group uses",
            "enum": RECORDABLE_CODES,
        }
    )


class HistorySchema(Schema):
    kind = ma.fields.String(
        metadata={
            "description": "What happened to the note; `forward_*`: its forward to the municipality, "
            "`municipality`: the municipality's answer (in `reason`), `fixed_yet`: its author's answer to "
            "\"Fixed yet?\" (`reason`: `fixed` or `still_there`)",
            "enum": [
                "created", "edited", "held", "unheld", "released", "shared", "status", "photo_added",
                "forward_queued", "forward_sent", "forward_failed", "municipality", "fixed_yet",
            ],
        }
    )
    from_status = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "For `status`: the follow-up status before; null otherwise",
            "enum": [*NoteStatus, None],
        },
    )
    to_status = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "For `status`: the follow-up status after; null otherwise",
            "enum": [*NoteStatus, None],
        },
    )
    reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why: the coordinator's reason for `status` and `released`, the system's for `held` "
            "and `unheld`; null for the other kinds"
        },
    )
    at = LocalDateTime()
    by = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Who did it, as you may see names: the full name for coordinators and for your own "
            "acts, first name and initial for fellow members and the wijkagent; `Oud-deelnemer` once they erased "
            "their account; null where nobody did (the forwarding's steps, the municipality's answers)",
            "example": "Anna V.",
        },
    )


class CommentSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The comment's id"})
    text = ma.fields.String(metadata={"description": "The comment; never edited"})
    author = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "First name and initial; the full name for coordinators and for your own. "
            "`Oud-deelnemer` once the author erased their account; null if the account is gone"
        },
    )
    created_at = LocalDateTime()


class NoteSchema(NoteContentMixin, Schema):
    id = ma.fields.UUID(metadata={"description": "The note's id, made by the app that recorded it"})
    group_id = ma.fields.UUID(metadata={"description": "The group it belongs to"})
    category = ma.fields.String(
        metadata={"description": "The category's code (see GET /api/v1/note-categories)", "enum": CATEGORY_CODES}
    )
    status = ma.fields.Enum(
        NoteStatus, by_value=True, metadata={"description": "open -> reported -> resolved / no_action"}
    )
    held = ma.fields.Boolean(
        metadata={"description": "Held for the coordinator's review; seen only by its author and coordinators"}
    )
    review_message = ma.fields.String(
        metadata={"description": "Why it is held, in the reader's language (only when held)", "optional": True}
    )
    shared_with_police = ma.fields.Boolean(
        metadata={"description": "Shared with the wijkagent (by its author or a coordinator), who can then read it"}
    )
    author = ma.fields.String(
        allow_none=True, metadata={"description": "First name and initial (full for coordinators)"}
    )
    mine = ma.fields.Boolean(metadata={"description": "You wrote it"})
    created_at = LocalDateTime()
    editable_until = LocalDateTime(metadata={"description": "The author may edit until then; later, comments only"})
    referrals = ma.fields.List(
        ma.fields.Nested(ReferralSchema), metadata={"description": "Where this belongs and how to report it"}
    )
    history = ma.fields.List(
        ma.fields.Nested(HistorySchema), metadata={"description": "What happened to the note, oldest first"}
    )
    comments = ma.fields.List(ma.fields.Nested(CommentSchema), metadata={"description": "Oldest first"})
    photo_ids = ma.fields.List(
        ma.fields.UUID(),
        metadata={"description": "Its photos, oldest first; each at GET /api/v1/notes/{id}/photos/{photo_id}"},
    )


class NoteQuerySchema(Schema):
    status = ma.fields.Enum(NoteStatus, by_value=True)
    category = ma.fields.String(metadata={"enum": CATEGORY_CODES})
    from_ = LocalDateTime(data_key="from", attribute="from", metadata={"description": "Observed at or after"})
    to = LocalDateTime(metadata={"description": "Observed before"})
    area_id = Id()
    patrol_id = ma.fields.UUID()
    held = ma.fields.Boolean(metadata={"description": "Coordinators: only held (true) or only released (false) notes"})


class NoteCountsSchema(Schema):
    total = ma.fields.Integer(metadata={"description": "Notes that match the filters, held ones included"})
    by_category = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={"description": "Notes per category code; categories without notes are left out"},
    )
    by_status = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Notes per status (`open`, `reported`, `resolved`, `no_action`); "
            "statuses without notes are left out"
        },
    )


class StatusChangeSchema(Schema):
    status = ma.fields.Enum(
        NoteStatus,
        by_value=True,
        required=True,
        metadata={
            "description": "The new status: from `open` to `reported`, `resolved` or `no_action`; "
            "from `reported` to `resolved` or `no_action` (409 otherwise)"
        },
    )
    reason = MultiLine(
        required=True, validate=ma.validate.Length(3, 1000), metadata={"description": "Why: kept in the note's history"}
    )


class ReviewSchema(Schema):
    decision = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(["release", "close"]),
        metadata={"description": "`release` to the group, or `close` without action"},
    )
    reason = MultiLine(
        required=True,
        validate=ma.validate.Length(3, 1000),
        metadata={"description": "Why, 3-1000 characters: kept in the note's history"},
    )


class CommentCreateSchema(Schema):
    text = MultiLine(
        required=True,
        validate=ma.validate.Length(1, 4000),
        metadata={
            "description": "1-4000 characters; refused (422) when it rests on origin or appearance. "
            "A comment cannot be edited later"
        },
    )


class PhotoUploadSchema(Schema):
    photo = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "JPEG or PNG"})


class PhotoSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The photo's id: GET /api/v1/notes/{note_id}/photos/{id}"})
    content_type = ma.fields.String(
        metadata={"description": "The format it was uploaded in", "enum": ["image/jpeg", "image/png"]}
    )
    size_bytes = ma.fields.Integer(metadata={"description": "Size of the stored, re-encoded file in bytes"})
    width = ma.fields.Integer(metadata={"description": "Width in pixels, after scaling to at most 2048 a side"})
    height = ma.fields.Integer(metadata={"description": "Height in pixels, after scaling to at most 2048 a side"})
