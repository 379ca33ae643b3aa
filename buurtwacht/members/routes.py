"""HTTP endpoints for members, invite codes (/api/v1/groups/{id}/...) and joining (/api/v1/joins)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.members import service
from buurtwacht.members.schemas import (
    InviteCreateSchema,
    InviteSchema,
    JoinResultSchema,
    JoinSchema,
    MemberQuerySchema,
    MemberSchema,
    RoleChangeSchema,
)

blp = Blueprint(
    "members",
    __name__,
    url_prefix=API_PREFIX,
    description="Members of a group: invite codes, joining, approval, roles, leaving.",
)


@blp.route("/groups/<uuid:group_id>/members")
class Members(MethodView):
    @blp.group_scoped
    @blp.arguments(MemberQuerySchema, location="query")
    @blp.response(200, MemberSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], group_id: uuid.UUID, pagination_parameters: PaginationParameters) -> Any:
        """List a group's members

        Fellow members, the wijkagent and admins see first name and initial and the role;
        coordinators also see full names, e-mail and phone, and may list `pending` requests.
        """
        return service.list_members(current_person(), group_id, filters, pagination_parameters)


@blp.route("/groups/<uuid:group_id>/members/<uuid:membership_id>")
class Member(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.arguments(RoleChangeSchema)
    @blp.response(200, MemberSchema)
    def patch(self, data: dict[str, Any], group_id: uuid.UUID, membership_id: uuid.UUID) -> Any:
        """Make a member coordinator or volunteer (coordinators)

        The group's last coordinator cannot step down (409).
        """
        return service.change_role(current_person(), group_id, membership_id, data["role"])

    @blp.group_scoped
    @blp.conflicts
    @blp.response(204)
    def delete(self, group_id: uuid.UUID, membership_id: uuid.UUID) -> None:
        """Leave a group (your own membership) or remove a member (coordinators)

        Also withdraws your own pending request. The last coordinator cannot leave (409).
        """
        service.end_membership(current_person(), group_id, membership_id)


@blp.route("/groups/<uuid:group_id>/members/<uuid:membership_id>/approve")
class Approve(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, MemberSchema)
    def post(self, group_id: uuid.UUID, membership_id: uuid.UUID) -> Any:
        """Approve a request to join (coordinators)"""
        return service.decide(current_person(), group_id, membership_id, approve=True)


@blp.route("/groups/<uuid:group_id>/members/<uuid:membership_id>/reject")
class Reject(MethodView):
    @blp.group_scoped
    @blp.conflicts
    @blp.response(200, MemberSchema)
    def post(self, group_id: uuid.UUID, membership_id: uuid.UUID) -> Any:
        """Reject a request to join (coordinators)"""
        return service.decide(current_person(), group_id, membership_id, approve=False)


@blp.route("/groups/<uuid:group_id>/invite")
class Invite(MethodView):
    @blp.group_scoped
    @blp.response(200, InviteSchema)
    def get(self, group_id: uuid.UUID) -> Any:
        """Show the group's live invite code (coordinators)"""
        return service.current_invite(current_person(), group_id)

    @blp.group_scoped
    @blp.arguments(InviteCreateSchema)
    @blp.response(201, InviteSchema)
    def post(self, data: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Make a new invite code (coordinators)

        The previous code stops working at once (rotation).
        """
        days = data["valid_days"] or current_app.config["BUURTWACHT"].INVITE_TTL_DAYS
        return service.rotate_invite(current_person(), group_id, days)

    @blp.group_scoped
    @blp.response(204)
    def delete(self, group_id: uuid.UUID) -> None:
        """Revoke the invite code (coordinators)"""
        service.revoke_invite(current_person(), group_id)


@blp.route("/joins")
class Joins(MethodView):
    @blp.signed_in
    @blp.conflicts
    @blp.arguments(JoinSchema)
    @blp.response(201, JoinResultSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Ask to join a group with its invite code

        Makes a `pending` membership that a coordinator approves or rejects. Sending the same
        code again while pending returns the same request; 409 if you are already a member.
        """
        return service.join(current_person(), data["code"])
