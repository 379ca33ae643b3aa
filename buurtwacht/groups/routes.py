"""HTTP endpoints under /api/v1/groups."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from buurtwacht.api import API_PREFIX, Blueprint
from buurtwacht.auth.service import current_person
from buurtwacht.groups import service
from buurtwacht.groups.schemas import GroupCreateSchema, GroupQuerySchema, GroupSchema, GroupUpdateSchema
from buurtwacht.readcache import cacheable

blp = Blueprint(
    "groups", __name__, url_prefix=f"{API_PREFIX}/groups", description="Volunteer groups (buurtpreventieteams)."
)


@blp.route("")
class Groups(MethodView):
    @cacheable
    @blp.signed_in
    @blp.arguments(GroupQuerySchema, location="query")
    @blp.response(200, GroupSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=100)
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """List my groups

        Members see the groups they are active in; a wijkagent also sees the groups of the
        areas they serve; admins see every group.
        """
        return service.list_groups(current_person(), filters, pagination_parameters)

    @blp.admin_only
    @blp.arguments(GroupCreateSchema)
    @blp.response(201, GroupSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a group and name its first coordinator (admins)"""
        return service.create_group(current_person(), data)


@blp.route("/<uuid:group_id>")
class GroupById(MethodView):
    @cacheable
    @blp.group_scoped
    @blp.response(200, GroupSchema)
    def get(self, group_id: uuid.UUID) -> Any:
        """Get a group

        404 for anyone who is not a member, its wijkagent or an admin.
        """
        return service.get_group(current_person(), group_id)

    @blp.group_scoped
    @blp.arguments(GroupUpdateSchema)
    @blp.response(200, GroupSchema)
    def patch(self, changes: dict[str, Any], group_id: uuid.UUID) -> Any:
        """Change a group's name or description (coordinators, admins); move it (admins)"""
        return service.update_group(current_person(), group_id, changes)
