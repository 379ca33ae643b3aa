"""Areas: the municipality -> gebied -> wijk/dorp tree, and the officers assigned to them."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtwacht.db import Base, UTCDateTime, utcnow
from buurtwacht.models.columns import str_enum


class AreaKind(enum.StrEnum):
    MUNICIPALITY = "municipality"  # gemeente
    DISTRICT = "district"  # gebied
    NEIGHBOURHOOD = "neighbourhood"  # wijk
    VILLAGE = "village"  # dorp


# Groups belong to the smallest areas: a wijk or a dorp.
GROUP_AREA_KINDS = frozenset({AreaKind.NEIGHBOURHOOD, AreaKind.VILLAGE})

PARENT_KINDS: dict[AreaKind, frozenset[AreaKind]] = {
    AreaKind.MUNICIPALITY: frozenset(),
    AreaKind.DISTRICT: frozenset({AreaKind.MUNICIPALITY}),
    AreaKind.NEIGHBOURHOOD: frozenset({AreaKind.DISTRICT}),
    AreaKind.VILLAGE: frozenset({AreaKind.DISTRICT}),
}


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[AreaKind] = mapped_column(str_enum(AreaKind, "area_kind"))
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lon: Mapped[float] = mapped_column(Float)
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @property
    def centre(self) -> dict[str, float]:
        return {"lat": self.centre_lat, "lon": self.centre_lon}

    @centre.setter
    def centre(self, point: dict[str, float]) -> None:
        self.centre_lat, self.centre_lon = point["lat"], point["lon"]


class OfficerAssignment(Base):
    """A wijkagent serves an area; they read what the groups in it share with the police."""

    __tablename__ = "officer_assignments"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
