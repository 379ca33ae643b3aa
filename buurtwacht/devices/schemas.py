"""Schemas for registering devices."""

from __future__ import annotations

import marshmallow as ma

from buurtwacht.api import Schema
from buurtwacht.models import AddressKind, Locale, Platform
from buurtwacht.timefields import LocalDateTime


class DeviceRegisterSchema(Schema):
    address_kind = ma.fields.Enum(
        AddressKind,
        by_value=True,
        required=True,
        metadata={"description": "`fid` (Firebase Installation ID, preferred) or `token` (FCM registration token)"},
    )
    address = ma.fields.String(required=True, validate=ma.validate.Length(8, 4096))
    platform = ma.fields.Enum(Platform, by_value=True, required=True)
    app_version = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 40))
    locale = ma.fields.Enum(
        Locale,
        by_value=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "Language of pushes on this device; default: yours"},
    )


class DeviceSchema(Schema):
    id = ma.fields.UUID()
    address_kind = ma.fields.Enum(AddressKind, by_value=True)
    platform = ma.fields.Enum(Platform, by_value=True)
    app_version = ma.fields.String(allow_none=True)
    locale = ma.fields.String(allow_none=True)
    last_seen_at = LocalDateTime()
    dropped = ma.fields.Boolean(
        metadata={"description": "FCM called this address unregistered or invalid: register it again"}
    )
