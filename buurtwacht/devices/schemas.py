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
    address = ma.fields.String(
        required=True,
        validate=ma.validate.Length(8, 4096),
        metadata={
            "description": "The FCM address itself (the installation id or the registration token); "
            "registered by another device or account before, it moves to this one. Never shown back"
        },
    )
    platform = ma.fields.Enum(
        Platform, by_value=True, required=True, metadata={"description": "`android`, `ios` or `web`"}
    )
    app_version = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(1, 40),
        metadata={
            "description": "The app's version, 1-40 characters; null (the default): not given",
            "example": "1.4.2",
        },
    )
    locale = ma.fields.Enum(
        Locale,
        by_value=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "Language of pushes on this device; default: yours"},
    )


class DeviceSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The device's id, made by the app (one per installation)"})
    address_kind = ma.fields.Enum(
        AddressKind,
        by_value=True,
        metadata={"description": "`fid` (Firebase Installation ID) or `token` (FCM registration token)"},
    )
    platform = ma.fields.Enum(Platform, by_value=True, metadata={"description": "`android`, `ios` or `web`"})
    app_version = ma.fields.String(
        allow_none=True, metadata={"description": "The app's version as registered; null: not given"}
    )
    locale = ma.fields.String(
        allow_none=True,
        metadata={"description": "Language of pushes on this device, `nl` or `en`; null: your own language (locale)"},
    )
    last_seen_at = LocalDateTime()
    dropped = ma.fields.Boolean(
        metadata={"description": "FCM called this address unregistered or invalid: register it again"}
    )
