"""Marshmallow fields for time: moments entered and shown in local time, dates and clock times."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma

from buurtwacht.localtime import exists_locally, local_zone, occurs_twice_locally, to_local, wall_to_utc


class LocalDateTime(ma.fields.Field[dt.datetime]):
    """ISO 8601. Without an offset it is Europe/Amsterdam wall-clock time; shown with its local offset."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault(
            "description",
            "ISO 8601; without an offset it is read as Europe/Amsterdam time (a time in the hour that happens "
            "twice when the clocks go back then needs its offset: 422 otherwise). Answers carry the local offset.",
        )
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return to_local(value).isoformat()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.datetime:
        if not isinstance(value, str):
            raise ma.ValidationError("an ISO 8601 date and time, e.g. 2026-03-31T20:00")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ma.ValidationError("an ISO 8601 date and time, e.g. 2026-03-31T20:00") from exc
        try:
            if moment.tzinfo is None:
                if not exists_locally(moment):
                    raise ma.ValidationError("this time does not exist in Europe/Amsterdam (the clocks go forward)")
                if occurs_twice_locally(moment):
                    first, second = (moment.replace(tzinfo=local_zone(), fold=f).isoformat() for f in (0, 1))
                    raise ma.ValidationError(
                        "this time happens twice in Europe/Amsterdam (the clocks go back): say which with its "
                        f"offset, {first} (summer time, the first) or {second} (winter time, the second)"
                    )
                utc = wall_to_utc(moment)
            else:
                utc = moment.astimezone(dt.UTC)
            # Refused here so that showing it later (in local time) cannot overflow either.
            to_local(utc)
        except OverflowError as exc:
            raise ma.ValidationError("a moment between the years 1 and 9999, in UTC and in local time") from exc
        return utc
