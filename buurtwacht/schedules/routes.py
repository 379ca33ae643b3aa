"""HTTP endpoints for schedules: /api/v1/groups/{id}/schedules and /api/v1/schedules/{id}."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.schedules import service
from buurtwacht.schedules.schemas import (
    ScheduleCreateSchema,
    ScheduleRoundSchema,
    ScheduleSchema,
    ScheduleUpdateSchema,
)

blp = Blueprint("schedules", __name__, url_prefix=API_PREFIX, description="Recurring patrol schedules.")


@blp.route("/groups/<uuid:group_id>/schedules")
class GroupSchedules(MethodView):
    @blp.group_scoped
    @blp.response(200, ScheduleSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, group_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """List a group's patrol schedules"""
        return service.list_schedules(current_person(), group_id, pagination_parameters)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(ScheduleCreateSchema)
    @blp.response(201, ScheduleSchema)
    def post(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Create a recurring schedule (coordinators)

        E.g. every Tuesday and Friday 20:00-22:00: `{"rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
        "start_time": "20:00", "end_time": "22:00", "meeting_point": "..."}`. Patrols are made
        at once for the group's `schedule_weeks_ahead`, and kept that far ahead every day, at
        the same local time on both sides of a DST change.
        """
        return service.create_schedule(current_person(), group_id, data)


@blp.route("/groups/<uuid:group_id>/schedules/preview")
class SchedulePreview(MethodView):
    @blp.group_scoped
    @blp.arguments(ScheduleCreateSchema)
    @blp.response(200, ScheduleRoundSchema(many=True))
    def post(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Preview the rounds a new schedule would make (coordinators)

        The same body as creating it, checked the same way (422 for a bad rule), but nothing is stored:
        the rounds from its first day (or today) over the group's `schedule_weeks_ahead`, each at its
        local time with the local offset, so 20:00 stays 20:00 on both sides of a DST change.
        """
        return service.preview_schedule(current_person(), group_id, data)


@blp.route("/schedules/<uuid:schedule_id>")
class ScheduleById(MethodView):
    @blp.group_scoped
    @blp.response(200, ScheduleSchema)
    def get(self, schedule_id: uuid.UUID) -> Any:
        """Get a schedule"""
        return service.get_schedule(current_person(), schedule_id)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(ScheduleUpdateSchema)
    @blp.response(200, ScheduleSchema)
    def patch(self, changes: dict[str, Any], schedule_id: uuid.UUID) -> Any:
        """Change a schedule (coordinators)

        Only future planned patrols change. Patrols nobody signed up for are remade; a patrol
        with people on it is moved (and they are told) or, if its day is gone, cancelled (and
        they are told).
        """
        return service.update_schedule(current_person(), schedule_id, changes)

    @blp.group_scoped
    @blp.response(204)
    def delete(self, schedule_id: uuid.UUID) -> None:
        """End a schedule (coordinators)

        Its future patrols without anyone signed up are removed; those with people on them stay.
        """
        service.end_schedule(current_person(), schedule_id)
