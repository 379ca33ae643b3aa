"""HTTP endpoints for patrols: /api/v1/groups/{id}/patrols, /api/v1/patrols/{id}/..., /api/v1/me/patrols."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.patrols import reads, service, stats
from buurtwacht.patrols.schemas import (
    CancelSchema,
    GroupStatsSchema,
    MyStatsSchema,
    NoShowSchema,
    PatrolCreateSchema,
    PatrolDetailSchema,
    PatrolQuerySchema,
    PatrolSchema,
    PatrolSummarySchema,
    PatrolUpdateSchema,
    SignupSchema,
    StatsQuerySchema,
    TeamChangeSchema,
)
from buurtwacht.readcache import cacheable

blp = Blueprint(
    "patrols", __name__, url_prefix=API_PREFIX, description="Patrols (surveillancerondes) and their roster."
)


@blp.route("/groups/<uuid:group_id>/patrols")
class GroupPatrols(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.arguments(PatrolQuerySchema, location="query")
    @blp.response(200, PatrolSummarySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], group_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """List a group's patrols (the roster)

        Filter by period (`from`, `to`), `status`, `open=true` (patrols you can still take) or
        `short=true` (upcoming patrols short of their minimum team). Members and the wijkagent.
        """
        return reads.group_patrols(current_person(), group_id, filters, pagination_parameters)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(PatrolCreateSchema)
    @blp.response(201, PatrolSchema)
    def post(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Plan a one-off patrol (coordinators)

        Times without an offset are Europe/Amsterdam. Send your own `id` to make retries safe.
        """
        return service.create_patrol(current_person(), group_id, data)


@blp.route("/patrols/<uuid:patrol_id>")
class PatrolById(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.response(200, PatrolDetailSchema)
    def get(self, patrol_id: uuid.UUID) -> Any:
        """Get a patrol with its team and waiting list"""
        return reads.detail(current_person(), patrol_id)

    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(PatrolUpdateSchema)
    @blp.response(200, PatrolSchema)
    def patch(self, changes: dict[str, Any], patrol_id: uuid.UUID) -> Any:
        """Change a planned patrol (coordinators)

        Moving it tells everyone on the team and the waiting list.
        """
        return service.update_patrol(current_person(), patrol_id, changes)


@blp.route("/patrols/<uuid:patrol_id>/cancel")
class Cancel(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(CancelSchema)
    @blp.response(200, PatrolSchema)
    def post(self, data: dict[str, Any], patrol_id: uuid.UUID) -> Any:
        """Cancel a planned patrol with a reason (coordinators)

        Everyone on the team and the waiting list is told.
        """
        return service.cancel_patrol(current_person(), patrol_id, data["reason"])


@blp.route("/patrols/<uuid:patrol_id>/signup")
class Signup(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, SignupSchema)
    def put(self, patrol_id: uuid.UUID) -> Any:
        """Sign up for a patrol

        You are on the team while there is a place, else on the waiting list (`waitlisted`),
        promoted in order when someone withdraws. Signing up again changes nothing. 409 when the
        sign-up window is closed or you are on another patrol at that time.
        """
        return service.signup_view(service.sign_up(current_person(), patrol_id))

    @blp.group_scoped
    @blp.conflicts
    @blp.response(204)
    def delete(self, patrol_id: uuid.UUID) -> None:
        """Withdraw from a patrol

        Allowed until the group's deadline before the start (from the waiting list: any time).
        """
        service.withdraw(current_person(), patrol_id)


@blp.route("/patrols/<uuid:patrol_id>/team")
class Team(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(TeamChangeSchema)
    @blp.response(200, SignupSchema)
    def post(self, data: dict[str, Any], patrol_id: uuid.UUID) -> Any:
        """Put a member on the team (coordinators)

        No sign-up window applies, but the maximum does. The member is told.
        """
        return service.signup_view(service.add_to_team(current_person(), patrol_id, data["person_id"]))


@blp.route("/patrols/<uuid:patrol_id>/team/<uuid:person_id>")
class TeamMember(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(204)
    def delete(self, patrol_id: uuid.UUID, person_id: uuid.UUID) -> None:
        """Take someone off the team or waiting list (coordinators)

        The member is told; the first on the waiting list gets the place.
        """
        service.remove_from_team(current_person(), patrol_id, person_id)


@blp.route("/patrols/<uuid:patrol_id>/check-in")
class CheckIn(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, SignupSchema)
    def post(self, patrol_id: uuid.UUID) -> Any:
        """Check in on the street (team members)

        From 30 minutes before the start. The first check-in starts the patrol (`running`).
        """
        return service.signup_view(service.check_in(current_person(), patrol_id))


@blp.route("/patrols/<uuid:patrol_id>/check-out")
class CheckOut(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, SignupSchema)
    def post(self, patrol_id: uuid.UUID) -> Any:
        """Check out (team members)

        When the last one checks out, the patrol is `completed`.
        """
        return service.signup_view(service.check_out(current_person(), patrol_id))


@blp.route("/patrols/<uuid:patrol_id>/complete")
class Complete(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, PatrolSchema)
    def post(self, patrol_id: uuid.UUID) -> Any:
        """Close a running patrol (coordinators); who did not check out is checked out now"""
        return service.complete(current_person(), patrol_id)


@blp.route("/patrols/<uuid:patrol_id>/no-shows")
class NoShows(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(NoShowSchema)
    @blp.response(200, PatrolDetailSchema)
    def post(self, data: dict[str, Any], patrol_id: uuid.UUID) -> Any:
        """Mark team members who did not come (coordinators)

        Only after the start, and only people who did not check in.
        """
        service.mark_no_shows(current_person(), patrol_id, data["person_ids"])
        return service.detail(current_person(), patrol_id)


@blp.route("/me/patrols")
class MyPatrols(MethodView):
    @cacheable
    @blp.signed_in
    @blp.response(200, PatrolSummarySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, pagination_parameters: PaginationParameters) -> Any:
        """My upcoming patrols (on the team or the waiting list), soonest first"""
        return reads.my_upcoming(current_person(), pagination_parameters)


@blp.route("/groups/<uuid:group_id>/patrol-stats")
class GroupPatrolStats(MethodView):
    @blp.group_scoped
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, GroupStatsSchema)
    def get(self, query: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Patrols and volunteer hours per month for a year

        Group totals for members, the wijkagent and admins; per member for coordinators, and
        your own row for volunteers.
        """
        return stats.group_stats(current_person(), group_id, query["year"])


@blp.route("/me/patrol-stats")
class MyPatrolStats(MethodView):
    @blp.signed_in
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, MyStatsSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """My patrols walked and hours per month for a year"""
        return stats.my_stats(current_person(), query["year"])
