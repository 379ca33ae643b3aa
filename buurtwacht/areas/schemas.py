"""Request and response schemas for areas and their officers."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Email, Id, Schema
from buurtwacht.geo import GeoJSONPolygon, PointSchema
from buurtwacht.models import AreaKind


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
