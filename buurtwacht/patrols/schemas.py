"""Request and response schemas for patrols and their roster."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from buurtwacht.api import Id, MultiLine, Schema
from buurtwacht.models import PatrolStatus, SignupStatus
from buurtwacht.timefields import LocalDateTime


class PatrolFieldsMixin:
    meeting_point = ma.fields.String(
        validate=ma.validate.Length(1, 200),
        metadata={"description": "Where the team meets, e.g. 'Wijkcentrum De Kolk'"},
    )
    route = ma.fields.String(
        allow_none=True, validate=ma.validate.Length(0, 500), metadata={"description": "Optional route or streets"}
    )
    area_id = Id(allow_none=True, metadata={"description": "Optional sub-area"})
    min_team = ma.fields.Integer(
        validate=ma.validate.Range(1, 20),
        metadata={"description": "Fewest people to walk: nobody walks alone (default 2)"},
    )
    max_team = ma.fields.Integer(
        validate=ma.validate.Range(1, 50),
        metadata={"description": "Most people on the team; more go on the waiting list"},
    )
    briefing = MultiLine(
        validate=ma.validate.Length(0, 4000), metadata={"description": "What to look out for this round"}
    )


class PlannedRoundSchema(Schema):
    """What a new patrol and a new schedule both need: where, who, how many, what to look for."""

    meeting_point = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 200),
        metadata={"description": "Where the team meets, 1-200 characters", "example": "Wijkcentrum De Kolk"},
    )
    route = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(0, 500),
        metadata={
            "description": "Optional route or streets, at most 500 characters; null (the default): none",
            "example": "Kapelstraat, Wilhelminastraat, park",
        },
    )
    area_id = Id(
        load_default=None,
        allow_none=True,
        metadata={"description": "Optional sub-area (an area id) the round covers; null (the default): none"},
    )
    min_team = ma.fields.Integer(
        load_default=2,
        validate=ma.validate.Range(1, 20),
        metadata={
            "description": "Fewest people to walk, 1-20: nobody walks alone (default 2). Coordinators are told "
            "when a patrol within 48 hours has fewer"
        },
    )
    max_team = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(1, 50),
        metadata={
            "description": "Most people on the team, 1-50 and at least min_team; more go on the waiting list. "
            "Default: min_team, but at least 4"
        },
    )
    briefing = MultiLine(
        load_default="",
        validate=ma.validate.Length(0, 4000),
        metadata={"description": "What to look out for this round, at most 4000 characters (default empty)"},
    )

    @ma.post_load
    def default_max(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if data["max_team"] is None:
            data["max_team"] = max(4, data["min_team"])
        return data


class PatrolCreateSchema(PlannedRoundSchema, PatrolFieldsMixin):
    id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Optional client-made id: a retry with the same id and body returns the same patrol"},
    )
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)


class PatrolUpdateSchema(PatrolFieldsMixin, Schema):
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()


class CancelSchema(Schema):
    reason = MultiLine(
        required=True, validate=ma.validate.Length(3, 500), metadata={"description": "Told to everyone on the team"}
    )


class PatrolSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "The patrol's id"})
    group_id = ma.fields.UUID(metadata={"description": "The group that walks it"})
    schedule_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The schedule that made it; null for a one-off patrol"}
    )
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    meeting_point = ma.fields.String(metadata={"description": "Where the team meets", "example": "Wijkcentrum De Kolk"})
    route = ma.fields.String(allow_none=True, metadata={"description": "Route or streets; null: none given"})
    area_id = Id(allow_none=True, metadata={"description": "The sub-area it covers; null: none given"})
    min_team = ma.fields.Integer(
        metadata={"description": "Fewest people to walk; coordinators are told when a patrol within 48 hours has fewer"}
    )
    max_team = ma.fields.Integer(
        metadata={"description": "Most people on the team; more sign-ups go on the waiting list"}
    )
    briefing = ma.fields.String(metadata={"description": "What to look out for this round; empty if nothing"})
    status = ma.fields.Enum(
        PatrolStatus,
        by_value=True,
        metadata={"description": "planned -> running (first check-in) -> completed; or cancelled"},
    )
    cancel_reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why it was cancelled: the coordinator's words, or, when a schedule change cancelled "
            "it, the system's own text in the reader's language (their profile's `locale`); null unless cancelled"
        },
    )
    started_at = LocalDateTime(allow_none=True)
    completed_at = LocalDateTime(allow_none=True)


class TeamMemberSchema(Schema):
    person_id = ma.fields.UUID(metadata={"description": "The person's id"})
    name = ma.fields.String(metadata={"description": "First name and initial; full names for coordinators"})
    status = ma.fields.Enum(
        SignupStatus,
        by_value=True,
        metadata={"description": "`confirmed` (on the team) or `waitlisted` (in line for a place, in order)"},
    )
    checked_in_at = LocalDateTime(allow_none=True)
    checked_out_at = LocalDateTime(allow_none=True)
    no_show = ma.fields.Boolean(
        metadata={
            "description": "A coordinator marked them as not come (after the start, without a check-in); "
            "cleared when they check in. Counts towards the group's no_show_limit"
        }
    )


class PatrolSummarySchema(Schema):
    patrol = ma.fields.Nested(PatrolSchema)
    group_name = ma.fields.String(metadata={"description": "The name of the patrol's group"})
    confirmed = ma.fields.Integer(metadata={"description": "People on the team"})
    waitlisted = ma.fields.Integer(metadata={"description": "People on the waiting list"})
    places_left = ma.fields.Integer(
        metadata={"description": "Free places on the team: max_team minus confirmed, never below 0"}
    )
    short_of_minimum = ma.fields.Boolean(metadata={"description": "Planned, and fewer on the team than min_team"})
    my_status = ma.fields.Enum(
        SignupStatus, by_value=True, allow_none=True, metadata={"description": "Your place on it, if any"}
    )


class PatrolDetailSchema(PatrolSummarySchema):
    team = ma.fields.List(
        ma.fields.Nested(TeamMemberSchema), metadata={"description": "Team first, then the waiting list in order"}
    )


class PatrolQuerySchema(Schema):
    from_ = LocalDateTime(
        data_key="from", attribute="from", metadata={"description": "Patrols ending after this moment"}
    )
    to = LocalDateTime(metadata={"description": "Patrols starting before this moment"})
    status = ma.fields.Enum(PatrolStatus, by_value=True)
    open = ma.fields.Boolean(metadata={"description": "Only patrols you can still sign up for"})
    short = ma.fields.Boolean(metadata={"description": "Only upcoming patrols short of their minimum team"})


class SignupSchema(Schema):
    patrol_id = ma.fields.UUID(metadata={"description": "The patrol"})
    status = ma.fields.Enum(
        SignupStatus, by_value=True, metadata={"description": "confirmed (on the team) or waitlisted"}
    )
    checked_in_at = LocalDateTime(allow_none=True)
    checked_out_at = LocalDateTime(allow_none=True)


class TeamChangeSchema(Schema):
    person_id = ma.fields.UUID(
        required=True,
        metadata={
            "description": "An active member of the group (422 otherwise); they go on the team, "
            "never the waiting list (409 when the team is full)"
        },
    )


class NoShowSchema(Schema):
    person_ids = ma.fields.List(
        ma.fields.UUID(),
        required=True,
        validate=ma.validate.Length(1, 50),
        metadata={
            "description": "1-50 people on the team (`confirmed`) who did not check in (422 otherwise); "
            "marking someone again changes nothing"
        },
    )


class StatsQuerySchema(Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(2000, 2100))


class GroupMonthSchema(Schema):
    month = ma.fields.Integer(metadata={"description": "1-12, by the local start of the patrol"})
    planned = ma.fields.Integer(metadata={"description": "Patrols in the month, cancelled ones included"})
    walked = ma.fields.Integer(metadata={"description": "Patrols with at least one check-in"})
    cancelled = ma.fields.Integer(metadata={"description": "Patrols in the month that were cancelled"})
    hours = ma.fields.Float(metadata={"description": "Volunteer hours: check-in to check-out, summed over people"})
    active_members = ma.fields.Integer(metadata={"description": "People who checked in at least once"})


class MemberMonthSchema(Schema):
    month = ma.fields.Integer(metadata={"description": "1-12, by the local start of the patrol"})
    patrols = ma.fields.Integer(metadata={"description": "Patrols the person checked in on"})
    hours = ma.fields.Float(
        metadata={
            "description": "Hours walked, rounded to 2 decimals: from check-in to check-out "
            "(without a check-out: to the patrol's completion, else its planned end)",
            "example": 4.25,
        }
    )


class MemberStatsSchema(Schema):
    person_id = ma.fields.UUID(metadata={"description": "The member's person id"})
    name = ma.fields.String(metadata={"description": "The member's full name"})
    months = ma.fields.List(
        ma.fields.Nested(MemberMonthSchema), metadata={"description": "Only months with patrols walked"}
    )


class GroupStatsSchema(Schema):
    group_id = ma.fields.UUID(metadata={"description": "The group"})
    year = ma.fields.Integer(metadata={"description": "The year asked for, as a local calendar year"})
    months = ma.fields.List(
        ma.fields.Nested(GroupMonthSchema), metadata={"description": "All 12 months, January first"}
    )
    members = ma.fields.List(
        ma.fields.Nested(MemberStatsSchema),
        metadata={"description": "Coordinators: every member who walked; volunteers: only themselves; others: empty"},
    )


class MyStatsSchema(Schema):
    year = ma.fields.Integer(metadata={"description": "The year asked for, as a local calendar year"})
    months = ma.fields.List(
        ma.fields.Nested(MemberMonthSchema),
        metadata={"description": "All 12 months, January first; your patrols in all your groups"},
    )
