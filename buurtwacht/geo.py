"""Geographic input: points and GeoJSON polygons, validated as marshmallow fields."""

from __future__ import annotations

from typing import Any

import marshmallow as ma


class PointSchema(ma.Schema):
    lat = ma.fields.Float(
        required=True, validate=ma.validate.Range(-90, 90), metadata={"description": "WGS84 latitude"}
    )
    lon = ma.fields.Float(
        required=True, validate=ma.validate.Range(-180, 180), metadata={"description": "WGS84 longitude"}
    )


def _check_position(position: Any, where: str) -> None:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position)
    ):
        raise ma.ValidationError(f"{where}: a position is [longitude, latitude]")
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ma.ValidationError(f"{where}: longitude or latitude out of range")


def _check_polygon(rings: Any, where: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise ma.ValidationError(f"{where}: a polygon is a list of linear rings")
    for r, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            raise ma.ValidationError(f"{where} ring {r}: a ring needs at least 4 positions")
        for p, position in enumerate(ring):
            _check_position(position, f"{where} ring {r} position {p}")
        if ring[0] != ring[-1]:
            raise ma.ValidationError(f"{where} ring {r}: the first and last position must be the same")


class GeoJSONPolygon(ma.fields.Dict):
    """A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), longitude first."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"description": "GeoJSON Polygon or MultiPolygon (RFC 7946), positions as [lon, lat]"}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        geometry: dict[str, Any] = super()._deserialize(value, attr, data, **kwargs)
        kind = geometry.get("type")
        coordinates = geometry.get("coordinates")
        if set(geometry) - {"type", "coordinates"}:
            raise ma.ValidationError("only 'type' and 'coordinates' are allowed")
        if kind == "Polygon":
            _check_polygon(coordinates, "polygon")
        elif kind == "MultiPolygon":
            if not isinstance(coordinates, list) or not coordinates:
                raise ma.ValidationError("a MultiPolygon is a list of polygons")
            for i, polygon in enumerate(coordinates):
                _check_polygon(polygon, f"polygon {i}")
        else:
            raise ma.ValidationError("type must be 'Polygon' or 'MultiPolygon'")
        return {"type": kind, "coordinates": coordinates}
