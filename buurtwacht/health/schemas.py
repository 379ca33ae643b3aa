"""Schemas of the probes' answers."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema


class HealthSchema(Schema):
    status = ma.fields.String(metadata={"description": "`ok`", "enum": ["ok"]})
