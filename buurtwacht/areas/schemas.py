"""Request and response schemas for areas and their officers."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Email, Id, Schema
from buurtwacht.geo import GeoJSONPolygon, PointSchema
from buurtwacht.models import AreaKind, NoteStatus
from buurtwacht.notes.categories import CATEGORY_CODES
from buurtwacht.summaries.schemas import PatrolTotalsSchema
from buurtwacht.timefields import LocalDateTime


class AreaSchema(Schema):
    id = ma.fields.Integer(dump_only=True, metadata={"description": "The area's id (made by the server)"})
    code = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(2, 80),
            ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="use lowercase letters, digits and single dashes"),
        ],
        metadata={"description": "Stable slug, e.g. `bargeres`"},
    )
    name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 120),
        metadata={"description": "The area's name, 1-120 characters", "example": "Bargeres"},
    )
    kind = ma.fields.Enum(
        AreaKind,
        by_value=True,
        required=True,
        metadata={"description": "municipality (gemeente), district (gebied), neighbourhood (wijk) or village (dorp)"},
    )
    parent_id = Id(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The area it lies in: a district in the municipality, a wijk or dorp in a district; "
            "null (the default) only for the municipality"
        },
    )
    centre = ma.fields.Nested(PointSchema, required=True)
    boundary = GeoJSONPolygon(allow_none=True, load_default=None)


class AreaCreateSchema(AreaSchema):
    """A new area: the same fields as an area, but `parent_id` and `boundary` may be left out."""


class AreaUpdateSchema(Schema):
    name = ma.fields.String(
        validate=ma.validate.Length(1, 120),
        metadata={"description": "The area's new name, 1-120 characters", "example": "Bargeres"},
    )
    centre = ma.fields.Nested(PointSchema)
    boundary = GeoJSONPolygon(allow_none=True)


class AreaQuerySchema(Schema):
    kind = ma.fields.Enum(AreaKind, by_value=True)
    parent_id = Id()


class OfficerSchema(Schema):
    person_id = ma.fields.UUID(dump_only=True, metadata={"description": "The officer's person id"})
    display_name = ma.fields.String(dump_only=True, metadata={"description": "The officer's full name"})


class OfficerAssignSchema(Schema):
    email = Email(
        required=True, metadata={"description": "The officer's e-mail; they are linked when they first sign in with it"}
    )
    display_name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 120),
        metadata={
            "description": "The officer's full name, 1-120 characters; only used when nobody has this e-mail yet "
            "(an existing person keeps their own name)",
            "example": "Jan Bakker",
        },
    )


class FiguresQuerySchema(Schema):
    year = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(2000, 2100),
        metadata={"description": "The year, by local time", "example": 2026},
    )


class FiguresAreaSchema(Schema):
    id = ma.fields.Integer(metadata={"description": "The area's id"})
    name = ma.fields.String(metadata={"description": "The area's name", "example": "Emmen Zuid"})
    kind = ma.fields.Enum(AreaKind, by_value=True, metadata={"description": "The area's kind"})


class MonthNotesSchema(Schema):
    total = ma.fields.Integer(metadata={"description": "Notes observed in the month (local time), held ones included"})
    by_category = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={
            "description": "Notes per category code (labels: GET /api/v1/note-categories); categories without "
            "notes are left out"
        },
    )


class MonthFiguresSchema(Schema):
    month = ma.fields.Integer(metadata={"description": "1-12, by local time", "example": 10})
    patrols = ma.fields.Nested(PatrolTotalsSchema)
    notes = ma.fields.Nested(MonthNotesSchema)


class AreaFiguresSchema(Schema):
    area = ma.fields.Nested(FiguresAreaSchema)
    year = ma.fields.Integer(metadata={"description": "The year asked for", "example": 2026})
    groups = ma.fields.Integer(metadata={"description": "Groups in the area and the areas below it, now"})
    months = ma.fields.List(
        ma.fields.Nested(MonthFiguresSchema), metadata={"description": "Twelve rows, January to December"}
    )


class SharedNoteQuerySchema(Schema):
    status = ma.fields.Enum(NoteStatus, by_value=True, metadata={"description": "Only notes with this follow-up"})
    category = ma.fields.String(metadata={"enum": CATEGORY_CODES, "description": "Only notes of this category"})
    group_id = ma.fields.UUID(metadata={"description": "Only notes of this group"})
    from_ = LocalDateTime(data_key="from", attribute="from", metadata={"description": "Observed at or after"})
    to = LocalDateTime(metadata={"description": "Observed before"})
