"""Request and response schemas for patrol schedules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma

from buurtwacht.api import Id, MultiLine, Schema
from buurtwacht.patrols.schemas import PlannedRoundSchema
from buurtwacht.timefields import LocalDateTime


class ScheduleFieldsMixin:
    meeting_point = ma.fields.String(validate=ma.validate.Length(1, 200))
    route = ma.fields.String(allow_none=True, validate=ma.validate.Length(0, 500))
    area_id = Id(allow_none=True)
    min_team = ma.fields.Integer(validate=ma.validate.Range(1, 20))
    max_team = ma.fields.Integer(validate=ma.validate.Range(1, 50))
    briefing = MultiLine(validate=ma.validate.Length(0, 4000))
    rrule = ma.fields.String(
        validate=ma.validate.Length(8, 200),
        metadata={
            "description": "RFC 5545 RRULE without DTSTART/UNTIL, e.g. `FREQ=WEEKLY;BYDAY=TU,FR` "
            "(every Tuesday and Friday) or `FREQ=WEEKLY;INTERVAL=2;BYDAY=SA`",
        },
    )
    start_time = ma.fields.Time(format="%H:%M", metadata={"description": "Local start, `HH:MM`"})
    end_time = ma.fields.Time(
        format="%H:%M", metadata={"description": "Local end, `HH:MM`; earlier than the start means the next day"}
    )
    ends_on = ma.fields.Date(
        allow_none=True, metadata={"description": "Last day (local) with a patrol; none for open-ended"}
    )


class ScheduleCreateSchema(PlannedRoundSchema, ScheduleFieldsMixin):
    id = ma.fields.UUID(load_default=None, metadata={"description": "Optional client-made id for safe retries"})
    rrule = ma.fields.String(required=True, validate=ma.validate.Length(8, 200))
    start_time = ma.fields.Time(required=True, format="%H:%M")
    end_time = ma.fields.Time(required=True, format="%H:%M")
    starts_on = ma.fields.Date(load_default=None, metadata={"description": "First day (local); default today"})
    ends_on = ma.fields.Date(load_default=None, allow_none=True)


class ScheduleUpdateSchema(ScheduleFieldsMixin, Schema):
    pass


class ScheduleSchema(Schema):
    id = ma.fields.UUID()
    group_id = ma.fields.UUID()
    rrule = ma.fields.String()
    start_time = ma.fields.Time(format="%H:%M")
    end_time = ma.fields.Method("_end_time", metadata={"description": "`HH:MM`"})
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(allow_none=True)
    meeting_point = ma.fields.String()
    route = ma.fields.String(allow_none=True)
    area_id = Id(allow_none=True)
    min_team = ma.fields.Integer()
    max_team = ma.fields.Integer()
    briefing = MultiLine()
    ended_at = LocalDateTime(allow_none=True)

    def _end_time(self, schedule: Any) -> str:
        start = dt.datetime.combine(dt.date(2000, 1, 1), schedule.start_time)
        return (start + dt.timedelta(minutes=schedule.duration_minutes)).strftime("%H:%M")


class ScheduleRoundSchema(Schema):
    occurrence = ma.fields.Date(metadata={"description": "The round's local day"})
    starts_at = LocalDateTime(
        metadata={"description": "Its start, with the local offset (20:00 stays 20:00 across DST)"}
    )
    ends_at = LocalDateTime()
    made_at_once = ma.fields.Boolean(
        metadata={
            "description": "Made as soon as the schedule is created (within the group's weeks ahead); "
            "false: made later, as the weeks ahead move on"
        }
    )
