"""Column types shared by the models: string enums stored as checked VARCHARs on every database."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR with a CHECK constraint (no PostgreSQL ENUM type to migrate or drop)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
